"""Cold start of each platform's bundle: zip size, handler init, and the bare imports.

For each platform this builds (or reuses) the deployment zip, unzips it into an empty
read-only directory, and in a fresh `python -I` process per run (the runtime's Python
version) measures:
  - handler init: importing the handler module and building its clients, as the first
    invocation does (`runtime.begin(context)`: store, OCR provider, topic), with no network;
  - SDK imports: importing the vendor SDK modules alone (`BundleSpec.sdk_modules`, with
    `import pydantic`), from the same directory: what any function on that cloud pays;
  - bare function: those imports plus the clients the handler builds at init, built the
    vendor's plain way (`BARE_FUNCTION`). Only Lambda builds any there (boto3's S3 and SNS
    clients, Powertools' Logger, Metrics and Tracer); FunctionGraph and SCF build their SDK
    clients per request, with that request's temporary credentials, so for them it is the
    SDK imports again;
  - dependency imports: importing, alone and in the same order, exactly the third-party
    modules the handler init loaded (found by a first run): the vendor SDKs as the handler
    uses them, and all of pydantic and Powertools that it uses; once as they are, once with
    the cyclic GC paused and pydantic's plugin scan off, as the handlers have them
    (`passport_ocr.coldstart`). Handler init over the latter is what the product itself
    adds: its own modules and models, and building its clients.
  - SnapStart restore (Lambda only, emulated): in a process that has run the handler init
    (the state a snapshot holds), the work done after a restore before the first event:
    the restore hook (`aws.after_restore`) and the clients the first invocation rebuilds.
    What Lambda itself spends restoring the snapshot (loading the microVM's memory) cannot
    be run here and is not in the figure.
The zip is set against the zip of its third-party dependencies alone (the same entries,
compressed the same way, without `passport_ocr/` and the handler module): target 1.10x.
Handler init is set against the dependency imports in the same regime (GC paused, no plugin
scan): target 1.15x.
The kinds of run alternate, so that drift on the machine hits them alike. Medians of N
runs, one machine; wall time, and CPU time of the process (steadier when other work
shares the machine).

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

from passport_ocr import coldstart  # noqa: E402
from passport_ocr.tools import bundle  # noqa: E402

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
# After the handler init (the snapshot's state): what a restored environment redoes.
SNAPSTART_RESTORE = {
    "aws": "from passport_ocr.platforms import aws; aws.after_restore(app.runtime); "
    "app.runtime.runtime.begin(None)",
}
# After the SDK imports: what a bare function that does the same I/O builds at init.
BARE_FUNCTION = {
    "aws": (
        "import boto3; boto3.client('s3'); boto3.client('sns')\n"
        "from aws_lambda_powertools import Logger, Metrics, Tracer\n"
        "Logger(); Metrics(namespace='bench'); Tracer()"
    ),
}


def run_isolated(
    python: str, code_dir: Path, extra_path: list[str], home: Path, *lines: str
) -> str:
    """Run `lines` in a fresh isolated interpreter with `code_dir` first on the path (as the
    runtimes put their code directory) and `extra_path` after; the last line it printed."""
    script = "\n".join(
        (
            "import sys, time",
            f"sys.path[:0] = [{str(code_dir)!r}]; sys.path += {extra_path!r}",
            f"EXTRA = {extra_path!r}",
            *lines,
        )
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), **FAKE_ENV}
    if any("import app" in line for line in lines):
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
        raise RuntimeError(f"{lines!r} failed:\n{result.stderr[-3000:]}")
    return result.stdout.strip().splitlines()[-1]


def timed(
    python: str,
    code_dir: Path,
    statement: str,
    extra_path: list[str],
    home: Path,
    *,
    setup: str = "",
) -> tuple[float, float]:
    """(wall, CPU) seconds of `statement` in a fresh isolated interpreter, after `setup`."""
    last = run_isolated(
        python,
        code_dir,
        extra_path,
        home,
        setup,
        "w, c = time.perf_counter(), time.process_time()",
        statement,
        "print(time.perf_counter() - w, time.process_time() - c)",
    )
    wall, cpu = last.split()
    return float(wall), float(cpu)


# Run after the handler init: the third-party modules it loaded from the bundle (or the
# runtime's provided packages), in load order; not the product's own.
LIST_DEPENDENCIES = """
import json
roots = tuple(sys.path[:1] + EXTRA)
own = ("passport_ocr", "index", "app")
loaded = [
    name for name, module in list(sys.modules.items())
    if str(getattr(module, "__file__", None) or "").startswith(roots)
    and name.split(".")[0] not in own
]
print(json.dumps(loaded))
"""

# The handlers build under `passport_ocr.coldstart`'s regime (cyclic GC paused, pydantic's
# plugin scan skipped): the same regime for the dependency imports shows what the product's
# own code adds, those savings set aside.
HANDLER_REGIME = (
    "import gc, os; gc.disable(); "
    f"os.environ.setdefault({coldstart.PLUGINS_SWITCH!r}, {coldstart.NO_PLUGINS!r})"
)


def dependency_modules(
    python: str, code_dir: Path, statement: str, extra_path: list[str], home: Path
) -> list[str]:
    """The third-party modules the handler init loads, in the order it loads them."""
    last = run_isolated(python, code_dir, extra_path, home, statement, LIST_DEPENDENCIES)
    modules: list[str] = json.loads(last)
    return modules


def import_all(modules: list[str]) -> str:
    """A statement importing `modules` in order (one that fails alone is skipped)."""
    return (
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    try: importlib.import_module(name)\n"
        "    except Exception: pass"
    )


ZIP_TARGET = bundle.ZIP_RATIO_TARGET
INIT_TARGET = 1.15


def dependencies_zip_bytes(zip_path: Path) -> int:
    """The size of the bundle's zip without the product's own entries: every other entry
    written again with its own compression (the builder's level), into a fresh archive."""
    with tempfile.TemporaryDirectory() as tmp:
        alone = Path(tmp) / "dependencies.zip"
        with zipfile.ZipFile(zip_path) as source, zipfile.ZipFile(alone, "w") as target:
            for info in source.infolist():
                if bundle.is_own_entry(info.filename):
                    continue
                target.writestr(info, source.read(info), compresslevel=bundle.ZIP_LEVEL)
        return alone.stat().st_size


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
        dependencies = dependency_modules(python, code_dir, HANDLER_INIT[platform], extra, home)
        deps_statement = import_all(dependencies)
        deps_paused_statement = f"{HANDLER_REGIME}\n{deps_statement}"
        bare_statement = f"{sdk_statement}\n{BARE_FUNCTION.get(platform, '')}"
        handler, sdk, bare, deps, deps_paused, restore = [], [], [], [], [], []
        for _ in range(runs):
            if platform in SNAPSTART_RESTORE:
                restore.append(
                    timed(
                        python,
                        code_dir,
                        SNAPSTART_RESTORE[platform],
                        extra,
                        home,
                        setup=HANDLER_INIT[platform],
                    )
                )
            handler.append(timed(python, code_dir, HANDLER_INIT[platform], extra, home))
            sdk.append(timed(python, code_dir, sdk_statement, extra, home))
            if platform in BARE_FUNCTION:
                bare.append(timed(python, code_dir, bare_statement, extra, home))
            deps.append(timed(python, code_dir, deps_statement, extra, home))
            deps_paused.append(timed(python, code_dir, deps_paused_statement, extra, home))
        code_dir.chmod(0o755)
    row: dict[str, float | str] = {
        "platform": platform,
        "python": spec.python,
        "zip_mb": round(zip_path.stat().st_size / 1e6, 2),
        "deps_zip_mb": round(dependencies_zip_bytes(zip_path) / 1e6, 2),
        "handler_init_ms": median_ms(handler, 0),
        "sdk_imports_ms": median_ms(sdk, 0),
        "bare_function_ms": median_ms(bare or sdk, 0),
        "deps_imports_ms": median_ms(deps, 0),
        "deps_gc_paused_ms": median_ms(deps_paused, 0),
        "dependency_modules": len(dependencies),
        "handler_cpu_ms": median_ms(handler, 1),
        "sdk_cpu_ms": median_ms(sdk, 1),
        "deps_cpu_ms": median_ms(deps, 1),
    }
    if restore:
        row["snapstart_restore_ms"] = median_ms(restore, 0)
        row["restore_ratio"] = round(
            float(row["snapstart_restore_ms"]) / float(row["handler_init_ms"]), 3
        )
    row["zip_ratio"] = round(zip_path.stat().st_size / 1e6 / float(row["deps_zip_mb"]), 3)
    row["ratio"] = round(float(row["handler_init_ms"]) / float(row["sdk_imports_ms"]), 3)
    row["bare_ratio"] = round(float(row["handler_init_ms"]) / float(row["bare_function_ms"]), 3)
    row["deps_ratio"] = round(float(row["handler_init_ms"]) / float(row["deps_imports_ms"]), 3)
    row["own_ratio"] = round(float(row["handler_init_ms"]) / float(row["deps_gc_paused_ms"]), 3)
    row["cpu_ratio"] = round(float(row["handler_cpu_ms"]) / float(row["sdk_cpu_ms"]), 3)
    row["deps_cpu_ratio"] = round(float(row["handler_cpu_ms"]) / float(row["deps_cpu_ms"]), 3)
    return row


COLUMNS = (
    ("platform", "<13"),
    ("python", "<5"),
    ("zip_mb", ">7"),
    ("deps_zip_mb", ">9"),
    ("zip_ratio", ">7"),
    ("handler_init_ms", ">9"),
    ("sdk_imports_ms", ">9"),
    ("ratio", ">7"),
    ("bare_function_ms", ">9"),
    ("bare_ratio", ">7"),
    ("deps_imports_ms", ">9"),
    ("deps_ratio", ">7"),
    ("deps_gc_paused_ms", ">11"),
    ("own_ratio", ">7"),
)
HEADINGS = (
    "platform",
    "py",
    "zip MB",
    "deps zip",
    "ratio",
    "init ms",
    "SDK ms",
    "ratio",
    "bare ms",
    "ratio",
    "deps ms",
    "ratio",
    "deps-gc ms",
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
        f"(median of {args.runs} fresh `python -I` processes each, wall time; CPU time in "
        "--json. SDK = the vendor SDK modules and `import pydantic`; bare = those and the "
        "clients the handler builds at init, built plainly; deps = every third-party "
        "module the handler init loads; deps-gc = the same with the cyclic GC paused and no "
        "pydantic plugin scan, as the handlers build. Targets: zip / deps zip <= "
        f"{ZIP_TARGET}, init / deps-gc <= {INIT_TARGET})"
    )
    for row in rows:
        if "snapstart_restore_ms" in row:
            print(
                f"{row['platform']}: SnapStart restore (emulated: hook + first clients, not "
                f"Lambda's memory restore) {row['snapstart_restore_ms']} ms = "
                f"{row['restore_ratio']}x the cold handler init"
            )
    for row in rows:
        for name, target in (("zip_ratio", ZIP_TARGET), ("own_ratio", INIT_TARGET)):
            verdict = "met" if float(row[name]) <= target else "NOT met"
            print(f"{row['platform']}: {name} {row[name]} (target {target}): {verdict}")


if __name__ == "__main__":
    main()
