"""Issue 4 section 5: no name, number, birth date or MRZ text of a passport in any log line.

Each handler runs end to end on the specimen (recognized, rejected, and failing paths) with
the root logger and the SDKs' loggers at DEBUG, the most talkative an operator can make
them. Everything the process writes is captured at the file-descriptor level (the platforms
collect stdout and stderr), including Powertools' JSON lines and, for Lambda, a root handler
like the one the Lambda runtime installs; then every personal value of the specimen is
searched for, in every spelling.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from collections.abc import Iterator

import pytest

from passport_ocr.platforms.common import InvocationFailedError
from tests.conftest import (
    OBS_BUCKET,
    TENCENT_ID,
    TENCENT_KEY,
    AwsStack,
    HuaweiStack,
    TencentStack,
)
from tests.handler_helpers import (
    PERSONAL,
    LambdaContext,
    cos_event,
    import_handler,
    json_lines,
    obs_event,
    scf_context,
)
from tests.moto_helpers import lambda_sqs_event
from tests.stubs.huawei import apig_throttled
from tests.stubs.server import StubResponse
from tests.stubs.tencent import tencent_error
from tests.stubs.textract import textract_error

pytestmark = pytest.mark.usefixtures("restore_logging")

SDK_LOGGERS = (
    "botocore",
    "boto3",
    "urllib3",
    "s3transfer",
    "tencentcloud_sdk_common",
    "qcloud_cos",
    "HuaweiCloud-SDK-OcrClient",
    "HuaweiCloud-SDK-SmnClient",
    "aws_lambda_powertools",
)


@pytest.fixture
def chatty_loggers() -> Iterator[None]:
    """Every SDK logger at DEBUG (restored afterwards)."""
    saved = {name: logging.getLogger(name).level for name in SDK_LOGGERS}
    for name in SDK_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def assert_clean(captured: tuple[str, str], *, lines_at_least: int) -> None:
    """No personal value on stdout or stderr (the platforms collect both)."""
    out, err = captured
    assert len(json_lines(out)) >= lines_at_least, "the handler logged less than expected"
    output = out + err
    leaks = sorted({value for value in PERSONAL if value in output})
    where = [line[:300] for line in output.splitlines() if any(v in line for v in leaks)]
    assert leaks == [], f"personal data in the logs: {leaks} in {where[:3]}"


@pytest.mark.usefixtures("chatty_loggers")
def test_functiongraph_logs_carry_no_personal_data(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    stack = huawei_stack
    key = "uploads/VESTERGAARD SIGRID.jpg"  # uploaders name files after people
    stack.obs.put(OBS_BUCKET, key, stack.image)
    stack.obs.put(OBS_BUCKET, "uploads/bad.jpg", b"not an image")
    etag = stack.obs.objects[(OBS_BUCKET, key)].etag.strip('"')
    good = obs_event("uploads%2FVESTERGAARD+SIGRID.jpg", len(stack.image), etag)
    bad = obs_event("uploads%2Fbad.jpg", 12, "0" * 32)
    module = import_handler(
        "huaweicloud", stack.env(LOG_LEVEL="DEBUG", PASSPORT_OCR_PAYLOAD="full"), monkeypatch
    )

    module.handler({"Records": good["Records"] + bad["Records"]}, stack.context())
    stack.ocr_server.then(apig_throttled(), apig_throttled(), apig_throttled())
    with pytest.raises(InvocationFailedError):
        module.handler(good, stack.context())
    stack.smn_server.then(StubResponse.json(500, '{"error_code":"SMN.0500","error_msg":"x"}'))
    with pytest.raises(InvocationFailedError):
        module.handler(good, stack.context())

    assert len(stack.smn.published) == 2  # the record really was read (and published in full)
    assert "VESTERGAARD" in stack.smn.published[0]["message"]
    assert_clean(capfd.readouterr(), lines_at_least=6)


@pytest.mark.usefixtures("chatty_loggers")
def test_huawei_sdk_warnings_go_through_the_guard_not_to_stderr(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Huawei's SDK loggers do not propagate by default: once the function has built its
    clients, their warnings arrive as JSON lines on stdout with the text withheld."""
    stack = huawei_stack
    stack.obs.put(OBS_BUCKET, "uploads/a.jpg", stack.image)
    etag = stack.obs.objects[(OBS_BUCKET, "uploads/a.jpg")].etag.strip('"')
    module = import_handler("huaweicloud", stack.env(), monkeypatch)
    module.handler(obs_event("uploads%2Fa.jpg", len(stack.image), etag), stack.context())
    capfd.readouterr()

    for name in ("HuaweiCloud-SDK-OcrClient", "HuaweiCloud-SDK-SmnClient"):
        logging.getLogger(name).warning("request failed for VESTERGAARD SIGRID")

    out, err = capfd.readouterr()
    lines = [line for line in json_lines(out) if line["logger"].startswith("HuaweiCloud-SDK")]
    assert [line["logger"] for line in lines] == [
        "HuaweiCloud-SDK-OcrClient",
        "HuaweiCloud-SDK-SmnClient",
    ]
    assert "VESTERGAARD" not in out + err


