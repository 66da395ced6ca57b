"""FunctionGraph handler end to end: realistic OBS events in, SMN CloudEvents out.

`functions/huaweicloud/index.py` is imported as FunctionGraph does (its folder on sys.path,
environment set first, one fresh module per test = a new container). Huawei OCR, OBS and SMN
are the signature-checking stubs; the agency's temporary credentials come from the context.
Every test runs in policy mode: the stubs refuse, as Huawei does, whatever the agency's
policy in infra/huaweicloud does not grant (`tests/stubs/policy.py`).
"""

from __future__ import annotations

import base64
import copy
import json
from types import ModuleType
from typing import Any
from urllib.parse import quote_plus

import pytest
import requests

from passport_ocr.errors import EventError
from passport_ocr.events import parse_event
from passport_ocr.platforms.common import InvocationFailedError
from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED, CloudEvent, event_id
from tests.conftest import (
    HUAWEI_TF_VARIABLES,
    OBS_BUCKET,
    HuaweiStack,
    huawei_terraform_policy,
    with_agency_policy,
)
from tests.events_helpers import load
from tests.handler_helpers import SPECIMEN, import_handler, obs_event
from tests.stubs.huawei import apig_error, apig_throttled
from tests.stubs.policy import huawei_agency_policy
from tests.stubs.server import RecordedRequest, StubResponse

pytestmark = pytest.mark.usefixtures("restore_logging")


@pytest.fixture
def huawei_stack(huawei_stack: HuaweiStack) -> HuaweiStack:
    """The shared stack in policy mode, with the agency policy infra/huaweicloud declares."""
    return with_agency_policy(huawei_stack)


KEY = "uploads/2026/09/李 四 100% a+b.jpg"


def encoded(key: str) -> str:
    """OBS URL-encodes trigger keys like S3 (space as '+')."""
    return quote_plus(key, safe="")


