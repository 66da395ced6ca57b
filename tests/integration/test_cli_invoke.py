"""`passport-ocr invoke`: the real handler of each platform, on a sample event, against the
signature-checking stubs (Huawei, Tencent) and moto (AWS), through `main`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from passport_ocr.publishing.envelope import RECOGNIZED, CloudEvent
from passport_ocr.tools.cli import main
from passport_ocr.tools.event_samples import sample_event
from passport_ocr.tools.invocation import (
    FunctionGraphContext,
    LambdaContext,
    functions_dir,
    scf_context,
)
from tests.conftest import (
    HUAWEI_AK,
    HUAWEI_PROJECT,
    HUAWEI_SK,
    HUAWEI_TOKEN,
    OBS_BUCKET,
    TENCENT_APPID,
    AwsStack,
    HuaweiStack,
    TencentStack,
)

pytestmark = pytest.mark.usefixtures("restore_logging")

KEY = "uploads/2026/李 四 + 100%.jpg"
#: Credentials of every platform, so that a test of a missing setting gets that far.
SOME_CREDENTIALS = {
    "HUAWEICLOUD_SDK_AK": "ak",
    "HUAWEICLOUD_SDK_SK": "sk",
    "TENCENTCLOUD_SECRET_ID": "id",
    "TENCENTCLOUD_SECRET_KEY": "key",
    "AWS_ACCESS_KEY_ID": "id",
    "AWS_SECRET_ACCESS_KEY": "key",
}


def write_event(tmp_path: Path, event: dict[str, Any]) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return str(path)


def env_args(env: dict[str, str]) -> list[str]:
    return [arg for name, value in env.items() for arg in ("--env", f"{name}={value}")]


def test_huaweicloud_handler_with_a_functiongraph_context(
    huawei_stack: HuaweiStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = huawei_stack
    stack.obs.put(OBS_BUCKET, KEY, stack.image)
    event = sample_event("huaweicloud", bucket=OBS_BUCKET, key=KEY, size=len(stack.image))
    # The agency's temporary credentials: the fake context hands out the SDK's variables.
    env = stack.env(
        HUAWEICLOUD_SDK_AK=HUAWEI_AK,
        HUAWEICLOUD_SDK_SK=HUAWEI_SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN=HUAWEI_TOKEN,
    )
    args = ["invoke", "--platform", "huaweicloud", "--event", write_event(tmp_path, event)]

    assert main([*args, *env_args(env)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["recognized"], summary["failed"]) == (1, 0)
    (published,) = stack.smn.published
    assert published["topic_urn"] == stack.env()["PASSPORT_OCR_TOPIC"]
    cloud_event = CloudEvent.from_json(published["message"])
    assert (cloud_event.type, cloud_event.subject) == (RECOGNIZED, KEY)
    assert cloud_event.source == f"obs://{OBS_BUCKET}"
    assert stack.ocr_calls() == 1


def test_tencentcloud_handler_with_an_scf_context(
    tencent_stack: TencentStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = tencent_stack
    stack.cos.put(KEY, stack.image)
    bucket = f"passports-{TENCENT_APPID}"
    event = sample_event("tencentcloud", bucket=bucket, key=KEY, size=len(stack.image))
    args = ["invoke", "--platform", "tencentcloud", "--event", write_event(tmp_path, event)]

    # In-region COS would go as a signed URL, which the OCR stub cannot download.
    env = stack.env(PASSPORT_OCR_IMAGE_TRANSFER="bytes")
    assert main([*args, *env_args(env)]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["recognized"] == 1, (summary, captured.err)
    (message,) = stack.tdmq.published
    cloud_event = CloudEvent.from_json(message["MsgContent"])
    assert (cloud_event.type, cloud_event.subject) == (RECOGNIZED, KEY)
    assert [action for action, _ in stack.ocr.calls] == ["MLIDPassportOCR"]


def test_aws_handler_with_a_lambda_context_on_an_sqs_sample(
    aws_stack: AwsStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = aws_stack
    stack.put(KEY)
    stack.notifications()  # what S3 itself sent: this test feeds the sample event instead
    event = sample_event("aws", bucket=stack.bucket, key=KEY, size=len(stack.image))
    args = ["invoke", "--platform", "aws", "--event", write_event(tmp_path, event)]

    assert main([*args, *env_args(stack.env(idempotency=False))]) == 0
    assert json.loads(capsys.readouterr().out) == {"batchItemFailures": []}
    (cloud_event,) = stack.events()
    assert (cloud_event["type"], cloud_event["subject"]) == (RECOGNIZED, KEY)


def test_stdin_event_and_a_handler_failure_exit_1_with_one_line(
    huawei_stack: HuaweiStack,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stack = huawei_stack
    stack.obs.put(OBS_BUCKET, KEY, stack.image)
    event = sample_event("huaweicloud", bucket=OBS_BUCKET, key=KEY)
    monkeypatch.setattr("sys.stdin", _Stdin(json.dumps(event)))
    # A topic the SMN stub does not know: publishing fails, the platform would retry.
    env = stack.env(
        PASSPORT_OCR_TOPIC=f"urn:smn:cn-north-4:{HUAWEI_PROJECT}:no-such-topic",
        HUAWEICLOUD_SDK_AK=HUAWEI_AK,
        HUAWEICLOUD_SDK_SK=HUAWEI_SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN=HUAWEI_TOKEN,
    )
    code = main(["invoke", "--platform", "huaweicloud", "--event", "-", *env_args(env)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    # The handler's own JSON log lines (stderr here), then one line saying what happened.
    *logs, last = captured.err.splitlines()
    assert last.startswith("passport-ocr: the handler raised InvocationFailedError: ")
    assert all(json.loads(line)["level"] for line in logs)
    assert "Traceback" not in captured.err
    assert "李" not in captured.err  # the key may hold a name: never in logs or errors


def test_configuration_errors_are_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PASSPORT_OCR_TOPIC", raising=False)
    event = write_event(tmp_path, sample_event("tencentcloud"))
    assert main(["invoke", "--platform", "tencentcloud", "--event", event, "--env", "X"]) == 2
    assert "--env takes NAME=VALUE" in capsys.readouterr().err
    code = main(
        ["invoke", "--platform", "tencentcloud", "--event", event, "--functions-dir", str(tmp_path)]
    )
    assert code == 2
    assert "no handler at" in capsys.readouterr().err


def test_functions_are_found_from_the_checkout() -> None:
    assert (functions_dir() / "aws" / "app.py").is_file()


def test_contexts_look_like_each_platform_s() -> None:
    ticks = iter([100.0, 100.0, 101.5])
    fg = FunctionGraphContext(
        5000,
        {"HUAWEICLOUD_SDK_AK": "ak", "HUAWEICLOUD_SDK_SK": "sk", "X": "1"},
        clock=lambda: next(ticks),
    )
    assert fg.getRemainingTimeInMilliSeconds() == 5000
    assert fg.getRemainingTimeInMilliSeconds() == 3500
    assert (fg.getSecurityAccessKey(), fg.getSecuritySecretKey(), fg.getSecurityToken()) == (
        "ak",
        "sk",
        "",
    )
    assert fg.getUserData("X") == "1" and fg.getUserData("Y", "d") == "d"
    scf = scf_context(3000, {"TENCENTCLOUD_REGION": "ap-shanghai"})
    assert (scf["time_limit_in_ms"], scf["tencentcloud_region"]) == (3000, "ap-shanghai")
    lam = LambdaContext(9000, {"AWS_REGION": "eu-west-1"})
    assert lam.invoked_function_arn.startswith("arn:aws:lambda:eu-west-1:")
    assert 0 < lam.get_remaining_time_in_millis() <= 9000


class _Stdin:
    def __init__(self, text: str) -> None:
        import io

        self.buffer = io.BytesIO(text.encode())


@pytest.mark.parametrize(
    ("platform", "topic"),
    [
        ("huaweicloud", "SMN topic URN"),
        ("tencentcloud", "TDMQ for CMQ topic name"),
        ("aws", "SNS topic ARN"),
    ],
)
def test_a_missing_setting_is_named_as_configuration_not_a_transient_failure(
    platform: str,
    topic: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PASSPORT_OCR_TOPIC", raising=False)
    event = write_event(tmp_path, sample_event(platform))
    argv = ["invoke", "--platform", platform, "--event", event, *env_args(SOME_CREDENTIALS)]
    assert main([*argv, "--env", "PASSPORT_OCR_PROVIDER=local"]) == 2
    err = capsys.readouterr().err
    assert f"passport-ocr: error: set PASSPORT_OCR_TOPIC to the {topic} [config]" in err
    assert "retry" not in err and "transient" not in err


#: Each platform's credential variables, and the one line `invoke` answers without them.
NO_CREDENTIALS = {
    "huaweicloud": (
        ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
        "no Huawei Cloud credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK [config]",
    ),
    "tencentcloud": (
        ("TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY", "TENCENTCLOUD_SESSIONTOKEN",
         "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY"),
        "no Tencent Cloud credentials: give the SCF function an execution role, or set "
        "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY when running locally [config]",
    ),
    "aws": (
        ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"),
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    ),
}  # fmt: skip


@pytest.mark.parametrize("platform", sorted(NO_CREDENTIALS))
def test_missing_credentials_are_named_at_once_as_a_credentials_problem(
    platform: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the platform's credentials the handler would log the failure per upload and
    let the platform retry; `invoke` names the variables to set, exit 2, before any call."""
    names, line = NO_CREDENTIALS[platform]
    for name in names:
        monkeypatch.delenv(name, raising=False)
    # Nowhere else for botocore to look: no shared files, no instance metadata.
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    topic = {
        "huaweicloud": "urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:passport-results",
        "tencentcloud": "passport-results",
        "aws": "arn:aws:sns:us-east-1:123456789012:passport-results",
    }[platform]
    env = {
        "PASSPORT_OCR_PROVIDER": "local",
        "PASSPORT_OCR_TOPIC": topic,
        "PASSPORT_OCR_HUAWEI_PROJECT_ID": HUAWEI_PROJECT,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    event = write_event(tmp_path, sample_event(platform))

    code = main(["invoke", "--platform", platform, "--event", event, *env_args(env)])

    assert code == 2
    err = capsys.readouterr().err
    assert f"passport-ocr: error: {line}" in err
    assert "retry" not in err and "transient" not in err
