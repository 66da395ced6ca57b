"""Cold start of each platform's bundle: zip size, handler init, and the bare SDK imports.

For each platform this builds (or reuses) the deployment zip, unzips it into an empty
read-only directory, and in a fresh `python -I` process per run (the runtime's Python
version) measures:
  - handler init: importing the handler module and building its clients, as the first
    invocation does (`runtime.begin(context)`: store, OCR provider, topic), with no network;
  - SDK imports: importing the same vendor SDK modules alone (`BundleSpec.sdk_modules`),
    from the same directory: what any function on that cloud pays.
The two kinds of run alternate, so that drift on the machine hits both alike. The ratio
says what the product adds to a cold start. Medians of N runs, one machine; wall time,
and CPU time of the process (steadier when other work shares the machine).

    python bench/cold_start.py [--runs 10] [--platform aws] [--rebuild] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "shared"))

from passport_ocr import bundle  # noqa: E402

# Import the handler, then build what the first invocation builds (no request is sent).
HANDLER_INIT = {
    "huaweicloud": "import index; index.runtime.begin(None)",
    "tencentcloud": "import index; index.runtime.begin({'tencentcloud_region': 'ap-guangzhou'})",
    "aws": "import app; app.runtime.runtime.begin(None)",
}
# Settings and credentials a handler needs to assemble its clients; nothing is called.
FAKE_ENV = {
    "PASSPORT_OCR_TOPIC": "urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:passport-results",
    "PASSPORT_OCR_HUAWEI_PROJECT_ID": "0123456789abcdef0123456789abcdef",
    "HUAWEICLOUD_SDK_AK": "bench",
    "HUAWEICLOUD_SDK_SK": "bench",
    "TENCENTCLOUD_SECRETID": "AKIDbench",
    "TENCENTCLOUD_SECRETKEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_METRICS_NAMESPACE": "bench",
}
AWS_TOPIC = "arn:aws:sns:us-east-1:123456789012:passport-results"


def timed(
    python: str, code_dir: Path, statement: str, extra_path: list[str], home: Path
) -> tuple[float, float]:
    """(wall, CPU) seconds of `statement` in a fresh isolated interpreter, `code_dir` first."""
    script = (
        "import sys, time; "
        f"sys.path[:0] = [{str(code_dir)!r}]; sys.path += {extra_path!r}; "
        "w, c = time.perf_counter(), time.process_time(); "
        f"{statement}; "
        "print(time.perf_counter() - w, time.process_time() - c)"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), **FAKE_ENV}
    if "import app" in statement:
        env["PASSPORT_OCR_TOPIC"] = AWS_TOPIC
    result = subprocess.run(
        [python, "-I", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=code_dir,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{statement!r} failed:\n{result.stderr[-3000:]}")
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def median_ms(samples: list[tuple[float, float]], index: int) -> float:
    return round(statistics.median(sample[index] for sample in samples) * 1000, 1)


def measure(platform: str, runs: int, rebuild: bool) -> dict[str, float | str]:
    spec = bundle.SPECS[platform]
    zip_path = REPO / "dist" / f"passport-ocr-{platform}.zip"
    if rebuild or not zip_path.exists():
        print(bundle.build(platform, output=zip_path).format(), file=sys.stderr)
    python = bundle.find_python(spec.python)
    sdk_statement = "; ".join(f"import {name}" for name in spec.sdk_modules)
    with tempfile.TemporaryDirectory(prefix=f"cold-{platform}-") as tmp:
        code_dir, home = Path(tmp) / "code", Path(tmp) / "home"
        home.mkdir()
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(code_dir)
        extra = []
        if spec.provided:
            extra = [str(bundle.copy_runtime_provided(spec, Path(tmp) / "runtime"))]
        code_dir.chmod(0o555)  # read-only, as on the platforms
        # One untimed run each: the SDKs' first-run side effects (Huawei's app id file).
        timed(python, code_dir, HANDLER_INIT[platform], extra, home)
        timed(python, code_dir, sdk_statement, extra, home)
        handler, sdk = [], []
        for _ in range(runs):
            handler.append(timed(python, code_dir, HANDLER_INIT[platform], extra, home))
            sdk.append(timed(python, code_dir, sdk_statement, extra, home))
        code_dir.chmod(0o755)
    row: dict[str, float | str] = {
        "platform": platform,
        "python": spec.python,
        "zip_mb": round(zip_path.stat().st_size / 1e6, 2),
        "zip_target_mb": spec.size_target_mb,
        "handler_init_ms": median_ms(handler, 0),
        "sdk_imports_ms": median_ms(sdk, 0),
        "handler_cpu_ms": median_ms(handler, 1),
        "sdk_cpu_ms": median_ms(sdk, 1),
    }
    row["ratio"] = round(float(row["handler_init_ms"]) / float(row["sdk_imports_ms"]), 3)
    row["cpu_ratio"] = round(float(row["handler_cpu_ms"]) / float(row["sdk_cpu_ms"]), 3)
    return row


COLUMNS = (
    ("platform", "<13"),
    ("python", "<7"),
    ("zip_mb", ">7"),
    ("zip_target_mb", ">7"),
    ("handler_init_ms", ">9"),
    ("sdk_imports_ms", ">9"),
    ("ratio", ">7"),
    ("handler_cpu_ms", ">9"),
    ("sdk_cpu_ms", ">9"),
    ("cpu_ratio", ">7"),
)
HEADINGS = (
    "platform",
    "py",
    "zip MB",
    "target",
    "init ms",
    "SDK ms",
    "ratio",
    "init cpu",
    "SDK cpu",
    "ratio",
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--platform", choices=sorted(bundle.SPECS), action="append")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(p, args.runs, args.rebuild) for p in (args.platform or sorted(bundle.SPECS))]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("".join(f"{h:{fmt}}" for h, (_, fmt) in zip(HEADINGS, COLUMNS, strict=True)))
    for row in rows:
        print("".join(f"{row[name]!s:{fmt}}" for name, fmt in COLUMNS))
    print(
        f"(median of {args.runs} fresh `python -I` processes each, wall and CPU time; "
        "ratio target <= 1.15)"
    )


if __name__ == "__main__":
    main()
