"""Lambda events -> ObjectRefs: direct S3, S3->SQS, S3->SNS->SQS, SNS, EventBridge.

The realistic events are in tests/data/events; the moto tests let moto's S3 produce the
notifications (S3 -> SQS and S3 -> SNS -> SQS) for keys that break naive decoding.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from urllib.parse import quote_plus

import pytest

from passport_ocr.errors import EventError
from passport_ocr.events import EventItem, SkipReason, parse_event
from tests.events_helpers import TRICKY_KEYS, load
from tests.moto_helpers import REGION, Moto, lambda_sqs_event


def test_direct_s3_notification_every_record() -> None:
    batch = parse_event("aws", load("aws_s3.json"))

    (item,) = batch.items
    ref = item.ref
    assert ref.cloud == "aws"
    assert ref.region == "eu-central-1"
    assert ref.bucket == "passport-scans-prod"
    assert ref.key == "uploads/José María + 100%.jpg"
    assert ref.size == 1843227
    assert ref.etag == "0c4c2a4f2e5b6d7e8f90a1b2c3d4e5f6"
    assert ref.version_id == "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
    assert ref.sequencer == "0066A8D0E77DE42BC5"
    assert ref.event_time == datetime(2026, 11, 20, 9, 41, 7, 512000, tzinfo=timezone.utc)
    assert ref.event_name == "ObjectCreated:Put"
    assert item.message_id is None
    reasons = [(s.reason, s.event_name) for s in batch.skipped]
    assert reasons == [
        (SkipReason.UNDER_RESULTS_PREFIX, "ObjectCreated:Put"),
        (SkipReason.NOT_A_CREATE_EVENT, "ObjectRemoved:Delete"),
    ]


def test_sqs_batch_ties_refs_to_messages_and_isolates_the_bad_one() -> None:
    batch = parse_event("aws", load("aws_sqs_s3.json"))

    assert [(item.message_id, item.ref.key) for item in batch.items] == [
        ("2e1424d4-f796-459a-8184-9c92662be6da", "uploads/deep/a/b/c/d/张三 护照.jpeg"),
        ("7c9d5a3e-1b2f-4c8d-9e0a-3f4b5c6d7e8f", "uploads/a%20b.jpg"),
        ("7c9d5a3e-1b2f-4c8d-9e0a-3f4b5c6d7e8f", "uploads/second.png"),
    ]
    (test_event,) = batch.skipped
    assert test_event.reason is SkipReason.TEST_EVENT
    assert test_event.message_id == "059f36b4-87a3-44ab-83d2-661975830a7d"
    (invalid,) = batch.invalid
    assert invalid.message_id == "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"
    assert "not JSON" in invalid.error.message


def test_partial_batch_response_names_failed_and_invalid_messages_once() -> None:
    batch = parse_event("aws", load("aws_sqs_s3.json"))
    second_message_items = [i for i in batch.items if i.message_id and i.message_id[0] == "7"]

    response = batch.partial_batch_response(second_message_items)

    assert response == {
        "batchItemFailures": [
            {"itemIdentifier": "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6"},
            {"itemIdentifier": "7c9d5a3e-1b2f-4c8d-9e0a-3f4b5c6d7e8f"},
        ]
    }
    assert parse_event("aws", load("aws_s3.json")).partial_batch_response(
        [EventItem(batch.items[0].ref)]
    ) == {"batchItemFailures": []}


def test_sns_wrapped_in_sqs() -> None:
    batch = parse_event("aws", load("aws_sqs_sns_s3.json"))

    (item,) = batch.items
    assert item.ref.key == "uploads/Élodie O'Brien (2).jpg"
    assert item.message_id == "b8d6b2f3-4a5c-4e6d-9f0a-1b2c3d4e5f60"
    assert [s.reason for s in batch.skipped] == [SkipReason.TEST_EVENT]


def test_sns_raw_message_delivery_body_is_the_s3_json() -> None:
    event = load("aws_sqs_sns_s3.json")
    record = event["Records"][1]
    record["body"] = json.loads(record["body"])["Message"]

    assert parse_event("aws", event).refs[0].key == "uploads/Élodie O'Brien (2).jpg"


def test_direct_sns_event() -> None:
    (ref,) = parse_event("aws", load("aws_sns_s3.json")).refs

    assert ref.key == "uploads/scan#1.jpg"


def test_eventbridge_object_created() -> None:
    (ref,) = parse_event("aws", load("aws_eventbridge_s3.json")).refs

    assert ref.bucket == "passport-scans-prod"
    assert ref.key == "uploads/François d'Alembert.jpg"
    assert ref.size == 1512044
    assert ref.etag == "b1946ac92492d2347c6235b4d2611184"
    assert ref.version_id == "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e"
    assert ref.event_name == "Object Created"
    assert ref.event_time == datetime(2026, 11, 20, 9, 41, 7, tzinfo=timezone.utc)


def test_eventbridge_object_deleted_is_skipped_and_eventbridge_via_sqs_works() -> None:
    deleted = {**load("aws_eventbridge_s3.json"), "detail-type": "Object Deleted"}
    assert parse_event("aws", deleted).skipped[0].reason is SkipReason.NOT_A_CREATE_EVENT

    via_sqs = load("aws_sqs_s3.json")
    via_sqs["Records"] = via_sqs["Records"][:1]
    via_sqs["Records"][0]["body"] = json.dumps(load("aws_eventbridge_s3.json"))
    (item,) = parse_event("aws", via_sqs).items
    assert item.message_id == "059f36b4-87a3-44ab-83d2-661975830a7d"


@pytest.mark.parametrize("key", TRICKY_KEYS)
def test_tricky_keys_decode_in_direct_and_eventbridge_events(key: str) -> None:
    direct = load("aws_s3.json")
    direct["Records"] = direct["Records"][:1]
    direct["Records"][0]["s3"]["object"]["key"] = quote_plus(key, safe="/")
    bridge = load("aws_eventbridge_s3.json")
    bridge["detail"]["object"]["key"] = quote_plus(key, safe="/")

    assert parse_event("aws", direct).refs[0].key == key
    assert parse_event("aws", bridge).refs[0].key == key


def test_version_id_null_means_no_version() -> None:
    event = load("aws_s3.json")
    event["Records"][0]["s3"]["object"]["versionId"] = "null"

    assert parse_event("aws", event).items[0].ref.version_id is None


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"Records": []},
        {"Records": [{"eventSource": "aws:dynamodb"}]},
        {"Records": [{"eventSource": "aws:s3"}, {"eventSource": "aws:sqs"}]},
        {"source": "aws.ec2", "detail": {}},
        {"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Put"}]},
        {"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": "b"}, "object": {}}}]},
        {"source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {}}},
        {"Records": [{"eventSource": "aws:sqs", "body": "{}"}]},  # no messageId
        {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "nope"}}]},
    ],
)
def test_unknown_or_broken_shapes_raise_event_error(event: dict[str, object]) -> None:
    with pytest.raises(EventError, match="expected an S3 notification"):
        parse_event("aws", event)


def test_bad_sqs_bodies_become_invalid_messages_not_errors() -> None:
    event = load("aws_sqs_s3.json")
    bodies = ["[1, 2]", '{"Records": []}', '{"Records": [{"s3": {}}]}', '"just a string"', "{}"]
    event["Records"] = [
        {**event["Records"][0], "messageId": f"m{n}", "body": body} for n, body in enumerate(bodies)
    ]

    batch = parse_event("aws", event)

    assert batch.items == () and batch.skipped == ()
    assert [bad.message_id for bad in batch.invalid] == [f"m{n}" for n in range(len(bodies))]
    assert all(isinstance(bad.error, EventError) for bad in batch.invalid)


def test_key_encoded_false_is_refused_for_aws() -> None:
    with pytest.raises(EventError, match="always URL-encoded"):
        parse_event("aws", load("aws_s3.json"), key_encoded=False)


# -- moto produces the notifications ----------------------------------------------------


def test_moto_s3_to_sqs_and_s3_to_sns_to_sqs(moto: Moto) -> None:
    s3, sns = moto.client("s3"), moto.client("sns")
    bucket = f"scans-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    direct_url, direct_arn = moto.queue(f"direct-{uuid.uuid4().hex[:8]}")
    fanout_url, fanout_arn = moto.queue(f"fanout-{uuid.uuid4().hex[:8]}")
    topic_arn = sns.create_topic(Name=f"uploads-{uuid.uuid4().hex[:8]}")["TopicArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=fanout_arn)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": direct_arn, "Events": ["s3:ObjectCreated:*"]}],
            "TopicConfigurations": [{"TopicArn": topic_arn, "Events": ["s3:ObjectCreated:*"]}],
        },
    )
    for key in TRICKY_KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=b"\xff\xd8\xff\xe0 not really a jpeg")
    s3.put_object(Bucket=bucket, Key="results/uploads/x.jpg.json", Body=b"{}")

    for queue_url, queue_arn in ((direct_url, direct_arn), (fanout_url, fanout_arn)):
        messages = moto.drain(queue_url, at_least=len(TRICKY_KEYS) + 2)
        batch = parse_event("aws", lambda_sqs_event(messages, queue_arn))

        assert sorted(ref.key for ref in batch.refs) == sorted(TRICKY_KEYS)
        assert {ref.bucket for ref in batch.refs} == {bucket}
        assert all(ref.etag and ref.size for ref in batch.refs)
        assert sorted(s.reason.value for s in batch.skipped) == [
            "test_event",
            "under_results_prefix",
        ]
        assert batch.invalid == ()
        by_message = {item.message_id for item in batch.items}
        assert len(by_message) == len(TRICKY_KEYS)  # one message per upload, each remembered


@pytest.mark.parametrize(("field", "value"), [(("bucket", "name"), ""), (("object", "size"), -1)])
def test_an_empty_bucket_or_a_negative_size_is_an_event_error(
    field: tuple[str, str], value: object
) -> None:
    event = load("aws_s3.json")
    event["Records"][0]["s3"][field[0]][field[1]] = value
    with pytest.raises(EventError):
        parse_event("aws", event)
