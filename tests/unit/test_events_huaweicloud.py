"""FunctionGraph OBS trigger (native and S3-shaped) and EventGrid events -> ObjectRefs."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from urllib.parse import quote, quote_plus

import pytest

from passport_ocr.errors import EventError
from passport_ocr.events import SkipReason, parse_event
from tests.events_helpers import TRICKY_KEYS, copy_of, load


def test_native_obs_record_becomes_a_full_object_ref() -> None:
    batch = parse_event("huaweicloud", load("huaweicloud_obs_native.json"))

    assert batch.skipped == () and batch.invalid == ()
    (item,) = batch.items
    ref = item.ref
    assert ref.cloud == "huaweicloud"
    assert ref.region == "cn-north-4"  # from eventRegion
    assert ref.bucket == "passport-scans"
    assert ref.key == "uploads/2026/09/李 四 100% a+b.jpg"
    assert ref.size == 1482311
    assert ref.etag == "9b2cf535f27731c974343645a3985328"
    assert ref.version_id == "G001118F2A3B4C5DFFFFB3C4D5"
    assert ref.sequencer == "0000000018F2A3B4C5D6E7F80"
    assert ref.event_time == datetime(2026, 9, 30, 11, 24, 42, 533000, tzinfo=timezone.utc)
    assert ref.event_name == "ObjectCreated:Put"
    assert item.message_id is None


def test_s3_shaped_obs_event_processes_every_record_and_skips_the_delete() -> None:
    batch = parse_event("huaweicloud", load("huaweicloud_obs_s3_shape.json"))

    (item,) = batch.items
    assert item.ref.region == "eu-de"  # from awsRegion
    assert item.ref.key == "uploads/Müller Jürgen (1).jpeg"
    assert item.ref.etag == "d41d8cd98f00b204e9800998ecf8427e"  # quotes stripped
    assert item.ref.version_id is None  # "" means unversioned
    (skipped,) = batch.skipped
    assert skipped.reason is SkipReason.NOT_A_CREATE_EVENT
    assert skipped.event_name == "ObjectRemoved:Delete"
    assert skipped.ref is not None and skipped.ref.key == "uploads/old scan.jpg"


def test_eventgrid_cloudevent_is_read_from_data() -> None:
    batch = parse_event("huaweicloud", load("huaweicloud_eventgrid.json"))

    (ref,) = batch.refs
    assert ref.region == "cn-east-3"
    assert ref.bucket == "passport-scans-sh"
    assert ref.key == "uploads/张三/passport scan.png"
    assert ref.event_name == "ObjectCreated:Put"
    assert ref.version_id is None


def test_eventgrid_data_as_json_string_and_as_list() -> None:
    event = load("huaweicloud_eventgrid.json")
    as_string = {**event, "data": json.dumps(event["data"])}
    as_list = {**event, "data": [event["data"], event["data"]]}

    assert parse_event("huaweicloud", as_string).refs == parse_event("huaweicloud", event).refs
    assert len(parse_event("huaweicloud", as_list).items) == 2


def test_eventgrid_with_key_encode_off_keeps_the_key_raw() -> None:
    event = load("huaweicloud_eventgrid.json")
    event["data"]["obs"]["object"]["key"] = "uploads/a+b 100%.png"

    (ref,) = parse_event("huaweicloud", event, key_encoded=False).refs

    assert ref.key == "uploads/a+b 100%.png"


def test_eventgrid_delete_type_is_skipped() -> None:
    event = load("huaweicloud_eventgrid.json")
    event["type"] = "OBS:DWR:ObjectRemoved:Delete"
    event["data"]["eventName"] = "ObjectRemoved:Delete"

    batch = parse_event("huaweicloud", event)

    assert batch.items == ()
    assert batch.skipped[0].reason is SkipReason.NOT_A_CREATE_EVENT


@pytest.mark.parametrize("key", TRICKY_KEYS)
@pytest.mark.parametrize("safe", ["", "/"], ids=["slash-encoded", "slash-kept"])
def test_tricky_keys_decode_in_both_obs_shapes(key: str, safe: str) -> None:
    native = load("huaweicloud_obs_native.json")
    native["Records"][0]["obs"]["object"]["key"] = quote_plus(key, safe=safe)
    s3_shape = load("huaweicloud_obs_s3_shape.json")
    s3_shape["Records"][0]["s3"]["object"]["key"] = quote_plus(key, safe=safe)

    assert parse_event("huaweicloud", native).refs[0].key == key
    assert parse_event("huaweicloud", s3_shape).refs[0].key == key


@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_tricky_keys_decode_in_eventgrid_with_percent_twenty_spaces(key: str) -> None:
    event = load("huaweicloud_eventgrid.json")
    event["data"]["obs"]["object"]["key"] = quote(key, safe="/")  # %20, not '+'

    assert parse_event("huaweicloud", event).refs[0].key == key


def test_objects_under_the_results_prefix_are_skipped() -> None:
    event = load("huaweicloud_obs_native.json")
    event["Records"][0]["obs"]["object"]["key"] = "out%2Fuploads%2Fx.jpg.json"

    batch = parse_event("huaweicloud", event, results_prefix="out/")

    assert batch.items == ()
    assert batch.skipped[0].reason is SkipReason.UNDER_RESULTS_PREFIX


def test_folder_markers_are_skipped() -> None:
    event = load("huaweicloud_obs_native.json")
    event["Records"][0]["obs"]["object"]["key"] = "uploads%2Fnew+folder%2F"

    batch = parse_event("huaweicloud", event)

    assert batch.skipped[0].reason is SkipReason.FOLDER_MARKER


def _without(path: list[str]) -> dict[str, object]:
    event = load("huaweicloud_obs_native.json")
    target = event["Records"][0]
    for name in path[:-1]:
        target = target[name]
    del target[path[-1]]
    return event


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({}, "unknown event shape"),
        ({"Records": []}, "malformed OBS event"),
        (
            {"Records": [{"eventName": "ObjectCreated:Put"}]},
            "a record needs an 'obs' or an 's3' body",
        ),
        (_without(["obs", "object", "key"]), "Records.0.obs.object.key: Field required"),
        (_without(["obs", "bucket"]), "Records.0.obs.bucket: Field required"),
        (_without(["eventName"]), "Records.0.eventName: Field required"),
        ({"specversion": "1.0", "source": "HC.OBS", "type": "x", "data": {}}, "unexpected source"),
        (
            {**load("huaweicloud_eventgrid.json"), "source": "HC.SMN"},
            "unexpected source",
        ),
        ({**load("huaweicloud_eventgrid.json"), "data": "{not json"}, "not JSON"),
        ({**load("huaweicloud_eventgrid.json"), "data": []}, "without a record"),
    ],
)
def test_unknown_or_broken_shapes_raise_event_error(
    event: dict[str, object], expected: str
) -> None:
    with pytest.raises(EventError, match="expected a FunctionGraph OBS trigger event") as info:
        parse_event("huaweicloud", event)
    assert expected in str(info.value)


def test_event_error_never_echoes_the_key() -> None:
    event = load("huaweicloud_obs_native.json")
    event["Records"][0]["obs"]["object"]["size"] = "Zhang San"  # wrong type, personal text

    with pytest.raises(EventError) as info:
        parse_event("huaweicloud", event)

    assert "Zhang" not in str(info.value)
    assert "Records.0.obs.object.size" in str(info.value)


def test_invalid_percent_encoding_is_a_typed_error() -> None:
    event = load("huaweicloud_obs_native.json")
    event["Records"][0]["obs"]["object"]["key"] = "uploads%2F%FF%FE.jpg"  # not UTF-8

    with pytest.raises(EventError, match="not valid URL-encoded UTF-8"):
        parse_event("huaweicloud", event)


def test_every_record_is_processed_not_only_the_first() -> None:
    event = load("huaweicloud_obs_native.json")
    second = copy_of(event["Records"][0])
    second["obs"]["object"]["key"] = "uploads%2Fsecond.jpg"
    event["Records"].append(second)

    keys = [ref.key for ref in parse_event("huaweicloud", event).refs]

    assert keys == ["uploads/2026/09/李 四 100% a+b.jpg", "uploads/second.jpg"]


def test_one_malformed_record_fails_alone_the_others_are_processed() -> None:
    event = load("huaweicloud_obs_native.json")
    broken = copy.deepcopy(event["Records"][0])
    del broken["obs"]["object"]["key"]
    event["Records"].append(broken)
    batch = parse_event("huaweicloud", event)
    assert len(batch.items) == 1
    (invalid,) = batch.invalid
    assert invalid.message_id == "record 1"
    assert "Records.1.obs.object.key" in str(invalid.error)
