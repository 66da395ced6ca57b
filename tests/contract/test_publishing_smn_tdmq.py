"""SMN and TDMQ topics: the real SDKs against signature-checking stubs on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from passport_ocr.credentials import Credentials
from passport_ocr.errors import ConfigError, ImageError, PublishError
from passport_ocr.publishing.envelope import CloudEvent, recognized_event, rejected_event
from passport_ocr.publishing.payload import REFERENCE_SCHEMA_ID, PayloadMode, PayloadPolicy
from passport_ocr.publishing.smn import SmnTopic, TopicUrn
from passport_ocr.publishing.tdmq import TdmqTopic
from tests.publishing_helpers import NOW, MemoryStore, object_ref, specimen_record
from tests.stubs.server import StubResponse, StubServer
from tests.stubs.smn import SmnStub
from tests.stubs.tdmq import TdmqStub

PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
URN = f"urn:smn:cn-north-4:{PROJECT}:passport-events"
HUAWEI = Credentials("HWAKTEMP0001", "huawei-secret", "huawei-security-token")
TENCENT = Credentials("AKIDTEMP0001", "tencent-secret", "tencent-session-token")


def _event(mode: PayloadMode = "full", max_bytes: int = 262_144, **ref: str) -> CloudEvent:
    policy = PayloadPolicy(mode=mode, max_bytes=max_bytes, put_json=MemoryStore().put_json)
    return recognized_event(object_ref(**ref), specimen_record(), policy, now=NOW)


# -- SMN ----------------------------------------------------------------------------------


@pytest.fixture
def smn() -> Iterator[tuple[StubServer, SmnStub]]:
    stub = SmnStub(
        secrets={HUAWEI.access_key: HUAWEI.secret_key},
        project_id=PROJECT,
        topics={URN},
        tokens={HUAWEI.access_key: "huawei-security-token"},
    )
    with StubServer(stub) as server:
        yield server, stub


def _smn_topic(server: StubServer, credentials: Credentials = HUAWEI) -> SmnTopic:
    return SmnTopic(URN, credentials, endpoint=server.url, timeout_seconds=5)


def test_smn_publishes_the_cloudevent_with_filterable_attributes(
    smn: tuple[StubServer, SmnStub],
) -> None:
    server, stub = smn
    event = _event("masked")

    message_id = _smn_topic(server).publish(event)

    (published,) = stub.published
    assert len(message_id) == 32
    assert published["topic_urn"] == URN
    assert published["subject"] == "com.passport-ocr.passport.recognized"
    assert CloudEvent.from_json(published["message"]) == event
    attributes = {a["name"]: a["value"] for a in published["message_attributes"]}
    assert attributes == {
        "event_kind": "recognized",
        "record_status": "needs_review",
        "payload_mode": "masked",
        "object_id": event.extensions["objectid"],
    }
    request = server.requests[0]
    assert request.header("X-Security-Token") == "huawei-security-token"


def test_smn_rejected_event(smn: tuple[StubServer, SmnStub]) -> None:
    server, stub = smn
    event = rejected_event(object_ref(), ImageError("truncated", "the JPEG ends early"), now=NOW)

    _smn_topic(server).publish(event)

    attributes = {a["name"]: a["value"] for a in stub.published[0]["message_attributes"]}
    assert attributes == {"event_kind": "rejected", "object_id": event.extensions["objectid"]}


def test_smn_reads_renewed_credentials_on_every_publish(smn: tuple[StubServer, SmnStub]) -> None:
    server, stub = smn
    renewed = Credentials("HWAKTEMP0002", "renewed-secret", "renewed-token")
    current = [HUAWEI]
    topic = SmnTopic(URN, lambda: current[0], endpoint=server.url)

    topic.publish(_event())
    stub.secrets[renewed.access_key] = renewed.secret_key
    stub.tokens[renewed.access_key] = "renewed-token"
    current[0] = renewed
    topic.publish(_event())

    assert [r.header("X-Security-Token") for r in server.requests] == [
        "huawei-security-token",
        "renewed-token",
    ]
    assert len(stub.published) == 2


def test_smn_wrong_secret_is_a_publish_error(smn: tuple[StubServer, SmnStub]) -> None:
    server, stub = smn
    wrong = Credentials(HUAWEI.access_key, "not-the-secret", HUAWEI.security_token)

    with pytest.raises(PublishError, match=r"APIG\.0301, HTTP 401") as info:
        _smn_topic(server, wrong).publish(_event())

    assert info.value.permanent is False
    assert stub.published == []


def test_smn_unknown_topic_and_server_errors_are_publish_errors(
    smn: tuple[StubServer, SmnStub],
) -> None:
    server, _ = smn
    other = SmnTopic(URN.replace("passport-events", "missing"), HUAWEI, endpoint=server.url)
    with pytest.raises(PublishError, match="HTTP 404"):
        other.publish(_event())

    server.then(StubResponse.json(503, '{"error_code": "SMN.0500", "error_msg": "busy"}'))
    with pytest.raises(PublishError, match=r"SMN\.0500, HTTP 503"):
        _smn_topic(server).publish(_event())


def test_smn_timeout_and_refused_connection_are_publish_errors(
    smn: tuple[StubServer, SmnStub],
) -> None:
    server, stub = smn
    slow = SmnTopic(URN, HUAWEI, endpoint=server.url, timeout_seconds=0.3)
    server.then(StubResponse(200, b"{}", delay=1.0))
    with pytest.raises(PublishError, match="unreachable"):
        slow.publish(_event())

    server.then(StubResponse(drop=True))
    with pytest.raises(PublishError, match="unreachable"):
        _smn_topic(server).publish(_event())
    assert stub.published == []


def test_smn_limit_fallback_makes_large_records_references(
    smn: tuple[StubServer, SmnStub],
) -> None:
    server, stub = smn
    topic = _smn_topic(server)
    policy = PayloadPolicy(mode="full", max_bytes=topic.max_bytes, put_json=MemoryStore().put_json)
    big = specimen_record(findings=3000)

    topic.publish(recognized_event(object_ref(), big, policy, now=NOW))

    assert CloudEvent.from_json(stub.published[0]["message"]).dataschema == REFERENCE_SCHEMA_ID


@pytest.mark.parametrize("urn", ["", "urn:smn:cn-north-4:only-project", "arn:aws:sns:x:y:z"])
def test_bad_urns_are_config_errors(urn: str) -> None:
    with pytest.raises(ConfigError):
        SmnTopic(urn, HUAWEI)


def test_urn_parts() -> None:
    assert TopicUrn.parse(URN) == TopicUrn("cn-north-4", PROJECT, "passport-events")


# -- TDMQ ---------------------------------------------------------------------------------


@pytest.fixture
def tdmq() -> Iterator[tuple[StubServer, TdmqStub]]:
    stub = TdmqStub(
        secrets={TENCENT.access_key: TENCENT.secret_key},
        topics={"passport-events": 65_536, "small-topic": 4096},
        tokens={TENCENT.access_key: "tencent-session-token"},
    )
    with StubServer(stub) as server:
        yield server, stub


def _tdmq_topic(
    server: StubServer, name: str = "passport-events", credentials: Credentials = TENCENT
) -> TdmqTopic:
    return TdmqTopic(
        name, "ap-guangzhou", credentials, endpoint=server.host, scheme="http", timeout_seconds=5
    )


def test_tdmq_publishes_the_cloudevent_with_its_tag(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, stub = tdmq
    event = _event("masked", cloud="tencentcloud", bucket="passports-1250000000")

    message_id = _tdmq_topic(server).publish(event)

    (published,) = stub.published
    assert message_id
    assert published["TopicName"] == "passport-events"
    assert published["MsgTag"] == ["recognized"]
    assert CloudEvent.from_json(published["MsgContent"]) == event
    request = server.requests[0]
    assert request.header("X-TC-Action") == "PublishCmqMsg"
    assert request.header("X-TC-Region") == "ap-guangzhou"
    assert request.header("X-TC-Token") == "tencent-session-token"


def test_tdmq_rejected_event_tag(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, stub = tdmq
    event = rejected_event(object_ref(cloud="tencentcloud"), ImageError("empty", "no bytes"))

    _tdmq_topic(server).publish(event)

    assert stub.published[0]["MsgTag"] == ["rejected"]


def test_tdmq_signature_failure_is_a_publish_error(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, stub = tdmq
    wrong = Credentials(TENCENT.access_key, "wrong", TENCENT.security_token)

    with pytest.raises(PublishError, match=r"AuthFailure\.SignatureFailure"):
        _tdmq_topic(server, credentials=wrong).publish(_event())
    assert stub.published == []


def test_tdmq_missing_token_is_a_publish_error(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, _ = tdmq
    no_token = Credentials(TENCENT.access_key, TENCENT.secret_key)

    with pytest.raises(PublishError, match=r"AuthFailure\.TokenFailure"):
        _tdmq_topic(server, credentials=no_token).publish(_event())


def test_tdmq_unknown_topic_and_http_errors(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, _ = tdmq
    with pytest.raises(PublishError, match="ResourceNotFound"):
        _tdmq_topic(server, name="missing").publish(_event())

    server.then(StubResponse(502, b"<html>bad gateway</html>", {"Content-Type": "text/html"}))
    with pytest.raises(PublishError, match="ServerNetworkError"):
        _tdmq_topic(server).publish(_event())

    server.then(StubResponse(drop=True))
    with pytest.raises(PublishError):
        _tdmq_topic(server).publish(_event())


def test_tdmq_result_false_is_a_publish_error(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, _ = tdmq
    server.then(
        StubResponse.json(200, json.dumps({"Response": {"Result": False, "RequestId": "r-1"}}))
    )

    with pytest.raises(PublishError, match="did not take the message"):
        _tdmq_topic(server).publish(_event())


def test_tdmq_small_topic_gets_a_reference_that_fits(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, stub = tdmq
    topic = TdmqTopic(
        "small-topic", "ap-guangzhou", TENCENT, endpoint=server.host, scheme="http", max_bytes=4096
    )
    record = specimen_record(findings=40)
    assert len(record.model_dump_json()) > 4096  # the full payload cannot fit
    store = MemoryStore()
    policy = PayloadPolicy(mode="full", max_bytes=topic.max_bytes, put_json=store.put_json)

    topic.publish(recognized_event(object_ref(), record, policy, now=NOW))

    sent = stub.published[0]["MsgContent"]
    assert len(sent.encode()) <= 4096
    assert CloudEvent.from_json(sent).dataschema == REFERENCE_SCHEMA_ID
    assert len(store.docs) == 1


def test_tdmq_oversize_message_is_refused_by_the_topic(tdmq: tuple[StubServer, TdmqStub]) -> None:
    server, _ = tdmq
    # A topic configured smaller than the publisher believes: the vendor refuses, we raise.
    topic = TdmqTopic("small-topic", "ap-guangzhou", TENCENT, endpoint=server.host, scheme="http")

    policy = PayloadPolicy(mode="full", max_bytes=65_536, put_json=MemoryStore().put_json)
    event = recognized_event(object_ref(), specimen_record(findings=60), policy, now=NOW)
    assert 4096 < event.size_bytes() <= topic.max_bytes

    with pytest.raises(PublishError, match="InvalidParameterValue"):
        topic.publish(event)
