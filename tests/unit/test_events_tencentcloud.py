"""SCF COS trigger events -> ObjectRefs (bucket name-appid, short regions, epoch times)."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from urllib.parse import quote

import pytest

from passport_ocr.errors import EventError
from passport_ocr.events import SkipReason, parse_event
from passport_ocr.events.tencentcloud import cos_bucket_parts, region_name
from passport_ocr.publishing.envelope import RECOGNIZED, event_id
from tests.events_helpers import TRICKY_KEYS, load


def test_cos_record_becomes_a_full_object_ref() -> None:
    (item,) = parse_event("tencentcloud", load("tencentcloud_cos.json")).items
    ref = item.ref

    assert ref.cloud == "tencentcloud"
    # The SDK's Bucket parameter is name-appid; the event's cosBucket.name lacks the appid.
    assert ref.bucket == "passports-1250000000"
    assert cos_bucket_parts(ref.bucket) == ("passports", "1250000000")
    assert ref.key == "uploads/2026/王五 + 100%.jpg"  # '/appid/name/' stripped, not decoded
    assert ref.region == "ap-shanghai"
    assert ref.size == 1730552
    assert ref.etag == "a3f1c2e4b5d6978812a3b4c5d6e7f809"
    assert ref.version_id is None
    assert ref.event_time == datetime.fromtimestamp(1795265000, tz=timezone.utc)
    assert ref.event_name == "cos:ObjectCreated:Put"


def test_legacy_event_maps_the_short_region_and_skips_the_delete() -> None:
    batch = parse_event("tencentcloud", load("tencentcloud_cos_legacy.json"))

    (ref,) = batch.refs
    assert ref.region == "ap-chengdu"  # from "cd": no cosRegion in old events
    assert ref.bucket == "testpic-1253970026"
    assert ref.key == "uploads/scan-01.jpg"
    assert ref.event_time == datetime(2018, 12, 19, 7, 49, 30, tzinfo=timezone.utc)
    (skipped,) = batch.skipped
    assert skipped.reason is SkipReason.NOT_A_CREATE_EVENT
    assert skipped.event_name == "cos:ObjectRemove:Delete"


def test_iso_event_time_of_the_old_doc_sample_also_parses() -> None:
    event = load("tencentcloud_cos_legacy.json")
    event["Records"][0]["event"]["eventTime"] = "1970-01-01T00:00:00.000Z"

    ref = parse_event("tencentcloud", event).refs[0]

    assert ref.event_time == datetime(1970, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("short", "long"),
    [("gz", "ap-guangzhou"), ("sh", "ap-shanghai"), ("bj", "ap-beijing"), ("cd", "ap-chengdu"),
     ("cq", "ap-chongqing"), ("hk", "ap-hongkong"), ("sg", "ap-singapore"), ("nj", "ap-nanjing"),
     ("ap-tokyo", "ap-tokyo"), ("xx-unknown", "xx-unknown")],
)  # fmt: skip
def test_region_names(short: str, long: str) -> None:
    assert region_name(short) == long


def test_numeric_appid_and_bucket_name_with_appid_are_accepted() -> None:
    event = load("tencentcloud_cos.json")
    event["Records"][0]["cos"]["cosBucket"]["appid"] = 1250000000
    event["Records"][0]["cos"]["cosBucket"]["name"] = "passports-1250000000"

    ref = parse_event("tencentcloud", event).refs[0]

    assert ref.bucket == "passports-1250000000"
    assert ref.key == "uploads/2026/王五 + 100%.jpg"


@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_tricky_keys_are_taken_as_they_are(key: str) -> None:
    event = load("tencentcloud_cos.json")
    event["Records"][0]["cos"]["cosObject"]["key"] = f"/1250000000/passports/{key}"
    event["Records"][0]["cos"]["cosObject"]["url"] = (
        "http://passports-1250000000.cos.ap-shanghai.myqcloud.com/" + quote(key)
    )

    assert parse_event("tencentcloud", event).refs[0].key == key


def test_key_encoded_override_decodes() -> None:
    event = load("tencentcloud_cos.json")
    event["Records"][0]["cos"]["cosObject"]["key"] = "/1250000000/passports/a%20b+c.jpg"

    assert parse_event("tencentcloud", event, key_encoded=True).refs[0].key == "a b c.jpg"
    assert parse_event("tencentcloud", event).refs[0].key == "a%20b+c.jpg"


def test_results_prefix_and_every_record() -> None:
    event = load("tencentcloud_cos_legacy.json")
    event["Records"][1]["event"]["eventName"] = "cos:ObjectCreated:Put"
    event["Records"][1]["cos"]["cosObject"]["key"] = "/1253970026/testpic/results/x.json"

    batch = parse_event("tencentcloud", event)

    assert [ref.key for ref in batch.refs] == ["uploads/scan-01.jpg"]
    assert [s.reason for s in batch.skipped] == [SkipReason.UNDER_RESULTS_PREFIX]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda r: r["cos"]["cosObject"].update(key="/999/other/x.jpg"),
            "'/<appid>/<bucket name>/",
        ),
        (lambda r: r["cos"]["cosObject"].update(key="/1250000000/passports/"), "'/<appid>/"),
        (lambda r: r["cos"]["cosBucket"].pop("appid"), "Records.0.cos.cosBucket.appid"),
        (lambda r: r.pop("event"), "Records.0.event: Field required"),
        (lambda r: r["cos"].pop("cosObject"), "Records.0.cos.cosObject: Field required"),
        (lambda r: r["event"].update(eventTime="yesterday"), "Records.0.event.eventTime"),
    ],
)
def test_broken_records_raise_event_error(mutate: object, expected: str) -> None:
    event = load("tencentcloud_cos.json")
    mutate(event["Records"][0])  # type: ignore[operator]

    with pytest.raises(EventError, match="expected an SCF COS trigger event") as info:
        parse_event("tencentcloud", event)

    assert expected in str(info.value)
    assert "王五" not in str(info.value)


@pytest.mark.parametrize("event", [{}, {"Records": []}, {"Records": "x"}, {"records": [{}]}])
def test_unknown_shapes_raise_event_error(event: dict[str, object]) -> None:
    with pytest.raises(EventError, match="expected an SCF COS trigger event"):
        parse_event("tencentcloud", event)


def test_cos_bucket_parts_rejects_names_without_appid() -> None:
    with pytest.raises(EventError):
        cos_bucket_parts("passports")


def test_one_malformed_record_fails_alone_the_others_are_processed() -> None:
    event = load("tencentcloud_cos.json")
    broken = copy.deepcopy(event["Records"][0])
    broken["cos"]["cosObject"]["key"] = "/not-the-appid/key.jpg"
    event["Records"].append(broken)
    batch = parse_event("tencentcloud", event)
    assert len(batch.items) == 1
    assert [bad.message_id for bad in batch.invalid] == ["record 1"]


def test_uploads_without_etag_or_version_still_get_distinct_ids() -> None:
    first = load("tencentcloud_cos.json")
    record = first["Records"][0]
    record["cos"]["cosObject"].pop("vid", None)
    record["cos"]["cosObject"]["meta"] = {}
    second = copy.deepcopy(first)
    second["Records"][0]["event"]["eventTime"] = record["event"]["eventTime"] + 60
    (a,) = parse_event("tencentcloud", first).refs
    (b,) = parse_event("tencentcloud", second).refs
    (again,) = parse_event("tencentcloud", copy.deepcopy(first)).refs
    assert a.etag is None and a.version_id is None
    assert a.object_id != b.object_id and a.object_id == again.object_id
    assert event_id(RECOGNIZED, a) != event_id(RECOGNIZED, b)
