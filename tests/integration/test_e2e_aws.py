"""End to end on AWS: S3 upload -> S3 notification -> SQS -> `lambda_handler` -> SNS -> SQS.

Everything AWS is moto's server; the Lambda's OCR is its default provider, Amazon Textract
AnalyzeID, served by the SigV4-checking stub, which reads the S3 object itself from moto (the
function neither downloads nor signs it). Tencent MLIDPassportOCR stays selectable. The SQS
batch handed to the handler is the one the queue gives out, shaped as Lambda's event source
mapping shapes it.
"""

from __future__ import annotations

import pytest

from passport_ocr.publishing.envelope import RECOGNIZED
from tests.conftest import AwsStack
from tests.handler_helpers import LambdaContext, import_handler
from tests.moto_helpers import lambda_sqs_event

pytestmark = pytest.mark.usefixtures("restore_logging")


def test_upload_to_s3_ends_as_a_cloudevent_on_the_sns_subscriber_queue(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    key = "uploads/2026/Jürgen Müller + 100%.jpg"
    put = stack.put(key)
    module = import_handler("aws", stack.env(provider=None), monkeypatch)  # the default

    notifications = stack.notifications()
    answer = module.lambda_handler(
        lambda_sqs_event(notifications, stack.uploads_queue_arn), LambdaContext()
    )

    assert answer == {"batchItemFailures": []}
    (event,) = stack.events()
    assert event["type"] == RECOGNIZED
    assert event["source"] == f"s3://{stack.bucket}"
    assert event["subject"] == key
    assert event["objectversion"] == put["ETag"].strip('"')
    assert event["data"]["issuing_state"] == "UTO"
    assert event["payloadmode"] == "masked"
    # Textract read the object where it lies, the version the event names (unversioned
    # bucket: no Version), and no other OCR was called.
    assert stack.textract.documents == [("object", stack.bucket, key, None)]
    assert stack.ocr.calls == []


def test_tencent_stays_selectable_on_lambda(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/page.jpg")
    module = import_handler("aws", stack.env(provider="tencent"), monkeypatch)

    answer = module.lambda_handler(
        lambda_sqs_event(stack.notifications(), stack.uploads_queue_arn), LambdaContext()
    )

    assert answer == {"batchItemFailures": []}
    assert stack.events()[0]["type"] == RECOGNIZED
    ((action, params),) = stack.ocr.calls
    assert action == "MLIDPassportOCR" and "ImageBase64" in params
    assert stack.textract.documents == []