def handler(stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    return import_handler("huaweicloud", stack.env(**env), monkeypatch)


def upload(stack: HuaweiStack, key: str = KEY, data: bytes | None = None) -> dict[str, Any]:
    """Put an object into the OBS stub; return the native OBS trigger event for it."""
    body = stack.image if data is None else data
    stack.obs.put(OBS_BUCKET, key, body)
    etag = stack.obs.objects[(OBS_BUCKET, key)].etag.strip('"')
    return obs_event(encoded(key), len(body), etag, bucket=OBS_BUCKET)


def sent(request: RecordedRequest) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(request.body)
    return body


def published(stack: HuaweiStack) -> list[CloudEvent]:
    return [CloudEvent.from_json(m["message"]) for m in stack.smn.published]


# -- the happy paths, in every event shape -----------------------------------------------------


def point_at(event: dict[str, Any], key: str, size: int, etag: str) -> dict[str, Any]:
    """Aim every record of a realistic event (any OBS shape) at one test object."""
    event = copy.deepcopy(event)
    records = [event["data"]] if "data" in event else event["Records"]
    for record in records:
        body = record.get("obs") or record["s3"]
        body["bucket"]["name"] = OBS_BUCKET
        body["bucket"]["bucket"] = OBS_BUCKET
        body["object"].update(key=encoded(key), size=size, eTag=etag)
    return event


@pytest.mark.parametrize(
    ("event_file", "recognized", "skipped"),
    [
        ("huaweicloud_obs_native.json", 1, 0),
        ("huaweicloud_obs_s3_shape.json", 1, 1),  # its second record is a delete
        ("huaweicloud_eventgrid.json", 1, 0),
    ],
)
def test_every_obs_event_shape_ends_in_a_recognized_event_on_smn(
    huawei_stack: HuaweiStack,
    monkeypatch: pytest.MonkeyPatch,
    event_file: str,
    recognized: int,
    skipped: int,
) -> None:
    stack = huawei_stack
    upload(stack)
    etag = stack.obs.objects[(OBS_BUCKET, KEY)].etag.strip('"')
    event = point_at(load(event_file), KEY, len(stack.image), etag)

    summary = handler(stack, monkeypatch).handler(event, stack.context())

    assert (summary["recognized"], summary["skipped"], summary["failed"]) == (
        recognized,
        skipped,
        0,
    )
    (message,) = published(stack)
    assert message.type == RECOGNIZED
    assert message.subject == KEY  # decoded: spaces, '+', '%' and CJK intact
    assert message.source == f"obs://{OBS_BUCKET}"
    assert message.extensions["payloadmode"] == "masked"
    assert message.data["document_number"] != SPECIMEN.document_number  # masked by default
    assert message.data["issuing_state"] == "UTO"
    # The image went as bytes (the stub endpoint is no OBS region), exactly as stored.
    (call,) = stack.ocr_server.requests
    assert base64.b64decode(sent(call)["image"]) == stack.image
    assert call.header("X-Security-Token") == stack.context().security_token


def test_every_record_of_an_event_is_processed(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    first = upload(stack, "uploads/first scan.jpg")
    second = upload(stack, "uploads/deep/a/b/second+scan.jpg")
    event = {"Records": first["Records"] + second["Records"]}

    summary = handler(stack, monkeypatch).handler(event, stack.context())

    assert summary["recognized"] == 2
    assert sorted(m.subject or "" for m in published(stack)) == [
        "uploads/deep/a/b/second+scan.jpg",
        "uploads/first scan.jpg",
    ]


def test_url_mode_sends_a_signed_obs_url_the_vendor_can_download(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)

    summary = handler(stack, monkeypatch, PASSPORT_OCR_IMAGE_TRANSFER="url").handler(
        event, stack.context()
    )

    assert summary["outcomes"][0]["transfer"] == "url"
    url = sent(stack.ocr_server.requests[0])["url"]
    # What the vendor would do with it: a plain GET, signed by the URL alone.
    assert requests.get(url, timeout=5).content == stack.image
    assert stack.obs.auth_failures == []
    assert len(stack.smn.published) == 1


def test_url_the_vendor_cannot_download_is_retried_once_with_the_bytes(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)
    stack.ocr_server.then(apig_error(400, "ModelArts.4704", "get OBS file failed"))

    module = handler(
        stack, monkeypatch, PASSPORT_OCR_IMAGE_TRANSFER="url", PASSPORT_OCR_OCR_MAX_ATTEMPTS="1"
    )
    summary = module.handler(event, stack.context())

    assert summary["recognized"] == 1
    assert summary["outcomes"][0]["transfer"] == "bytes"
    first, second = (sent(r) for r in stack.ocr_server.requests)
    assert "url" in first and "image" not in first
    assert base64.b64decode(second["image"]) == stack.image


def test_reference_payload_writes_the_record_under_the_results_prefix(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)

    handler(stack, monkeypatch, PASSPORT_OCR_PAYLOAD="reference").handler(event, stack.context())

    (message,) = published(stack)
    assert message.extensions["payloadmode"] == "reference"
    written = [key for (bucket, key) in stack.obs.objects if key.startswith("results/")]
    assert len(written) == 1
    assert SPECIMEN.document_number.encode() in stack.obs.objects[(OBS_BUCKET, written[0])].data


# -- the error policy ----------------------------------------------------------------------------


def test_corrupt_image_is_rejected_without_calling_ocr_or_retrying(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack, data=stack.image[: len(stack.image) // 2])  # a truncated JPEG

    summary = handler(stack, monkeypatch).handler(event, stack.context())

    assert (summary["rejected"], summary["failed"]) == (1, 0)
    (message,) = published(stack)
    assert message.type == REJECTED
    assert message.data["error"]["code"] == "image.truncated"
    assert stack.ocr_server.requests == []


def test_vendor_saying_the_image_is_unusable_is_rejected(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)
    stack.ocr_server.then(apig_error(400, "AIS.0104", "image quality is too poor"))

    summary = handler(stack, monkeypatch).handler(event, stack.context())

    assert summary["rejected"] == 1
    assert published(stack)[0].data["error"]["vendor_code"] == "AIS.0104"
    assert stack.ocr_calls() == 1


def test_throttled_ocr_is_retried_then_raised_and_nothing_is_published(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)
    stack.ocr_server.then(apig_throttled(), apig_throttled(), apig_throttled())

    with pytest.raises(InvocationFailedError, match=r"provider\.throttled"):
        handler(stack, monkeypatch).handler(event, stack.context())

    assert stack.ocr_calls() == 3
    assert stack.smn.published == []


def test_unavailable_topic_raises_and_the_retry_publishes_the_same_event(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)
    module = handler(stack, monkeypatch)
    stack.smn_server.then(StubResponse.json(503, '{"error_code":"SMN.0500","error_msg":"busy"}'))

    with pytest.raises(InvocationFailedError, match=r"publish\.smn"):
        module.handler(event, stack.context())
    assert stack.smn.published == []

    module.handler(event, stack.context())  # the platform's retry, same container
    (message,) = published(stack)
    assert message.type == RECOGNIZED


def test_duplicate_delivery_carries_the_same_event_id(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)
    module = handler(stack, monkeypatch)

    module.handler(event, stack.context())
    module.handler(copy.deepcopy(event), stack.context())

    first, second = published(stack)
    assert first.id == second.id
    (item,) = parse_event("huaweicloud", event).items
    assert first.id == event_id(RECOGNIZED, item.ref)


@pytest.mark.parametrize(
    ("context_changes", "stub_answer", "code"),
    [
        ({"secret_key": "not-the-agency-secret"}, None, "provider.credentials"),
        ({}, ("ModelArts.4204", "service not subscribed"), "provider.not_subscribed"),
    ],
)
def test_operator_errors_raise_instead_of_rejecting(
    huawei_stack: HuaweiStack,
    monkeypatch: pytest.MonkeyPatch,
    context_changes: dict[str, str],
    stub_answer: tuple[str, str] | None,
    code: str,
) -> None:
    stack = huawei_stack
    event = upload(stack)
    if stub_answer is not None:
        stack.ocr_server.then(apig_error(400, *stub_answer))
    if context_changes:  # the OBS stub must accept the fetch: only OCR sees the bad key
        stack.obs.secret_key = context_changes["secret_key"]

    with pytest.raises(InvocationFailedError, match=code.replace(".", r"\.")):
        handler(stack, monkeypatch).handler(event, stack.context(**context_changes))

    assert stack.smn.published == []


def test_missing_agency_is_a_configuration_error_not_a_rejection(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    event = upload(stack)

    with pytest.raises(InvocationFailedError, match="config"):
        handler(stack, monkeypatch).handler(event, stack.context(access_key="", secret_key=""))
    assert stack.smn.published == []


# -- what is not processed -------------------------------------------------------------------


def test_deletes_and_results_are_skipped_without_any_call(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = huawei_stack
    deleted = upload(stack)
    deleted["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    ours = upload(stack, "results/2026/abc.json", b"{}")

    module = handler(stack, monkeypatch)
    summary = module.handler({"Records": deleted["Records"] + ours["Records"]}, stack.context())

    assert (summary["processed"], summary["skipped"]) == (0, 2)
    assert stack.ocr_server.requests == [] and stack.smn.published == []


def test_unknown_event_shape_is_a_typed_error(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = handler(huawei_stack, monkeypatch)
    with pytest.raises(EventError, match="expected"):
        module.handler({"hello": "world"}, huawei_stack.context())


# -- the agency's policy (infra/huaweicloud/iam.tf), enforced by the stubs ------------------------


def test_the_declared_agency_policy_covers_every_call_of_an_upload(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A versioned read in an SSE-KMS bucket, a result record, OCR and SMN: all granted."""
    stack = huawei_stack
    event = upload(stack)
    assert event["Records"][0]["obs"]["object"]["versionId"]  # the read names a version
    assert OBS_BUCKET in stack.obs.sse_kms_buckets

    handler(stack, monkeypatch, PASSPORT_OCR_PAYLOAD="reference").handler(event, stack.context())

    assert stack.obs.denials.items == stack.smn.denials.items == stack.ocr.denials.items == []
    (message,) = published(stack)
    assert message.type == RECOGNIZED


@pytest.mark.parametrize(
    "case",
    [
        ("obs:object:GetObjectVersion", "masked", "obs", "storage.denied"),
        ("kms:dek:crypto", "masked", "obs", "storage.denied"),
        ("obs:object:PutObject", "reference", "obs", "storage.denied"),
        ("smn:topic:publish", "masked", "smn", "publish.smn"),
        ("ocr:*:*", "masked", "ocr", "provider.credentials"),
    ],
)
def test_a_permission_missing_from_the_agency_fails_the_invocation_for_replay(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch, case: tuple[str, str, str, str]
) -> None:
    """Without one granted action the vendor answers 403; the function raises an operator
    error (FunctionGraph retries it, then records it under the failure prefix for replay),
    publishes nothing, and the upload stays where it was."""
    action, payload, refused, code = case  # what is removed, the payload mode, who refuses
    stack = huawei_stack
    declared, _ = huawei_terraform_policy()
    with_agency_policy(stack, declared.without(action))
    event = upload(stack)

    with pytest.raises(InvocationFailedError, match=code.replace(".", r"\.")):
        handler(stack, monkeypatch, PASSPORT_OCR_PAYLOAD=payload).handler(event, stack.context())

    stub = {"obs": stack.obs, "smn": stack.smn, "ocr": stack.ocr}[refused]
    assert stub.denials.items, f"{refused} refused nothing"
    denied_action, _resource = stub.denials.items[0]
    assert denied_action == action or action.endswith("*")
    assert stack.smn.published == []
    assert (OBS_BUCKET, KEY) in stack.obs.objects


@pytest.mark.parametrize("delete_after", ["recognized", "never"])
def test_deleting_a_recognized_scan_needs_the_grant_delete_after_adds_to_the_agency(
    huawei_stack: HuaweiStack, monkeypatch: pytest.MonkeyPatch, delete_after: str
) -> None:
    """PASSPORT_OCR_DELETE_AFTER=recognized deletes the scan once its record is out. The
    stack grants obs:object:DeleteObject only with `delete_after = "recognized"`; without
    the grant OBS refuses the delete, and the scan is kept for the retention rule (the
    record is out already: nothing is raised, so nothing is published twice)."""
    stack = huawei_stack
    declared, _ = huawei_agency_policy({**HUAWEI_TF_VARIABLES, "delete_after": delete_after})
    with_agency_policy(stack, declared)
    event = upload(stack)

    function = handler(stack, monkeypatch, PASSPORT_OCR_DELETE_AFTER="recognized")
    function.handler(event, stack.context())

    (message,) = published(stack)
    assert message.type == RECOGNIZED
    refused = [action for action, _ in stack.obs.denials.items]
    if delete_after == "recognized":
        assert refused == []
        assert (OBS_BUCKET, KEY) not in stack.obs.objects
    else:
        assert refused == ["obs:object:DeleteObject"]
        assert (OBS_BUCKET, KEY) in stack.obs.objects
