"""Lambda handler: Powertools batch (partial failure), idempotency on DynamoDB, metrics.

`functions/aws/app.py` is imported as Lambda does (fresh module, environment first); S3, SNS,
SQS and DynamoDB are moto's server, reached through boto3's `AWS_ENDPOINT_URL_*` variables;
the OCR is the Tencent stub, chosen explicitly (`PASSPORT_OCR_PROVIDER=tencent`, `AwsStack.env`):
the Lambda default, Textract, is tested in `test_handler_aws_textract.py`.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import warnings
from types import ModuleType
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import pytest

from passport_ocr.errors import EventError
from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED
from tests.conftest import AwsStack
from tests.events_helpers import load
from tests.handler_helpers import FUNCTIONS, LambdaContext, import_handler, json_lines
from tests.moto_helpers import REGION, lambda_sqs_event
from tests.stubs.server import StubResponse, StubServer
from tests.stubs.tencent import Document, tencent_error

pytestmark = pytest.mark.usefixtures("restore_logging")


def handler(
    stack: AwsStack, monkeypatch: pytest.MonkeyPatch, *, idempotency: bool = True, **env: str
) -> ModuleType:
    return import_handler("aws", stack.env(idempotency=idempotency, **env), monkeypatch)


def sqs_batch(stack: AwsStack, at_least: int = 1) -> dict[str, Any]:
    return lambda_sqs_event(stack.notifications(at_least), stack.uploads_queue_arn)


def metrics(output: str) -> dict[str, float]:
    """Metric name -> total, from the EMF lines Powertools printed."""
    totals: dict[str, float] = {}
    for line in json_lines(output):
        if "_aws" not in line:
            continue
        for definition in line["_aws"]["CloudWatchMetrics"]:
            for metric in definition["Metrics"]:
                values = line[metric["Name"]]
                total = sum(values) if isinstance(values, list) else values
                totals[metric["Name"]] = totals.get(metric["Name"], 0) + total
    return totals


def test_one_bad_record_in_an_sqs_batch_is_the_only_one_reported(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = aws_stack
    stack.put("uploads/good one.jpg")
    stack.put("uploads/throttled.jpg", stack.image + b"\0")  # other bytes: the stub throttles
    stack.ocr.documents[stack.image + b"\0"] = Document(
        mlid=None, passport=None, no_read_code="RequestLimitExceeded"
    )
    stack.put("uploads/not-an-image.jpg", b"plain text")
    event = sqs_batch(stack, at_least=3)
    garbage = copy.deepcopy(event["Records"][0])
    garbage.update(messageId="garbage-0001", body="this is not an S3 notification")
    event["Records"].append(garbage)
    by_key = {_key_of(r): r["messageId"] for r in event["Records"][:3]}

    module = handler(stack, monkeypatch, PASSPORT_OCR_OCR_MAX_ATTEMPTS="1")
    answer = module.lambda_handler(event, LambdaContext())

    failed = sorted(f["itemIdentifier"] for f in answer["batchItemFailures"])
    assert failed == sorted([by_key["uploads/throttled.jpg"], "garbage-0001"])
    kinds = sorted(e["type"] for e in stack.events(at_least=2))
    assert kinds == [RECOGNIZED, REJECTED]  # the good image and the text file
    totals = metrics(capsys.readouterr().out)
    assert (totals["Recognized"], totals["Rejected"], totals["Failed"]) == (1, 1, 1)


def _key_of(record: dict[str, Any]) -> str:
    notification = json.loads(record["body"])
    return unquote_plus(notification["Records"][0]["s3"]["object"]["key"])


def test_duplicate_delivery_with_idempotency_calls_ocr_and_publishes_once(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = aws_stack
    stack.put("uploads/scan.jpg")
    event = sqs_batch(stack)
    module = handler(stack, monkeypatch)

    first = module.lambda_handler(event, LambdaContext())
    first_metrics = metrics(capsys.readouterr().out)
    second = module.lambda_handler(copy.deepcopy(event), LambdaContext())  # SQS redelivery
    second_metrics = metrics(capsys.readouterr().out)

    assert first == second == {"batchItemFailures": []}
    assert len(stack.ocr.calls) == 1
    assert len(stack.events()) == 1
    assert first_metrics["Recognized"] == 1 and "Replayed" not in first_metrics
    # The replay is counted as such, not as a second recognition.
    assert second_metrics.get("Replayed") == 1 and "Recognized" not in second_metrics


def kept_answers(stack: AwsStack) -> list[dict[str, Any]]:
    """The answers waiting in the idempotency table for a retry."""
    items = stack.moto.client("dynamodb").scan(TableName=stack.table)["Items"]
    return [item for item in items if item["id"]["S"].startswith("passport-ocr#answer#")]


def test_a_retry_after_the_topic_was_down_publishes_the_kept_answer_without_calling_ocr(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = aws_stack
    key = "uploads/VESTERGAARD SIGRID 1987-03-14.jpg"
    stack.put(key)
    event = sqs_batch(stack)
    sns_down = StubServer(
        lambda request: StubResponse(503, b"<Error><Code>Throttling</Code></Error>")
    )
    with sns_down:
        down = handler(stack, monkeypatch, AWS_ENDPOINT_URL_SNS=sns_down.url)
        first = down.lambda_handler(event, LambdaContext())
    assert len(first["batchItemFailures"]) == 1  # the topic was down: SQS delivers it again
    assert len(stack.ocr.calls) == 1
    (kept,) = kept_answers(stack)
    assert "VESTERGAARD" not in kept["id"]["S"]  # keyed by a hash, not by the object key
    capsys.readouterr()

    # The redelivery lands on another container, the topic is back.
    retry = handler(stack, monkeypatch).lambda_handler(copy.deepcopy(event), LambdaContext())

    assert retry == {"batchItemFailures": []}
    assert len(stack.ocr.calls) == 1  # no second billed call
    (published,) = stack.events()
    assert published["type"] == RECOGNIZED
    assert published["recordstatus"] == "valid"  # the kept answer, mapped and validated
    (processed,) = [
        line
        for line in json_lines(capsys.readouterr().out)
        if line.get("message") == "upload processed"
    ]
    assert processed["answer_reused"] is True and processed["ocr_attempts"] == 0
    assert kept_answers(stack) == []  # it has served: deleted


def test_without_idempotency_a_retry_after_the_topic_was_down_calls_ocr_again(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/scan.jpg")
    event = sqs_batch(stack)
    sns_down = StubServer(
        lambda request: StubResponse(503, b"<Error><Code>Throttling</Code></Error>")
    )
    with sns_down:
        down = handler(stack, monkeypatch, idempotency=False, AWS_ENDPOINT_URL_SNS=sns_down.url)
        down.lambda_handler(event, LambdaContext())
    handler(stack, monkeypatch, idempotency=False).lambda_handler(event, LambdaContext())
    assert len(stack.ocr.calls) == 2
    assert len(stack.events()) == 1


def test_duplicate_delivery_without_idempotency_repeats_the_same_event_id(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/scan.jpg")
    event = sqs_batch(stack)
    module = handler(stack, monkeypatch, idempotency=False)

    module.lambda_handler(event, LambdaContext())
    module.lambda_handler(copy.deepcopy(event), LambdaContext())

    assert len(stack.ocr.calls) == 2
    first, second = stack.events(at_least=2)
    assert first["id"] == second["id"]


def direct_s3_event(stack: AwsStack, key: str, etag: str) -> dict[str, Any]:
    """S3's own notification for `key`, as a Lambda triggered by the bucket receives it."""
    direct = copy.deepcopy(load("aws_s3.json"))
    direct["Records"] = direct["Records"][:1]
    s3 = direct["Records"][0]["s3"]
    s3["bucket"].update(name=stack.bucket, arn=f"arn:aws:s3:::{stack.bucket}")
    s3["object"].update(key=quote_plus(key, safe="/"), size=len(stack.image), eTag=etag)
    s3["object"].pop("versionId", None)
    return direct


