"""SCF handler end to end: realistic COS events in, TDMQ for CMQ CloudEvents out.

`functions/tencentcloud/index.py` is imported as SCF does (fresh module, environment first).
Tencent OCR, COS and TDMQ are the signature-checking stubs; the execution role's temporary
credentials are SCF's `TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN` variables.
Every test runs in policy mode: the stubs refuse, as CAM does, whatever the execution role's
policy in infra/tencentcloud does not grant (`tests/stubs/policy.py`).
"""

from __future__ import annotations

import base64
import copy
import json
from types import ModuleType
from typing import Any

import pytest

from passport_ocr.errors import EventError
from passport_ocr.events import parse_event
from passport_ocr.platforms.common import InvocationFailedError
from passport_ocr.publishing.envelope import RECOGNIZED, REJECTED, CloudEvent, event_id
from tests.conftest import (
    TENCENT_APPID,
    TENCENT_TF_KNOWN,
    TENCENT_TF_VARIABLES,
    TencentStack,
    tencent_terraform_policy,
    with_role_policy,
)
from tests.events_helpers import load
from tests.handler_helpers import SPECIMEN, cos_event, import_handler, page_jpeg, scf_context
from tests.stubs.policy import tencent_role_policy
from tests.stubs.tencent import tencent_error

pytestmark = pytest.mark.usefixtures("restore_logging")


@pytest.fixture
def tencent_stack(tencent_stack: TencentStack) -> TencentStack:
    """The shared stack in policy mode, with the role policy infra/tencentcloud declares."""
    return with_role_policy(tencent_stack)


KEY = "uploads/2026/王五 + 100%.jpg"
BUCKET = f"passports-{TENCENT_APPID}"


