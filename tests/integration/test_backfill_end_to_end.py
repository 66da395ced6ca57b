"""`passport-ocr backfill obs://…` and `cos://…` end to end: the command lists the bucket
through the vendor's own storage SDK (esdk-obs-python, cos-python-sdk-v5) against a stub that
verifies the storage signature, leaves out the object whose result is already stored, and
hands the rest to FunctionGraph / SCF through their SDKs, against stubs that verify
SDK-HMAC-SHA256 and TC3-HMAC-SHA256. The events that arrive are what the deployed
functions' own parsers read as their trigger's, for exactly the objects still to do. Then
how the SQS hand-off treats throttling, a missing queue and a partial batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from passport_ocr.events import parse_event
from passport_ocr.publishing.payload import results_key
from passport_ocr.tools.batch.runner import cli_settings
from passport_ocr.tools.batch.sources import open_source, parse_source
from passport_ocr.tools.cli import main
from tests.stubs.cos import CosStub
from tests.stubs.functions import functiongraph_async_invoke, scf_invoke
from tests.stubs.obs import ObsStub
from tests.stubs.server import StubServer

SCANS = ("uploads/张三 1.jpg", "uploads/b+c.png", "uploads/done.jpg")
AK, SK, TOKEN, PROJECT = "AKOBSFILL", "obs-secret", "obs-token", "0" * 32
URN = f"urn:fss:cn-north-4:{PROJECT}:function:default:passport-ocr:latest"
SECRET_ID, SECRET_KEY, COS_TOKEN = "AKIDcosfill", "cos-secret", "cos-token"
COS_BUCKET = "scans-1250000000"


functiongraph = functiongraph_async_invoke(PROJECT, URN, AK, SK, TOKEN)
scf = scf_invoke(SECRET_ID, SECRET_KEY, COS_TOKEN)


def put_result_for(source: str, key: str, store: Any, settings: Any) -> None:
    """The stack's stored result for `key`, named as the function names it."""
    opened = open_source(parse_source(source), settings)
    (ref,) = [ref for ref in opened.refs() if ref.key == key]
    store(results_key(ref, "results/"), b"{}")


@pytest.fixture
def obs() -> Iterator[tuple[ObsStub, StubServer]]:
    stub = ObsStub(AK, SK, TOKEN)
    for key in SCANS:
        stub.put("scans", key, key.encode())
    with StubServer(stub) as server:
        yield stub, server


@pytest.fixture
def cos() -> Iterator[tuple[CosStub, StubServer]]:
    stub = CosStub(SECRET_ID, SECRET_KEY, COS_TOKEN)
    for key in SCANS:
        stub.put(key, key.encode())
    with StubServer(stub) as server:
        yield stub, server


