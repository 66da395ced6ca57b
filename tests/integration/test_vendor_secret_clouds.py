"""Issue 12 section 3 on FunctionGraph and SCF: another cloud's OCR key from the own cloud's
secret store, end to end through the handlers.

- FunctionGraph calling Tencent OCR: the key pair is in a CSMS secret (`tests/stubs/csms.py`),
  read with the agency's temporary credentials from the context, in policy mode with the
  agency policy infra/huaweicloud declares for `vendor_secret_name`.
- SCF calling Huawei OCR: the key pair is in an SSM secret (`tests/stubs/ssm.py`), read with
  the execution role's temporary credentials, in policy mode with the CAM policy
  infra/tencentcloud declares for `vendor_secret_name`.

Every stub checks the signature of every request with the project's own verifiers, and the
environment names no vendor key at all: a recognized page proves the key came from the
secret. Rotating the secret and the vendor's key together: the cached key is refused, the
secret is read again, and the page is read with the new key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest

from passport_ocr.platforms.common import InvocationFailedError
from passport_ocr.vendor_secrets import RefreshOnAuthFailure
from tests.conftest import (
    HUAWEI_AK,
    HUAWEI_PROJECT,
    HUAWEI_SK,
    HUAWEI_TF_VARIABLES,
    HUAWEI_TOKEN,
    OBS_BUCKET,
    TENCENT_ID,
    TENCENT_KEY,
    TENCENT_OWNER_UIN,
    TENCENT_TF_KNOWN,
    TENCENT_TF_VARIABLES,
    TENCENT_TOKEN,
    HuaweiStack,
    TencentStack,
    with_agency_policy,
    with_role_policy,
)
from tests.handler_helpers import (
    SPECIMEN,
    cos_event,
    huawei_answer,
    import_handler,
    obs_event,
    scf_context,
    tencent_mlid_answer,
)
from tests.stubs.csms import CsmsStub
from tests.stubs.huawei import HuaweiOcrStub
from tests.stubs.policy import huawei_agency_policy, tencent_role_policy
from tests.stubs.server import StubServer
from tests.stubs.ssm import SsmStub
from tests.stubs.tencent import Document, TencentOcrStub

pytestmark = pytest.mark.usefixtures("restore_logging")

SECRET_NAME = "passport-ocr-vendor-key"
OCR_ID, OCR_KEY = "AKIDtencentOcrUser01", "tencent-ocr-user-secret-key"
NEW_ID, NEW_KEY = "AKIDtencentOcrUser02", "tencent-ocr-rotated-key"
HW_OCR_AK, HW_OCR_SK = "HWOCRUSERAK01", "huawei-ocr-user-secret-key"
HW_NEW_AK, HW_NEW_SK = "HWOCRUSERAK02", "huawei-ocr-rotated-key"


def provider_of(module: ModuleType) -> RefreshOnAuthFailure:
    provider = module.runtime._pipeline.provider
    assert isinstance(provider, RefreshOnAuthFailure)
    return provider


# -- FunctionGraph -> Tencent OCR, key in CSMS ---------------------------------------------------


@dataclass
class FunctionGraphToTencent:
    stack: HuaweiStack
    csms: CsmsStub
    csms_server: StubServer
    ocr: TencentOcrStub
    ocr_server: StubServer

    def handler(self, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
        env = self.stack.env(
            PASSPORT_OCR_PROVIDER="tencent",
            PASSPORT_OCR_TENCENT_ENDPOINT=self.ocr_server.url,
            PASSPORT_OCR_VENDOR_SECRET=SECRET_NAME,
            PASSPORT_OCR_VENDOR_SECRET_ENDPOINT=self.csms_server.url,
        )
        return import_handler("huaweicloud", env, monkeypatch)

    def invoke(self, module: ModuleType, key: str) -> dict[str, Any]:
        self.stack.obs.put(OBS_BUCKET, key, self.stack.image)
        etag = self.stack.obs.objects[(OBS_BUCKET, key)].etag.strip('"')
        event = obs_event(key, len(self.stack.image), etag, bucket=OBS_BUCKET)
        answer: dict[str, Any] = module.handler(event, self.stack.context())
        return answer


@pytest.fixture
def fg_to_tencent(huawei_stack: HuaweiStack) -> Iterator[FunctionGraphToTencent]:
    policy, _ = huawei_agency_policy({**HUAWEI_TF_VARIABLES, "vendor_secret_name": SECRET_NAME})
    stack = with_agency_policy(huawei_stack, policy)
    csms = CsmsStub(
        secrets={HUAWEI_AK: HUAWEI_SK},
        project_id=HUAWEI_PROJECT,
        tokens={HUAWEI_AK: HUAWEI_TOKEN},
        values={SECRET_NAME: [json.dumps({"secret_id": OCR_ID, "secret_key": OCR_KEY})]},
        policy=policy,
    )
    ocr = TencentOcrStub(
        keys={OCR_ID: OCR_KEY},
        documents={stack.image: Document(mlid=tencent_mlid_answer(SPECIMEN), passport=None)},
    )
    with StubServer(csms) as csms_server, StubServer(ocr) as ocr_server:
        yield FunctionGraphToTencent(stack, csms, csms_server, ocr, ocr_server)


def test_functiongraph_reads_the_tencent_key_from_csms_and_again_after_rotation(
    fg_to_tencent: FunctionGraphToTencent, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = fg_to_tencent
    module = world.handler(monkeypatch)
    assert world.invoke(module, "uploads/a.jpg")["recognized"] == 1
    assert world.invoke(module, "uploads/b.jpg")["recognized"] == 1
    assert world.csms.reads == [(SECRET_NAME, "latest")]  # once per container
    (request,) = world.csms_server.requests
    assert request.header("X-Security-Token") == HUAWEI_TOKEN  # the agency's credentials

    world.csms.rotate(SECRET_NAME, json.dumps({"secret_id": NEW_ID, "secret_key": NEW_KEY}))
    world.ocr.keys.clear()
    world.ocr.keys[NEW_ID] = NEW_KEY
    assert world.invoke(module, "uploads/c.jpg")["recognized"] == 1
    assert world.csms.reads == [(SECRET_NAME, "latest")] * 2
    assert provider_of(module).keys().access_key == NEW_ID
    assert len(world.stack.smn.published) == 3
    assert world.csms.denials.items == []


def test_functiongraph_without_the_grant_fails_for_the_operator(
    fg_to_tencent: FunctionGraphToTencent, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = fg_to_tencent
    world.csms.policy, _ = huawei_agency_policy(HUAWEI_TF_VARIABLES)  # no vendor_secret_name
    module = world.handler(monkeypatch)
    with pytest.raises(InvocationFailedError, match=r"secret\.denied"):
        world.invoke(module, "uploads/a.jpg")
    assert world.csms.denials.items[0][0] == "csms:secretVersion:get"
    assert world.ocr_server.requests == []
    assert world.stack.smn.published == []  # nothing rejected: the upload stays for replay


# -- SCF -> Huawei OCR, key in SSM ---------------------------------------------------------------


@dataclass
class ScfToHuawei:
    stack: TencentStack
    ssm: SsmStub
    ssm_server: StubServer
    ocr: HuaweiOcrStub
    ocr_server: StubServer

    def handler(self, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
        env = self.stack.env(
            PASSPORT_OCR_PROVIDER="huawei",
            PASSPORT_OCR_HUAWEI_ENDPOINT=self.ocr_server.url,
            PASSPORT_OCR_HUAWEI_PROJECT_ID=HUAWEI_PROJECT,
            PASSPORT_OCR_VENDOR_SECRET=SECRET_NAME,
            PASSPORT_OCR_VENDOR_SECRET_VERSION="v1",
            PASSPORT_OCR_VENDOR_SECRET_ENDPOINT=self.ssm_server.url,
        )
        return import_handler("tencentcloud", env, monkeypatch)

    def invoke(self, module: ModuleType, key: str) -> dict[str, Any]:
        self.stack.cos.put(key, self.stack.image)
        answer: dict[str, Any] = module.main_handler(
            cos_event(key, len(self.stack.image)), scf_context()
        )
        return answer


@pytest.fixture
def scf_to_huawei(tencent_stack: TencentStack) -> Iterator[ScfToHuawei]:
    policy, _ = tencent_role_policy(
        {**TENCENT_TF_VARIABLES, "vendor_secret_name": SECRET_NAME}, TENCENT_TF_KNOWN
    )
    stack = with_role_policy(tencent_stack, policy)
    ssm = SsmStub(
        keys={TENCENT_ID: TENCENT_KEY},
        tokens={TENCENT_ID: TENCENT_TOKEN},
        values={(SECRET_NAME, "v1"): json.dumps({"ak": HW_OCR_AK, "sk": HW_OCR_SK})},
        policy=policy,
        owner_uin=TENCENT_OWNER_UIN,
    )
    ocr = HuaweiOcrStub(
        secrets={HW_OCR_AK: HW_OCR_SK},
        project_id=HUAWEI_PROJECT,
        answer=lambda body: huawei_answer(SPECIMEN),
    )
    with StubServer(ssm) as ssm_server, StubServer(ocr) as ocr_server:
        yield ScfToHuawei(stack, ssm, ssm_server, ocr, ocr_server)


def test_scf_reads_the_huawei_key_from_ssm_and_again_after_rotation(
    scf_to_huawei: ScfToHuawei, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = scf_to_huawei
    module = world.handler(monkeypatch)
    assert world.invoke(module, "uploads/a.jpg")["recognized"] == 1
    assert world.invoke(module, "uploads/b.jpg")["recognized"] == 1
    assert world.ssm.reads == [(SECRET_NAME, "v1")]
    (request,) = world.ssm_server.requests
    assert request.header("X-TC-Token") == TENCENT_TOKEN  # the role's credentials

    # UpdateSecret: the same version now holds the new pair; the old AK is deleted.
    world.ssm.values[(SECRET_NAME, "v1")] = json.dumps({"ak": HW_NEW_AK, "sk": HW_NEW_SK})
    world.ocr.secrets.clear()
    world.ocr.secrets[HW_NEW_AK] = HW_NEW_SK
    assert world.invoke(module, "uploads/c.jpg")["recognized"] == 1
    assert world.ssm.reads == [(SECRET_NAME, "v1")] * 2
    assert [check.ok for check in world.ocr.checks] == [True, True, False, True]
    assert len(world.stack.tdmq.published) == 3
    assert world.ssm.denials.items == []


def test_scf_logs_and_events_never_carry_the_key(
    scf_to_huawei: ScfToHuawei,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    world = scf_to_huawei
    module = world.handler(monkeypatch)
    capfd.readouterr()
    world.ocr.secrets.clear()  # the key in the secret is refused, and still the same
    with pytest.raises(InvocationFailedError, match=r"provider\.credentials"):
        world.invoke(module, "uploads/a.jpg")
    out, err = capfd.readouterr()
    assert "provider.credentials" in out
    for text in (out, err, repr(provider_of(module).keys), json.dumps(world.stack.tdmq.published)):
        assert HW_OCR_SK not in text
    assert world.ssm.reads == [(SECRET_NAME, "v1")] * 2  # read again once, not in a loop
    assert len(world.ocr_server.requests) == 1
