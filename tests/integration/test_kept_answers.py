"""Lambda's kept OCR answers (`platforms/aws_answers.py`) on moto's DynamoDB: kept, recalled,
expired, forgotten; a broken or unreachable store costs an OCR call, never the upload."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest

from passport_ocr.answers import KeptAnswer, answer_key
from passport_ocr.events.base import ObjectRef
from passport_ocr.platforms.aws_answers import MAX_ANSWER_BYTES, DynamoDbAnswers
from passport_ocr.providers.base import VendorAnswer
from passport_ocr.record import Finding, Severity
from tests.conftest import Moto
from tests.moto_helpers import REGION

REF = ObjectRef(cloud="aws", bucket="scans", key="uploads/DOE JOHN.jpg", etag="e1")
KEPT = KeptAnswer(
    answer=VendorAnswer(
        format="textract", raw={"DocumentMetadata": {"Pages": 1}}, request_id="r-1"
    ),
    transfer="bytes",
    preflight=(
        Finding(code="image.converted", severity=Severity.INFO, message="converted to JPEG"),
    ),
)


@pytest.fixture
def table(moto_server: Moto, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", moto_server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"idempotency-{uuid.uuid4().hex[:8]}"
    moto_server.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name


def test_kept_recalled_and_forgotten(table: str) -> None:
    answers = DynamoDbAnswers(table=table, ttl_seconds=600, region=REGION)
    assert answers.recall(REF) is None
    answers.keep(REF, KEPT)
    assert answers.recall(REF) == KeptAnswer(
        answer=VendorAnswer(format="textract", raw=KEPT.answer.raw, request_id="r-1", attempts=0),
        transfer="bytes",
        preflight=KEPT.preflight,
    )
    answers.forget(REF)
    assert answers.recall(REF) is None


def test_a_kept_portrait_comes_back_with_its_answer(table: str) -> None:
    """The retry stores the portrait the first delivery could not (a JPEG's first bytes)."""
    answers = DynamoDbAnswers(table=table, ttl_seconds=600, region=REGION)
    portrait = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
    with_portrait = KeptAnswer(
        answer=VendorAnswer(format="tencent-mlid", raw={"Response": {}}, portrait=portrait),
        transfer="bytes",
    )
    answers.keep(REF, with_portrait)
    recalled = answers.recall(REF)
    assert recalled is not None and recalled.answer.portrait == portrait
    answers.keep(REF, KEPT)
    again = answers.recall(REF)
    assert again is not None and again.answer.portrait is None


def test_another_version_of_the_object_is_another_answer(table: str) -> None:
    answers = DynamoDbAnswers(table=table, ttl_seconds=600, region=REGION)
    answers.keep(REF, KEPT)
    assert answers.recall(REF.model_copy(update={"etag": "e2"})) is None
    assert answer_key(REF) != answer_key(REF.model_copy(update={"etag": "e2"}))


def test_an_expired_answer_is_not_recalled_before_dynamodb_deletes_it(table: str) -> None:
    now = [1_000_000.0]
    answers = DynamoDbAnswers(table=table, ttl_seconds=600, region=REGION, clock=lambda: now[0])
    answers.keep(REF, KEPT)
    now[0] += 599
    assert answers.recall(REF) is not None
    now[0] += 1
    assert answers.recall(REF) is None


@pytest.mark.parametrize(
    "stored",
    ["not json", '{"form": 999}', '{"form": 1, "format": "nobody", "raw": {}}', "[1, 2]"],
)
def test_an_item_this_version_did_not_write_is_a_miss(
    table: str, moto_server: Moto, stored: str
) -> None:
    moto_server.client("dynamodb").put_item(
        TableName=table,
        Item={
            "id": {"S": answer_key(REF)},
            "expiration": {"N": "99999999999"},
            "answer": {"S": stored},
        },
    )
    assert DynamoDbAnswers(table=table, ttl_seconds=600, region=REGION).recall(REF) is None


def test_an_answer_too_big_for_an_item_is_not_kept(table: str) -> None:
    answers = DynamoDbAnswers(table=table, ttl_seconds=600, region=REGION)
    big = KeptAnswer(
        answer=VendorAnswer(format="textract", raw={"blob": "x" * MAX_ANSWER_BYTES}),
        transfer="bytes",
    )
    answers.keep(REF, big)
    assert answers.recall(REF) is None


def test_an_unreachable_store_costs_a_call_and_says_so_without_the_key(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9")  # nothing listens
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    answers = DynamoDbAnswers(table="missing", ttl_seconds=600, region=REGION)
    with caplog.at_level(logging.WARNING):
        answers.keep(REF, KEPT)
        assert answers.recall(REF) is None
        answers.forget(REF)
    steps = [r.step for r in caplog.records if r.message.startswith("kept-answer store failed")]  # type: ignore[attr-defined]
    assert steps == ["keep", "recall", "forget"]
    assert "DOE" not in caplog.text
