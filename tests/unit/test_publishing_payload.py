"""Payload modes (full, masked, reference) and the size-limit fallback."""

from __future__ import annotations

import json

import pytest

from passport_ocr.errors import StorageError
from passport_ocr.publishing.envelope import CloudEvent, recognized_event
from passport_ocr.publishing.payload import (
    REFERENCE_SCHEMA_ID,
    PayloadMode,
    PayloadPolicy,
    mask_identifier,
    mask_name,
    mask_record,
    results_key,
)
from passport_ocr.record import SCHEMA_ID, PassportRecord
from tests.publishing_helpers import (
    MRZ_LINES,
    NOW,
    PERSONAL,
    MemoryStore,
    object_ref,
    specimen_record,
)


def _event(
    mode: PayloadMode,
    *,
    max_bytes: int = 262_144,
    store: MemoryStore | None = None,
    results_bucket: str | None = None,
    findings: int = 1,
) -> CloudEvent:
    store = store if store is not None else MemoryStore()
    policy = PayloadPolicy(
        mode=mode,
        max_bytes=max_bytes,
        put_json=store.put_json,
        results_prefix="results/",
        results_bucket=results_bucket,
    )
    return recognized_event(object_ref(), specimen_record(findings=findings), policy, now=NOW)


def test_full_payload_is_the_whole_record_and_writes_nothing() -> None:
    store = MemoryStore()
    event = _event("full", store=store)

    assert PassportRecord.model_validate(event.data) == specimen_record()
    assert event.dataschema == SCHEMA_ID
    assert store.docs == {}


def test_masked_payload_hides_numbers_names_mrz_and_local_names() -> None:
    event = _event("masked")
    text = event.to_json()
    record = PassportRecord.model_validate(event.data)  # still a valid record

    assert event.dataschema == SCHEMA_ID
    assert event.extensions["payloadmode"] == "masked"
    assert record.document_number == "******2C3"
    assert record.personal_number == "******26B"
    assert record.surname == "E*******"
    assert record.given_names == "A*** M****"
    assert record.mrz is not None
    assert record.mrz.lines == () and record.mrz.lines_read == () and record.mrz.substitutions == ()
    assert record.mrz.valid and record.mrz.check_digits  # the verdicts stay
    assert record.local is not None
    assert record.local.name is None and record.local.surname is None
    assert record.local.given_names is None
    assert record.local.place_of_birth == "乌托邦"
    assert record.birth_date == specimen_record().birth_date  # dates stay (age, expiry checks)
    for value in PERSONAL:
        assert value not in text
    assert not any(line[:20] in text for line in MRZ_LINES)


@pytest.mark.parametrize(
    ("value", "masked"),
    [("L898902C3", "******2C3"), ("E12345", "***345"), ("E1234", "****4"), ("1234", "***4"),
     ("12", "*2"), ("7", "*"), ("", ""), (None, None)],
)  # fmt: skip
def test_mask_identifier(value: str | None, masked: str | None) -> None:
    assert mask_identifier(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("ZHANG", "Z****"), ("SAN FENG", "S** F***"), ("O'BRIEN-SMITH", "O'B****-S****"),
     ("张三", "张*"), ("", ""), (None, None)],
)  # fmt: skip
def test_mask_name(value: str | None, masked: str | None) -> None:
    assert mask_name(value) == masked


def test_mask_record_of_a_record_without_mrz_or_local() -> None:
    bare = specimen_record().model_copy(update={"mrz": None, "local": None, "surname": None})

    masked = mask_record(bare)

    assert masked.mrz is None and masked.local is None and masked.surname is None


def test_reference_payload_writes_the_full_record_beside_the_upload() -> None:
    store = MemoryStore()
    ref = object_ref()
    event = _event("reference", store=store)

    key = results_key(ref, "results/")
    assert key == f"results/uploads/2026/李 四 scan.jpg.{ref.object_id}.json"
    assert PassportRecord.model_validate(store.docs[("passport-scans", key)]) == specimen_record()
    assert event.dataschema == REFERENCE_SCHEMA_ID
    assert event.extensions["payloadmode"] == "reference"
    assert event.data == {
        "object": {
            "cloud": "huaweicloud",
            "region": "cn-north-4",
            "bucket": "passport-scans",
            "key": "uploads/2026/李 四 scan.jpg",
            "version_id": "G001118F2A3B4C5DFFFFB3C4D5",
            "etag": "9b2cf535f27731c974343645a3985328",
            "size": 1482311,
            "object_id": ref.object_id,
        },
        "status": "needs_review",
        "status_rule": "doc.expired.0",
        "findings": [
            {
                "code": "doc.expired.0",
                "field": "expiry_date",
                "severity": "warning",
                "message": "the document expired before the upload",
            }
        ],
        "record": {
            "cloud": "huaweicloud",
            "bucket": "passport-scans",
            "key": key,
            "dataschema": SCHEMA_ID,
        },
    }
    assert not any(value in event.to_json() for value in PERSONAL)


def test_reference_into_a_separate_results_bucket_and_duplicates_overwrite() -> None:
    store = MemoryStore()
    first = _event("reference", store=store, results_bucket="passport-results")
    again = _event("reference", store=store, results_bucket="passport-results")

    assert list(store.docs) == [("passport-results", first.data["record"]["key"])]
    assert first == again


@pytest.mark.parametrize("mode", ["full", "masked"])
def test_oversize_payload_falls_back_to_reference(mode: PayloadMode) -> None:
    full_size = _event(mode).size_bytes()
    store = MemoryStore()

    event = _event(mode, max_bytes=full_size - 1, store=store)

    assert event.size_bytes() <= full_size - 1
    assert event.dataschema == REFERENCE_SCHEMA_ID
    assert event.extensions["payloadmode"] == "reference"
    assert len(store.docs) == 1


def test_payload_that_fits_exactly_is_kept() -> None:
    size = _event("full").size_bytes()

    assert _event("full", max_bytes=size).dataschema == SCHEMA_ID


def test_huge_findings_list_is_trimmed_to_fit_never_fails() -> None:
    store = MemoryStore()
    untrimmed = _event("reference", findings=400)
    limit = 4096
    assert untrimmed.size_bytes() > limit

    event = _event("full", findings=400, max_bytes=limit, store=store)

    assert event.size_bytes() <= limit
    assert event.data["findings_truncated"] is True
    assert 0 < len(event.data["findings"]) < 400
    (stored,) = store.docs.values()
    assert len(stored["findings"]) == 400  # the stored record is complete


def test_a_failing_results_store_raises_its_own_error() -> None:
    def broken(bucket: str, key: str, doc: object) -> None:
        raise StorageError("results bucket unavailable", permanent=False)

    policy = PayloadPolicy(mode="reference", max_bytes=262_144, put_json=broken)

    with pytest.raises(StorageError):
        recognized_event(object_ref(), specimen_record(), policy)


def test_the_event_json_parses_back_to_the_same_data() -> None:
    modes: list[PayloadMode] = ["full", "masked", "reference"]
    for mode in modes:
        event = _event(mode)
        assert json.loads(event.to_json())["data"] == event.data
