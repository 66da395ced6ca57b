"""The command line as a user meets it: a missing package named by its extra, options
validated, Ctrl-C answered with the summary so far and exit 130."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import pytest

from passport_ocr.config import load_settings
from passport_ocr.errors import ConfigError
from passport_ocr.mapping import detect_format
from passport_ocr.providers.huawei import HuaweiOcrProvider
from passport_ocr.publishing.sns import topic_region
from passport_ocr.tools.batch.sources import selected
from passport_ocr.tools.cli import EXTRA_FOR_MODULE, main
from passport_ocr.tools.cli.process import default_workers
from tests.paths import REPO

# `invoke` imports real handler modules, which configure logging on the stream of the moment
# (as a container does); restored after each test, or a later test logs to a closed stream.
pytestmark = pytest.mark.usefixtures("restore_logging")

SPECIMENS = Path(str(resources.files("passport_ocr.tools") / "data" / "specimens"))


def cli_without(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh interpreter where `import module` fails, as without its extra."""
    script = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from passport_ocr.tools.cli import main\n"
        f"sys.exit(main({list(args)!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "shared")},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("module", "args", "extra"),
    [
        (
            "obs",
            ("process", "obs://scans/uploads", "-o", "out", "--provider", "local"),
            "huaweicloud",
        ),
        ("boto3", ("process", "s3://scans/uploads", "-o", "out", "--provider", "local"), "aws"),
        (
            "qcloud_cos",
            ("process", "cos://scans-1250000000/u", "-o", "out", "--provider", "local"),
            "tencentcloud",
        ),
        (
            "huaweicloudsdkcore",
            ("recognize", str(SPECIMENS / "clean-page.jpg"), "--provider", "huawei"),
            "huaweicloud",
        ),
        (
            "tencentcloud",
            ("recognize", str(SPECIMENS / "clean-page.jpg"), "--provider", "tencent"),
            "tencentcloud",
        ),
    ],
)
def test_a_missing_package_is_one_line_naming_the_extra(
    module: str, args: tuple[str, ...], extra: str, tmp_path: Path
) -> None:
    done = cli_without(module, *args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert f"pip install 'passport-ocr-functions[{extra}]'" in line


def test_every_extra_named_exists_in_pyproject() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    for extra in set(EXTRA_FOR_MODULE.values()):
        assert f"\n{extra} = [" in pyproject, extra


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--rate", "-1", "must be 0 (no limit) or a positive rate"),
        ("--rate", "nan", "must be 0 (no limit) or a positive rate"),
        ("--rate", "fast", "expected a number"),
        ("--workers", "0", "must be at least 1"),
        ("--workers", "2.5", "expected a whole number"),
    ],
)
def test_bad_option_values_are_refused_by_name(
    option: str, value: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["process", str(tmp_path), "-o", str(tmp_path / "out"), option, value])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: {message}" in err and "Traceback" not in err


def test_the_offline_engine_runs_one_worker_per_core() -> None:
    cores = getattr(os, "process_cpu_count", os.cpu_count)() or 1
    assert default_workers("local") == default_workers(None) == cores
    assert default_workers("tencent") == 4


@pytest.mark.slow
def test_ctrl_c_finishes_what_is_in_flight_prints_the_summary_and_exits_130(
    tmp_path: Path,
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    for index in range(40):
        shutil.copy(SPECIMENS / "clean-page.jpg", scans / f"page-{index:02}.jpg")
    out = tmp_path / "results"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "passport_ocr.tools.cli",
            "process",
            str(scans),
            "-o",
            str(out),
            "--provider",
            "local",
            "--workers",
            "1",
            "--no-progress",
            "--summary",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "shared")},
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out.exists() and any(out.rglob("*.json"))):
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr[-2000:]
    assert "interrupted; rerun the same command to resume" in stderr
    assert "Traceback" not in stderr
    summary = json.loads(stdout)
    written = len(list(out.rglob("*.json")))
    assert summary["aborted"] == "interrupted"
    assert 1 <= summary["processed"] == written < 40  # all in flight were written, no more


