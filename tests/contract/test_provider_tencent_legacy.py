"""Contract tests: the legacy Tencent image OCR provider against a local stub of seed 003's API.

The stub checks the HMAC-SHA1 `Authorization` with its own code (`tests/stubs/tencent_legacy.py`).
"""

from __future__ import annotations

import base64
import io
import json
import socket
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PIL import Image

from passport_ocr.config import load_settings
from passport_ocr.credentials import Credentials
from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError
from passport_ocr.images import PreparedImage
from passport_ocr.providers.base import ImageInput, RetryPolicy
from passport_ocr.providers.factory import build_provider
from passport_ocr.providers.tencent_legacy import (
    CODE_TABLE,
    JSON_OVERHEAD_BYTES,
    MULTIPART_OVERHEAD_BYTES,
    STATUS_TABLE,
    LegacyOptions,
    TencentLegacyProvider,
    legacy_limits,
    sign,
)
from tests.fakes import FakeTime
from tests.stubs.huawei import html_error_page, load_sample
from tests.stubs.server import StubResponse, StubServer
from tests.stubs.tencent_legacy import TencentLegacyStub, check_legacy_signature, legacy_error

APP_ID = "1250000000"
SECRET_ID, SECRET_KEY = "AKIDlegacyExample", "legacySecretKeyExample"
SESSION_ID = "10000011588781056"  # the seed sample's session_id


@pytest.fixture(scope="module")
def jpeg() -> PreparedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (230, 230, 230)).save(buffer, "JPEG")
    return PreparedImage(data=buffer.getvalue(), format="JPEG", width=120, height=80)


@pytest.fixture
def stub() -> TencentLegacyStub:
    return TencentLegacyStub(app_id=APP_ID, secrets={SECRET_ID: SECRET_KEY})


@pytest.fixture(scope="module")
def shared_server() -> Iterator[StubServer]:
    with StubServer(TencentLegacyStub()) as running:
        yield running


@pytest.fixture
def server(shared_server: StubServer, stub: TencentLegacyStub) -> StubServer:
    return shared_server.serve(stub)


def make_provider(
    server: StubServer,
    fake: FakeTime | None = None,
    *,
    credentials: Credentials | None = None,
    retry: RetryPolicy | None = None,
    wall_offset: float = 0.0,
    **options: Any,
) -> TencentLegacyProvider:
    fake = fake or FakeTime(500.0)
    options.setdefault("app_id", APP_ID)
    return TencentLegacyProvider(
        LegacyOptions(endpoint=f"{server.url}/ocr/passport", **options),
        credentials or Credentials(SECRET_ID, SECRET_KEY),
        retry=retry or RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05),
        sleep=fake.sleep,
        clock=fake.clock,
        wall_clock=lambda: time.time() + wall_offset,
    )


# -- the signature ---------------------------------------------------------------------------------
def test_signature_layout_and_independent_check() -> None:
    credentials = Credentials(SECRET_ID, SECRET_KEY)
    value = sign(credentials, APP_ID, now=1_700_000_000, rand=42, validity=300)
    original = base64.b64decode(value)[20:].decode()
    assert original == f"a={APP_ID}&b=&k={SECRET_ID}&e=1700000300&t=1700000000&r=42&u=0&f="
    secrets = {SECRET_ID: SECRET_KEY}
    assert check_legacy_signature(value, secrets, APP_ID, now=1_700_000_100).ok
    assert check_legacy_signature(value, secrets, APP_ID, now=1_700_000_301).reason == (
        "signature expired"
    )
    assert not check_legacy_signature(value, {SECRET_ID: "other"}, APP_ID, now=1_700_000_000).ok
    assert not check_legacy_signature(value, secrets, "1250000001", now=1_700_000_000).ok
    forged = base64.b64encode(
        base64.b64decode(value)[:20] + original.replace("r=42", "r=43").encode()
    )
    assert check_legacy_signature(forged.decode(), secrets, APP_ID, now=1_700_000_000).reason == (
        "signature mismatch"
    )