def test_obs_bucket_is_handed_to_functiongraph_as_obs_events(
    obs: tuple[ObsStub, StubServer],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stub, storage = obs
    for name, value in {"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK,
                        "HUAWEICLOUD_SDK_SECURITY_TOKEN": TOKEN,
                        "PASSPORT_OCR_STORAGE_ENDPOINT": storage.url,
                        "PASSPORT_OCR_RESULTS_PREFIX": "results/"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    settings = cli_settings("local")
    put_result_for("obs://scans/uploads/", SCANS[2],
                   lambda key, body: stub.put("scans", key, body, "application/json"),
                   settings)  # fmt: skip
    state = tmp_path / "state.jsonl"
    with StubServer(functiongraph) as function_api:
        argv = ["backfill", "obs://scans/uploads/", "--platform", "huaweicloud",
                "--function", URN, "--project-id", PROJECT, "--endpoint", function_api.url,
                "--rate", "0", "--state", str(state), "--yes"]  # fmt: skip
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "already done 1" in out and "handed off 2, failed 0" in out
        events = [json.loads(r.body) for r in function_api.requests]
        assert main(argv) == 0  # the rerun resumes from the state file: nothing more sent
        assert "handed off before 2, to hand off 0" in capsys.readouterr().out
        assert len(function_api.requests) == 2

    refs = [parse_event("huaweicloud", event).items[0].ref for event in events]
    assert sorted((ref.bucket, ref.key) for ref in refs) == sorted(
        ("scans", key) for key in SCANS[:2]
    )
    assert all(ref.etag and ref.size for ref in refs)
    assert stub.auth_failures == []


def test_cos_bucket_is_handed_to_scf_as_cos_events(
    cos: tuple[CosStub, StubServer],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stub, storage = cos
    for name, value in {"TENCENTCLOUD_SECRETID": SECRET_ID, "TENCENTCLOUD_SECRETKEY": SECRET_KEY,
                        "TENCENTCLOUD_SESSIONTOKEN": COS_TOKEN,
                        "PASSPORT_OCR_STORAGE_ENDPOINT": storage.url,
                        "PASSPORT_OCR_RESULTS_PREFIX": "results/"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    settings = cli_settings("local")
    put_result_for(f"cos://{COS_BUCKET}/uploads/", SCANS[0],
                   lambda key, body: stub.put(key, body, "application/json"),
                   settings)  # fmt: skip
    with StubServer(scf) as function_api:
        argv = ["backfill", f"cos://{COS_BUCKET}/uploads/", "--platform", "tencentcloud",
                "--function", "passport-ocr", "--endpoint", function_api.url,
                "--rate", "0", "--yes"]  # fmt: skip
        assert main(argv) == 0
        assert "already done 1" in capsys.readouterr().out
        sent = [json.loads(r.body) for r in function_api.requests]

    assert {(p["FunctionName"], p["InvocationType"]) for p in sent} == {("passport-ocr", "Event")}
    refs = [parse_event("tencentcloud", json.loads(p["ClientContext"])).items[0].ref for p in sent]
    assert sorted(ref.key for ref in refs) == sorted(SCANS[1:])
    assert {ref.bucket for ref in refs} == {COS_BUCKET}
    assert stub.auth_failures == []


# -- SQS: what the queue answers when it cannot take a batch --------------------------------
# moto never throttles, so these go through botocore's Stubber: the real client and its
# sqs model (botocore 1.44.18 data/sqs/2012-11-05/service-2.json: SendMessageBatch may raise
# RequestThrottled, KmsThrottled, QueueDoesNotExist, ...; a partial answer lists `Failed`
# entries with `SenderFault`), with the parameters validated against that model.

QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/uploads"


def sqs_deliveries(*answers: tuple[str, Any]) -> tuple[Any, list[float]]:
    """Hand two objects to a stubbed SQS client that gives `answers` in turn."""
    import boto3
    from botocore.stub import ANY, Stubber

    from passport_ocr.events.base import ObjectRef
    from passport_ocr.tools.backfill import handoff
    from passport_ocr.tools.batch.ratelimit import TokenBucket

    client = boto3.client("sqs", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # fmt: skip
    expected = {"QueueUrl": QUEUE, "Entries": ANY}
    pauses: list[float] = []
    with Stubber(client) as stub:
        for kind, answer in answers:
            if kind == "error":
                stub.add_client_error("send_message_batch", service_error_code=answer,
                                      http_status_code=400, expected_params=expected)  # fmt: skip
            else:
                stub.add_response("send_message_batch", answer, expected)
        refs = [ObjectRef(cloud="aws", region="us-east-1", bucket="b", key=f"k{n}.jpg",
                          size=10, etag=f"{n:032x}") for n in range(2)]  # fmt: skip
        summary = handoff.deliver(refs, handoff.SqsSender(client, QUEUE),
                                  bucket=TokenBucket(1000.0, burst=10), done=lambda _: None,
                                  sleep=pauses.append)  # fmt: skip
        stub.assert_no_pending_responses()
    return summary, pauses


SENT = {"Successful": [{"Id": str(n), "MessageId": f"m{n}", "MD5OfMessageBody": "0" * 32}
                       for n in range(2)], "Failed": []}  # fmt: skip


@pytest.mark.parametrize("code", ["RequestThrottled", "KmsThrottled"])
def test_a_throttled_batch_is_sent_again_after_a_pause(code: str) -> None:
    summary, pauses = sqs_deliveries(("error", code), ("error", code), ("ok", SENT))
    assert (summary.handed_off, summary.failed, summary.retries) == (2, 0, 2)
    assert len(pauses) == 2 and min(pauses) > 0  # a backoff (with jitter) before each resend


def test_a_missing_queue_fails_the_batch_at_once() -> None:
    summary, pauses = sqs_deliveries(("error", "QueueDoesNotExist"))
    assert (summary.handed_off, summary.failed, summary.retries) == (0, 2, 0)
    assert summary.errors == ["SQS refused the batch (QueueDoesNotExist)"] and pauses == []


def test_a_partial_batch_is_resent_unless_the_sender_is_at_fault() -> None:
    def partial(sender_fault: bool, code: str) -> dict[str, Any]:
        failed = {"Id": "1", "SenderFault": sender_fault, "Code": code}
        return {"Successful": SENT["Successful"][:1], "Failed": [failed]}

    summary, _ = sqs_deliveries(("ok", partial(False, "InternalError")), ("ok", SENT))
    assert (summary.handed_off, summary.failed, summary.retries) == (2, 0, 1)

    refused = partial(True, "InvalidMessageContents")
    summary, _ = sqs_deliveries(("ok", refused))
    assert (summary.handed_off, summary.failed, summary.retries) == (0, 2, 0)
    assert summary.errors == ["SQS took 1 of 2 messages"]
