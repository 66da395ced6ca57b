"""Tencent Cloud OCR (API 3.0): `PassportOCR` and `MLIDPassportOCR` via tencentcloud-sdk-python-ocr.

The two APIs
------------
- `PassportOCR` reads Chinese mainland passports only, and adds what only a mainland page has:
  the holder's name in Chinese, birth and issue places. Tencent calls it the old version, no
  longer upgraded. Only on `ocr.tencentcloudapi.com`, only in ap-beijing, ap-guangzhou,
  ap-hongkong and ap-shanghai. 10 requests/s.
- `MLIDPassportOCR` reads every machine-readable passport: Hong Kong, Macao, Taiwan, foreign,
  and (on the Chinese-mainland site) mainland passports too. It answers the MRZ fields, the
  printed page (`PassportRecognizeInfos`, with issuing authority, issue place and signature
  for mainland passports) and photocopy/recapture warnings. 5 requests/s. On the international
  site (`ocr.intl.tencentcloudapi.com`) it cannot download an `ImageUrl`: send the bytes.

Choosing (`PASSPORT_OCR_TENCENT_MODE`)
--------------------------------------
- `international`: MLIDPassportOCR only (answer format `tencent-mlid`). One call per passport.
- `cn`: PassportOCR only (format `tencent`). One call; foreign, HK, Macao and Taiwan passports
  fail (`FailedOperation.OcrFailed` and the like -> not a passport). For mainland-only intake.
- `auto` (the default): MLIDPassportOCR first, then PassportOCR only when it can add something:
  the MRZ says a Chinese mainland passport (issuing state CHN and a mainland document number,
  not a Hong Kong `K`/`H` or Macao `M` one), the endpoint is the mainland site, the region
  serves PassportOCR, and MLIDPassportOCR's printed-page answer lacks the Chinese name or the
  birth or issue place. Both answers then travel in one `tencent-mlid` answer (the
  PassportOCR one under the key `PassportOCR`, see `PASSPORT_OCR_KEY`).

Why MLIDPassportOCR first: it reads every passport type, so no passport ever needs a failed
call before the right one; its answer is already the richer one (MRZ, printed page, issuing
authority, fraud warnings); and it is the API Tencent keeps improving. Calls per passport,
measured against the stub in `tests/test_provider_tencent.py`: foreign/HK/Macao/Taiwan 1;
mainland with a complete printed-page answer 1; mainland without the Chinese fields 2.
The reverse order (PassportOCR first) costs 1 for mainland and 2 for every other passport
(the first one failed and possibly billed), and never gets the warnings or the authority.
The second call is best effort: when it fails, the MLIDPassportOCR answer is kept, with the
PassportOCR error recorded under the same key; when it fails because the account may not use
PassportOCR (not subscribed, unauthorized), this provider stops trying it until restarted.

Mechanics: the SDK clients are built once per provider and thread; credentials are fetched
per request (SCF role credentials are temporary, and the SDK's own environment provider reads
neither SCF's variable names nor the token); the per-request timeout comes from settings and
the function's deadline (whole seconds, at least 1), not from the SDK's 60 s; retries are ours
(`call_with_retries`), because the SDK's StandardRetryer also sleeps after its last attempt.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Final, Literal
from urllib.parse import urlsplit

import requests
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.ocr.v20181119.ocr_client import OcrClient

from passport_ocr import portraits
from passport_ocr.config import Settings
from passport_ocr.credentials import (
    Credentials,
    CredentialsProvider,
    as_provider,
    tencent_credentials_provider,
)
from passport_ocr.errors import ConfigError, ImageError, ProviderCategory, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import (
    ImageInput,
    RetryPolicy,
    VendorAnswer,
    call_with_retries,
    timeout_for,
)
from passport_ocr.providers.common import ErrorTable, ThreadLocalClients
from passport_ocr.vendors import VENDORS

log = logging.getLogger(__name__)

VENDOR: Final = "tencent"
TencentMode = Literal["auto", "cn", "international"]
Site = Literal["cn", "international"]

PASSPORT_OCR = "PassportOCR"
MLID_PASSPORT_OCR = "MLIDPassportOCR"
#: Where a `tencent-mlid` answer carries the PassportOCR answer when `auto` made both calls:
#: `{"Response": {...MLIDPassportOCR...}, "PassportOCR": {"Response": {...}}}`, each part
#: exactly as the vendor sent it (an `Error` object inside when the second call failed).

#: Where each answer carries the portrait when asked (see `VENDORS["tencent"].portrait`).
MLID_PORTRAIT: Final = ("Response", "Image")
PASSPORT_OCR_PORTRAIT: Final = ("Response", "PortraitImageInfo", "PortraitImage")

CN_ENDPOINT = "ocr.tencentcloudapi.com"
INTERNATIONAL_ENDPOINT = "ocr.intl.tencentcloudapi.com"
#: PassportOCR serves only these regions (its API document, `Region`).
PASSPORT_OCR_REGIONS = frozenset({"ap-beijing", "ap-guangzhou", "ap-hongkong", "ap-shanghai"})
#: Documented default request rates (requests per second), for the batch command.
DESCRIPTOR: Final = VENDORS[VENDOR]
RATE_LIMITS: Mapping[str, float] = DESCRIPTOR.rate_limits

#: The PassportOCR and MLIDPassportOCR documents (https://cloud.tencent.com/document/api/866/37657):
#: base64 <= 7 MB (MLIDPassportOCR on the mainland site allows 10 MB; the stricter limit
#: serves both APIs), PNG/JPG/JPEG/BMP.
MAX_BASE64_BYTES = DESCRIPTOR.limits.max_encoded_bytes

# -- errors -------------------------------------------------------------------------------
_C = ProviderCategory
#: Every documented code (API 3.0 common codes, the PassportOCR document, the OCR error-code page
#: https://www.tencentcloud.com/document/product/1005/70288): code -> (category, retryable).
#: Credentials, subscription and billing errors are not retried here: a second try a moment
#: later fails the same way. (AuthFailure.TokenFailure is: credentials are fetched anew.)
ERROR_TABLE: Mapping[str, tuple[ProviderCategory, bool]] = {
    # credentials and permissions
    "AuthFailure.InvalidAuthorization": (_C.CREDENTIALS, False),
    "AuthFailure.InvalidSecretId": (_C.CREDENTIALS, False),
    "AuthFailure.MFAFailure": (_C.CREDENTIALS, False),
    "AuthFailure.SecretIdNotFound": (_C.CREDENTIALS, False),
    "AuthFailure.SignatureExpire": (_C.CREDENTIALS, False),  # clock skew > 5 min
    "AuthFailure.SignatureFailure": (_C.CREDENTIALS, False),
    "AuthFailure.TokenFailure": (_C.CREDENTIALS, True),  # expired role token: renewed next try
    "AuthFailure.UnauthorizedOperation": (_C.CREDENTIALS, False),
    "UnauthorizedOperation": (_C.CREDENTIALS, False),
    "IpInBlacklist": (_C.CREDENTIALS, False),
    "IpNotInWhitelist": (_C.CREDENTIALS, False),
    # subscription and billing
    "FailedOperation.UnOpenError": (_C.NOT_SUBSCRIBED, False),
    "ResourceUnavailable.InArrears": (_C.QUOTA, False),
    "ResourceUnavailable.ResourcePackageRunOut": (_C.QUOTA, False),
    "ResourcesSoldOut.ChargeStatusException": (_C.QUOTA, False),
    "LimitExceeded": (_C.QUOTA, False),
    # throttling
    "RequestLimitExceeded": (_C.THROTTLED, True),
    "RequestLimitExceeded.UinLimitExceeded": (_C.THROTTLED, True),
    "RequestLimitExceeded.IPLimitExceeded": (_C.THROTTLED, True),
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded": (_C.THROTTLED, True),
    # the vendor's side
    "InternalError": (_C.VENDOR_UNAVAILABLE, True),
    "ServiceUnavailable": (_C.VENDOR_UNAVAILABLE, True),
    "FailedOperation.UnKnowError": (_C.VENDOR_UNAVAILABLE, True),
    "FailedOperation.WarningServiceFailed": (_C.VENDOR_UNAVAILABLE, True),
    "FailedOperation.EngineRecognizeTimeout": (_C.TIMEOUT, True),
    # the vendor could not download ImageUrl (3 s limit): the origin may answer next time
    "FailedOperation.DownLoadError": (_C.NETWORK, True),
    # the image
    "FailedOperation.ImageDecodeFailed": (_C.BAD_IMAGE, False),
    "InvalidParameter.EngineImageDecodeFailed": (_C.BAD_IMAGE, False),
    "FailedOperation.EmptyImageError": (_C.BAD_IMAGE, False),
    "FailedOperation.ImageBlur": (_C.BAD_IMAGE, False),
    "FailedOperation.ImageSizeTooLarge": (_C.BAD_IMAGE, False),
    "LimitExceeded.TooLargeFileError": (_C.BAD_IMAGE, False),
    "RequestSizeLimitExceeded": (_C.BAD_IMAGE, False),
    "FailedOperation.FieldException": (_C.BAD_IMAGE, False),
    # what the image shows
    "FailedOperation.OcrFailed": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoPassport": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.ImageNoText": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.InconsistencyBetweenMRZAndVRZ": (_C.NOT_A_PASSPORT, False),
    # the request itself: parameters this upload's image could make wrong
    "InvalidParameter": (_C.BAD_REQUEST, False),
    "InvalidParameterValue": (_C.BAD_REQUEST, False),
    "InvalidParameterValue.InvalidParameterValueLimit": (_C.BAD_REQUEST, False),
    "MissingParameter": (_C.MISCONFIGURED, False),
    "UnknownParameter": (_C.MISCONFIGURED, False),
    "InvalidAction": (_C.MISCONFIGURED, False),
    "ActionOffline": (_C.MISCONFIGURED, False),
    "NoSuchProduct": (_C.MISCONFIGURED, False),
    "NoSuchVersion": (_C.MISCONFIGURED, False),
    "UnsupportedOperation": (_C.BAD_REQUEST, False),
    "UnsupportedProtocol": (_C.MISCONFIGURED, False),
    "UnsupportedRegion": (_C.MISCONFIGURED, False),
    "InvalidRequest": (_C.BAD_REQUEST, False),
    "ResourceNotFound": (_C.MISCONFIGURED, False),
    # the deployment: wrong region, endpoint or API version, a request no upload could fix
    # (parameters of other OCR APIs that a passport call never sends are here too)
    "InvalidParameter.ConfigFormatError": (_C.MISCONFIGURED, False),
    "InvalidParameterValue.PriceOrVerificationParameterValueLimit": (_C.MISCONFIGURED, False),
    "InvalidParameterValue.TicketCodeParameterValueLimit": (_C.MISCONFIGURED, False),
    "InvalidParameterValue.TicketDateParameterValueLimit": (_C.MISCONFIGURED, False),
    "InvalidParameterValue.TicketSnParameterValueLimit": (_C.MISCONFIGURED, False),
    "FailedOperation.CardSideError": (_C.MISCONFIGURED, False),
    "FailedOperation.LicenseCardSideError": (_C.MISCONFIGURED, False),
    "FailedOperation.LanguageNotSupport": (_C.MISCONFIGURED, False),
    "ResourceNotFound.NoAreaCode": (_C.MISCONFIGURED, False),
    "ResourceNotFound.NoInvoice": (_C.MISCONFIGURED, False),
    "ResourceNotFound.NotSupportCurrentInvoiceQuery": (_C.MISCONFIGURED, False),
    # the account
    "FailedOperation.ArrearsError": (_C.QUOTA, False),
    "FailedOperation.CountLimitError": (_C.QUOTA, False),  # today's call count used up
    # the vendor's side
    "FailedOperation.ResponseParseFailed": (_C.VENDOR_UNAVAILABLE, True),
    "ResourceUnavailable.TaxNetworkError": (_C.VENDOR_UNAVAILABLE, True),
    # the file
    "FailedOperation.FileDecodeFailed": (_C.BAD_IMAGE, False),
    "FailedOperation.PDFParseFailed": (_C.BAD_IMAGE, False),
    "FailedOperation.UnKnowFileTypeError": (_C.BAD_IMAGE, False),
    "FailedOperation.IdCardTooSmall": (_C.BAD_IMAGE, False),  # resolution or share too small
    "FailedOperation.MultiCardError": (_C.BAD_IMAGE, False),  # two or more cards, same side
    "FailedOperation.LicenseMultiCardError": (_C.BAD_IMAGE, False),
    # what the image shows: nothing found, or some other document
    "FailedOperation.DetectFailed": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.ClassifyStoreFailed": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.ImageNoSpecifiedCard": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.ImageNoIdCard": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.ImageNoBusinessCard": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.ImageNoHandWrite": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.IdCardInfoIllegal": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.IllegalBankCardError": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.InvalidPostalCodeLength": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.InvoiceMismatch": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoBankCardError": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoBizLicense": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoDriverLicenseError": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoHKIDCard": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoMASIDCard": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoStoreLabel": (_C.NOT_A_PASSPORT, False),
    "FailedOperation.NoVehicleLicenseError": (_C.NOT_A_PASSPORT, False),
}
#: Families for codes newer than this table (the part before the first dot).
FAMILY_TABLE: Mapping[str, tuple[ProviderCategory, bool]] = {
    "AuthFailure": (_C.CREDENTIALS, False),
    "RequestLimitExceeded": (_C.THROTTLED, True),
    "InternalError": (_C.VENDOR_UNAVAILABLE, True),
    "ResourceUnavailable": (_C.QUOTA, False),
    "ResourcesSoldOut": (_C.QUOTA, False),
    "InvalidParameter": (_C.BAD_REQUEST, False),
    "InvalidParameterValue": (_C.BAD_REQUEST, False),
}
#: What a bare HTTP status (no JSON body) means.
STATUS_TABLE: Mapping[int, tuple[ProviderCategory, bool]] = {
    401: (_C.CREDENTIALS, False),
    403: (_C.CREDENTIALS, False),
    404: (_C.MISCONFIGURED, False),  # a wrong endpoint
    413: (_C.BAD_IMAGE, False),
    429: (_C.THROTTLED, True),
}
#: Codes the SDK itself raises before or around the HTTP exchange.
SERVER_NETWORK_ERROR = "ServerNetworkError"  # any non-200 HTTP status; message = raw body
CLIENT_NETWORK_ERROR = "ClientNetworkError"  # refused, reset, timed out

#: Compiled at the first error page (a rare path), not at every cold start.
_STATUS_IN_PAGE = rb"<(?:title|h1)[^>]*>\s*([1-5]\d\d)\b"
_TIMEOUT_WORDS = ("timed out", "timeout")


ERRORS: Final = ErrorTable(codes=ERROR_TABLE, families=FAMILY_TABLE, statuses=STATUS_TABLE)
classify: Final = ERRORS.classify


def status_from_body(body: bytes) -> int | None:
    """The HTTP status an error page names in its title or heading, if it does."""
    match = re.search(_STATUS_IN_PAGE, body[:4096], re.IGNORECASE)  # re caches the pattern
    return int(match.group(1)) if match else None


def _vendor_error(
    code: str, request_id: str | None, http_status: int | None, action: str
) -> ProviderError:
    category, retryable, known = classify(code)
    if not known:
        # Logged by code only: messages may echo request parameters.
        log.warning("unknown tencent ocr error code", extra={"vendor_code": code, "action": action})
    return ProviderError(
        f"Tencent {action} refused the request ({code})",
        vendor=VENDOR,
        category=category,
        retryable=retryable,
        vendor_code=code,
        request_id=request_id,
        http_status=http_status,
    )


def _http_error(body: bytes, action: str) -> ProviderError:
    """A non-200 answer: the SDK keeps only the body. Read what it says."""
    try:
        parsed = json.loads(body)
        error = parsed["Response"]["Error"]
        code, request_id = str(error["Code"]), parsed["Response"].get("RequestId")
    except (ValueError, KeyError, TypeError):
        pass
    else:
        return _vendor_error(
            code, request_id if isinstance(request_id, str) else None, None, action
        )
    status = status_from_body(body)
    category, retryable = (_C.VENDOR_UNAVAILABLE, True)
    if status is not None and status in STATUS_TABLE:
        category, retryable = STATUS_TABLE[status]
    elif status is not None and 400 <= status < 500:
        category, retryable = _C.UNKNOWN, False
    return ProviderError(
        f"Tencent {action} answered HTTP {status or 'error'} without an API answer",
        vendor=VENDOR,
        category=category,
        retryable=retryable,
        vendor_code=SERVER_NETWORK_ERROR,
        http_status=status,
    )


def _sdk_error(error: TencentCloudSDKException, action: str) -> ProviderError:
    code = str(error.code or "")
    if code == SERVER_NETWORK_ERROR:
        body = error.message
        return _http_error(body if isinstance(body, bytes) else str(body).encode(), action)
    if code == CLIENT_NETWORK_ERROR:
        timed_out = any(word in str(error.message).lower() for word in _TIMEOUT_WORDS)
        return ProviderError(
            f"Tencent {action} " + ("did not answer in time" if timed_out else "unreachable"),
            vendor=VENDOR,
            category=_C.TIMEOUT if timed_out else _C.NETWORK,
            retryable=True,
            vendor_code=code,
        )
    if code in ("InvalidCredential", "ClientError", "ClientParamsError"):
        return ProviderError(
            f"the Tencent SDK refused to send {action} ({code})",
            vendor=VENDOR,
            category=_C.CREDENTIALS if code == "InvalidCredential" else _C.BAD_REQUEST,
            retryable=False,
            vendor_code=code,
        )
    # An API error: HTTP 200 with an Error object.
    return _vendor_error(code, error.requestId or None, 200, action)


def _transport_error(error: Exception) -> tuple[ProviderCategory, bool, str]:
    """(category, retryable, what happened) for a non-SDK exception out of the SDK call."""
    if isinstance(error, requests.exceptions.Timeout):
        # The SDK streams the body: a read timeout there escapes as a raw requests error.
        return _C.TIMEOUT, True, "did not answer in time"
    if isinstance(error, requests.exceptions.RequestException):
        return _C.NETWORK, True, f"connection failed ({type(error).__name__})"
    if isinstance(error, ValueError | KeyError | TypeError):
        # A 200 whose body is not an API 3.0 answer: a proxy or gateway page.
        return _C.VENDOR_UNAVAILABLE, True, "answered 200 with something other than an API answer"
    return _C.UNKNOWN, False, f"call failed ({type(error).__name__})"


def to_provider_error(error: Exception, action: str) -> ProviderError:
    """Map anything the SDK (or `requests` under it) raises to a typed `ProviderError`."""
    if isinstance(error, ProviderError):
        return error
    if isinstance(error, TencentCloudSDKException):
        return _sdk_error(error, action)
    category, retryable, what = _transport_error(error)
    return ProviderError(
        f"Tencent {action} {what}",
        vendor=VENDOR,
        category=category,
        retryable=retryable,
        http_status=200 if category == _C.VENDOR_UNAVAILABLE else None,
    )


# -- endpoints and the auto decision ---------------------------------------------------------
def split_endpoint(endpoint: str) -> tuple[str, str]:
    """(scheme, host[:port]) from `ocr.tencentcloudapi.com` or `http://127.0.0.1:8080`."""
    text = endpoint.strip().rstrip("/")
    if not text:
        raise ConfigError("the Tencent OCR endpoint is empty")
    if "://" not in text:
        return "https", text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError("the Tencent OCR endpoint must be a host name or an http(s) origin")
    return parts.scheme, parts.netloc


def site_of(host: str) -> Site:
    return (
        "international"
        if host.split(":", maxsplit=1)[0].lower() == INTERNATIONAL_ENDPOINT
        else "cn"
    )


#: Mainland passports: E (e-passport), G (older ordinary), D/S/P (diplomatic, service, public
#: affairs). Hong Kong SAR numbers start with K or H, Macao SAR ones with M: also CHN in the MRZ.
_MAINLAND_NUMBER = re.compile(r"^[DEGPS][A-Z0-9]\d{7}$")
#: CJK Unified Ideographs and Extension A. A range test, not a regex: compiling that
#: character class took 2 ms of every SCF cold start (Python 3.10).
_CJK_FIRST, _CJK_LAST = "\u3400", "\u9fff"


def has_cjk(text: str) -> bool:
    return any(_CJK_FIRST <= char <= _CJK_LAST for char in text)


def is_mainland_passport(mlid_inner: Mapping[str, Any]) -> bool:
    """Does an MLIDPassportOCR answer describe a Chinese mainland passport?"""
    number = mlid_inner.get("ID")
    return (
        mlid_inner.get("IssuingCountry") == "CHN"
        and isinstance(number, str)
        and _MAINLAND_NUMBER.match(number.strip().upper()) is not None
    )


def lacks_chinese_page(mlid_inner: Mapping[str, Any]) -> bool:
    """True when the printed-page answer misses what PassportOCR could add."""
    page = mlid_inner.get("PassportRecognizeInfos")
    if not isinstance(page, Mapping):
        return True
    name, birth, issue = page.get("Name"), page.get("BirthPlace"), page.get("IssuePlace")
    has_chinese_name = isinstance(name, str) and has_cjk(name)
    has_places = all(isinstance(place, str) and place.strip() for place in (birth, issue))
    return not (has_chinese_name and has_places)


def _rules_out_passport_ocr(error: ProviderError) -> bool:
    """After MLIDPassportOCR succeeded, does this PassportOCR error mean 'never for us'?

    Not subscribed, not authorized (a CAM policy without ocr:PassportOCR), or a region or
    action the service refuses: stop calling it until the container restarts.
    """
    if error.category in (_C.NOT_SUBSCRIBED, _C.BAD_REQUEST):
        return True
    return error.category == _C.CREDENTIALS and not error.retryable


class _Counter:
    def __init__(self) -> None:
        self.count = 0


# -- the provider -------------------------------------------------------------------------
class TencentOcrProvider:
    """`OcrProvider` for Tencent Cloud OCR PassportOCR / MLIDPassportOCR (see module doc)."""

    name = VENDOR
    limits = DESCRIPTOR.limits

    def __init__(
        self,
        credentials: Credentials | CredentialsProvider,
        *,
        region: str = "ap-guangzhou",
        endpoint: str = CN_ENDPOINT,
        mode: TencentMode = "auto",
        site: Site | None = None,
        timeout: float = 10.0,
        portrait: bool = False,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if mode not in ("auto", "cn", "international"):
            raise ConfigError(f"unknown Tencent OCR mode {mode!r}")
        if timeout <= 0:
            raise ConfigError("the Tencent OCR timeout must be positive")
        self.region = region.strip()
        self.scheme, self.host = split_endpoint(endpoint)
        self.site: Site = site or site_of(self.host)
        self.mode: TencentMode = mode
        if mode == "cn":
            if self.site == "international":
                raise ConfigError("PassportOCR is not offered on the international endpoint")
            if self.region not in PASSPORT_OCR_REGIONS:
                raise ConfigError(
                    "PassportOCR serves only " + ", ".join(sorted(PASSPORT_OCR_REGIONS))
                )
        self.accepts_url = self.site == "cn"
        # MLIDPassportOCR reads PDF as it is (models.py 16182); PassportOCR does not (20506).
        if mode != "cn":
            self.limits = replace(DESCRIPTOR.limits, formats=DESCRIPTOR.limits.formats | {"PDF"})
        self.timeout = timeout
        self.portrait = portrait
        self.retry = retry or RetryPolicy()
        self._credentials = as_provider(credentials)
        self._sleep = sleep
        self._clock = clock
        self._clients: ThreadLocalClients[OcrClient] = ThreadLocalClients()
        self._passport_ocr_off = False

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        credentials: Credentials | CredentialsProvider | None = None,
        context: object | None = None,
        environ: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> TencentOcrProvider:
        """Settings, with credentials from SCF's role variables or the SDK's ones."""
        kwargs.setdefault("retry", RetryPolicy(max_attempts=settings.ocr_max_attempts))
        return cls(
            credentials if credentials is not None else tencent_credentials_provider(environ),
            region=settings.tencent_region,
            endpoint=settings.tencent_endpoint,
            mode=settings.tencent_mode,
            timeout=settings.ocr_timeout_seconds,
            portrait=settings.portrait == "store",
            **kwargs,
        )

    def can_fetch(self, ref: ObjectRef) -> bool:
        """COS in the OCR region, on the mainland site: ImageUrl is not offered outside the
        mainland, and the download deadline (about 3 s) is only dependable in-region."""
        return self.accepts_url and ref.region is not None and ref.region == self.region

    def warm_up(self) -> None:
        """Nothing to load: the client is built at the first call, per thread."""

    @property
    def rate_limits(self) -> Mapping[str, float]:
        """Requests per second for each API this mode may call (for the batch command)."""
        if self.mode == "cn":
            return {PASSPORT_OCR: RATE_LIMITS[PASSPORT_OCR]}
        if self.mode == "international" or not self._may_enrich():
            return {MLID_PASSPORT_OCR: RATE_LIMITS[MLID_PASSPORT_OCR]}
        return dict(RATE_LIMITS)

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        params = self._image_params(image)
        if self.mode == "cn":
            asked = {**params, "Type": "CN", **({"CropPortrait": True} if self.portrait else {})}
            raw, attempts = self._call(PASSPORT_OCR, asked, deadline)
            raw, portrait = self._taken_portrait(raw, PASSPORT_OCR_PORTRAIT)
            return VendorAnswer("tencent", raw, _request_id(raw), attempts, portrait)
        asked = {**params, "RetImage": self.portrait}
        raw, attempts = self._call(MLID_PASSPORT_OCR, asked, deadline)
        raw, portrait = self._taken_portrait(raw, MLID_PORTRAIT)
        inner = raw.get("Response")
        if (
            self.mode == "auto"
            and self._may_enrich()
            and not _is_pdf(image)
            and isinstance(inner, Mapping)
            and is_mainland_passport(inner)
            and lacks_chinese_page(inner)
        ):
            # Imported here: the mapper (and the mappers it imports) loads at the first
            # answer, never at a cold start.
            from passport_ocr.mapping.tencent_auto import PASSPORT_OCR_KEY  # noqa: PLC0415

            extra, more = self._enrichment({**params, "Type": "CN"}, deadline)
            raw = {**raw, PASSPORT_OCR_KEY: extra}
            attempts += more
        return VendorAnswer("tencent-mlid", raw, _request_id(raw), attempts, portrait)

    # -- internals ------------------------------------------------------------------------
    def _taken_portrait(
        self, raw: dict[str, Any], path: tuple[str, ...]
    ) -> tuple[dict[str, Any], bytes | None]:
        """The answer without the portrait it carries when one was asked for, and the
        portrait; an answer to a call that asked none is returned as it came."""
        return portraits.take(raw, path) if self.portrait else (raw, None)

    def _may_enrich(self) -> bool:
        return (
            self.site == "cn" and self.region in PASSPORT_OCR_REGIONS and not self._passport_ocr_off
        )

    def _enrichment(
        self, params: dict[str, Any], deadline: float | None
    ) -> tuple[dict[str, Any], int]:
        """PassportOCR for the Chinese fields; on failure, a record of it in the vendor's shape."""
        tries = _Counter()
        try:
            return self._call(PASSPORT_OCR, params, deadline, tries)
        except ProviderError as error:
            if _rules_out_passport_ocr(error):
                self._passport_ocr_off = True
            log.warning(
                "tencent PassportOCR enrichment failed; keeping the MLIDPassportOCR answer",
                extra=error.log_fields(),
            )
            failed: dict[str, Any] = {
                "Response": {
                    "Error": {"Code": error.vendor_code or error.code, "Message": str(error)},
                    "RequestId": error.request_id,
                }
            }
            return failed, tries.count

    def _image_params(self, image: ImageInput) -> dict[str, Any]:
        if image.url is not None:
            if not self.accepts_url:
                raise ProviderError(
                    "the international Tencent OCR endpoint cannot download image URLs",
                    vendor=VENDOR,
                    category=_C.BAD_REQUEST,
                    retryable=False,
                )
            return {"ImageUrl": image.url}
        assert image.image is not None  # ImageInput holds exactly one of the two
        if image.image.format not in self.limits.formats:
            raise ImageError(
                "unsupported_format", f"Tencent OCR does not read {image.image.format} images"
            )
        encoded = base64.b64encode(image.image.data).decode("ascii")
        if len(encoded) > MAX_BASE64_BYTES:
            raise ImageError("too_large", "the image is over Tencent's 7 MB base64 limit")
        return {"ImageBase64": encoded}

    def _call(
        self,
        action: str,
        params: dict[str, Any],
        deadline: float | None,
        tries: _Counter | None = None,
    ) -> tuple[dict[str, Any], int]:
        def attempt() -> dict[str, Any]:
            if tries is not None:
                tries.count += 1
            return self._call_once(action, params, deadline)

        return call_with_retries(
            attempt, self.retry, deadline=deadline, sleep=self._sleep, clock=self._clock
        )

    def _call_once(
        self, action: str, params: dict[str, Any], deadline: float | None
    ) -> dict[str, Any]:
        seconds = max(1, int(timeout_for(deadline, self.timeout, self._clock)))
        client = self._client(seconds)
        credentials = self._credentials()
        try:
            client.credential = Credential(
                credentials.access_key, credentials.secret_key, credentials.security_token
            )
            raw = client.call_json(action, params)
        except Exception as error:  # every SDK failure becomes a ProviderError
            raise to_provider_error(error, action) from error
        if not isinstance(raw, dict) or not isinstance(raw.get("Response"), dict):
            raise to_provider_error(TypeError("no Response object"), action)
        return raw

    def _client(self, timeout_seconds: int) -> OcrClient:
        """One client per thread and timeout: the SDK fixes the timeout when it is built."""

        def build() -> OcrClient:
            http = HttpProfile(
                protocol=self.scheme,
                endpoint=self.host,
                reqMethod="POST",
                reqTimeout=timeout_seconds,
            )
            profile = ClientProfile(httpProfile=http, language="en-US")
            # The real credentials are set per request; the SDK insists on some at build time.
            placeholder = Credential("placeholder", "placeholder")
            return OcrClient(placeholder, self.region, profile)

        return self._clients.get(timeout_seconds, build)


def _is_pdf(image: ImageInput) -> bool:
    return image.image is not None and image.image.format == "PDF"


def _request_id(raw: Mapping[str, Any]) -> str | None:
    inner = raw.get("Response")
    request_id = inner.get("RequestId") if isinstance(inner, Mapping) else None
    return request_id if isinstance(request_id, str) else None
