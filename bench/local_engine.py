"""Benchmark: the offline MRZ engine against PassportEye, on the same images.

    .venv/bin/python bench/local_engine.py [--count 80] [--per-kind 20] [--seed 2024]
                                           [--no-passporteye] [--no-int8] [--profile]

PassportEye's text is taken leniently: its uncorrected lines are padded or trimmed to
the format's length at the trailing filler run before comparing.

Prints, per engine (the local engine on OpenVINO when installed, and on onnxruntime alone as
`local-ort`; on onnxruntime with the int8 model as `local-int8`, built or found in the cache
before the children start, `--no-int8` to leave it out; PassportEye) and image set (a seeded
synthetic degraded set from `passport_ocr.tools.specimens`; the specimen photos in
../shared/data/images with an MRZ in ground_truth.json, when that folder exists; synthetic
pages drawn without an MRZ, where "exact" is the share rejected as having none; the
realistic set from `passport_ocr.tools.specimen_photos`, `--per-kind` photos of each of its
kinds: stamps, overlays, screenshots, glare, dim and small photos, hand-held skew, cards on
a desk, TD1, TD2, visas, look-alike contents and prose pages without an MRZ): exact-MRZ
rate, character accuracy, false-accept rate (a wrong MRZ reported valid), median and p90
latency on one core, cold start and peak memory. Each engine runs in its own child process,
pinned to one CPU (and one thread), so cold start and peak memory are its own and OpenCV's
thread pool cannot borrow a second core. `--profile` adds, per image set, where the local
engine's time goes (median and share per stage, from its `timings_ms`). Then, per engine,
the outcome per class (the realistic set's kind, a real photo's format): exact (the true
MRZ, whatever the record's status), review (an MRZ reported whose record is not `valid`),
wrong-accepted (a wrong MRZ in a `valid` record), no MRZ (none found where one is) and
invented (one reported where there is none); and every miss with its class and the fields
read wrong. PassportEye (the `bench` extra and the tesseract binary) is reported as
"PassportEye unavailable" when missing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from passport_ocr.tools.ocr.recognize import Backend, Precision

ROOT = Path(__file__).resolve().parents[1]
REAL_DIR = ROOT.parent / "shared" / "data" / "images"
ONE_CORE = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OMP_THREAD_LIMIT": "1",  # tesseract
}


def _no_mrz_pages(count: int, seed: int) -> list[tuple[str, bytes, tuple[str, ...]]]:
    """Synthetic data pages drawn without an MRZ, degraded like the synthetic set."""
    import random

    from passport_ocr.tools.specimens import DEGRADATIONS, generate_specimen

    rng = random.Random(seed)
    kinds = [name for name in DEGRADATIONS if name != "jpeg"]
    pages = []
    for index in range(count):
        picks = rng.sample(kinds, k=rng.randint(1, 3))
        if sum(name.startswith("rotate") for name in picks) > 1:
            picks = [name for name in picks if not name.startswith("rotate")]
        page_seed = seed * 1000 + 500 + index
        page = generate_specimen(
            page_seed, picks, jpeg_quality=rng.choice((30, 45, 60, 80)), with_mrz=False
        )
        pages.append((f"no-mrz-{page_seed}", page.image, ()))
    return pages


#: One image: its name, its bytes, its true MRZ lines (empty: none) and its class.
Item = tuple[str, bytes, tuple[str, ...], str]


def _images(kind: str, count: int, seed: int) -> list[Item]:
    if kind == "realistic":
        from passport_ocr.tools.specimen_photos import realistic_set

        return [
            (photo.name, photo.image, photo.mrz_lines, photo.kind)
            for photo in realistic_set(seed, count)
        ]
    if kind == "no-mrz":
        return [(name, data, lines, "no-mrz") for name, data, lines in _no_mrz_pages(count, seed)]
    if kind == "synthetic":
        from passport_ocr.tools.specimens import degraded_set

        return [
            (f"seed-{page.seed}", page.image, page.mrz_lines, "+".join(page.degradations))
            for page in degraded_set(count, seed=seed)
        ]
    truth = json.loads((REAL_DIR / "ground_truth.json").read_text())
    # Every real photo, those without an MRZ too (their class: "none").
    return [
        (
            item["file"],
            (REAL_DIR / item["file"]).read_bytes(),
            tuple(item.get("mrz_lines") or ()),
            str(item.get("format") or "none"),
        )
        for item in truth["images"]
    ]


def _pin_one_core() -> None:
    """Run this process (and any child, e.g. tesseract) on a single CPU."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