# --- outputs and filters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("s3://results-bucket/batch", "results are written to a local folder or a .jsonl file"),
        ("obs://results/batch", "copy them to a bucket afterwards"),
        ("res.json", "one .json file cannot hold a batch"),
    ],
)
def test_outputs_that_would_land_somewhere_else_are_refused(
    output: str,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["process", str(tmp_path), "-o", output, "--provider", "local"]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no `s3:` or `res.json` folder


@pytest.mark.parametrize(
    ("key", "filters", "chosen"),
    [
        ("2026/a.jpg", [], True),
        ("2026/notes.txt", [], False),
        ("2026/a.jpg", [("exclude", "2026/*")], False),
        ("2026/a.jpg", [("exclude", "*"), ("include", "2026/*.jpg")], True),
        ("2025/a.jpg", [("exclude", "*"), ("include", "2026/*.jpg")], False),
        ("a.heic", [("include", "*.heic")], True),
        ("a.jpg", [("include", "*.heic")], False),  # a first --include starts from nothing
        ("2026/sub/a.JPG", [("include", "2026/*")], True),  # * spans folders, any case
        ("2026/a.jpg", [("include", "a.jpg")], False),  # the relative path, not the name
        ("2026/.a.jpg", [("include", "*")], False),
        ("2026/a.jpg", [("include", "*"), ("exclude", "*.jpg"), ("include", "2026/a*")], True),
    ],
)
def test_include_and_exclude_follow_aws_s3(
    key: str, filters: list[tuple[str, str]], chosen: bool
) -> None:
    assert selected(key, filters) is chosen  # type: ignore[arg-type]


@pytest.mark.slow
def test_an_output_folder_inside_the_source_is_never_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SPECIMENS / "clean-page.jpg", tmp_path / "page.jpg")
    args = [
        "process",
        str(tmp_path),
        "-o",
        str(tmp_path / "results"),
        "--provider",
        "local",
        "--include",
        "*",
        "--summary",
        "json",
        "--no-progress",
    ]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["processed"] == 1
    assert main(args) == 0  # the results' own JSON files are not inputs
    second = json.loads(capsys.readouterr().out)
    assert (second["processed"], second["skipped"]) == (0, 1)


def test_nothing_matching_is_a_warning_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "README.txt").write_text("no image here")
    args = [
        "process",
        str(tmp_path / "scans"),
        "-o",
        str(tmp_path / "out"),
        "--provider",
        "local",
        "--no-progress",
    ]
    assert main(args) == 1
    assert "warning: nothing in" in capsys.readouterr().err


# --- configuration and credentials named -------------------------------------------------


