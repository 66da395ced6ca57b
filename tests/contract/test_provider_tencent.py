"""Contract tests: the real tencentcloud-sdk-python-ocr client against a local API 3.0 stub.

The stub checks TC3-HMAC-SHA256 with its own implementation (`tests/stubs/tencent.py`) and
the headers the signature does not cover, so a passing call proves what the provider sends.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PIL import Image

from passport_ocr.config import load_settings
from passport_ocr.credentials import (
    Credentials,
    tencent_credentials_from_env,
    tencent_credentials_provider,
)
from passport_ocr.errors import (
    UPLOAD_CATEGORIES,
    ConfigError,
    ImageError,
    ProviderCategory,
    ProviderError,
)
from passport_ocr.images import PreparedImage
from passport_ocr.mapping.tencent_auto import PASSPORT_OCR_KEY
from passport_ocr.providers.base import ImageInput, RetryPolicy
from passport_ocr.providers.tencent import (
    ERROR_TABLE,
    TencentOcrProvider,
    classify,
    is_mainland_passport,
    lacks_chinese_page,
    site_of,
    split_endpoint,
    status_from_body,
)
from passport_ocr.vendors import VENDORS
from tests import paths
from tests.fakes import FakeTime
from tests.stubs.server import RecordedRequest, StubResponse, StubServer
from tests.stubs.tencent import (
    Document,
    Site,
    TencentOcrStub,
    html_error_page,
    load_sample,
    tencent_error,
    tencent_json,
    verify_tc3,
)

SECRET_ID, SECRET_KEY = "AKIDexampleLongLivedKey0001", "exampleSecretKey0123456789abcd"
ROLE_ID, ROLE_KEY, ROLE_TOKEN = "AKIDtempRoleCredential0002", "tempRoleSecret", "scf-role-token-1"
KEY = Credentials(SECRET_ID, SECRET_KEY)
ROLE = Credentials(ROLE_ID, ROLE_KEY, ROLE_TOKEN)
VENDOR_DIR = paths.TEST_DATA / "vendor"


def vendor_file(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VENDOR_DIR / name).read_text(encoding="utf-8"))
    return loaded


def inner(answer: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = answer["Response"]
    return result


# The documented answers, and one image per kind of passport (distinct bytes).
PASSPORT_SEED = load_sample("tencent_passport.json")  # seed 002, verbatim
MLID_FOREIGN = load_sample("tencent_mlid.json")
MLID_CHN_PAGE = vendor_file("tencent_mlid_chn_page.json")
MLID_CHN_MRZ_ONLY = vendor_file("tencent_mlid_chn_mrz_only.json")
MLID_HKG = vendor_file("tencent_mlid_hkg.json")


def jpeg(shade: int) -> PreparedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 50), (shade, shade, shade)).save(buffer, "JPEG")
    return PreparedImage(data=buffer.getvalue(), format="JPEG", width=80, height=50)


FOREIGN, HONG_KONG, MAINLAND, MAINLAND_MRZ_ONLY, BLANK = (jpeg(s) for s in (40, 80, 120, 160, 250))
PHOTO_URL = "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/uploads/p.jpg?sign=x"

DOCUMENTS: dict[bytes | str, Document] = {
    FOREIGN.data: Document(mlid=inner(MLID_FOREIGN), passport=None),
    HONG_KONG.data: Document(mlid=inner(MLID_HKG), passport=None),
    MAINLAND.data: Document(mlid=inner(MLID_CHN_PAGE), passport=inner(PASSPORT_SEED)),
    MAINLAND_MRZ_ONLY.data: Document(mlid=inner(MLID_CHN_MRZ_ONLY), passport=inner(PASSPORT_SEED)),
    PHOTO_URL: Document(mlid=inner(MLID_FOREIGN), passport=None),
}


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # The SDK honours HTTP(S)_PROXY from the environment; the stub is on loopback.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def shared_server() -> Iterator[StubServer]:
    with StubServer(TencentOcrStub(keys={})) as running:
        yield running


def make_stub(site: Site = "cn") -> TencentOcrStub:
    return TencentOcrStub(
        keys={SECRET_ID: SECRET_KEY, ROLE_ID: ROLE_KEY},
        tokens={ROLE_ID: ROLE_TOKEN},
        site=site,
        documents=dict(DOCUMENTS),
    )


@pytest.fixture
def stub() -> TencentOcrStub:
    return make_stub()


@pytest.fixture
def server(shared_server: StubServer, stub: TencentOcrStub) -> StubServer:
    return shared_server.serve(stub)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def provider(
    server: StubServer,
    fake_time: FakeTime | None = None,
    *,
    credentials: Any = KEY,
    attempts: int = 3,
    **options: Any,
) -> TencentOcrProvider:
    timing: dict[str, Any] = {}
    if fake_time is not None:
        timing = {"sleep": fake_time.sleep, "clock": fake_time.clock}
    options.setdefault("site", "cn")
    return TencentOcrProvider(
        credentials,
        endpoint=server.url,
        retry=RetryPolicy(max_attempts=attempts, base_delay=0.5, max_delay=4.0),
        **timing,
        **options,
    )


def actions(server: StubServer) -> list[str]:
    return [request.header("X-TC-Action") or "" for request in server.requests]


def body(request: RecordedRequest) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(request.body)
    return loaded


# -- the stub's own TC3 verifier --------------------------------------------------------------


def test_verifier_accepts_the_sdk_request_and_rejects_any_tampering(
    server: StubServer, stub: TencentOcrStub
) -> None:
    provider(server, mode="international").recognize(ImageInput(image=FOREIGN))
    (sent,) = server.requests
    secrets = {SECRET_ID: SECRET_KEY}.get
    assert verify_tc3(sent, secrets, "ocr") is None
    assert verify_tc3(sent, {SECRET_ID: "another"}.get, "ocr") == "AuthFailure.SignatureFailure"
    assert verify_tc3(sent, {}.get, "ocr") == "AuthFailure.SecretIdNotFound"
    assert verify_tc3(sent, secrets, "tdmq") == "AuthFailure.InvalidAuthorization"
    tampered = RecordedRequest(**{**sent.__dict__, "body": sent.body.replace(b"false", b"true")})
    assert verify_tc3(tampered, secrets, "ocr") == "AuthFailure.SignatureFailure"
    assert verify_tc3(sent, secrets, "ocr", now=lambda: time.time() + 600) == (
        "AuthFailure.SignatureExpire"
    )
    assert verify_tc3(sent, secrets, "ocr", version="2020-02-17") == "NoSuchVersion"
    assert verify_tc3(sent, secrets, "ocr", actions={"PassportOCR"}) == "InvalidAction"
    assert verify_tc3(sent, secrets, "ocr", regions={"ap-beijing"}) == "UnsupportedRegion"
    # A long-lived key must not carry a token; a role key must carry its own.
    assert verify_tc3(sent, secrets, "ocr", token_for_id={}.get) is None
    assert verify_tc3(sent, secrets, "ocr", token_for_id={SECRET_ID: "t"}.get) == (
        "AuthFailure.TokenFailure"
    )
    unsigned = {k: v for k, v in sent.headers.items() if k != "authorization"}
    no_auth = RecordedRequest(**{**sent.__dict__, "headers": unsigned})
    assert verify_tc3(no_auth, secrets, "ocr") == "AuthFailure.InvalidAuthorization"


def test_a_wrong_secret_is_refused_by_the_stub_like_the_vendor_does(
    server: StubServer, fake_time: FakeTime
) -> None:
    wrong = Credentials(SECRET_ID, "not-the-secret")
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, credentials=wrong).recognize(ImageInput(image=FOREIGN))
    error = caught.value
    assert (error.vendor_code, error.category, error.retryable) == (
        "AuthFailure.SignatureFailure",
        ProviderCategory.CREDENTIALS,
        False,
    )
    assert error.request_id and len(server.requests) == 1


# -- the request for each mode ----------------------------------------------------------------


def test_international_mode_sends_base64_to_mlid_and_returns_the_answer_untouched(
    server: StubServer,
) -> None:
    answer = provider(server, mode="international", region="ap-singapore").recognize(
        ImageInput(image=FOREIGN)
    )
    (sent,) = server.requests
    assert sent.header("X-TC-Action") == "MLIDPassportOCR"
    assert sent.header("X-TC-Version") == "2018-11-19"
    assert sent.header("X-TC-Region") == "ap-singapore"
    assert sent.header("X-TC-Token") is None
    assert sent.header("Content-Type") == "application/json"
    assert body(sent) == {
        "ImageBase64": base64.b64encode(FOREIGN.data).decode(),
        "RetImage": False,
    }
    assert answer.format == "tencent-mlid"
    assert inner(answer.raw) == {**inner(MLID_FOREIGN)}
    assert answer.request_id == inner(MLID_FOREIGN)["RequestId"]
    assert answer.attempts == 1


def test_cn_mode_calls_passport_ocr_with_type_cn(server: StubServer) -> None:
    answer = provider(server, mode="cn", region="ap-shanghai").recognize(ImageInput(image=MAINLAND))
    (sent,) = server.requests
    assert sent.header("X-TC-Action") == "PassportOCR"
    assert sent.header("X-TC-Region") == "ap-shanghai"
    assert body(sent)["Type"] == "CN"
    assert answer.format == "tencent"
    assert answer.raw == PASSPORT_SEED
    assert answer.request_id == "39cce0fc-77b1-4271-82ae-9f0bf1036906"


def test_a_url_is_sent_as_image_url_on_the_mainland_site(server: StubServer) -> None:
    tencent = provider(server, mode="international")
    assert tencent.accepts_url
    answer = tencent.recognize(ImageInput(url=PHOTO_URL))
    assert body(server.requests[0]) == {"ImageUrl": PHOTO_URL, "RetImage": False}
    assert inner(answer.raw)["ID"] == "X47K2096R"


def test_the_international_site_takes_no_url_and_gets_base64(
    shared_server: StubServer,
) -> None:
    intl = make_stub("international")
    shared_server.serve(intl)
    # The site follows the real endpoint name; the stub stands in for it here.
    assert site_of("ocr.intl.tencentcloudapi.com") == "international"
    assert not TencentOcrProvider(KEY, endpoint="ocr.intl.tencentcloudapi.com").accepts_url
    tencent = provider(shared_server, site="international", mode="auto")
    assert not tencent.accepts_url
    with pytest.raises(ProviderError) as caught:
        tencent.recognize(ImageInput(url=PHOTO_URL))
    assert caught.value.category is ProviderCategory.BAD_REQUEST
    assert shared_server.requests == []
    # A mainland passport on the international site: MLIDPassportOCR only (no PassportOCR there).
    answer = tencent.recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    assert actions(shared_server) == ["MLIDPassportOCR"]
    assert "ImageBase64" in body(shared_server.requests[0])
    assert PASSPORT_OCR_KEY not in answer.raw


def test_temporary_credentials_send_their_token_and_are_fetched_per_request(
    server: StubServer,
) -> None:
    handed_out: list[Credentials] = []

    def role_credentials() -> Credentials:
        handed_out.append(ROLE)
        return ROLE

    tencent = provider(server, credentials=role_credentials, mode="international")
    tencent.recognize(ImageInput(image=FOREIGN))
    tencent.recognize(ImageInput(image=HONG_KONG))
    assert [r.header("X-TC-Token") for r in server.requests] == [ROLE_TOKEN, ROLE_TOKEN]
    assert len(handed_out) == 2


def test_an_expired_token_is_retried_with_renewed_credentials(
    server: StubServer, fake_time: FakeTime
) -> None:
    renewals = iter([Credentials(ROLE_ID, ROLE_KEY, "expired-token"), ROLE])
    answer = provider(
        server, fake_time, credentials=lambda: next(renewals), mode="international"
    ).recognize(ImageInput(image=FOREIGN))
    assert answer.attempts == 2
    assert [r.header("X-TC-Token") for r in server.requests] == ["expired-token", ROLE_TOKEN]


def test_scf_role_credentials_come_from_the_environment_with_their_token() -> None:
    scf = {
        "TENCENTCLOUD_SECRETID": ROLE_ID,
        "TENCENTCLOUD_SECRETKEY": ROLE_KEY,
        "TENCENTCLOUD_SESSIONTOKEN": ROLE_TOKEN,
        "TENCENTCLOUD_SECRET_ID": SECRET_ID,
        "TENCENTCLOUD_SECRET_KEY": SECRET_KEY,
    }
    assert tencent_credentials_from_env(scf) == ROLE
    assert tencent_credentials_from_env(scf).security_token == ROLE_TOKEN
    sdk_names = {"TENCENTCLOUD_SECRET_ID": SECRET_ID, "TENCENTCLOUD_SECRET_KEY": SECRET_KEY}
    assert tencent_credentials_from_env(sdk_names) == KEY
    assert tencent_credentials_from_env(sdk_names).security_token is None
    with pytest.raises(ConfigError, match="TENCENTCLOUD_SECRET_ID"):
        tencent_credentials_from_env({})
    with pytest.raises(ConfigError, match="both"):
        tencent_credentials_from_env({"TENCENTCLOUD_SECRETID": ROLE_ID})
    # Read on every call: SCF renews the role credentials between invocations.
    environ = dict(scf)
    fetch = tencent_credentials_provider(environ)
    environ["TENCENTCLOUD_SESSIONTOKEN"] = "renewed"
    assert fetch().security_token == "renewed"


def test_from_settings_uses_the_settings_and_the_scf_environment(server: StubServer) -> None:
    settings = load_settings(
        {
            "PASSPORT_OCR_TENCENT_ENDPOINT": server.url,
            "PASSPORT_OCR_TENCENT_REGION": "ap-beijing",
            "PASSPORT_OCR_TENCENT_MODE": "cn",
            "PASSPORT_OCR_OCR_MAX_ATTEMPTS": "2",
        }
    )
    environ = {
        "TENCENTCLOUD_SECRETID": ROLE_ID,
        "TENCENTCLOUD_SECRETKEY": ROLE_KEY,
        "TENCENTCLOUD_SESSIONTOKEN": ROLE_TOKEN,
    }
    tencent = TencentOcrProvider.from_settings(settings, environ=environ)
    assert (tencent.mode, tencent.region, tencent.retry.max_attempts) == ("cn", "ap-beijing", 2)
    tencent.recognize(ImageInput(image=MAINLAND))
    (sent,) = server.requests
    assert (sent.header("X-TC-Region"), sent.header("X-TC-Token")) == ("ap-beijing", ROLE_TOKEN)


def test_configuration_errors_are_typed() -> None:
    with pytest.raises(ConfigError, match="PassportOCR serves only"):
        TencentOcrProvider(KEY, mode="cn", region="ap-singapore")
    with pytest.raises(ConfigError, match="international endpoint"):
        TencentOcrProvider(KEY, mode="cn", endpoint="ocr.intl.tencentcloudapi.com")
    with pytest.raises(ConfigError, match="mode"):
        TencentOcrProvider(KEY, mode="everything")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        TencentOcrProvider(KEY, endpoint="ftp://ocr.tencentcloudapi.com")
    with pytest.raises(ConfigError):
        TencentOcrProvider(KEY, endpoint="  ")
    assert split_endpoint("ocr.tencentcloudapi.com") == ("https", "ocr.tencentcloudapi.com")
    assert split_endpoint("http://127.0.0.1:9/") == ("http", "127.0.0.1:9")


def test_rate_limits_are_those_of_the_apis_each_mode_calls() -> None:
    assert TencentOcrProvider(KEY, mode="cn").rate_limits == {"PassportOCR": 10.0}
    assert TencentOcrProvider(KEY, mode="international").rate_limits == {"MLIDPassportOCR": 5.0}
    assert TencentOcrProvider(KEY, mode="auto").rate_limits == {
        "MLIDPassportOCR": 5.0,
        "PassportOCR": 10.0,
    }
    # Where PassportOCR cannot be called, auto is MLIDPassportOCR alone.
    assert TencentOcrProvider(KEY, mode="auto", region="ap-singapore").rate_limits == {
        "MLIDPassportOCR": 5.0
    }


# -- auto: calls per passport type ------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "region", "expected_calls"),
    [
        (FOREIGN, "ap-guangzhou", ["MLIDPassportOCR"]),
        (HONG_KONG, "ap-guangzhou", ["MLIDPassportOCR"]),
        (MAINLAND, "ap-guangzhou", ["MLIDPassportOCR"]),
        (MAINLAND_MRZ_ONLY, "ap-guangzhou", ["MLIDPassportOCR", "PassportOCR"]),
        # PassportOCR does not serve Singapore: no second call, no data sent elsewhere.
        (MAINLAND_MRZ_ONLY, "ap-singapore", ["MLIDPassportOCR"]),
    ],
    ids=["foreign", "hong-kong", "mainland-with-page", "mainland-mrz-only", "mainland-sg"],
)
def test_auto_makes_the_fewest_calls_for_the_richest_answer(
    server: StubServer, image: PreparedImage, region: str, expected_calls: list[str]
) -> None:
    answer = provider(server, mode="auto", region=region).recognize(ImageInput(image=image))
    assert actions(server) == expected_calls
    assert answer.format == "tencent-mlid"
    assert answer.attempts == len(expected_calls)
    assert [r.header("X-TC-Region") for r in server.requests] == [region] * len(expected_calls)
    if len(expected_calls) == 2:
        assert answer.raw == {**MLID_CHN_MRZ_ONLY, PASSPORT_OCR_KEY: PASSPORT_SEED}
        assert body(server.requests[1])["Type"] == "CN"
        assert body(server.requests[1])["ImageBase64"] == body(server.requests[0])["ImageBase64"]
    else:
        assert PASSPORT_OCR_KEY not in answer.raw


def test_auto_keeps_the_mlid_answer_when_passport_ocr_is_not_subscribed(
    server: StubServer, fake_time: FakeTime
) -> None:
    server.then(
        server.handler,  # MLIDPassportOCR answers normally
        tencent_error("FailedOperation.UnOpenError", request_id="req-unopen"),
    )
    tencent = provider(server, fake_time, mode="auto")
    answer = tencent.recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    assert actions(server) == ["MLIDPassportOCR", "PassportOCR"]
    assert inner(answer.raw) == inner(MLID_CHN_MRZ_ONLY)
    assert answer.raw[PASSPORT_OCR_KEY]["Response"]["Error"]["Code"] == (
        "FailedOperation.UnOpenError"
    )
    assert answer.raw[PASSPORT_OCR_KEY]["Response"]["RequestId"] == "req-unopen"
    # The account cannot use PassportOCR: later mainland passports cost one call.
    server.reset()
    tencent.recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    assert actions(server) == ["MLIDPassportOCR"]
    assert tencent.rate_limits == {"MLIDPassportOCR": 5.0}


def test_auto_survives_a_transient_passport_ocr_failure_and_tries_again_next_time(
    server: StubServer, fake_time: FakeTime
) -> None:
    server.then(
        server.handler,
        tencent_error("InternalError"),
        tencent_error("InternalError"),
    )
    tencent = provider(server, fake_time, mode="auto", attempts=2)
    answer = tencent.recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    assert actions(server) == ["MLIDPassportOCR", "PassportOCR", "PassportOCR"]
    assert answer.attempts == 3
    assert answer.raw[PASSPORT_OCR_KEY]["Response"]["Error"]["Code"] == "InternalError"
    server.reset()
    answer = tencent.recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    assert actions(server) == ["MLIDPassportOCR", "PassportOCR"]
    assert answer.raw[PASSPORT_OCR_KEY] == PASSPORT_SEED


def test_the_auto_decision_reads_the_mlid_answer() -> None:
    assert is_mainland_passport(inner(MLID_CHN_PAGE))
    assert not is_mainland_passport(inner(MLID_HKG))  # CHN, but a Hong Kong number
    assert not is_mainland_passport(inner(MLID_FOREIGN))
    assert not is_mainland_passport({"IssuingCountry": "CHN", "ID": None})
    assert is_mainland_passport({"IssuingCountry": "CHN", "ID": "EA1234567"})
    assert not lacks_chinese_page(inner(MLID_CHN_PAGE))
    assert lacks_chinese_page(inner(MLID_CHN_MRZ_ONLY))
    page = inner(MLID_CHN_PAGE)["PassportRecognizeInfos"]
    assert lacks_chinese_page({"PassportRecognizeInfos": {**page, "Name": "ZHANG SAN"}})
    assert lacks_chinese_page({"PassportRecognizeInfos": {**page, "BirthPlace": " "}})
    assert lacks_chinese_page({"PassportRecognizeInfos": "not an object"})


# -- errors -----------------------------------------------------------------------------------

DOCUMENTED_CASES = [
    ("AuthFailure.SecretIdNotFound", ProviderCategory.CREDENTIALS, False),
    ("AuthFailure.SignatureExpire", ProviderCategory.CREDENTIALS, False),
    ("AuthFailure.UnauthorizedOperation", ProviderCategory.CREDENTIALS, False),
    ("FailedOperation.UnOpenError", ProviderCategory.NOT_SUBSCRIBED, False),
    ("ResourceUnavailable.InArrears", ProviderCategory.QUOTA, False),
    ("ResourceUnavailable.ResourcePackageRunOut", ProviderCategory.QUOTA, False),
    ("ResourcesSoldOut.ChargeStatusException", ProviderCategory.QUOTA, False),
    ("RequestLimitExceeded", ProviderCategory.THROTTLED, True),
    ("InternalError", ProviderCategory.VENDOR_UNAVAILABLE, True),
    ("FailedOperation.UnKnowError", ProviderCategory.VENDOR_UNAVAILABLE, True),
    ("FailedOperation.DownLoadError", ProviderCategory.NETWORK, True),
    ("FailedOperation.ImageDecodeFailed", ProviderCategory.BAD_IMAGE, False),
    ("InvalidParameter.EngineImageDecodeFailed", ProviderCategory.BAD_IMAGE, False),
    ("LimitExceeded.TooLargeFileError", ProviderCategory.BAD_IMAGE, False),
    ("FailedOperation.OcrFailed", ProviderCategory.NOT_A_PASSPORT, False),
    ("FailedOperation.NoPassport", ProviderCategory.NOT_A_PASSPORT, False),
    ("InvalidParameterValue.InvalidParameterValueLimit", ProviderCategory.BAD_REQUEST, False),
    ("UnsupportedRegion", ProviderCategory.MISCONFIGURED, False),
    # Newer codes of a known family, and a wholly unknown one.
    ("InternalError.EngineBusy", ProviderCategory.VENDOR_UNAVAILABLE, True),
    ("AuthFailure.SomethingNew", ProviderCategory.CREDENTIALS, False),
    ("FailedOperation.SomethingNew", ProviderCategory.UNKNOWN, False),
]


@pytest.mark.parametrize(("code", "category", "retryable"), DOCUMENTED_CASES)
def test_each_vendor_error_is_mapped_and_retried_only_when_it_may_pass(
    server: StubServer, fake_time: FakeTime, code: str, category: ProviderCategory, retryable: bool
) -> None:
    server.then(*(tencent_error(code, request_id=f"req-{n}") for n in range(3)))
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    error = caught.value
    assert (error.vendor_code, error.category, error.retryable) == (code, category, retryable)
    # Only failures of the upload itself are rejected; operator problems are kept for replay.
    assert error.permanent is (not retryable and category in UPLOAD_CATEGORIES)
    assert error.vendor == "tencent"
    attempts = 3 if retryable else 1
    assert len(server.requests) == attempts
    assert error.request_id == f"req-{attempts - 1}"
    assert len(fake_time.sleeps) == attempts - 1


def test_every_table_entry_classifies_as_listed() -> None:
    for code, (category, retryable) in ERROR_TABLE.items():
        assert classify(code) == (category, retryable, True)
    assert classify("Whatever.Unheard") == (ProviderCategory.UNKNOWN, False, False)


def test_an_unknown_code_is_logged_by_code_only(
    server: StubServer, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    server.then(tencent_error("FailedOperation.Brandnew", "holder ZHANG SAN G12345678"))
    with (
        caplog.at_level(logging.WARNING, logger="passport_ocr.providers.tencent"),
        pytest.raises(ProviderError) as caught,
    ):
        provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    assert "G12345678" not in str(caught.value)
    (record,) = [r for r in caplog.records if r.name == "passport_ocr.providers.tencent"]
    assert record.__dict__["vendor_code"] == "FailedOperation.Brandnew"
    logged = record.getMessage() + json.dumps({k: str(v) for k, v in record.__dict__.items()})
    assert "G12345678" not in logged and "ZHANG" not in logged


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (html_error_page(502), (ProviderCategory.VENDOR_UNAVAILABLE, True, 502)),
        (html_error_page(503), (ProviderCategory.VENDOR_UNAVAILABLE, True, 503)),
        (html_error_page(429), (ProviderCategory.THROTTLED, True, 429)),
        (html_error_page(413), (ProviderCategory.BAD_IMAGE, False, 413)),
        (html_error_page(403), (ProviderCategory.CREDENTIALS, False, 403)),
        (html_error_page(418), (ProviderCategory.UNKNOWN, False, 418)),
        (StubResponse(500, b""), (ProviderCategory.VENDOR_UNAVAILABLE, True, None)),
        (
            StubResponse(504, b"upstream timed out", {"Content-Type": "text/plain"}),
            (ProviderCategory.VENDOR_UNAVAILABLE, True, None),
        ),
    ],
    ids=[
        "502-html",
        "503-html",
        "429-html",
        "413-html",
        "403-html",
        "418-html",
        "500-empty",
        "504-text",
    ],
)
def test_non_200_answers_arrive_as_server_network_error_and_are_read(
    server: StubServer,
    fake_time: FakeTime,
    response: StubResponse,
    expected: tuple[ProviderCategory, bool, int | None],
) -> None:
    category, retryable, status = expected
    server.then(response, response, response)
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    error = caught.value
    assert (error.category, error.retryable, error.http_status) == (category, retryable, status)
    assert error.vendor_code == "ServerNetworkError"
    assert len(server.requests) == (3 if retryable else 1)


def test_a_non_200_with_an_api_error_body_is_mapped_by_its_code(
    server: StubServer, fake_time: FakeTime
) -> None:
    error_body = tencent_error("RequestLimitExceeded", request_id="req-429")
    server.then(StubResponse(429, error_body.body, error_body.headers), tencent_json({"ID": "1"}))
    answer = provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    assert answer.attempts == 2
    assert inner(answer.raw)["ID"] == "1"


@pytest.mark.parametrize(
    "response",
    [
        StubResponse(200, b"<html>captive portal</html>", {"Content-Type": "text/html"}),
        StubResponse.json(200, '{"Result": "no Response object"}'),
        StubResponse.json(200, '{"Response": "not an object"}'),
    ],
    ids=["html-200", "json-without-response", "response-not-object"],
)
def test_a_200_that_is_not_an_api_answer_is_a_retryable_vendor_failure(
    server: StubServer, fake_time: FakeTime, response: StubResponse
) -> None:
    server.then(response, response)
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international", attempts=2).recognize(
            ImageInput(image=FOREIGN)
        )
    assert caught.value.category is ProviderCategory.VENDOR_UNAVAILABLE
    assert caught.value.retryable
    assert len(server.requests) == 2


def test_a_dropped_connection_is_a_retryable_network_error(
    server: StubServer, fake_time: FakeTime
) -> None:
    server.then(StubResponse(drop=True), StubResponse(drop=True))
    answer = provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    assert answer.attempts == 3
    server.reset()
    server.then(*(StubResponse(drop=True) for _ in range(3)))
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.NETWORK, True)


def test_a_refused_connection_is_a_network_error(fake_time: FakeTime) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tencent = TencentOcrProvider(
        KEY,
        endpoint=f"http://127.0.0.1:{port}",
        site="cn",
        retry=RetryPolicy(max_attempts=2),
        sleep=fake_time.sleep,
        clock=fake_time.clock,
    )
    with pytest.raises(ProviderError) as caught:
        tencent.recognize(ImageInput(image=FOREIGN))
    assert (caught.value.category, caught.value.vendor_code) == (
        ProviderCategory.NETWORK,
        "ClientNetworkError",
    )
    assert len(fake_time.sleeps) == 1


def slow_answer(answer: dict[str, Any], delay: float) -> StubResponse:
    return StubResponse(
        200, json.dumps(answer).encode(), {"Content-Type": "application/json"}, delay=delay
    )


def test_a_slow_vendor_times_out_at_the_configured_timeout_not_the_sdks(
    server: StubServer,
) -> None:
    tencent = provider(server, mode="international", timeout=1.0, attempts=1)
    server.then(slow_answer(MLID_FOREIGN, delay=0.2))  # slow, but within the timeout
    assert inner(tencent.recognize(ImageInput(image=FOREIGN)).raw)["ID"] == "X47K2096R"
    server.then(slow_answer(MLID_FOREIGN, delay=2.5))
    with pytest.raises(ProviderError) as caught:
        tencent.recognize(ImageInput(image=FOREIGN))
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.TIMEOUT, True)


def test_the_deadline_shortens_the_timeout(server: StubServer) -> None:
    server.then(slow_answer(MLID_FOREIGN, delay=2.5))
    tencent = provider(server, mode="international", timeout=30.0, attempts=1)
    with pytest.raises(ProviderError) as caught:
        tencent.recognize(ImageInput(image=FOREIGN), deadline=time.monotonic() + 1.2)
    assert caught.value.category is ProviderCategory.TIMEOUT


# -- retries and the deadline -----------------------------------------------------------------


def test_throttling_is_retried_with_jittered_backoff_then_succeeds(
    server: StubServer, fake_time: FakeTime
) -> None:
    server.then(tencent_error("RequestLimitExceeded"), tencent_error("RequestLimitExceeded"))
    answer = provider(server, fake_time, mode="international").recognize(ImageInput(image=FOREIGN))
    assert answer.attempts == 3
    assert inner(answer.raw) == inner(MLID_FOREIGN)
    first, second = fake_time.sleeps
    assert 0 <= first <= 0.5 and 0 <= second <= 1.0


def test_no_retry_starts_past_the_deadline(server: StubServer, fake_time: FakeTime) -> None:
    server.then(*(tencent_error("RequestLimitExceeded") for _ in range(3)))
    # 0.3 s left: any backoff pause (up to 0.5 s) might cross it, and one that would is not taken.
    deadline = fake_time.now + 0.3
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international", attempts=10).recognize(
            ImageInput(image=FOREIGN), deadline=deadline
        )
    assert caught.value.category is ProviderCategory.THROTTLED
    assert fake_time.now <= deadline
    assert len(server.requests) == len(fake_time.sleeps) + 1


def test_no_call_is_made_when_the_deadline_has_passed(
    server: StubServer, fake_time: FakeTime
) -> None:
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international").recognize(
            ImageInput(image=FOREIGN), deadline=fake_time.now - 1
        )
    assert caught.value.category is ProviderCategory.TIMEOUT
    assert server.requests == []


# -- images -----------------------------------------------------------------------------------


def test_limits_are_tencents_documented_ones() -> None:
    assert VENDORS["tencent"].limits.formats == frozenset({"JPEG", "PNG", "BMP"})
    limits = TencentOcrProvider.limits
    assert limits == VENDORS["tencent"].limits
    assert limits.max_encoded_bytes == 7 * 1024 * 1024 and limits.base64


def test_images_tencent_refuses_never_reach_the_vendor(server: StubServer) -> None:
    tencent = provider(server, mode="international")
    gif = PreparedImage(data=b"GIF89a....", format="GIF", width=80, height=50)
    with pytest.raises(ImageError) as caught:
        tencent.recognize(ImageInput(image=gif))
    assert caught.value.reason == "unsupported_format"
    huge = PreparedImage(data=b"\xff\xd8\xff" + bytes(5_600_000), format="JPEG", width=1, height=1)
    with pytest.raises(ImageError) as caught:
        tencent.recognize(ImageInput(image=huge))
    assert caught.value.reason == "too_large"
    assert server.requests == []


def test_the_stub_refuses_what_the_vendor_refuses(server: StubServer, fake_time: FakeTime) -> None:
    # Not an image at all, sent anyway: the vendor's decode error, not retried.
    junk = PreparedImage(data=b"definitely not a picture", format="JPEG", width=1, height=1)
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international").recognize(ImageInput(image=junk))
    assert caught.value.vendor_code == "FailedOperation.ImageDecodeFailed"
    # A real image with no passport on it.
    with pytest.raises(ProviderError) as caught:
        provider(server, fake_time, mode="international").recognize(ImageInput(image=BLANK))
    assert caught.value.category is ProviderCategory.NOT_A_PASSPORT


def test_status_is_read_from_error_pages() -> None:
    assert status_from_body(b"<html><head><title>502 Bad Gateway</title></head></html>") == 502
    assert status_from_body(b"<h1>404 Not Found</h1>") == 404
    assert status_from_body(b"no status here 500") is None


# -- through the mapper -----------------------------------------------------------------------

TODAY = date(2026, 11, 21)


def test_each_answer_maps_to_the_expected_record(server: StubServer) -> None:
    from passport_ocr.mapping import to_record

    cn = provider(server, mode="cn").recognize(ImageInput(image=MAINLAND))
    record = to_record(cn.format, cn.raw, today=TODAY, request_id=cn.request_id)
    assert record.document_number == "G12345678"
    assert record.surname == "ZHANG"

    foreign = provider(server, mode="auto").recognize(ImageInput(image=FOREIGN))
    record = to_record(foreign.format, foreign.raw, today=TODAY, request_id=foreign.request_id)
    assert (record.document_number, record.surname, record.issuing_state) == (
        "X47K2096R",
        "SORENSEN",
        "UTO",
    )

    page = provider(server, mode="auto").recognize(ImageInput(image=MAINLAND))
    record = to_record(page.format, page.raw, today=TODAY, request_id=page.request_id)
    assert record.local is not None and record.local.name == "张三"


def test_a_two_call_answer_maps_with_the_passport_ocr_fields(server: StubServer) -> None:
    from passport_ocr.mapping import to_record

    both = provider(server, mode="auto").recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    assert PASSPORT_OCR_KEY in both.raw
    record = to_record(both.format, both.raw, today=TODAY, request_id=both.request_id)
    assert record.document_number == "G12345678"
    assert record.local is not None and record.local.name == "张三"
    assert record.place_of_birth == "SHANGHAI"


def test_a_failed_supplement_leaves_the_mrz_answer_and_says_so(
    server: StubServer, fake_time: FakeTime
) -> None:
    from passport_ocr.mapping import to_record

    server.then(server.handler, tencent_error("ResourceUnavailable.InArrears"))
    answer = provider(server, fake_time, mode="auto").recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    record = to_record(answer.format, answer.raw, today=TODAY, request_id=answer.request_id)
    assert record.document_number == "G12345678"
    assert record.local is None
    assert "vendor.supplement_unavailable" in {finding.code for finding in record.findings}
    assert record.source.api == "MLIDPassportOCR"


def test_the_merged_source_names_both_apis(server: StubServer) -> None:
    from passport_ocr.mapping import to_draft

    both = provider(server, mode="auto").recognize(ImageInput(image=MAINLAND_MRZ_ONLY))
    draft = to_draft(both.format, both.raw, today=TODAY, request_id=both.request_id)
    assert draft.source.api == "MLIDPassportOCR+PassportOCR"
    assert draft.source.request_id == inner(MLID_CHN_MRZ_ONLY)["RequestId"]
    # The printed page comes from PassportOCR; the vendor's MRZ parse from MLIDPassportOCR.
    assert draft.printed.place_of_issue == "SHANGHAI"
    assert draft.vendor_mrz.document_number == "G12345678"


def test_every_ocr_error_code_the_sdk_knows_is_classified() -> None:
    """The installed SDK's own list (tencentcloud/ocr/v20181119/errorcodes.py, 60 codes in
    tencentcloud-sdk-python-ocr 3.1.193): none falls through to `unknown`."""
    from tencentcloud.ocr.v20181119 import errorcodes

    sdk_codes = {
        value
        for name, value in vars(errorcodes).items()
        if name.isupper() and isinstance(value, str)
    }
    assert len(sdk_codes) >= 59
    assert sorted(code for code in sdk_codes if not classify(code).known) == []


@pytest.mark.parametrize(
    "code",
    ["UnsupportedRegion", "InvalidAction", "ActionOffline", "MissingParameter"],
)
def test_deployment_mistakes_are_the_operators_not_a_rejection(code: str) -> None:
    category, retryable, known = classify(code)
    error = ProviderError("refused", vendor="tencent", category=category, retryable=retryable)
    assert known and error.category is ProviderCategory.MISCONFIGURED
    assert error.operator and not error.permanent and not error.retryable


# -- the holder's portrait (PASSPORT_OCR_PORTRAIT=store) and PDF --------------------------------

PORTRAIT = jpeg(200).data
WITH_PORTRAIT = jpeg(60)
#: The first bytes of a PDF: MLIDPassportOCR reads PDF itself, PassportOCR does not.
PDF = PreparedImage(data=b"%PDF-1.7\n% passport scan\n", format="PDF", width=0, height=0)


@pytest.fixture
def portrait_stub(stub: TencentOcrStub) -> TencentOcrStub:
    stub.documents[WITH_PORTRAIT.data] = Document(
        mlid=inner(MLID_CHN_PAGE), passport=inner(PASSPORT_SEED), portrait=PORTRAIT
    )
    stub.documents[PDF.data] = Document(mlid=inner(MLID_CHN_MRZ_ONLY), passport=None)
    return stub


@pytest.mark.usefixtures("portrait_stub")
def test_mlid_is_asked_for_the_portrait_only_when_it_is_kept(server: StubServer) -> None:
    kept = provider(server, mode="international", portrait=True).recognize(
        ImageInput(image=WITH_PORTRAIT)
    )
    plain = provider(server, mode="international").recognize(ImageInput(image=WITH_PORTRAIT))

    assert [body(r)["RetImage"] for r in server.requests] == [True, False]
    assert kept.portrait == PORTRAIT and plain.portrait is None
    # The answer travels without the picture; everything else as the vendor sent it.
    assert "Image" not in inner(kept.raw)
    assert inner(kept.raw) == {k: v for k, v in inner(MLID_CHN_PAGE).items() if k != "Image"}


@pytest.mark.usefixtures("portrait_stub")
def test_passport_ocr_crops_the_portrait_when_asked(server: StubServer) -> None:
    answer = provider(server, mode="cn", region="ap-shanghai", portrait=True).recognize(
        ImageInput(image=WITH_PORTRAIT)
    )

    assert body(server.requests[0])["CropPortrait"] is True
    assert answer.portrait == PORTRAIT
    info = inner(answer.raw)["PortraitImageInfo"]
    assert "PortraitImage" not in info and set(info["ImageCoordinates"]) == {
        "X",
        "Y",
        "Width",
        "Height",
    }


def test_without_the_setting_passport_ocr_is_sent_no_portrait_flag(server: StubServer) -> None:
    provider(server, mode="cn", region="ap-shanghai").recognize(ImageInput(image=MAINLAND))
    assert "CropPortrait" not in body(server.requests[0])


@pytest.mark.usefixtures("portrait_stub")
def test_mlid_reads_a_pdf_as_it_is_and_passport_ocr_is_not_sent_one(server: StubServer) -> None:
    # A mainland passport whose MLID answer lacks the Chinese page would make auto ask
    # PassportOCR, which takes no PDF: one call only.
    answer = provider(server, mode="auto", region="ap-shanghai").recognize(ImageInput(image=PDF))

    assert actions(server) == ["MLIDPassportOCR"]
    assert base64.b64decode(body(server.requests[0])["ImageBase64"]) == PDF.data
    assert inner(answer.raw)["ID"] == inner(MLID_CHN_MRZ_ONLY)["ID"]
    assert "PDF" in provider(server, mode="international").limits.formats
    cn = provider(server, mode="cn", region="ap-shanghai")
    assert "PDF" not in cn.limits.formats
    with pytest.raises(ImageError) as caught:
        cn.recognize(ImageInput(image=PDF))
    assert caught.value.reason == "unsupported_format"
    assert len(server.requests) == 1


def test_the_stub_takes_pdf_only_where_the_vendor_documents_it(stub: TencentOcrStub) -> None:
    stub.documents[PDF.data] = Document(mlid=inner(MLID_FOREIGN), passport=inner(PASSPORT_SEED))
    with StubServer(stub) as running:
        provider(running, mode="international").recognize(ImageInput(image=PDF))
        # The provider refuses it before sending; told otherwise, the stub refuses it too.
        bypass = provider(running, mode="cn", region="ap-shanghai")
        bypass.limits = replace(bypass.limits, formats=frozenset({"PDF"}))
        with pytest.raises(ProviderError) as caught:
            bypass.recognize(ImageInput(image=PDF))
    assert caught.value.vendor_code == "FailedOperation.ImageDecodeFailed"