def handler(stack: TencentStack, monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    return import_handler("tencentcloud", stack.env(**env), monkeypatch)


def upload(stack: TencentStack, key: str = KEY, data: bytes | None = None) -> dict[str, Any]:
    body = stack.image if data is None else data
    stack.cos.put(key, body)
    return cos_event(key, len(body))


def published(stack: TencentStack) -> list[CloudEvent]:
    return [CloudEvent.from_json(m["MsgContent"]) for m in stack.tdmq.published]


def ocr_actions(stack: TencentStack) -> list[str]:
    return [r.header("X-TC-Action") or "" for r in stack.ocr_server.requests]


@pytest.mark.parametrize("event_file", ["tencentcloud_cos.json", "tencentcloud_cos_legacy.json"])
def test_cos_upload_ends_in_a_recognized_event_on_tdmq(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, event_file: str
) -> None:
    stack = tencent_stack
    stack.cos.put(KEY, stack.image)
    event = copy.deepcopy(load(event_file))
    for record in event["Records"]:
        record["cos"]["cosObject"].update(key=f"/{TENCENT_APPID}/passports/{KEY}")
        record["cos"]["cosObject"]["size"] = len(stack.image)
        record["cos"]["cosBucket"].update(name="passports", appid=TENCENT_APPID)

    summary = handler(stack, monkeypatch).main_handler(event, scf_context())

    assert summary["recognized"] == 1
    (message,) = published(stack)
    assert (message.type, message.subject, message.source) == (RECOGNIZED, KEY, f"cos://{BUCKET}")
    assert stack.tdmq.published[0]["MsgTag"] == ["recognized"]
    assert message.data["nationality"] == "UTO"
    ((action, params),) = stack.ocr.calls
    assert action == "MLIDPassportOCR"
    assert base64.b64decode(params["ImageBase64"]) == stack.image
    # Every call carried the role's session token (OCR, COS and TDMQ all check it).
    assert (
        stack.ocr_server.requests[0].header("X-TC-Token")
        == stack.env()["TENCENTCLOUD_SESSIONTOKEN"]
    )
    assert stack.cos.auth_failures == []


def test_renewed_role_credentials_are_used_by_the_next_invocation(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    event = upload(stack)
    module = handler(stack, monkeypatch)
    module.main_handler(event, scf_context())

    # SCF renews the role credentials between invocations of one container.
    renewed = ("AKIDscfRoleTemp0002", "renewed-secret", "renewed-token")
    stack.ocr.keys[renewed[0]] = renewed[1]
    stack.ocr.tokens[renewed[0]] = renewed[2]
    stack.tdmq.secrets[renewed[0]] = renewed[1]
    stack.tdmq.tokens[renewed[0]] = renewed[2]
    stack.cos.secret_id, stack.cos.secret_key, stack.cos.security_token = renewed
    monkeypatch.setenv("TENCENTCLOUD_SECRETID", renewed[0])
    monkeypatch.setenv("TENCENTCLOUD_SECRETKEY", renewed[1])
    monkeypatch.setenv("TENCENTCLOUD_SESSIONTOKEN", renewed[2])
    module.main_handler(event, scf_context())

    assert len(stack.tdmq.published) == 2
    assert stack.ocr_server.requests[-1].header("X-TC-Token") == "renewed-token"


def test_not_an_image_is_rejected_without_calling_ocr(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    event = upload(stack, "uploads/notes.jpg", b"just some notes, not a photo at all")

    summary = handler(stack, monkeypatch).main_handler(event, scf_context())

    assert summary["rejected"] == 1
    (message,) = published(stack)
    assert message.type == REJECTED
    assert message.data["error"]["code"] == "image.not_an_image"
    assert stack.ocr_server.requests == []


def test_vendor_not_finding_a_passport_is_rejected(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    event = upload(stack)
    stack.ocr_server.then(tencent_error("FailedOperation.NoPassport", "no passport"))

    handler(stack, monkeypatch).main_handler(event, scf_context())

    (message,) = published(stack)
    assert message.data["error"]["category"] == "not_a_passport"
    assert len(stack.ocr_server.requests) == 1  # a permanent verdict is never retried


def test_throttled_ocr_is_retried_then_raised(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    event = upload(stack)
    stack.ocr_server.then(*(tencent_error("RequestLimitExceeded") for _ in range(2)))

    with pytest.raises(InvocationFailedError, match=r"provider\.throttled"):
        handler(stack, monkeypatch, PASSPORT_OCR_OCR_MAX_ATTEMPTS="2").main_handler(
            event, scf_context()
        )

    assert ocr_actions(stack) == ["MLIDPassportOCR", "MLIDPassportOCR"]
    assert stack.tdmq.published == []


def test_unavailable_topic_raises_and_nothing_is_lost(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    event = upload(stack)
    module = handler(stack, monkeypatch)
    stack.tdmq_server.then(tencent_error("InternalError", "busy"))

    with pytest.raises(InvocationFailedError, match="publish"):
        module.main_handler(event, scf_context())

    module.main_handler(event, scf_context())  # SCF's async retry
    (message,) = published(stack)
    (item,) = parse_event("tencentcloud", event).items
    assert message.id == event_id(RECOGNIZED, item.ref)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("AuthFailure.SecretIdNotFound", "provider.credentials"),
        ("FailedOperation.UnOpenError", "provider.not_subscribed"),
        ("ResourceUnavailable.InArrears", "provider.quota"),
    ],
)
def test_operator_errors_raise_instead_of_rejecting(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, error: str, code: str
) -> None:
    stack = tencent_stack
    event = upload(stack)
    stack.ocr_server.then(tencent_error(error))

    with pytest.raises(InvocationFailedError, match=code.replace(".", r"\.")):
        handler(stack, monkeypatch).main_handler(event, scf_context())
    assert stack.tdmq.published == []


def test_missing_role_is_a_configuration_error(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    event = upload(stack)
    module = handler(stack, monkeypatch)
    for name in ("TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY", "TENCENTCLOUD_SESSIONTOKEN"):
        monkeypatch.delenv(name)

    with pytest.raises(InvocationFailedError, match="config"):
        module.main_handler(event, scf_context())


def test_deletes_and_results_are_skipped(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    deleted = upload(stack)
    deleted["Records"][0]["event"]["eventName"] = "cos:ObjectRemove:Delete"
    ours = upload(stack, "results/2026/abc.json", b"{}")

    summary = handler(stack, monkeypatch).main_handler(
        {"Records": deleted["Records"] + ours["Records"]}, scf_context()
    )

    assert (summary["processed"], summary["skipped"]) == (0, 2)
    assert stack.ocr_server.requests == [] and stack.tdmq.published == []


def test_unknown_event_shape_is_a_typed_error(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = handler(tencent_stack, monkeypatch)
    with pytest.raises(EventError, match="expected"):
        module.main_handler({"Records": [{"cmq": {}}]}, scf_context())


def test_masked_payload_keeps_names_and_number_out_of_the_topic(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tencent_stack
    handler(stack, monkeypatch).main_handler(upload(stack), scf_context())

    text = json.dumps(stack.tdmq.published[0]["MsgContent"])
    for value in (SPECIMEN.document_number, "VESTERGAARD", "SIGRID"):
        assert value not in text


# -- the execution role's policy (infra/tencentcloud/iam.tf), enforced by the stubs -------------


def test_the_declared_role_policy_covers_every_call_of_an_upload(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read of the version the event names, a result record, OCR and TDMQ: all granted."""
    stack = tencent_stack
    event = upload(stack)
    event["Records"][0]["cos"]["cosObject"]["vid"] = "MTg0NDUxNTc1NjIzMTQ1MDAwODg"

    summary = handler(stack, monkeypatch, PASSPORT_OCR_PAYLOAD="reference").main_handler(
        event, scf_context()
    )

    assert summary["recognized"] == 1
    assert stack.cos.denials.items == stack.tdmq.denials.items == stack.ocr.denials.items == []
    assert any(key.startswith("results/") for key in stack.cos.objects)
    assert any(
        ("versionId", "MTg0NDUxNTc1NjIzMTQ1MDAwODg") in r.query for r in stack.cos_server.requests
    )


@pytest.mark.parametrize(
    "case",
    [
        ("name/cos:GetObject", "masked", "cos", "storage.denied"),
        ("name/cos:PutObject", "reference", "cos", "storage.denied"),
        ("name/tdmq:PublishCmqMsg", "masked", "tdmq", "publish"),
        ("name/ocr:MLIDPassportOCR", "masked", "ocr", "provider.credentials"),
    ],
)
def test_a_permission_missing_from_the_role_fails_the_invocation_for_replay(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, case: tuple[str, str, str, str]
) -> None:
    """Without one granted action CAM refuses the call; the function raises an operator
    error (SCF retries it; the upload stays for a replay), and nothing is published."""
    action, payload, refused, code = case  # what is removed, the payload mode, who refuses
    stack = tencent_stack
    declared, _ = tencent_terraform_policy()
    with_role_policy(stack, declared.without(action))
    event = upload(stack)

    with pytest.raises(InvocationFailedError, match=code.replace(".", r"\.")):
        handler(stack, monkeypatch, PASSPORT_OCR_PAYLOAD=payload).main_handler(event, scf_context())

    stub = {"cos": stack.cos, "tdmq": stack.tdmq, "ocr": stack.ocr}[refused]
    assert [a for a, _ in stub.denials.items][:1] == [action]
    assert stack.tdmq.published == []
    assert KEY in stack.cos.objects


def test_a_kept_portrait_is_stored_in_cos_under_the_results_prefix_through_the_role_policy(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """PASSPORT_OCR_PORTRAIT=store: MLIDPassportOCR is asked for the portrait, COS stores it
    (the role's results grant covers it), the event names it, nothing carries its bytes."""
    stack = tencent_stack
    portrait = page_jpeg(90, 120, seed=11)
    stack.ocr.documents[stack.image].portrait = portrait
    event = upload(stack)

    summary = handler(stack, monkeypatch, PASSPORT_OCR_PORTRAIT="store").main_handler(
        event, scf_context()
    )

    assert summary["recognized"] == 1
    ((_, params),) = stack.ocr.calls
    assert params["RetImage"] is True
    (message,) = published(stack)
    stored = message.data["portrait"]
    assert stored["key"].startswith("results/portraits/") and stored["origin"] == "vendor"
    assert stack.cos.objects[stored["key"]] == (portrait, "image/jpeg")
    assert stack.cos.denials.items == stack.ocr.denials.items == []
    encoded = base64.b64encode(portrait).decode()
    assert encoded not in stack.tdmq.published[0]["MsgContent"]
    assert encoded not in caplog.text and encoded[:64] not in caplog.text


@pytest.mark.parametrize("delete_after", ["recognized", "never"])
def test_deleting_a_recognized_scan_needs_the_grant_delete_after_adds_to_the_role(
    tencent_stack: TencentStack, monkeypatch: pytest.MonkeyPatch, delete_after: str
) -> None:
    """PASSPORT_OCR_DELETE_AFTER=recognized deletes the scan once its record is out; the
    role has name/cos:DeleteObject only with `delete_after = "recognized"`. Without it COS
    refuses, the scan stays for the retention rule, and nothing is raised or published twice."""
    stack = tencent_stack
    variables = {**TENCENT_TF_VARIABLES, "delete_after": delete_after}
    declared, _ = tencent_role_policy(variables, TENCENT_TF_KNOWN)
    with_role_policy(stack, declared)
    event = upload(stack)

    function = handler(stack, monkeypatch, PASSPORT_OCR_DELETE_AFTER="recognized")
    function.main_handler(event, scf_context())

    (message,) = published(stack)
    assert message.type == RECOGNIZED
    refused = [action for action, _ in stack.cos.denials.items]
    if delete_after == "recognized":
        assert refused == []
        assert KEY not in stack.cos.objects
    else:
        assert refused == ["name/cos:DeleteObject"]
        assert KEY in stack.cos.objects