#: The offline engine's runtimes for the same model: `local` picks OpenVINO when it is
#: installed (the `local-fast` extra), `local-ort` is onnxruntime only (the `local` extra),
#: `local-int8` onnxruntime on the int8 copy of the model (`PASSPORT_OCR_LOCAL_PRECISION=
#: int8`, built before the children start: their cold start only loads it).
LOCAL_BACKENDS: dict[str, tuple[str, str]] = {
    "local": ("auto", "float"),
    "local-ort": ("onnxruntime", "float"),
    "local-int8": ("onnxruntime", "int8"),
}


def _prepare_int8() -> str | None:
    """Build (or find) the int8 model once, outside the timed children; None if it cannot."""
    from passport_ocr.tools.ocr.recognize import Recognizer

    recognizer = Recognizer(threads=1, precision="int8")
    try:
        recognizer.warm_up()
    except Exception as error:  # reported as a skipped engine, never fatal to the bench
        print(f"local-int8 unavailable ({type(error).__name__}: {error})")
        return None
    model = recognizer.int8_model
    assert model is not None
    how = f"built in {model.seconds:.0f} s from {model.crops} crops" if model.built else "cached"
    return f"int8 model: {model.path} ({model.size_bytes / 1e6:.1f} MB, {how})"


def _local_reader(stages: list[dict[str, float]], engine_name: str) -> Any:
    """The product's verdict: engine -> `local` answer -> mapper -> record status.

    A false accept is a wrong MRZ in a record whose status is `valid`: what a consumer of
    the topic would trust. (The engine's own check-digit verdict alone would also count
    readings the record marks for review, e.g. ambiguous or repaired ones.)
    """
    from passport_ocr.mapping import to_record
    from passport_ocr.record import Status
    from passport_ocr.tools.ocr.engine import MrzEngine
    from passport_ocr.tools.ocr.recognize import Recognizer

    backend, precision = LOCAL_BACKENDS[engine_name]
    engine = MrzEngine(
        Recognizer(
            threads=1,
            backend=cast("Backend", backend),
            precision=cast("Precision", precision),
        )
    )

    def read(data: bytes) -> tuple[tuple[str, ...], bool]:
        result = engine.read(data)
        stages.append(result.timings_ms)
        answer = result.to_answer()
        if result.reading is None or not answer["lines"]:
            return (), False
        record = to_record("local", answer)
        lines = record.mrz.lines if record.mrz is not None else tuple(result.reading.lines)
        return tuple(lines), record.status is Status.VALID

    return read