def test_an_sns_topic_that_is_no_arn_is_named_not_a_no_region_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["events", "sample", "--platform", "aws"]) == 0
    event = tmp_path / "event.json"
    event.write_text(capsys.readouterr().out)
    code = main(
        [
            "invoke",
            "--platform",
            "aws",
            "--event",
            str(event),
            "--env",
            "PASSPORT_OCR_PROVIDER=local",
            "--env",
            "PASSPORT_OCR_TOPIC=arn:aws:sns:...",
            # Credentials are checked first (a missing one is named before the handler runs).
            "--env",
            "AWS_ACCESS_KEY_ID=id",
            "--env",
            "AWS_SECRET_ACCESS_KEY=key",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "PASSPORT_OCR_TOPIC: an SNS topic ARN is 'arn:aws:sns:<region>:" in err
    assert "NoRegionError" not in err


def test_missing_aws_credentials_are_a_credentials_problem_not_an_unreachable_store(
    tmp_path: Path,
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(
        PYTHONPATH=str(REPO / "shared"),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",  # no instance metadata lookup: nothing leaves here
        AWS_DEFAULT_REGION="eu-west-1",
        AWS_ENDPOINT_URL_S3="http://127.0.0.1:9",  # never reached: signing fails first
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "passport_ocr.tools.cli",
            "process",
            "s3://scans/uploads",
            "-o",
            str(tmp_path / "out"),
            "--provider",
            "local",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert (
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in done.stderr
    )
    assert "unreachable" not in done.stderr


def test_huawei_names_every_missing_setting_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError) as missing:
        HuaweiOcrProvider.from_settings(load_settings({}), environ={})
    assert str(missing.value) == (
        "Huawei OCR needs PASSPORT_OCR_HUAWEI_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID), "
        "HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK: not set"
    )


@pytest.mark.parametrize(
    ("arn", "region"),
    [
        ("arn:aws:sns:eu-west-1:123456789012:passport-results", "eu-west-1"),
        ("arn:aws-us-gov:sns:us-gov-west-1:123456789012:results.fifo", "us-gov-west-1"),
        ("arn:aws-cn:sns:cn-north-1:123456789012:results_2", "cn-north-1"),
    ],
)
def test_topic_arns_give_their_region(arn: str, region: str) -> None:
    assert topic_region(arn) == region


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:sns:...",
        "passport-results",
        "arn:aws:sqs:eu-west-1:123456789012:q",
        "arn:aws:sns:eu-west-1:1234:results",
        "arn:aws:sns:eu-west-1:123456789012:",
    ],
)
def test_what_is_no_topic_arn_is_refused(arn: str) -> None:
    with pytest.raises(ConfigError, match="PASSPORT_OCR_TOPIC"):
        topic_region(arn)


# --- normalize: the answer's own format, and --fail-on -----------------------------------

SAMPLES = REPO / "shared" / "passport_ocr" / "tools" / "data" / "samples"


@pytest.mark.parametrize(
    ("sample", "fmt"),
    [
        ("huawei_chn.json", "huawei"),
        ("huawei_general.json", "huawei"),
        ("tencent_passport.json", "tencent"),
        ("tencent_mlid.json", "tencent-mlid"),
        ("tencent_legacy.json", "tencent-legacy"),
    ],
)
def test_vendor_auto_finds_each_sample_s_format(sample: str, fmt: str) -> None:
    answer = json.loads((SAMPLES / sample).read_text(encoding="utf-8"))
    assert detect_format(answer) == fmt


def test_an_answer_of_another_vendor_is_refused_not_an_empty_record(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["normalize", "--vendor", "tencent", str(SAMPLES / "huawei_chn.json")])
    assert code == 2
    assert "none of the fields the tencent format documents" in capsys.readouterr().err


def test_normalize_defaults_to_auto(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize", "--today", "2019-01-01", str(SAMPLES / "huawei_chn.json")]) == 0
    record = json.loads(capsys.readouterr().out)["record"]
    assert record["source"]["vendor"] == "huawei" and record["local"]["name"] == "张三"


@pytest.mark.parametrize(("fail_on", "expected"), [(None, 0), ("invalid", 0), ("needs_review", 1)])
def test_fail_on_turns_a_status_into_exit_1(
    fail_on: str | None, expected: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # Huawei's CHN sample has no MRZ: a needs_review record.
    argv = ["normalize", str(SAMPLES / "huawei_chn.json")]
    argv += ["--fail-on", fail_on] if fail_on else []
    assert main(argv) == expected
    assert json.loads(capsys.readouterr().out)["status"] == "needs_review"


# --- what the user sees while a batch runs ------------------------------------------------


def test_each_object_without_a_record_gets_a_line_in_the_command_s_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "broken.jpg").write_bytes(b"\\xff\\xd8\\xff\\xe0 not really a jpeg")
    args = [
        "process",
        str(scans),
        "-o",
        str(tmp_path / "out"),
        "--provider",
        "local",
        "--no-progress",
        "--summary",
        "json",
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"{scans / 'broken.jpg'}: rejected (image.not_an_image)" in err
    assert "the platform will retry" not in err and '"level"' not in err  # no function logs


def test_the_progress_bar_shows_n_of_total(capsys: pytest.CaptureFixture[str]) -> None:
    from passport_ocr.tools.cli.process import _progress_bar

    bar = _progress_bar(enabled=True, total=3)
    for _ in range(3):
        bar.update(None)  # a skipped object counts like any other
    bar.close()
    err = capsys.readouterr().err
    assert "3/3" in err and "100%" in err
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", err)  # elapsed<ETA, as tqdm writes them


# --- hints and stdin ------------------------------------------------------------------------


@pytest.mark.slow
def test_recognize_reads_one_image_from_stdin() -> None:
    image = (SPECIMENS / "clean-page.jpg").read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "passport_ocr.tools.cli", "recognize", "-", "--format", "jsonl"],
        input=image,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO / "shared")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (document,) = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert document["source"] == "-" and document["outcome"] == "recognized"
    assert document["key"] is None  # not the scratch copy's path


def test_a_folder_given_to_recognize_is_a_hint_to_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["recognize", str(tmp_path)]) == 2
    assert f"use `passport-ocr process {tmp_path} -o RESULTS`" in capsys.readouterr().err


def test_an_image_given_to_mrz_is_a_hint_to_recognize(capsys: pytest.CaptureFixture[str]) -> None:
    image = str(SPECIMENS / "clean-page.jpg")
    assert main(["mrz", image]) == 2
    assert f"use `passport-ocr recognize {image}`" in capsys.readouterr().err