def test_direct_s3_notification_and_eventbridge_events(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    key = "uploads/José María + 100%.jpg"
    put = stack.put(key)
    etag = put["ETag"].strip('"')
    direct = direct_s3_event(stack, key, etag)
    bridge = copy.deepcopy(load("aws_eventbridge_s3.json"))
    bridge["detail"]["bucket"]["name"] = stack.bucket
    bridge["detail"]["object"].update(key=quote_plus(key, safe="/"), size=len(stack.image))
    bridge["detail"]["object"].update(etag=etag)
    bridge["detail"]["object"].pop("version-id", None)
    bridge["region"] = REGION

    module = handler(stack, monkeypatch, idempotency=False)
    for event in (direct, bridge):
        summary = module.lambda_handler(event, LambdaContext())
        assert summary["recognized"] == 1

    subjects = [e["subject"] for e in stack.events(at_least=2)]
    assert subjects == [key, key]


#: Run in a fresh interpreter: cold start, one direct S3 notification, which modules came.
_COLD_DIRECT_S3 = """
import json, sys
sys.path.insert(0, sys.argv[1])
import app
from tests.handler_helpers import LambdaContext
summary = app.lambda_handler(json.loads(sys.stdin.read()), LambdaContext())
print(json.dumps({"recognized": summary["recognized"],
                  "batch": "aws_lambda_powertools.utilities.batch" in sys.modules}))
"""


def test_a_function_triggered_by_s3_directly_never_loads_the_sqs_batch_machinery(
    aws_stack: AwsStack,
) -> None:
    # Powertools' batch utility brings its parser models for every batch source (~17 ms of
    # cold start); only SQS deliveries need it.
    stack = aws_stack
    key = "uploads/direct.jpg"
    etag = stack.put(key)["ETag"].strip('"')
    env = {**os.environ, **stack.env(idempotency=False)}
    completed = subprocess.run(
        [sys.executable, "-c", _COLD_DIRECT_S3, str(FUNCTIONS / "aws")],
        input=json.dumps(direct_s3_event(stack, key, etag)),
        capture_output=True,
        text=True,
        env=env,
        cwd=FUNCTIONS.parent,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert json.loads(completed.stdout.splitlines()[-1]) == {"recognized": 1, "batch": False}


def test_operator_error_fails_the_message_instead_of_rejecting(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/scan.jpg")
    event = sqs_batch(stack)
    stack.ocr_server.then(tencent_error("FailedOperation.UnOpenError"))

    answer = handler(stack, monkeypatch).lambda_handler(event, LambdaContext())

    assert answer["batchItemFailures"] == [{"itemIdentifier": event["Records"][0]["messageId"]}]
    assert stack.moto.drain(stack.events_queue_url, at_least=0) == []


def test_results_prefix_and_test_events_are_skipped(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    direct = copy.deepcopy(load("aws_s3.json"))
    direct["Records"] = direct["Records"][:1]
    s3 = direct["Records"][0]["s3"]
    s3["bucket"]["name"] = stack.bucket
    s3["object"]["key"] = "results/2026/abc.json"

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")  # the handler's own filters are added after this
        summary = handler(stack, monkeypatch).lambda_handler(direct, LambdaContext())

    assert (summary["processed"], summary["skipped"]) == (0, 1)
    assert stack.ocr.calls == []
    # Nothing processed adds no metric, and says nothing about it on stderr.
    assert [str(w.message) for w in warned if "metrics" in str(w.message)] == []


def test_unknown_event_shape_is_a_typed_error(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = handler(aws_stack, monkeypatch)
    with pytest.raises(EventError, match="expected an S3 notification"):
        module.lambda_handler({"detail-type": "Scheduled Event"}, LambdaContext())


def test_an_sqs_record_without_a_message_id_is_a_typed_error_not_a_key_error(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/one.jpg")
    event = sqs_batch(stack, at_least=1)
    del event["Records"][0]["messageId"]
    module = handler(stack, monkeypatch)
    with pytest.raises(EventError, match="messageId"):
        module.lambda_handler(event, LambdaContext())
    assert stack.ocr_server.requests == []