def _profile(stages: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Per stage: median ms over all images (0 where absent) and share of all time."""
    names = sorted({name for timing in stages for name in timing})
    total = sum(timing.get("total", 0.0) for timing in stages) or 1.0
    return {
        name: {
            "median_ms": statistics.median(timing.get(name, 0.0) for timing in stages),
            "share": sum(timing.get(name, 0.0) for timing in stages) / total,
        }
        for name in names
    }


def _passporteye_reader() -> Any:
    import io

    from passporteye import read_mrz

    def read(data: bytes) -> tuple[tuple[str, ...], bool]:
        mrz = read_mrz(io.BytesIO(data))
        if mrz is None:
            return (), False
        found = mrz.to_dict()
        lines = tuple(line for line in str(found.get("raw_text", "")).splitlines() if line)
        return lines, bool(getattr(mrz, "valid", False))

    return read


def _pad(lines: tuple[str, ...], truth: tuple[str, ...]) -> tuple[str, ...]:
    if len(lines) != len(truth):
        return lines
    return tuple(
        line.rstrip("<").ljust(len(want), "<") if line.rstrip("<") else line
        for line, want in zip(lines, truth, strict=True)
    )


def outcome(truth: tuple[str, ...], lines: tuple[str, ...], valid: bool) -> str:
    """One image's verdict: exact, review, wrong-accepted, no-mrz or invented."""
    if not truth:
        return "exact" if not lines else "invented"
    if not lines:
        return "no-mrz"
    if lines == truth:
        return "exact"
    return "wrong-accepted" if valid else "review"


def _field_places(truth: tuple[str, ...]) -> dict[tuple[int, int], str]:
    """Each (line, position) of the true MRZ's format with its field's name: the ICAO
    layouts, or the French identity card's own table (not ICAO)."""
    from passport_ocr.mrz import detect_format, french_id
    from passport_ocr.mrz.layouts import LAYOUTS
    from passport_ocr.record import MrzFormat

    if detect_format(truth) is MrzFormat.FRA_ID:
        spans = dict(french_id.SPANS)
        checks = {f"{check.name}_check": check.at for check in french_id.CHECKS}
    else:
        layout = LAYOUTS[detect_format(truth)]
        spans = dict(layout.spans())
        checks = {f"{name}_check": place for name, place in layout.checks.items()}
        if layout.composite_at is not None:
            checks["composite_check"] = layout.composite_at
    places = {
        (span.line, position): name
        for name, span in spans.items()
        for position in range(span.start, span.end)
    }
    places.update({place: name for name, place in checks.items()})
    return places


def wrong_fields(truth: tuple[str, ...], lines: tuple[str, ...]) -> list[str]:
    """The MRZ fields (ICAO names) whose characters were read wrong."""
    if not truth or not lines or len(lines) != len(truth):
        return []
    places = _field_places(truth)
    found = {
        places.get((row, position), f"line{row + 1}")
        for row, (want, got) in enumerate(zip(truth, lines, strict=True))
        for position, (a, b) in enumerate(zip(want, got.ljust(len(want)), strict=False))
        if a != b
    }
    return sorted(found)


def run_child(engine: str, kind: str, count: int, seed: int) -> dict[str, Any]:
    """Runs inside the child process: one engine, one image set."""
    from passport_ocr.tools.specimens import character_accuracy

    images = _images(kind, count, seed)
    stages: list[dict[str, float]] = []
    started = time.perf_counter()
    read = _local_reader(stages, engine) if engine in LOCAL_BACKENDS else _passporteye_reader()
    first_name, first_data, _, _ = images[0]
    read(first_data)  # cold start: imports, model load, first page
    stages.clear()
    cold = time.perf_counter() - started
    latencies: list[float] = []
    false_accepts = 0
    accuracy: list[float] = []
    misses: list[str] = []
    items: list[dict[str, Any]] = []
    for name, data, truth, cls in images:
        mark = time.perf_counter()
        lines, valid = read(data)
        seconds = time.perf_counter() - mark
        latencies.append(seconds)
        if engine == "passporteye":
            # Its raw text is uncorrected: forgive the filler count at line ends.
            lines = _pad(lines, truth)
        verdict = outcome(truth, lines, valid)
        correct = verdict == "exact"
        false_accepts += valid and lines != truth
        accuracy.append(character_accuracy(truth, lines))
        if not correct:
            misses.append(name)
        items.append(
            {
                "name": name,
                "class": cls,
                "outcome": verdict,
                "review": bool(lines) and not valid,
                "seconds": seconds,
                "fields": wrong_fields(truth, lines),
            }
        )
    latencies.sort()
    # The exact rate counts the images with an MRZ (a set of pages without: the share
    # rejected); pages without one given an MRZ are the per-class "invented".
    with_mrz = [item for item, (_, _, truth, _) in zip(items, images, strict=True) if truth]
    scored = with_mrz or items
    return {
        "engine": engine,
        "set": kind,
        "images": len(scored),
        "exact": sum(item["outcome"] == "exact" for item in scored) / len(scored),
        "char_accuracy": statistics.fmean(
            value
            for value, (_, _, truth, _) in zip(accuracy, images, strict=True)
            if truth or not with_mrz
        ),
        "false_accepts": false_accepts / len(images),
        "median_s": statistics.median(latencies),
        "p90_s": latencies[min(len(latencies) - 1, int(0.9 * len(latencies)))],
        "cold_start_s": cold,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "misses": misses,
        "items": items,
        "first_image": first_name,
        "profile": _profile(stages) if stages else {},
    }


def _spawn(engine: str, kind: str, count: int, seed: int) -> dict[str, Any] | str:
    env = {**os.environ, **ONE_CORE, "PYTHONPATH": str(ROOT / "shared")}
    command = [
        sys.executable, __file__, "--child", engine, "--set", kind,
        "--count", str(count), "--seed", str(seed),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _openvino_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("openvino") is not None


def _passporteye_missing() -> str | None:
    try:
        import passporteye  # noqa: F401
        import pytesseract

        pytesseract.get_tesseract_version()
    except Exception as error:
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return None


def _row(result: dict[str, Any]) -> str:
    return (
        f"{result['engine']:<12} {result['set']:<10} {result['images']:>4} "
        f"{result['exact']:>7.1%} {result['char_accuracy']:>8.2%} {result['false_accepts']:>6.1%} "
        f"{result['median_s']:>8.3f} {result['p90_s']:>7.3f} {result['cold_start_s']:>7.2f} "
        f"{result['peak_mb']:>7.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=80, help="synthetic pages (default 80)")
    parser.add_argument(
        "--per-kind", type=int, default=20, help="realistic photos per kind (default 20)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-passporteye", action="store_true")
    parser.add_argument("--no-int8", action="store_true", help="leave out local-int8")
    parser.add_argument("--profile", action="store_true", help="time per stage (local)")
    parser.add_argument("--child", choices=(*LOCAL_BACKENDS, "passporteye"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--set", choices=("synthetic", "realistic", "real", "no-mrz"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        _pin_one_core()
        print(json.dumps(run_child(args.child, args.set, args.count, args.seed)))
        return

    sets = ["synthetic", "realistic"]
    sets += ["real"] if (REAL_DIR / "ground_truth.json").is_file() else []
    sets.append("no-mrz")
    if "real" not in sets:
        print(f"real specimen photos: {REAL_DIR} absent, skipped")
    engines = ["local"] + (["local-ort"] if _openvino_installed() else [])
    if not args.no_int8 and (prepared := _prepare_int8()):
        print(prepared)
        engines.append("local-int8")
    missing = "--no-passporteye given" if args.no_passporteye else _passporteye_missing()
    if missing is None:
        engines.append("passporteye")
    else:
        print(f"PassportEye unavailable ({missing})")
    header = (
        f"{'engine':<12} {'set':<10} {'n':>4} {'exact':>7} {'chars':>8} {'FA':>6} "
        f"{'median_s':>8} {'p90_s':>7} {'cold_s':>7} {'peak_MB':>7}"
    )
    print(header)
    print("-" * len(header))
    results: dict[tuple[str, str], dict[str, Any]] = {}
    for kind in sets:
        for engine in engines:
            count = args.per_kind if kind == "realistic" else args.count
            done = _spawn(engine, kind, count, args.seed)
            if isinstance(done, str):
                print(f"{engine:<12} {kind:<10} failed: {done}")
                continue
            results[(engine, kind)] = done
            print(_row(done), flush=True)
    _print_no_mrz(results, engines)
    _print_comparisons(results, sets)
    for kind in ("realistic", "real"):
        for engine in engines:
            if found := results.get((engine, kind)):
                _print_classes(found)
    if args.profile:
        _print_profiles(results, sets)


def _print_comparisons(results: dict[tuple[str, str], dict[str, Any]], sets: list[str]) -> None:
    for kind in sets:
        ort = results.get(("local-ort", kind)) or results.get(("local", kind))
        int8 = results.get(("local-int8", kind))
        if ort and int8:
            print(
                f"{kind}: local-int8 / local-ort median {int8['median_s'] / ort['median_s']:.2f}x, "
                f"p90 {int8['p90_s'] / ort['p90_s']:.2f}x"
            )
        if kind == "no-mrz":
            continue  # no MRZ to read: the line above says how fast and how clean
        theirs = results.get(("passporteye", kind))
        for local in LOCAL_BACKENDS:
            ours = results.get((local, kind))
            if ours and theirs:
                speed = theirs["median_s"] / max(ours["median_s"], 1e-9)
                gain = ours["exact"] / theirs["exact"] if theirs["exact"] else float("inf")
                print(
                    f"{kind}: {local} is {speed:.1f}x faster (median) and "
                    f"{gain:.1f}x as often exact"
                )


OUTCOMES = ("exact", "review", "wrong-accepted", "no-mrz", "invented")


def _print_classes(result: dict[str, Any]) -> None:
    """Per class: images, each outcome, median and p90 seconds; then every miss."""
    items: list[dict[str, Any]] = result["items"]
    print(f"\n{result['engine']} on {result['set']}, per class:")
    print(f"  {'class':<20} {'n':>3} " + " ".join(f"{name:>8.8}" for name in OUTCOMES)
          + f" {'median_s':>8} {'p90_s':>6}")  # fmt: skip
    for cls in sorted({item["class"] for item in items}):
        group = [item for item in items if item["class"] == cls]
        seconds = sorted(item["seconds"] for item in group)
        counts = " ".join(
            f"{sum(item['outcome'] == name for item in group):>8}" for name in OUTCOMES
        )
        p90 = seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))]
        print(
            f"  {cls:<20} {len(group):>3} {counts} {statistics.median(seconds):>8.3f} {p90:>6.3f}"
        )
    flagged = sum(item["review"] for item in items)
    # Real specimens are long expired: their records are never `valid`, whatever is read.
    print(f"  records not valid (sent to review or expired): {flagged} of {len(items)}")
    missed = [item for item in items if item["outcome"] != "exact"]
    if result["engine"] not in LOCAL_BACKENDS:
        # PassportEye misses most images: its per-class counts say enough.
        print(f"  misses: {len(missed)} (listed for the local engine only)")
        return
    for item in missed:
        if item["outcome"] != "exact":
            fields = ", ".join(item["fields"]) or "-"
            print(f"  miss {item['name']} [{item['class']}] {item['outcome']}: {fields}")


def _print_no_mrz(results: dict[tuple[str, str], dict[str, Any]], engines: list[str]) -> None:
    for engine in engines:
        if blank := results.get((engine, "no-mrz")):
            invented = round((1.0 - blank["exact"]) * blank["images"])
            print(
                f"no-mrz: {engine} median {blank['median_s']:.3f} s, p90 {blank['p90_s']:.3f} s, "
                f"{invented} of {blank['images']} pages reported an MRZ"
            )


def _print_profiles(results: dict[tuple[str, str], dict[str, Any]], sets: list[str]) -> None:
    for kind in sets:
        if ours := results.get(("local", kind)):
            print(f"local engine stages on {kind} (median ms over images, share of time):")
            for name, figures in ours["profile"].items():
                print(f"  {name:<24} {figures['median_ms']:>7.1f} {figures['share']:>7.1%}")


if __name__ == "__main__":
    main()
