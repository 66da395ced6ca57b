"""The CSMS and SSM secret readers over real HTTP, against signature-checking stubs.

`CsmsSecret` (huaweicloudsdkcsms) and `SsmSecret` (tencentcloud-sdk-python-ssm) send their
requests through the vendors' SDKs to `tests/stubs/csms.py` and `tests/stubs/ssm.py`, which
verify the SDK-HMAC-SHA256 / TC3-HMAC-SHA256 signature and the security token with this
project's own verifiers (`tests/stubs/huawei.py`, `tests/stubs/tencent.py`) before
answering. Every failure is a typed `SecretError` that names no value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from passport_ocr.credentials import Credentials
from passport_ocr.errors import ConfigError, SecretError
from passport_ocr.platforms.huaweicloud_secrets import CsmsSecret, csms_endpoint
from passport_ocr.platforms.tencentcloud_secrets import SsmSecret
from passport_ocr.vendor_secrets import SecretCredentials
from tests.stubs.csms import CsmsStub
from tests.stubs.server import StubServer
from tests.stubs.ssm import SsmStub

AK, SK, TOKEN = "HWAGENCYAK0001", "agency-secret-key", "agency-security-token"
PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
SECRET_ID, SECRET_KEY, SESSION = "AKIDscfRole0001", "scf-role-key", "scf-role-token"
#: What the secrets hold: another cloud's key pair (its value must never show up anywhere).
TENCENT_PAIR = json.dumps({"secret_id": "AKIDforOcr", "secret_key": "tencent-ocr-secret-key"})
HUAWEI_PAIR = json.dumps({"ak": "HWOCRAK", "sk": "huawei-ocr-secret-key"})


def agency() -> Credentials:
    return Credentials(AK, SK, TOKEN)


def role() -> Credentials:
    return Credentials(SECRET_ID, SECRET_KEY, SESSION)


@pytest.fixture
def csms() -> Iterator[tuple[CsmsStub, StubServer]]:
    stub = CsmsStub(
        secrets={AK: SK},
        project_id=PROJECT,
        tokens={AK: TOKEN},
        values={"passport-ocr-tencent": [TENCENT_PAIR]},
    )
    with StubServer(stub) as server:
        yield stub, server


@pytest.fixture
def ssm() -> Iterator[tuple[SsmStub, StubServer]]:
    stub = SsmStub(
        keys={SECRET_ID: SECRET_KEY},
        tokens={SECRET_ID: SESSION},
        values={("passport-ocr-huawei", "v1"): HUAWEI_PAIR},
    )
    with StubServer(stub) as server:
        yield stub, server


def csms_secret(server: StubServer, name: str = "passport-ocr-tencent", **kw: object) -> CsmsSecret:
    return CsmsSecret(
        name,
        project_id=PROJECT,
        region="cn-north-4",
        credentials=kw.pop("credentials", agency),  # type: ignore[arg-type]
        endpoint=server.url,
        **kw,  # type: ignore[arg-type]
    )


def ssm_secret(server: StubServer, name: str = "passport-ocr-huawei", **kw: object) -> SsmSecret:
    return SsmSecret(
        name,
        region="ap-shanghai",
        credentials=kw.pop("credentials", role),  # type: ignore[arg-type]
        version=kw.pop("version", "v1"),  # type: ignore[arg-type]
        endpoint=server.url,
    )


# -- Huawei CSMS ---------------------------------------------------------------------------------


def test_csms_reads_the_latest_version_with_the_agency_credentials(
    csms: tuple[CsmsStub, StubServer],
) -> None:
    stub, server = csms
    keys = SecretCredentials(csms_secret(server), ("secret_id", "secret_key"))
    assert keys() == Credentials("AKIDforOcr", "tencent-ocr-secret-key")
    (request,) = server.requests
    assert request.method == "GET"
    assert request.path == f"/v1/{PROJECT}/secrets/passport-ocr-tencent/versions/latest"
    assert request.header("X-Security-Token") == TOKEN
    assert stub.reads == [("passport-ocr-tencent", "latest")]

    stub.rotate("passport-ocr-tencent", json.dumps({"secret_id": "AKIDnew", "secret_key": "n"}))
    assert keys.refresh(keys()) is True
    assert keys().access_key == "AKIDnew"


def test_csms_a_pinned_version_is_read_as_given(csms: tuple[CsmsStub, StubServer]) -> None:
    stub, server = csms
    stub.rotate("passport-ocr-tencent", "{}")
    assert csms_secret(server, version="v1").read() == TENCENT_PAIR


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("name", "not_found"),
        ("signature", "denied"),
        ("token", "denied"),
    ],
)
def test_csms_failures_are_typed_and_show_no_value(
    csms: tuple[CsmsStub, StubServer], change: str, reason: str
) -> None:
    _stub, server = csms
    if change == "name":
        secret = csms_secret(server, name="absent")
    elif change == "signature":
        secret = csms_secret(server, credentials=lambda: Credentials(AK, "wrong", TOKEN))
    else:
        secret = csms_secret(server, credentials=lambda: Credentials(AK, SK, "stale-token"))
    with pytest.raises(SecretError) as raised:
        secret.read()
    assert raised.value.code == f"secret.{reason}"
    assert raised.value.operator is True and raised.value.permanent is False
    assert "tencent-ocr-secret-key" not in str(raised.value)


def test_csms_unreachable_is_transient() -> None:
    secret = CsmsSecret(
        "x",
        project_id=PROJECT,
        region="cn-north-4",
        credentials=agency,
        endpoint="http://127.0.0.1:9",
    )
    with pytest.raises(SecretError) as raised:
        secret.read()
    assert raised.value.code == "secret.unavailable" and raised.value.operator is False


def test_csms_endpoint_is_the_regions_kms_endpoint() -> None:
    # huaweicloudsdkcsms v1/region/csms_region.py:9-10; a region newer than the SDK: the pattern.
    assert csms_endpoint("cn-north-4", None) == "https://kms.cn-north-4.myhuaweicloud.com"
    assert csms_endpoint("xx-new-1", None) == "https://kms.xx-new-1.myhuaweicloud.com"
    assert csms_endpoint("cn-north-4", "kms.example.test") == "https://kms.example.test"


# -- Tencent SSM ---------------------------------------------------------------------------------


def test_ssm_reads_the_version_with_the_role_credentials(
    ssm: tuple[SsmStub, StubServer],
) -> None:
    stub, server = ssm
    keys = SecretCredentials(ssm_secret(server), ("ak", "sk"))
    assert keys() == Credentials("HWOCRAK", "huawei-ocr-secret-key")
    (request,) = server.requests
    assert request.header("X-TC-Action") == "GetSecretValue"
    assert request.header("X-TC-Version") == "2019-09-23"
    assert request.header("X-TC-Region") == "ap-shanghai"
    assert request.header("X-TC-Token") == SESSION
    assert json.loads(request.body) == {"SecretName": "passport-ocr-huawei", "VersionId": "v1"}

    # Rotation of a user-defined secret: UpdateSecret replaces the version's value.
    stub.values[("passport-ocr-huawei", "v1")] = json.dumps({"ak": "HWNEW", "sk": "new"})
    assert keys.refresh(keys()) is True
    assert keys().access_key == "HWNEW"
    assert stub.reads == [("passport-ocr-huawei", "v1")] * 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [("name", "not_found"), ("signature", "denied"), ("token", "denied")],
)
def test_ssm_failures_are_typed_and_show_no_value(
    ssm: tuple[SsmStub, StubServer], change: str, reason: str
) -> None:
    _stub, server = ssm
    if change == "name":
        secret = ssm_secret(server, name="absent")
    elif change == "signature":
        secret = ssm_secret(server, credentials=lambda: Credentials(SECRET_ID, "wrong", SESSION))
    else:
        secret = ssm_secret(server, credentials=lambda: Credentials(SECRET_ID, SECRET_KEY, "old"))
    with pytest.raises(SecretError) as raised:
        secret.read()
    assert raised.value.code == f"secret.{reason}"
    assert "huawei-ocr-secret-key" not in str(raised.value)


def test_ssm_needs_a_version_id() -> None:
    with pytest.raises(ConfigError, match="PASSPORT_OCR_VENDOR_SECRET_VERSION"):
        SsmSecret("name", region="ap-shanghai", credentials=role, version=None)


def test_ssm_unreachable_is_transient() -> None:
    secret = SsmSecret(
        "x", region="ap-shanghai", credentials=role, version="v1", endpoint="http://127.0.0.1:9"
    )
    with pytest.raises(SecretError) as raised:
        secret.read()
    assert raised.value.code == "secret.unavailable" and raised.value.operator is False
