"""Backfill hand-offs to Huawei FunctionGraph and Tencent SCF through their own SDKs, over
HTTP to 127.0.0.1 stubs that verify the signatures (SDK-HMAC-SHA256 at APIG, TC3-HMAC-SHA256),
and whose events the deployed functions' parsers read as their trigger's.

- FunctionGraph `POST /v2/{project_id}/fgs/functions/{function_urn}/invocations-async`
  (huaweicloudsdkfunctiongraph 3.1.219, v2/functiongraph_client.py `async_invoke_function`),
  answered 202 with a `request_id`.
- SCF `Invoke` (version 2018-04-16; tencentcloud-sdk-python-scf 3.1.100,
  scf/v20180416/models.py `InvokeRequest`: FunctionName, InvocationType, Qualifier,
  ClientContext, Namespace); `InvocationType=Event` is the asynchronous call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from passport_ocr.events import parse_event
from passport_ocr.events.base import ObjectRef
from passport_ocr.tools.backfill import handoff
from passport_ocr.tools.batch.ratelimit import TokenBucket
from tests.stubs.functions import functiongraph_async_invoke, scf_invoke
from tests.stubs.huawei import apig_throttled
from tests.stubs.server import StubResponse, StubServer
from tests.stubs.tencent import tencent_error

AK, SK, PROJECT = "AKBACKFILL", "sk-backfill", "0123456789abcdef0123456789abcdef"
URN = f"urn:fss:cn-north-4:{PROJECT}:function:default:passport-ocr:latest"
SECRET_ID, SECRET_KEY = "AKIDbackfill", "secret-backfill"
KEYS = ("uploads/李 四.jpg", "uploads/a+b.png")


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer(lambda request: StubResponse(500)) as server:
        yield server


def refs(cloud: Any, bucket: str, region: str) -> list[ObjectRef]:
    return [ObjectRef(cloud=cloud, region=region, bucket=bucket, key=key, size=1000 + n,
                      etag=f"{n:032x}") for n, key in enumerate(KEYS)]  # fmt: skip


def hand_off(sender: handoff.Sender, objects: list[ObjectRef]) -> handoff.Summary:
    done: list[str] = []
    summary = handoff.deliver(
        objects,
        sender,
        bucket=TokenBucket(1000.0, burst=10),
        done=lambda ref: done.append(ref.key),
        sleep=lambda _: None,
    )
    assert done == [ref.key for ref in objects][: summary.handed_off]
    return summary


functiongraph = functiongraph_async_invoke(PROJECT, URN, AK, SK)


def test_functiongraph_async_invocations_carry_obs_events(stub: StubServer) -> None:
    stub.serve(functiongraph).then(apig_throttled())  # the first call is throttled, retried
    client = handoff.functiongraph_client(AK, SK, PROJECT, stub.url)
    objects = refs("huaweicloud", "passport-scans", "cn-north-4")

    summary = hand_off(handoff.FunctionGraphSender(client, URN), objects)

    assert (summary.handed_off, summary.failed, summary.retries) == (2, 0, 1)
    assert len(stub.requests) == 3
    parsed = [
        parse_event("huaweicloud", json.loads(r.body)).items[0].ref for r in stub.requests[1:]
    ]
    assert [(r.bucket, r.key, r.etag, r.size) for r in parsed] == [
        (o.bucket, o.key, o.etag, o.size) for o in objects
    ]
    # Same object ids as the real upload's notification: the same results key.
    assert [r.object_id for r in parsed] == [o.object_id for o in objects]


def test_functiongraph_refusing_the_signature_is_a_failure_not_retried(stub: StubServer) -> None:
    stub.serve(functiongraph)
    client = handoff.functiongraph_client(AK, "wrong-secret", PROJECT, stub.url)
    summary = hand_off(handoff.FunctionGraphSender(client, URN), refs("huaweicloud", "b", "r"))
    assert (summary.handed_off, summary.failed, summary.retries) == (0, 2, 0)
    assert summary.errors == ["FunctionGraph refused (APIG.0301)"] * 2


scf = scf_invoke(SECRET_ID, SECRET_KEY)


def test_scf_event_invocations_carry_cos_events(stub: StubServer) -> None:
    stub.serve(scf).then(tencent_error("RequestLimitExceeded"))
    client = handoff.scf_client(SECRET_ID, SECRET_KEY, "ap-guangzhou", stub.url)
    objects = refs("tencentcloud", "passports-1250000000", "ap-guangzhou")
    sender = handoff.ScfSender(client, "passport-ocr", namespace="ocr", qualifier="2")

    summary = hand_off(sender, objects)

    assert (summary.handed_off, summary.failed, summary.retries) == (2, 0, 1)
    sent = [json.loads(r.body) for r in stub.requests[1:]]
    assert {(p["FunctionName"], p["InvocationType"], p["Namespace"], p["Qualifier"])
            for p in sent} == {("passport-ocr", "Event", "ocr", "2")}  # fmt: skip
    parsed = [
        parse_event("tencentcloud", json.loads(p["ClientContext"])).items[0].ref for p in sent
    ]
    assert [(r.bucket, r.key, r.etag) for r in parsed] == [
        (o.bucket, o.key, o.etag) for o in objects
    ]
    assert [r.object_id for r in parsed] == [o.object_id for o in objects]


def test_scf_with_a_wrong_key_fails_without_retrying(stub: StubServer) -> None:
    stub.serve(scf)
    client = handoff.scf_client(SECRET_ID, "wrong", "ap-guangzhou", stub.url)
    summary = hand_off(
        handoff.ScfSender(client, "f"), refs("tencentcloud", "b-125", "ap-guangzhou")
    )
    assert (summary.handed_off, summary.failed, summary.retries) == (0, 2, 0)
    assert summary.errors == ["SCF refused (AuthFailure.SignatureFailure)"] * 2