def test_wrong_secret_is_a_credentials_error(server: StubServer, jpeg: PreparedImage) -> None:
    provider = make_provider(server, credentials=Credentials(SECRET_ID, "wrong"))
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.CREDENTIALS, False)
    assert caught.value.http_status == 403
    assert len(server.requests) == 1


def test_a_clock_far_behind_makes_an_expired_signature(
    server: StubServer, stub: TencentLegacyStub, jpeg: PreparedImage
) -> None:
    with pytest.raises(ProviderError) as caught:
        make_provider(server, wall_offset=-3600).recognize(ImageInput(image=jpeg))
    assert caught.value.category is ProviderCategory.CREDENTIALS
    assert stub.signatures[0].reason == "signature expired"


# -- the request for each mode ---------------------------------------------------------------------
def test_bytes_go_as_multipart_by_default(
    server: StubServer, stub: TencentLegacyStub, jpeg: PreparedImage
) -> None:
    answer = make_provider(server).recognize(ImageInput(image=jpeg))
    (request,) = server.requests
    assert request.path == "/ocr/passport"
    assert (request.header("Content-Type") or "").startswith("multipart/form-data; boundary=")
    (body,) = stub.bodies
    assert (body.kind, body.app_id, body.image, body.url) == ("multipart", APP_ID, jpeg.data, None)
    assert stub.signatures[0].ok
    assert answer.format == "tencent-legacy"
    assert answer.raw == load_sample("tencent_legacy.json")
    assert answer.request_id == SESSION_ID
    assert answer.attempts == 1


def test_json_base64_mode(server: StubServer, stub: TencentLegacyStub, jpeg: PreparedImage) -> None:
    make_provider(server, body="json").recognize(ImageInput(image=jpeg))
    sent = json.loads(server.requests[0].body)
    assert set(sent) == {"app_id", "image"}
    assert base64.b64decode(sent["image"]) == jpeg.data
    assert stub.bodies[0].kind == "json"


def test_url_mode_sends_json(server: StubServer) -> None:
    url = "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/uploads/p.jpg?sign=x"
    make_provider(server).recognize(ImageInput(url=url))
    assert json.loads(server.requests[0].body) == {"app_id": APP_ID, "url": url}


def test_multipart_is_the_smaller_body(server: StubServer) -> None:
    """Why multipart is the default: the image travels as is, not 4/3 larger as base64."""
    buffer = io.BytesIO()
    Image.effect_noise((600, 400), 64).convert("RGB").save(buffer, "JPEG", quality=95)
    image = PreparedImage(data=buffer.getvalue(), format="JPEG", width=600, height=400)
    make_provider(server).recognize(ImageInput(image=image))
    make_provider(server, body="json").recognize(ImageInput(image=image))
    multipart, as_json = (len(request.body) for request in server.requests)
    assert multipart - len(image.data) <= MULTIPART_OVERHEAD_BYTES
    assert as_json - len(base64.b64encode(image.data)) <= JSON_OVERHEAD_BYTES
    assert as_json > multipart * 1.3
    # The largest image each body mode can carry under the 6 MB cap.
    largest = {
        mode: limits.max_encoded_bytes * (3 / 4 if limits.base64 else 1)
        for mode, limits in (
            ("multipart", legacy_limits("multipart")),
            ("json", legacy_limits("json")),
        )
    }
    assert largest["multipart"] > 6_000_000
    assert largest["json"] < 4_800_000


def test_from_settings_and_environment(server: StubServer, stub: TencentLegacyStub) -> None:
    settings = load_settings(
        {
            "PASSPORT_OCR_TENCENT_LEGACY_APP_ID": APP_ID,
            "PASSPORT_OCR_TENCENT_LEGACY_ENDPOINT": f"{server.url}/ocr/passport",
        }
    )
    environ = {"TENCENTCLOUD_SECRET_ID": SECRET_ID, "TENCENTCLOUD_SECRET_KEY": SECRET_KEY}
    provider = TencentLegacyProvider.from_settings(settings, environ=environ)
    provider.recognize(ImageInput(url="https://example.com/p.jpg"))
    assert stub.signatures[0].fields["k"] == SECRET_ID
    with pytest.raises(ConfigError, match="APP_ID"):
        TencentLegacyProvider.from_settings(load_settings({}), environ=environ)


