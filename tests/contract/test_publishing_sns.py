"""SNS topic on moto's server: read back through a subscribed SQS queue."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from passport_ocr.errors import ImageError, PublishError
from passport_ocr.publishing.envelope import CloudEvent, recognized_event, rejected_event
from passport_ocr.publishing.payload import REFERENCE_SCHEMA_ID, PayloadMode, PayloadPolicy
from passport_ocr.publishing.sns import SnsTopic, group_id
from tests.moto_helpers import REGION, Moto
from tests.publishing_helpers import NOW, MemoryStore, object_ref, specimen_record

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _topic(moto: Moto, *, fifo: bool = False, raw: bool = False) -> tuple[SnsTopic, str]:
    """A topic with one SQS subscription; returns the topic and the queue URL."""
    suffix = ".fifo" if fifo else ""
    name = f"passports-{uuid.uuid4().hex[:8]}"
    sns = moto.client("sns")
    attributes = {"FifoTopic": "true"} if fifo else {}
    arn = sns.create_topic(Name=name + suffix, Attributes=attributes)["TopicArn"]
    queue_url, queue_arn = moto.queue(name + suffix)
    subscription = {"RawMessageDelivery": "true"} if raw else {}
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn, Attributes=subscription)
    topic = SnsTopic.create(arn, endpoint_url=moto.url, **CREDENTIALS)
    return topic, queue_url


def _event(mode: PayloadMode = "full") -> CloudEvent:
    policy = PayloadPolicy(mode=mode, max_bytes=262_144, put_json=MemoryStore().put_json)
    return recognized_event(object_ref(cloud="aws"), specimen_record(), policy, now=NOW)


def test_publish_reaches_a_subscribed_queue_as_an_sns_notification(moto: Moto) -> None:
    topic, queue_url = _topic(moto)
    event = _event()

    message_id = topic.publish(event)

    (message,) = moto.drain(queue_url)
    envelope: dict[str, Any] = json.loads(message["Body"])
    assert envelope["MessageId"] == message_id
    assert envelope["TopicArn"] == topic.topic_arn
    assert CloudEvent.from_json(envelope["Message"]) == event
    attributes = {name: value["Value"] for name, value in envelope["MessageAttributes"].items()}
    assert attributes == {
        "ce_id": event.id,
        "ce_type": "com.passport-ocr.passport.recognized",
        "ce_source": "s3://passport-scans",
        "objectid": event.extensions["objectid"],
        "objectversion": "G001118F2A3B4C5DFFFFB3C4D5",
        "payloadmode": "full",
        "recordstatus": "needs_review",
    }
    assert "李" not in json.dumps(attributes)  # the key is never an attribute


def test_raw_delivery_carries_the_event_and_attributes(moto: Moto) -> None:
    topic, queue_url = _topic(moto, raw=True)
    event = rejected_event(object_ref(cloud="aws"), ImageError("corrupt", "not a JPEG"), now=NOW)

    topic.publish(event)

    (message,) = moto.drain(queue_url)
    assert CloudEvent.from_json(message["Body"]) == event
    assert message["MessageAttributes"]["ce_type"]["StringValue"] == (
        "com.passport-ocr.passport.rejected"
    )


def test_fifo_topic_gets_group_and_deduplication_ids(moto: Moto) -> None:
    topic, queue_url = _topic(moto, fifo=True)
    assert topic.fifo
    event = _event("masked")
    other_object = recognized_event(
        object_ref(cloud="aws", key="uploads/other.jpg"),
        specimen_record(),
        PayloadPolicy(mode="masked", max_bytes=262_144, put_json=MemoryStore().put_json),
        now=NOW,
    )

    topic.publish(event)
    topic.publish(event)  # a duplicate delivery: same event id, deduplicated downstream
    topic.publish(other_object)

    messages = moto.drain(queue_url, at_least=2)
    received = [CloudEvent.from_json(json.loads(m["Body"])["Message"]) for m in messages]
    assert [e.id for e in received] == [event.id, other_object.id]
    groups = [m["Attributes"]["MessageGroupId"] for m in messages]
    assert groups == [group_id(event), group_id(other_object)]
    assert groups[0] != groups[1]
    assert "other" not in groups[1]


def test_a_message_at_the_topic_limit_is_accepted(moto: Moto) -> None:
    topic, queue_url = _topic(moto)
    base = _event()
    padding = topic.max_bytes - base.size_bytes() - len(',"pad":""')
    event = base.model_copy(update={"data": {**base.data, "pad": "x" * padding}})
    assert event.size_bytes() == topic.max_bytes

    topic.publish(event)

    (message,) = moto.drain(queue_url)
    assert len(json.loads(message["Body"])["Message"].encode()) == topic.max_bytes


def test_oversize_records_fall_back_to_reference_under_the_sns_limit(moto: Moto) -> None:
    topic, queue_url = _topic(moto)
    record = specimen_record(findings=3000)  # about 500 KB as a full payload
    store = MemoryStore()
    policy = PayloadPolicy(mode="full", max_bytes=topic.max_bytes, put_json=store.put_json)

    event = recognized_event(object_ref(cloud="aws"), record, policy, now=NOW)
    topic.publish(event)

    (message,) = moto.drain(queue_url)
    received = CloudEvent.from_json(json.loads(message["Body"])["Message"])
    assert received.dataschema == REFERENCE_SCHEMA_ID
    assert len(store.docs) == 1


def test_unknown_topic_is_a_publish_error(moto: Moto) -> None:
    arn = f"arn:aws:sns:{REGION}:123456789012:missing-{uuid.uuid4().hex[:8]}"
    topic = SnsTopic.create(arn, endpoint_url=moto.url, **CREDENTIALS)

    with pytest.raises(PublishError, match="SNS refused the message") as info:
        topic.publish(_event())

    assert info.value.permanent is False
    assert info.value.code == "publish.sns"


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield port


def test_unreachable_endpoint_is_a_publish_error(closed_port: int) -> None:
    topic = SnsTopic.create(
        f"arn:aws:sns:{REGION}:123456789012:passports",
        endpoint_url=f"http://127.0.0.1:{closed_port}",
        timeout_seconds=2,
        max_attempts=1,
        **CREDENTIALS,
    )

    with pytest.raises(PublishError, match="SNS is unreachable") as info:
        topic.publish(_event())

    assert "李" not in str(info.value)


def test_region_defaults_to_the_arns() -> None:
    topic = SnsTopic.create("arn:aws:sns:ap-southeast-2:123456789012:t", **CREDENTIALS)

    assert topic.client.meta.region_name == "ap-southeast-2"
    assert not topic.fifo