@pytest.mark.usefixtures("chatty_loggers")
def test_scf_logs_carry_no_personal_data(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    stack = tencent_stack
    key = "uploads/VESTERGAARD SIGRID.jpg"
    stack.cos.put(key, stack.image)
    event = cos_event(key, len(stack.image))
    missing = cos_event("uploads/SIGRID missing.jpg", 10)
    module = import_handler(
        "tencentcloud", stack.env(LOG_LEVEL="DEBUG", PASSPORT_OCR_PAYLOAD="full"), monkeypatch
    )

    module.main_handler({"Records": event["Records"] + missing["Records"]}, scf_context())
    stack.tdmq_server.then(tencent_error("InternalError"))
    with pytest.raises(InvocationFailedError):
        module.main_handler(event, scf_context())

    assert "VESTERGAARD" in stack.tdmq.published[0]["MsgContent"]
    assert_clean(capfd.readouterr(), lines_at_least=3)


@pytest.mark.usefixtures("chatty_loggers")
def test_lambda_logs_carry_no_personal_data(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    stack = aws_stack
    stack.put("uploads/VESTERGAARD SIGRID.jpg")
    stack.put("uploads/bad.jpg", b"not an image")
    capfd.readouterr()  # the test's own uploads are not the function's logs
    # What the Lambda Python runtime installs before importing the handler module.
    logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
    logging.getLogger().setLevel(logging.DEBUG)
    module = import_handler(
        "aws",
        stack.env(
            idempotency=False,  # the second run must reach OCR again
            POWERTOOLS_LOG_LEVEL="DEBUG",
            PASSPORT_OCR_PAYLOAD="full",
            PASSPORT_OCR_OCR_MAX_ATTEMPTS="1",
        ),
        monkeypatch,
    )
    event = lambda_sqs_event(stack.notifications(at_least=2), stack.uploads_queue_arn)

    module.lambda_handler(event, LambdaContext())
    stack.ocr_server.then(tencent_error("RequestLimitExceeded"))
    failed = module.lambda_handler(event, LambdaContext(aws_request_id="retry-0001"))

    assert len(failed["batchItemFailures"]) == 1
    assert any("VESTERGAARD" in e["data"].get("surname", "") for e in stack.events(2))
    assert_clean(capfd.readouterr(), lines_at_least=4)


@pytest.mark.usefixtures("chatty_loggers")
def test_lambda_logs_carry_no_vendor_key_read_from_its_secret(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Issue 12 section 3: the key pair read from Secrets Manager (botocore at DEBUG logs the
    response body, SecretString in it), read again after rotation, never reaches a log line."""
    stack = aws_stack
    rotated_id, rotated_key = "AKIDrotatedForLogs", "rotated-key-never-logged"
    secrets = stack.moto.client("secretsmanager")
    arn = secrets.create_secret(
        Name=f"passport-ocr/logs-{uuid.uuid4().hex[:8]}",
        SecretString=json.dumps({"secret_id": TENCENT_ID, "secret_key": TENCENT_KEY}),
    )["ARN"]
    stack.put("uploads/VESTERGAARD SIGRID.jpg")
    capfd.readouterr()
    logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
    logging.getLogger().setLevel(logging.DEBUG)
    module = import_handler(
        "aws",
        stack.env(
            idempotency=False,
            POWERTOOLS_LOG_LEVEL="DEBUG",
            PASSPORT_OCR_OCR_MAX_ATTEMPTS="1",
            TENCENTCLOUD_SECRET_ID="",
            TENCENTCLOUD_SECRET_KEY="",
            AWS_ENDPOINT_URL_SECRETS_MANAGER=stack.moto.url,
            PASSPORT_OCR_VENDOR_SECRET=arn,
        ),
        monkeypatch,
    )
    event = lambda_sqs_event(stack.notifications(at_least=1), stack.uploads_queue_arn)
    module.lambda_handler(event, LambdaContext())
    secrets.put_secret_value(
        SecretId=arn,
        SecretString=json.dumps({"secret_id": rotated_id, "secret_key": rotated_key}),
    )
    stack.ocr.keys.clear()
    stack.ocr.keys[rotated_id] = rotated_key
    answer = module.lambda_handler(event, LambdaContext(aws_request_id="rotated-0001"))

    assert answer["batchItemFailures"] == []
    assert len(stack.events(2)) == 2
    captured = capfd.readouterr()
    assert_clean(captured, lines_at_least=2)
    output = captured[0] + captured[1]
    assert "read again from its secret" in output  # the re-read is logged, by kind only
    for value in (TENCENT_KEY, rotated_key):
        assert value not in output


@pytest.mark.usefixtures("chatty_loggers")
def test_lambda_logs_with_textract_carry_no_personal_data(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """The default Lambda OCR: botocore at DEBUG logs request and response bodies."""
    stack = aws_stack
    stack.put("uploads/VESTERGAARD SIGRID.jpg")
    stack.put("uploads/bad.jpg", b"not an image")
    capfd.readouterr()
    logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
    logging.getLogger().setLevel(logging.DEBUG)
    module = import_handler(
        "aws",
        stack.env(
            idempotency=False,
            provider=None,  # Textract, the Lambda's default
            POWERTOOLS_LOG_LEVEL="DEBUG",
            PASSPORT_OCR_PAYLOAD="full",
            PASSPORT_OCR_OCR_MAX_ATTEMPTS="1",
        ),
        monkeypatch,
    )
    event = lambda_sqs_event(stack.notifications(at_least=2), stack.uploads_queue_arn)

    module.lambda_handler(event, LambdaContext())
    stack.textract_server.then(textract_error("ThrottlingException"))
    failed = module.lambda_handler(event, LambdaContext(aws_request_id="retry-0001"))

    assert len(failed["batchItemFailures"]) == 1
    assert any(d[0] == "object" for d in stack.textract.documents)
    assert any("VESTERGAARD" in e["data"].get("surname", "") for e in stack.events(2))
    assert_clean(capfd.readouterr(), lines_at_least=4)