@pytest.mark.parametrize("body", ["multipart", "json"])
def test_the_request_body_is_chosen_by_setting(
    server: StubServer, stub: TencentLegacyStub, jpeg: PreparedImage, body: str
) -> None:
    settings = load_settings(
        {
            "PASSPORT_OCR_TENCENT_LEGACY_APP_ID": APP_ID,
            "PASSPORT_OCR_TENCENT_LEGACY_ENDPOINT": f"{server.url}/ocr/passport",
            "PASSPORT_OCR_TENCENT_LEGACY_BODY": body,
        }
    )
    environ = {"TENCENTCLOUD_SECRET_ID": SECRET_ID, "TENCENTCLOUD_SECRET_KEY": SECRET_KEY}
    provider = TencentLegacyProvider.from_settings(settings, environ=environ)
    provider.recognize(ImageInput(image=jpeg))
    assert [parsed.kind for parsed in stub.bodies] == [body]
    assert provider.limits.base64 is (body == "json")


def test_on_scf_with_a_role_the_long_lived_keys_sign_never_the_roles_temporary_key(
    server: StubServer, stub: TencentLegacyStub
) -> None:
    """SCF sets the role's temporary key as TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN; the
    legacy signature has no token field, so that key would be refused."""
    settings = load_settings(
        {
            "PASSPORT_OCR_TENCENT_LEGACY_APP_ID": APP_ID,
            "PASSPORT_OCR_TENCENT_LEGACY_ENDPOINT": f"{server.url}/ocr/passport",
        }
    )
    role = {
        "TENCENTCLOUD_SECRETID": "AKIDrole",
        "TENCENTCLOUD_SECRETKEY": "role-secret",
        "TENCENTCLOUD_SESSIONTOKEN": "role-token",
    }
    keys = {"TENCENTCLOUD_SECRET_ID": SECRET_ID, "TENCENTCLOUD_SECRET_KEY": SECRET_KEY}
    provider = build_provider(
        settings.model_copy(update={"provider": "tencent-legacy"}),
        "tencentcloud",
        environ={**role, **keys},
    )
    provider.recognize(ImageInput(url="https://example.com/p.jpg"))
    assert stub.signatures[0].fields["k"] == SECRET_ID

    only_role = TencentLegacyProvider.from_settings(settings, environ=role)
    with pytest.raises(ConfigError, match="TENCENTCLOUD_SECRET_ID"):
        only_role.recognize(ImageInput(url="https://example.com/p.jpg"))


# -- errors ----------------------------------------------------------------------------------------
def test_a_non_image_is_refused_by_the_vendor_as_bad_image(server: StubServer) -> None:
    junk = PreparedImage(data=b"GIF89a not really", format="JPEG", width=20, height=20)
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=junk))
    assert (caught.value.category, caught.value.vendor_code) == (
        ProviderCategory.BAD_IMAGE,
        "-1102",
    )


_C = ProviderCategory
CODE_CASES = [
    (-1102, _C.BAD_IMAGE, False),
    (-1300, _C.BAD_IMAGE, False),
    (-1301, _C.MISCONFIGURED, False),
    (-1304, _C.BAD_IMAGE, False),
    (-5208, _C.VENDOR_UNAVAILABLE, True),
    (-9020, _C.NOT_A_PASSPORT, False),
    (-4242, _C.UNKNOWN, False),
]


@pytest.mark.parametrize(("code", "category", "retryable"), CODE_CASES)
def test_error_codes_are_mapped(
    server: StubServer,
    jpeg: PreparedImage,
    code: int,
    category: ProviderCategory,
    retryable: bool,
) -> None:
    answer = legacy_error(200, code, "error")
    server.then(answer, answer, answer)
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    assert (caught.value.category, caught.value.retryable) == (category, retryable)
    assert caught.value.vendor_code == str(code)
    assert len(server.requests) == (3 if retryable else 1)


