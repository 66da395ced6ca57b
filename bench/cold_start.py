"""Cold start of each platform's bundle: zip size, handler init, and the bare SDK imports.

For each platform this builds (or reuses) the deployment zip, unzips it into an empty
directory, and in a fresh `python -I` process per run measures:
  - handler init: importing the handler module, which assembles its clients (no network);
  - SDK imports: importing the same vendor SDK modules alone, from the same directory.
The ratio says what the product adds to a cold start. Medians of N runs, one machine, one run.

    python bench/cold_start.py [--runs 10] [--platform aws] [--rebuild]
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

# The vendor modules each handler needs: what a bare function on that cloud would import anyway.
SDK_IMPORTS = {
    "huaweicloud": "from huaweicloudsdkocr.v1 import OcrClient, RecognizePassportRequest; "
    "from huaweicloudsdksmn.v2 import SmnClient; from obs import ObsClient; import pydantic",
    "tencentcloud": "from tencentcloud.ocr.v20181119 import ocr_client, models; "
    "from tencentcloud.tdmq.v20200217 import tdmq_client; from qcloud_cos import CosS3Client; "
    "import pydantic",
    "aws": "import boto3; from aws_lambda_powertools import Logger, Metrics, Tracer; "
    "from tencentcloud.ocr.v20181119 import ocr_client, models; import pydantic",
}
HANDLER_IMPORTS = {
    "huaweicloud": "import index",
    "tencentcloud": "import index",
    "aws": "import app",
}
# Settings a handler needs to assemble its clients at import; no request is sent.
FAKE_ENV = {
    "PASSPORT_OCR_TOPIC": "urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:passport-results",
    "PASSPORT_OCR_HUAWEI_PROJECT_ID": "0123456789abcdef0123456789abcdef",
    "TENCENTCLOUD_SECRETID": "AKIDbench",
    "TENCENTCLOUD_SECRETKEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_NAMESPACE": "bench",
}


def timed_import(python: str, code_dir: Path, statement: str, extra_path: str = "") -> float:
    """Seconds to run `statement` in a fresh isolated interpreter with `code_dir` on the path."""
    script = (
        "import sys, time; "
        f"sys.path[:0] = [{str(code_dir)!r}] + [p for p in {extra_path!r}.split(':') if p]; "
        "t = time.perf_counter(); "
        f"{statement}; "
        "print(time.perf_counter() - t)"
    )
    env = {"PATH": "/usr/bin:/bin", **FAKE_ENV}
    result = subprocess.run(  # noqa: S603 (our own benchmark command)
        [python, "-I", "-c", script], capture_output=True, text=True, env=env, cwd=code_dir, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{statement!r} failed:\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def runtime_boto3_path(python: str) -> str:
    """Lambda's runtime ships boto3; the bench mimics that with the build machine's copy."""
    probe = subprocess.run(  # noqa: S603
        [python, "-c", "import boto3, os; print(os.path.dirname(os.path.dirname(boto3.__file__)))"],
        capture_output=True, text=True, check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else ""


def measure(platform: str, runs: int, rebuild: bool) -> dict[str, float | str]:
    spec = bundle.SPECS[platform]
    zip_path = REPO / "dist" / f"passport-ocr-{platform}.zip"
    if rebuild or not zip_path.exists():
        bundle.build(platform, output=zip_path)
    python = bundle.find_python(spec.python)
    extra = runtime_boto3_path(python) if platform == "aws" else ""
    with tempfile.TemporaryDirectory(prefix=f"cold-{platform}-") as tmp:
        code_dir = Path(tmp)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(code_dir)
        code_dir.chmod(0o555)  # read-only, as on the platforms
        handler = [timed_import(python, code_dir, HANDLER_IMPORTS[platform], extra) for _ in range(runs)]
        sdk = [timed_import(python, code_dir, SDK_IMPORTS[platform], extra) for _ in range(runs)]
        code_dir.chmod(0o755)
    handler_ms, sdk_ms = statistics.median(handler) * 1000, statistics.median(sdk) * 1000
    return {
        "platform": platform,
        "python": spec.python,
        "zip_mb": round(zip_path.stat().st_size / 1e6, 2),
        "zip_target_mb": spec.size_target_mb,
        "handler_init_ms": round(handler_ms, 1),
        "sdk_imports_ms": round(sdk_ms, 1),
        "ratio": round(handler_ms / sdk_ms, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--platform", choices=sorted(bundle.SPECS), action="append")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [measure(p, args.runs, args.rebuild) for p in (args.platform or sorted(bundle.SPECS))]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'platform':<13}{'py':<6}{'zip MB':>8}{'target':>8}{'handler ms':>12}{'SDK ms':>9}{'ratio':>7}")
    for row in rows:
        print(f"{row['platform']:<13}{row['python']:<6}{row['zip_mb']:>8}{row['zip_target_mb']:>8}"
              f"{row['handler_init_ms']:>12}{row['sdk_imports_ms']:>9}{row['ratio']:>7}")
    print(f"(median of {args.runs} fresh `python -I` processes each; ratio target <= 1.15)")


if __name__ == "__main__":
    main()
