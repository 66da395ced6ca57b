"""Lambda driven by S3 Batch Operations (`aws s3control create-job` with a manifest or an
inventory report): every task answered as the error policy says, against moto's S3 and SNS
and the Tencent OCR stub.

moto implements `s3control:CreateJob` only as a stub that never runs tasks, so the job's
invocations are built from the documented event examples (`tests/data/events`), as S3 sends
them, one task per invocation or several.
"""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any
from urllib.parse import quote_plus

import pytest

from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED
from tests.conftest import AwsStack
from tests.events_helpers import load
from tests.handler_helpers import LambdaContext, import_handler
from tests.stubs.tencent import tencent_error

pytestmark = pytest.mark.usefixtures("restore_logging")


def handler(stack: AwsStack, monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    return import_handler("aws", stack.env(idempotency=False, **env), monkeypatch)


def job(schema: str, stack: AwsStack, *keys: str) -> dict[str, Any]:
    """The documented event of `schema`, with one task per key (keys encoded as manifests)."""
    event = load(f"aws_s3_batch_{schema.replace('.', '_')}.json")
    template = event["tasks"][0]
    event["tasks"] = []
    for index, key in enumerate(keys):
        task = copy.deepcopy(template) | {"taskId": f"task-{index}", "s3Key": quote_plus(key)}
        task["s3VersionId"] = None
        if schema == "1.0":
            task["s3BucketArn"] = f"arn:aws:s3:::{stack.bucket}"
        else:
            task["s3Bucket"] = stack.bucket
        event["tasks"].append(task)
    return event


@pytest.mark.parametrize("schema", ["1.0", "2.0"])
def test_each_task_is_answered_as_the_error_policy_says(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, schema: str
) -> None:
    stack = aws_stack
    stack.put("uploads/2026/李 四 scan.jpg")
    stack.put("uploads/text.jpg", b"plain text, not an image")
    stack.put("uploads/throttled.jpg", stack.image + b"\0")
    stack.ocr.documents[stack.image + b"\0"] = stack.ocr.documents[stack.image]
    event = job(
        schema,
        stack,
        "uploads/2026/李 四 scan.jpg",
        "uploads/text.jpg",
        "uploads/gone.jpg",
        "uploads/throttled.jpg",
        "results/old.json",
    )
    module = handler(stack, monkeypatch, PASSPORT_OCR_OCR_MAX_ATTEMPTS="1")
    stack.ocr_server.then(stack.ocr, tencent_error("RequestLimitExceeded"))  # 4th task's call

    answer = module.lambda_handler(event, LambdaContext())

    assert answer["invocationSchemaVersion"] == schema
    assert answer["invocationId"] == event["invocationId"]
    assert answer["treatMissingKeysAs"] == "PermanentFailure"
    codes = {r["taskId"]: (r["resultCode"], r["resultString"]) for r in answer["results"]}
    assert codes == {
        "task-0": ("Succeeded", "recognized: valid"),
        "task-1": ("PermanentFailure", "rejected: image.not_an_image"),
        "task-2": ("PermanentFailure", "rejected: storage.not_found"),
        "task-3": ("TemporaryFailure", "provider.throttled"),
        "task-4": ("Succeeded", "skipped: a result, not an upload"),
    }
    kinds = sorted(e["type"] for e in stack.events(at_least=3))
    assert kinds == [RECOGNIZED, REJECTED, REJECTED]
    assert "李 四" not in str(answer)  # the job's completion report gets codes only


def test_a_task_without_its_bucket_fails_alone(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/one.jpg")
    event = job("1.0", stack, "uploads/one.jpg", "uploads/two.jpg")
    del event["tasks"][1]["s3BucketArn"]

    answer = handler(stack, monkeypatch).lambda_handler(event, LambdaContext())

    codes = [(r["taskId"], r["resultCode"]) for r in answer["results"]]
    assert codes == [("task-0", "Succeeded"), ("task-1", "PermanentFailure")]