@pytest.mark.parametrize("status", sorted(STATUS_TABLE))
def test_http_statuses_are_mapped(server: StubServer, jpeg: PreparedImage, status: int) -> None:
    page = html_error_page(status, "Error")
    server.then(page, page, page)
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    category, retryable = STATUS_TABLE[status]
    assert (caught.value.category, caught.value.retryable) == (category, retryable)
    assert (caught.value.http_status, caught.value.vendor_code) == (status, None)
    assert len(server.requests) == (3 if retryable else 1)


def test_unknown_4xx_is_not_retried_and_unknown_5xx_is(
    server: StubServer, jpeg: PreparedImage
) -> None:
    server.then(html_error_page(418, "Teapot"))
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.UNKNOWN, False)
    server.reset()
    server.then(html_error_page(507, "Insufficient Storage"))
    assert make_provider(server).recognize(ImageInput(image=jpeg)).attempts == 2


def test_every_documented_code_and_status_has_a_decision() -> None:
    assert set(CODE_TABLE) == {-1102, -1300, -1301, -1304, -5208, -9020}
    assert {400, 401, 403, 404, 411, 413, 424, 500, 502, 503, 504} <= set(STATUS_TABLE)


def test_a_200_that_is_not_json_is_retried(server: StubServer, jpeg: PreparedImage) -> None:
    server.then(StubResponse(200, b"<html>proxy</html>", {"Content-Type": "text/html"}))
    assert make_provider(server).recognize(ImageInput(image=jpeg)).attempts == 2


# -- timeouts, drops, retries, deadline ------------------------------------------------------------
def test_slow_answer_is_a_retryable_timeout(server: StubServer, jpeg: PreparedImage) -> None:
    slow = StubResponse(200, b"{}", {"Content-Type": "application/json"}, delay=1.0)
    server.then(slow)
    answer = make_provider(server, timeout=0.2).recognize(ImageInput(image=jpeg))
    assert answer.attempts == 2
    server.reset()
    server.then(slow, slow)
    provider = make_provider(server, timeout=0.2, retry=RetryPolicy(max_attempts=2, base_delay=0))
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.TIMEOUT, True)


def test_dropped_connection_and_refused_port_are_network_errors(
    server: StubServer, jpeg: PreparedImage
) -> None:
    drop = StubResponse(drop=True)
    server.then(drop, drop, drop)
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    assert caught.value.category is ProviderCategory.NETWORK
    assert len(server.requests) == 3
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake = FakeTime(500.0)
    closed = TencentLegacyProvider(
        LegacyOptions(app_id=APP_ID, endpoint=f"http://127.0.0.1:{port}/ocr/passport"),
        Credentials(SECRET_ID, SECRET_KEY),
        retry=RetryPolicy(max_attempts=2, base_delay=0.01),
        sleep=fake.sleep,
        clock=fake.clock,
    )
    with pytest.raises(ProviderError) as refused:
        closed.recognize(ImageInput(image=jpeg))
    assert (refused.value.category, refused.value.retryable) == (ProviderCategory.NETWORK, True)
    assert len(fake.sleeps) == 1


def test_retries_stop_at_the_deadline(server: StubServer, jpeg: PreparedImage) -> None:
    fake = FakeTime(500.0)
    busy = legacy_error(503, -5208, "init")
    server.then(*[busy] * 10)
    provider = make_provider(
        server, fake, retry=RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=1.0)
    )
    with pytest.raises(ProviderError):
        provider.recognize(ImageInput(image=jpeg), deadline=fake.now + 2.5)
    assert fake.now <= 500.0 + 2.5
    assert 1 <= len(server.requests) < 10


# -- through the mapper ----------------------------------------------------------------------------
def test_answer_maps_to_a_record(server: StubServer, jpeg: PreparedImage) -> None:
    try:
        from passport_ocr.mapping import to_record
    except ImportError as missing:
        pytest.skip(f"the mapper has not landed yet: {missing}")
    answer = make_provider(server).recognize(ImageInput(image=jpeg))
    record = to_record(answer.format, answer.raw, request_id=answer.request_id)
    assert record.source.vendor == "tencent-legacy"
    assert record.source.request_id == SESSION_ID
    assert record.surname == "WANG"
    assert record.birth_date == date(1987, 7, 4)
    assert record.document_number == "G38325238"
