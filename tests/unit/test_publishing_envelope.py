"""The CloudEvents 1.0 envelope: attributes, deterministic ids, rejected events."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from passport_ocr.errors import ImageError, MappingError, ProviderCategory, ProviderError
from passport_ocr.publishing.envelope import (
    RECOGNIZED,
    REJECTED,
    CloudEvent,
    event_id,
    recognized_event,
    rejected_event,
    rfc3339,
    source_uri,
)
from passport_ocr.publishing.payload import REJECTED_SCHEMA_ID, PayloadMode, PayloadPolicy
from passport_ocr.record import SCHEMA_ID, SCHEMA_VERSION
from tests.publishing_helpers import NOW, PERSONAL, MemoryStore, object_ref, specimen_record

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _policy(mode: PayloadMode = "full", max_bytes: int = 262_144) -> PayloadPolicy:
    return PayloadPolicy(mode=mode, max_bytes=max_bytes, put_json=MemoryStore().put_json)


def test_recognized_event_has_every_cloudevents_attribute() -> None:
    ref = object_ref()
    event = recognized_event(ref, specimen_record(), _policy(), now=NOW)
    doc = json.loads(event.to_json())

    assert doc["specversion"] == "1.0"
    assert UUID.match(doc["id"])
    assert doc["source"] == "obs://passport-scans"
    assert doc["type"] == "com.passport-ocr.passport.recognized"
    assert doc["subject"] == "uploads/2026/李 四 scan.jpg"
    assert doc["time"] == "2026-11-21T12:30:05.123Z"
    assert doc["datacontenttype"] == "application/json"
    assert doc["dataschema"] == SCHEMA_ID
    assert SCHEMA_VERSION in doc["dataschema"]
    assert doc["data"]["document_number"] == "L898902C3"
    assert doc["objectid"] == ref.object_id
    assert doc["objectversion"] == "G001118F2A3B4C5DFFFFB3C4D5"
    assert doc["payloadmode"] == "full"
    assert doc["recordstatus"] == "needs_review"
    # UTF-8 as is, compact: what the topic sends and what its size limit counts
    assert "李 四" in event.to_json()
    assert event.size_bytes() == len(event.to_json().encode("utf-8"))


@pytest.mark.parametrize(
    ("cloud", "bucket", "source"),
    [
        ("huaweicloud", "scans", "obs://scans"),
        ("tencentcloud", "scans-1250000000", "cos://scans-1250000000"),
        ("aws", "scans", "s3://scans"),
        ("local", "inbox", "file://inbox"),
    ],
)
def test_source_is_the_bucket_as_a_uri(cloud: str, bucket: str, source: str) -> None:
    assert source_uri(object_ref(cloud=cloud, bucket=bucket)) == source


def test_id_is_deterministic_per_object_version_and_type() -> None:
    ref = object_ref()
    first = recognized_event(ref, specimen_record(), _policy(), now=NOW)
    duplicate = recognized_event(object_ref(), specimen_record(), _policy("masked"))

    assert first.id == duplicate.id  # a duplicate delivery: same id, whatever else differs
    assert first.id != event_id(RECOGNIZED, object_ref(version_id="other"))
    assert first.id != event_id(RECOGNIZED, object_ref(key="uploads/other.jpg"))
    assert first.id != event_id(RECOGNIZED, object_ref(bucket="other"))
    assert first.id != event_id(RECOGNIZED, object_ref(cloud="aws"))
    assert first.id != event_id(REJECTED, ref)
    # without a version id, the etag tells versions apart
    unversioned = object_ref(version_id=None)
    assert event_id(RECOGNIZED, unversioned) == event_id(RECOGNIZED, object_ref(version_id=None))
    assert event_id(RECOGNIZED, unversioned) != event_id(
        RECOGNIZED, object_ref(version_id=None, etag="ffff")
    )


def test_rejected_event_carries_the_object_and_the_error_only() -> None:
    error = ImageError("too_small", "the image is 200x150 pixels; the provider needs 15+")
    event = rejected_event(object_ref(), error, now=NOW)
    doc = json.loads(event.to_json())

    assert doc["type"] == "com.passport-ocr.passport.rejected"
    assert doc["dataschema"] == REJECTED_SCHEMA_ID
    assert doc["data"]["error"] == {
        "code": "image.too_small",
        "category": "image",
        "message": "the image is 200x150 pixels; the provider needs 15+",
    }
    assert doc["data"]["object"]["key"] == "uploads/2026/李 四 scan.jpg"
    assert doc["data"]["object"]["version_id"] == "G001118F2A3B4C5DFFFFB3C4D5"
    assert "recordstatus" not in doc and "payloadmode" not in doc
    assert not any(value in event.to_json() for value in PERSONAL)


def test_rejected_provider_error_names_vendor_code_and_request() -> None:
    error = ProviderError(
        "the vendor says this is not a passport",
        vendor="huawei",
        category=ProviderCategory.NOT_A_PASSPORT,
        retryable=False,
        vendor_code="AIS.0103",
        request_id="7d9b7f0c",
    )
    data = rejected_event(object_ref(), error).data

    assert data["error"] == {
        "code": "provider.not_a_passport",
        "category": "not_a_passport",
        "message": "the vendor says this is not a passport",
        "vendor": "huawei",
        "vendor_code": "AIS.0103",
        "request_id": "7d9b7f0c",
    }


def test_rejected_mapping_error_category() -> None:
    error = MappingError("tencent", "MRZ", "missing")
    assert rejected_event(object_ref(), error).data["error"]["category"] == "mapping"


def test_round_trip_through_json() -> None:
    event = recognized_event(object_ref(), specimen_record(), _policy("masked"), now=NOW)

    again = CloudEvent.from_json(event.to_json())

    assert again == event


def test_optional_attributes_are_left_out_not_null() -> None:
    event = CloudEvent(id="1", source="s3://b", type="t", time=NOW, data={})

    doc = event.to_dict()

    assert "subject" not in doc and "dataschema" not in doc


@pytest.mark.parametrize("name", ["Upper", "with-dash", "x" * 21, "id", "data"])
def test_extension_names_follow_the_spec(name: str) -> None:
    with pytest.raises(ValidationError):
        CloudEvent(id="1", source="s", type="t", time=NOW, data={}, extensions={name: "v"})


def test_naive_times_are_taken_as_utc() -> None:
    assert rfc3339(NOW.replace(tzinfo=None)) == "2026-11-21T12:30:05.123Z"


# -- event_object_key=object_id: consumers kept free of the key ------------------------------


@pytest.mark.parametrize("mode", ["masked", "reference"])
def test_with_object_ids_no_event_and_no_results_path_carries_the_key(mode: PayloadMode) -> None:
    ref = object_ref()
    store = MemoryStore()
    policy = PayloadPolicy(mode=mode, max_bytes=262_144, put_json=store.put_json, hide_key=True)
    events = [
        recognized_event(ref, specimen_record(), policy, now=NOW),
        rejected_event(ref, ImageError("corrupt", "unreadable"), now=NOW, hide_key=True),
    ]
    for event in events:
        text = event.to_json()
        assert "李 四" not in text and "scan.jpg" not in text
        assert event.subject == ref.object_id
        assert (
            json.loads(text)["data"].get("object", {"key": ref.object_id})["key"] == ref.object_id
        )
    assert (mode == "masked") != bool(store.docs)
    assert all(ref.key not in key for _, key in store.docs)


def test_by_default_events_name_the_key_as_uploaded() -> None:
    ref = object_ref()
    event = rejected_event(ref, ImageError("corrupt", "unreadable"), now=NOW)
    assert event.subject == ref.key
    assert event.data["object"]["key"] == ref.key
