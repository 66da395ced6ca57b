"""Contract tests: the real huaweicloudsdkocr client against a local APIG/OCR stub.

The stub checks the SDK-HMAC-SHA256 signature with its own implementation
(`tests/stubs/huawei.py`), so a passing call proves the provider signs what it sends.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PIL import Image

from passport_ocr.config import load_settings
from passport_ocr.credentials import Credentials
from passport_ocr.errors import UPLOAD_CATEGORIES, ConfigError, ProviderCategory, ProviderError
from passport_ocr.images import PreparedImage
from passport_ocr.providers.base import ImageInput, RetryPolicy
from passport_ocr.providers.huawei import (
    ERROR_TABLE,
    HuaweiOcrProvider,
    HuaweiOptions,
    classify,
    resolve_endpoints,
)
from passport_ocr.record import Status
from tests.fakes import FakeTime
from tests.stubs.huawei import (
    HuaweiOcrStub,
    apig_auth_failure,
    apig_error,
    apig_throttled,
    check_sdk_hmac_sha256,
    html_error_page,
    load_sample,
    verify_sdk_hmac_sha256,
)
from tests.stubs.server import RecordedRequest, StubResponse, StubServer

AK, SK = "HPUAEXAMPLEAK", "exampleSecretKey0123456789"
TEMP_AK, TEMP_SK, TOKEN = "TEMPAKEXAMPLE", "tempSecret", "gQpjbi1ub3J0aC00...token"
PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


@pytest.fixture(scope="module")
def jpeg() -> PreparedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 200, 200)).save(buffer, "JPEG")
    return PreparedImage(data=buffer.getvalue(), format="JPEG", width=64, height=40)


@pytest.fixture
def stub() -> HuaweiOcrStub:
    return HuaweiOcrStub(
        secrets={AK: SK, TEMP_AK: TEMP_SK}, project_id=PROJECT, tokens={TEMP_AK: TOKEN}
    )


@pytest.fixture(scope="module")
def shared_server() -> Iterator[StubServer]:
    # One server per module (stopping one costs a 0.5 s poll); each test brings its own stub.
    with StubServer(HuaweiOcrStub()) as running:
        yield running


@pytest.fixture
def server(shared_server: StubServer, stub: HuaweiOcrStub) -> StubServer:
    return shared_server.serve(stub)


def make_provider(
    server: StubServer,
    fake: FakeTime | None = None,
    *,
    credentials: Credentials | None = None,
    retry: RetryPolicy | None = None,
    **options: Any,
) -> HuaweiOcrProvider:
    fake = fake or FakeTime()
    return HuaweiOcrProvider(
        HuaweiOptions(project_id=PROJECT, endpoint=server.url, **options),
        credentials or Credentials(AK, SK),
        retry=retry or RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05),
        sleep=fake.sleep,
        clock=fake.clock,
    )


def sent_json(request: RecordedRequest) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(request.body)
    return body


# -- the signature verifier itself -------------------------------------------------------------
def test_verifier_accepts_the_sdk_signature_and_rejects_every_tampering(
    server: StubServer, stub: HuaweiOcrStub, jpeg: PreparedImage
) -> None:
    make_provider(server).recognize(ImageInput(image=jpeg))
    signed = server.requests[0]
    secrets = {AK: SK}
    assert verify_sdk_hmac_sha256(signed, secrets)
    assert stub.checks[0].signed_headers == (
        "content-type",
        "host",
        "user-agent",
        "x-project-id",
        "x-sdk-date",
    )

    def tampered(**changes: Any) -> RecordedRequest:
        return dataclasses.replace(signed, **changes)

    headers = dict(signed.headers)
    other_body = signed.body.replace(b'"image"', b'"url"  ')
    cases = {
        "body": tampered(body=other_body),
        "path": tampered(path=signed.path.replace(PROJECT, "f" * 32)),
        "query": tampered(query=[("debug", "1")]),
        "method": tampered(method="PUT"),
        "signed header": tampered(headers={**headers, "x-project-id": "other"}),
        "no authorization": tampered(
            headers={k: v for k, v in headers.items() if k != "authorization"}
        ),
        "stale date": tampered(headers={**headers, "x-sdk-date": "20200101T000000Z"}),
    }
    for name, request in cases.items():
        assert not verify_sdk_hmac_sha256(request, secrets), name
    assert not verify_sdk_hmac_sha256(signed, {AK: "wrong-secret"})
    assert not verify_sdk_hmac_sha256(signed, {"someone-else": SK})
    assert check_sdk_hmac_sha256(signed, lambda ak: SK if ak == AK else None).ok


def test_wrong_secret_is_refused_like_apig(server: StubServer, jpeg: PreparedImage) -> None:
    provider = make_provider(server, credentials=Credentials(AK, "not-the-secret"))
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg))
    error = caught.value
    assert (error.category, error.retryable) == (ProviderCategory.CREDENTIALS, False)
    assert (error.vendor_code, error.http_status) == ("APIG.0301", 401)
    assert error.request_id
    assert len(server.requests) == 1  # credentials errors are not retried


# -- the request for each mode -------------------------------------------------------------------
def test_base64_mode_sends_the_image_and_returns_the_raw_answer(
    server: StubServer, stub: HuaweiOcrStub, jpeg: PreparedImage
) -> None:
    answer = make_provider(server).recognize(ImageInput(image=jpeg))
    (request,) = server.requests
    assert request.method == "POST"
    assert request.path == f"/v2/{PROJECT}/ocr/passport"
    assert request.header("X-Project-Id") == PROJECT
    assert request.header("X-Security-Token") is None
    body = sent_json(request)
    assert set(body) == {"image"}  # country_code "auto" is omitted, no url
    assert base64.b64decode(body["image"]) == jpeg.data
    assert answer.format == "huawei"
    assert answer.raw == load_sample("huawei_general.json")
    assert answer.attempts == 1
    assert answer.request_id == stub.request_ids[0]  # from the X-Request-Id header


@pytest.mark.parametrize("country", ["CHN", "GENERAL"])
def test_url_mode_with_country_code(server: StubServer, country: str) -> None:
    url = "https://bucket.obs.cn-north-4.myhuaweicloud.com/uploads/p.jpg?AccessKeyId=x&Signature=y"
    make_provider(server, country_code=country).recognize(ImageInput(url=url))
    assert sent_json(server.requests[0]) == {"url": url, "country_code": country}


def test_temporary_credentials_send_a_signed_security_token(
    server: StubServer, stub: HuaweiOcrStub, jpeg: PreparedImage
) -> None:
    provider = make_provider(server, credentials=Credentials(TEMP_AK, TEMP_SK, TOKEN))
    provider.recognize(ImageInput(image=jpeg))
    assert server.requests[0].header("X-Security-Token") == TOKEN
    assert "x-security-token" in stub.checks[0].signed_headers


def test_temporary_key_without_its_token_is_refused(
    server: StubServer, jpeg: PreparedImage
) -> None:
    provider = make_provider(server, credentials=Credentials(TEMP_AK, TEMP_SK))
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg))
    assert caught.value.category is ProviderCategory.CREDENTIALS


def test_credentials_are_fetched_per_request(server: StubServer, stub: HuaweiOcrStub) -> None:
    issued = iter([Credentials(AK, SK), Credentials(TEMP_AK, TEMP_SK, TOKEN)])
    provider = HuaweiOcrProvider(
        HuaweiOptions(project_id=PROJECT, endpoint=server.url), lambda: next(issued)
    )
    provider.recognize(ImageInput(url="https://example.com/a.jpg"))
    provider.recognize(ImageInput(url="https://example.com/b.jpg"))
    assert [check.access_key for check in stub.checks] == [AK, TEMP_AK]
    assert all(check.ok for check in stub.checks)


class FakeFunctionGraphContext:
    def __init__(self, ak: str, sk: str, token: str, project: str) -> None:
        self.values = (ak, sk, token, project)

    def getSecurityAccessKey(self) -> str:
        return self.values[0]

    def getSecuritySecretKey(self) -> str:
        return self.values[1]

    def getSecurityToken(self) -> str:
        return self.values[2]

    def getProjectID(self) -> str:
        return self.values[3]


def test_from_settings_uses_the_functiongraph_context(
    server: StubServer, stub: HuaweiOcrStub
) -> None:
    settings = load_settings(
        {"PASSPORT_OCR_HUAWEI_ENDPOINT": server.url, "PASSPORT_OCR_HUAWEI_COUNTRY_CODE": "CHN"}
    )
    context = FakeFunctionGraphContext(TEMP_AK, TEMP_SK, TOKEN, PROJECT)
    provider = HuaweiOcrProvider.from_settings(settings, context=context, environ={})
    provider.recognize(ImageInput(url="https://example.com/a.jpg"))
    (request,) = server.requests
    assert request.path == f"/v2/{PROJECT}/ocr/passport"
    assert request.header("X-Security-Token") == TOKEN
    assert sent_json(request)["country_code"] == "CHN"
    assert provider.retry.max_attempts == settings.ocr_max_attempts


def test_from_settings_reads_the_sdk_environment_variables(server: StubServer) -> None:
    environ = {
        "HUAWEICLOUD_SDK_AK": AK,
        "HUAWEICLOUD_SDK_SK": SK,
        "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
    }
    settings = load_settings({"PASSPORT_OCR_HUAWEI_ENDPOINT": server.url})
    provider = HuaweiOcrProvider.from_settings(settings, environ=environ)
    answer = provider.recognize(ImageInput(url="https://example.com/a.jpg"))
    assert answer.raw == load_sample("huawei_general.json")


def test_the_enterprise_project_is_sent_for_billing_and_only_when_set(
    server: StubServer, stub: HuaweiOcrStub
) -> None:
    context = FakeFunctionGraphContext(TEMP_AK, TEMP_SK, TOKEN, PROJECT)
    billed = load_settings(
        {
            "PASSPORT_OCR_HUAWEI_ENDPOINT": server.url,
            "PASSPORT_OCR_HUAWEI_ENTERPRISE_PROJECT_ID": "0d2b3c4e-5f60-4a1b-9c8d-7e6f5a4b3c2d",
        }
    )
    plain = load_settings({"PASSPORT_OCR_HUAWEI_ENDPOINT": server.url})
    for settings in (billed, plain):
        provider = HuaweiOcrProvider.from_settings(settings, context=context, environ={})
        provider.recognize(ImageInput(url="https://example.com/a.jpg"))
    first, second = server.requests
    assert first.header("Enterprise-Project-Id") == "0d2b3c4e-5f60-4a1b-9c8d-7e6f5a4b3c2d"
    assert second.header("Enterprise-Project-Id") is None
    assert [check.ok for check in stub.checks] == [True, True]
    assert "enterprise-project-id" in stub.checks[0].signed_headers  # signed, not just sent


def test_missing_project_id_or_credentials_is_a_config_error() -> None:
    settings = load_settings({})
    # Outside FunctionGraph, everything missing is named at once.
    with pytest.raises(ConfigError) as missing:
        HuaweiOcrProvider.from_settings(settings, environ={"HUAWEICLOUD_SDK_AK": AK})
    assert str(missing.value) == (
        "Huawei OCR needs PASSPORT_OCR_HUAWEI_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID), "
        "HUAWEICLOUD_SDK_SK: not set"
    )
    with pytest.raises(ConfigError, match="HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK: not set"):
        HuaweiOcrProvider.from_settings(settings, environ={"RUNTIME_PROJECT_ID": PROJECT})
    # On FunctionGraph, an agency-less function learns it at its first call.
    context = FakeFunctionGraphContext("", "", "", PROJECT)
    provider = HuaweiOcrProvider.from_settings(settings, context=context, environ={})
    with pytest.raises(ConfigError, match="give the function an agency"):
        provider.recognize(ImageInput(url="https://example.com/a.jpg"))
    with pytest.raises(ConfigError):
        Credentials("", SK)


def test_endpoints_never_need_iam() -> None:
    g42 = "https://ocr.ae-ad-1.g42cloud.com"
    assert resolve_endpoints("cn-north-4", g42) == [g42]
    assert resolve_endpoints(None, "ocr.ae-ad-1.g42cloud.com/") == [g42]
    assert (
        resolve_endpoints("ap-southeast-1", None)[0]
        == "https://ocr.ap-southeast-1.myhuaweicloud.com"
    )
    assert resolve_endpoints("me-east-1", None) == ["https://ocr.me-east-1.myhuaweicloud.com"]
    with pytest.raises(ConfigError):
        resolve_endpoints(None, None)
    # Region only, no network: building the provider and its client makes no call at all.
    provider = HuaweiOcrProvider(
        HuaweiOptions(project_id=PROJECT, region="ap-southeast-3"), Credentials(AK, SK)
    )
    assert provider.endpoints[0] == "https://ocr.ap-southeast-3.myhuaweicloud.com"
    assert provider.limits.max_side == 4096 and provider.limits.base64


def test_custom_endpoint_overrides_the_region(server: StubServer, stub: HuaweiOcrStub) -> None:
    """International and sovereign clouds (seed 001, G42) are reached by endpoint, not region."""
    settings = load_settings(
        {
            "PASSPORT_OCR_HUAWEI_REGION": "ae-ad-1",
            "PASSPORT_OCR_HUAWEI_ENDPOINT": server.url,
            "PASSPORT_OCR_HUAWEI_PROJECT_ID": PROJECT,
            "PASSPORT_OCR_HUAWEI_COUNTRY_CODE": "GENERAL",
        }
    )
    provider = HuaweiOcrProvider.from_settings(settings, credentials=Credentials(AK, SK))
    assert provider.endpoints == [server.url]
    answer = provider.recognize(ImageInput(url="https://example.com/a.jpg"))
    assert server.requests[0].header("Host") == server.host
    assert "host" in stub.checks[0].signed_headers
    assert answer.raw == load_sample("huawei_general.json")


# -- every error class mapped --------------------------------------------------------------------
_C = ProviderCategory
#: (stub answer, expected category, retryable, vendor code, HTTP status)
ERROR_CASES: list[tuple[StubResponse, ProviderCategory, bool, str | None, int]] = [
    (
        apig_error(400, "AIS.0103", "The image size does not meet the requirements."),
        _C.BAD_IMAGE,
        False,
        "AIS.0103",
        400,
    ),
    (apig_error(400, "AIS.0105", "Recognition failed."), _C.NOT_A_PASSPORT, False, "AIS.0105", 400),
    (
        apig_error(400, "ModelArts.4204", "Api is not subscribed."),
        _C.NOT_SUBSCRIBED,
        False,
        "ModelArts.4204",
        400,
    ),
    (
        apig_error(403, "ModelArts.4106", "The account is restricted."),
        _C.QUOTA,
        False,
        "ModelArts.4106",
        403,
    ),
    (
        apig_error(429, "ModelArts.4401", "max concurrency exceeded"),
        _C.THROTTLED,
        True,
        "ModelArts.4401",
        429,
    ),
    (apig_throttled(), _C.THROTTLED, True, "APIG.0308", 429),
    (apig_auth_failure(), _C.CREDENTIALS, False, "APIG.0301", 401),
    (
        apig_error(401, "APIGW.0301", "Incorrect IAM authentication information"),
        _C.CREDENTIALS,
        False,
        "APIGW.0301",
        401,
    ),
    (
        apig_error(504, "APIG.0201", "Backend timeout."),
        _C.VENDOR_UNAVAILABLE,
        True,
        "APIG.0201",
        504,
    ),
    (apig_error(400, "APIG.0201", "API request error."), _C.BAD_REQUEST, False, "APIG.0201", 400),
    (
        apig_error(500, "ModelArts.4505", "internal error"),
        _C.VENDOR_UNAVAILABLE,
        True,
        "ModelArts.4505",
        500,
    ),
    (html_error_page(502), _C.VENDOR_UNAVAILABLE, True, None, 502),
    (
        apig_error(404, "APIG.0101", "The API does not exist or has not been published"),
        _C.MISCONFIGURED,
        False,
        "APIG.0101",
        404,
    ),
    (html_error_page(503, "Service Unavailable"), _C.VENDOR_UNAVAILABLE, True, None, 503),
    (apig_error(400, "AIS.9999", "something new"), _C.UNKNOWN, False, "AIS.9999", 400),
    (apig_error(500, "AIS.9999", "something new"), _C.VENDOR_UNAVAILABLE, True, "AIS.9999", 500),
]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[f"{c[3]}-{c[4]}" for c in ERROR_CASES])
def test_error_answers_are_mapped(
    server: StubServer,
    jpeg: PreparedImage,
    case: tuple[StubResponse, ProviderCategory, bool, str | None, int],
) -> None:
    response, category, retryable, code, status = case
    server.then(response, response, response)
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    error = caught.value
    assert (error.category, error.retryable) == (category, retryable)
    assert (error.vendor_code, error.http_status) == (code, status)
    # Only failures of the upload itself are rejected; operator problems are kept for replay.
    assert error.permanent is (not retryable and category in UPLOAD_CATEGORIES)
    assert len(server.requests) == (3 if retryable else 1)
    if response.headers.get("X-Request-Id"):
        assert error.request_id == response.headers["X-Request-Id"]


def test_the_seed_error_body_verbatim(server: StubServer, jpeg: PreparedImage) -> None:
    seed = json.dumps(load_sample("huawei_error.json"))
    server.then(StubResponse.json(400, seed))
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    assert caught.value.vendor_code == "AIS.0103"
    assert caught.value.category is ProviderCategory.BAD_IMAGE


def test_every_documented_code_has_a_decision() -> None:
    documented = (
        [f"AIS.{n:04d}" for n in (101, 102, 103, 104, 105, 117, 118, 119, 120, 121, 122)]
        + ["ModelArts.0203"]
        + [f"ModelArts.{n}" for n in (4101, 4102, 4103, 4104, 4105, 4106, 4107)]
        + [f"ModelArts.{n}" for n in (4201, 4202, 4203, 4204, 4301, 4302, 4401, 4402, 4403)]
        + [f"ModelArts.{n}" for n in range(4502, 4509)]
        + [f"ModelArts.{n}" for n in (4601, 4603, 4702, 4703, 4704, 4705, 4706)]
        + ["APIG.0101", "APIG.0301", "APIG.0308"]
    )
    for code in documented:
        assert code in ERROR_TABLE, code
    assert classify("APIG.0308", 429) == (ProviderCategory.THROTTLED, True, True)
    assert classify(None, 404) == (ProviderCategory.UNKNOWN, False, False)


def test_a_200_that_is_not_json_is_retryable(server: StubServer, jpeg: PreparedImage) -> None:
    page = StubResponse(200, b"<html>captive portal</html>", {"Content-Type": "text/html"})
    server.then(page)
    answer = make_provider(server).recognize(ImageInput(image=jpeg))
    assert answer.attempts == 2
    assert answer.raw == load_sample("huawei_general.json")


# -- timeouts, dropped connections, retries and the deadline ---------------------------------------
def test_slow_answer_times_out_as_timeout_and_is_retried(
    server: StubServer, jpeg: PreparedImage
) -> None:
    slow = StubResponse(200, b"{}", {"Content-Type": "application/json"}, delay=1.5)
    server.then(slow)
    answer = make_provider(server, timeout=0.3).recognize(ImageInput(image=jpeg))
    assert answer.attempts == 2
    assert answer.raw == load_sample("huawei_general.json")


def test_slow_answer_every_time_ends_as_a_retryable_timeout(
    server: StubServer, jpeg: PreparedImage
) -> None:
    slow = StubResponse(200, b"{}", {"Content-Type": "application/json"}, delay=1.0)
    server.then(slow, slow)
    provider = make_provider(
        server, timeout=0.2, retry=RetryPolicy(max_attempts=2, base_delay=0.01)
    )
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.TIMEOUT, True)
    assert len(server.requests) == 2


def test_dropped_connection_is_a_retryable_network_error(
    server: StubServer, jpeg: PreparedImage
) -> None:
    drop = StubResponse(drop=True)
    server.then(drop, drop, drop)
    with pytest.raises(ProviderError) as caught:
        make_provider(server).recognize(ImageInput(image=jpeg))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.NETWORK, True)
    assert len(server.requests) == 3


def test_connection_refused_is_a_network_error(jpeg: PreparedImage) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    fake = FakeTime()
    provider = HuaweiOcrProvider(
        HuaweiOptions(project_id=PROJECT, endpoint=f"http://127.0.0.1:{port}"),
        Credentials(AK, SK),
        retry=RetryPolicy(max_attempts=2, base_delay=0.01),
        sleep=fake.sleep,
        clock=fake.clock,
    )
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg))
    assert caught.value.category is ProviderCategory.NETWORK
    assert len(fake.sleeps) == 1  # two attempts, one pause between them, none after the last


def test_throttling_is_retried_with_backoff_until_success(
    server: StubServer, jpeg: PreparedImage
) -> None:
    fake = FakeTime()
    server.then(apig_throttled(), apig_error(429, "ModelArts.4401", "busy"))
    answer = make_provider(server, fake).recognize(ImageInput(image=jpeg))
    assert answer.attempts == 3
    assert len(fake.sleeps) == 2
    assert all(0 <= pause <= 0.05 for pause in fake.sleeps)


def test_retries_stop_at_the_deadline(server: StubServer, jpeg: PreparedImage) -> None:
    fake = FakeTime()
    server.then(*[apig_throttled()] * 10)
    provider = make_provider(
        server, fake, retry=RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=1.0)
    )
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(image=jpeg), deadline=fake.now + 2.5)
    assert caught.value.category is ProviderCategory.THROTTLED
    assert fake.now <= 1000.0 + 2.5  # never slept past the deadline
    assert 1 <= len(server.requests) < 10


def test_no_call_once_the_deadline_has_passed(server: StubServer, jpeg: PreparedImage) -> None:
    fake = FakeTime()
    with pytest.raises(ProviderError) as caught:
        make_provider(server, fake).recognize(ImageInput(image=jpeg), deadline=fake.now - 1)
    assert caught.value.category is ProviderCategory.TIMEOUT
    assert server.requests == []


# -- through the mapper ----------------------------------------------------------------------------
def _to_record() -> Any:
    """The mapper (helper H2); skipped, saying why, while it is still being written."""
    try:
        from passport_ocr.mapping import to_record
        from passport_ocr.validation import build_record  # noqa: F401 (to_record needs it)
    except ImportError as missing:
        pytest.skip(f"the mapper has not fully landed yet: {missing}")
    return to_record


def test_chinese_passport_answer_maps_to_a_record(
    server: StubServer, stub: HuaweiOcrStub, jpeg: PreparedImage
) -> None:
    to_record = _to_record()
    stub.answer = "huawei_chn.json"
    answer = make_provider(server, country_code="CHN").recognize(ImageInput(image=jpeg))
    record = to_record(answer.format, answer.raw, request_id=answer.request_id)
    assert (record.surname, record.given_names) == ("ZHANG", "SAN")
    assert record.birth_date == date(1990, 12, 12)
    assert record.nationality == "CHN"
    assert record.local is not None
    assert record.source.vendor == "huawei"
    assert record.source.request_id == stub.request_ids[0]
    assert record.status is Status.NEEDS_REVIEW
    assert "mrz.absent" in record.finding_codes()


def test_foreign_passport_answer_maps_to_a_record(server: StubServer, jpeg: PreparedImage) -> None:
    to_record = _to_record()
    answer = make_provider(server, country_code="GENERAL").recognize(ImageInput(image=jpeg))
    record = to_record(answer.format, answer.raw, request_id=answer.request_id)
    assert record.surname == "HUZHAO"
    assert record.birth_date == date(1985, 9, 18)
    assert record.mrz is not None
    assert "vendor.masked_value" in record.finding_codes()


def test_concurrent_calls_keep_their_own_credentials(
    server: StubServer, stub: HuaweiOcrStub
) -> None:
    """The SDK holds credentials and timeouts on the client: the provider keeps one per thread."""
    from concurrent.futures import ThreadPoolExecutor

    keys = [Credentials(AK, SK), Credentials(TEMP_AK, TEMP_SK, TOKEN)] * 8
    lock = threading.Lock()

    def next_credentials() -> Credentials:
        with lock:
            return keys.pop()

    provider = HuaweiOcrProvider(
        HuaweiOptions(project_id=PROJECT, endpoint=server.url), next_credentials
    )
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(lambda n: provider.recognize(ImageInput(url=f"https://e.com/{n}")), range(16))
        )
    assert all(answer.raw == load_sample("huawei_general.json") for answer in answers)
    assert len(stub.checks) == 16 and all(check.ok for check in stub.checks)
    assert sum(request.header("X-Security-Token") == TOKEN for request in server.requests) == 8
