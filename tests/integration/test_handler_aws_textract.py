"""The Lambda handler with its default OCR, Textract AnalyzeID: object mode and its fallback.

moto's S3/SNS/SQS, the SigV4-checking AnalyzeID stub reading the object from moto's S3.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED
from tests.conftest import AwsStack
from tests.handler_helpers import LambdaContext, import_handler
from tests.moto_helpers import lambda_sqs_event

pytestmark = pytest.mark.usefixtures("restore_logging")


def run(stack: AwsStack, monkeypatch: pytest.MonkeyPatch, at_least: int = 1) -> dict[str, object]:
    module = import_handler(
        "aws", stack.env(provider=None, PASSPORT_OCR_PAYLOAD="full"), monkeypatch
    )
    event = lambda_sqs_event(stack.notifications(at_least), stack.uploads_queue_arn)
    answer: dict[str, object] = module.lambda_handler(event, LambdaContext())
    return answer


def test_the_object_is_read_in_place_and_the_record_is_published(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/scan.jpg")
    assert run(stack, monkeypatch) == {"batchItemFailures": []}
    (event,) = stack.events()
    assert event["type"] == RECOGNIZED
    assert event["data"]["surname"] == "VESTERGAARD"
    assert event["data"]["source"]["vendor"] == "textract"
    assert stack.textract.documents == [("object", stack.bucket, "uploads/scan.jpg", None)]


def test_a_format_textract_refuses_falls_back_to_prepared_bytes(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    webp = io.BytesIO()
    Image.open(io.BytesIO(stack.image)).save(webp, "WEBP")
    stack.put("uploads/scan.jpg", webp.getvalue())  # a .jpg name, WEBP inside
    assert run(stack, monkeypatch) == {"batchItemFailures": []}
    assert stack.events()[0]["type"] == RECOGNIZED
    (by_reference, by_bytes) = stack.textract.documents
    assert by_reference[0] == "object"  # UnsupportedDocumentException for the WEBP...
    assert by_bytes[0] == "bytes"  # ...then the preflight's JPEG


def test_an_object_gone_since_the_event_is_rejected_by_the_function_s_own_read(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    stack.put("uploads/gone.jpg")
    notifications = stack.notifications()
    stack.moto.client("s3").delete_object(Bucket=stack.bucket, Key="uploads/gone.jpg")
    module = import_handler("aws", stack.env(provider=None), monkeypatch)
    answer = module.lambda_handler(
        lambda_sqs_event(notifications, stack.uploads_queue_arn), LambdaContext()
    )
    # Textract's InvalidS3ObjectException alone decides nothing; S3's 404 does.
    assert answer == {"batchItemFailures": []}
    (event,) = stack.events()
    assert event["type"] == REJECTED
    assert event["data"]["error"]["code"] == "storage.not_found"
    assert stack.textract.documents == []  # Textract never read it


def test_an_empty_upload_is_rejected_without_an_ocr_call(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `passport-ocr backfill` relies on when it prices an empty object at no call."""
    stack = aws_stack
    stack.put("uploads/empty.jpg", b"")
    assert run(stack, monkeypatch) == {"batchItemFailures": []}
    (event,) = stack.events()
    assert event["type"] == REJECTED
    assert event["data"]["error"]["code"] == "image.empty"
    assert stack.textract.documents == []  # no call, by reference or by bytes
