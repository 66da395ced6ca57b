"""Huawei Cloud OCR RecognizePassport (`POST /v2/{project_id}/ocr/passport`) via huaweicloudsdkocr.

The SDK client is built once per provider (per container and thread) and never lets the SDK
look anything up at start-up: the endpoint is resolved here (a custom endpoint, the SDK's
`OcrRegion`, or `https://ocr.{region}.myhuaweicloud.com`) and the project id is always given,
so `build()` makes no IAM call. Credentials are fetched per request, because FunctionGraph's
agency credentials are temporary. Timeouts come from settings and the function's deadline,
not from the SDK's (60, 120) s default, and retries are ours (`call_with_retries`).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions as sdk_errors
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkocr.v1 import OcrClient, PassportRequestBody, RecognizePassportRequest
from huaweicloudsdkocr.v1.region.ocr_region import OcrRegion

from passport_ocr.config import Settings
from passport_ocr.credentials import (
    HUAWEI_AK_ENV,
    HUAWEI_PROJECT_ENV,
    HUAWEI_SK_ENV,
    Credentials,
    CredentialsProvider,
    FunctionGraphContext,
    as_provider,
    huawei_credentials_provider,
    huawei_project_id,
)
from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.images import ImageLimits
from passport_ocr.logs import adopt_sdk_logger
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

VENDOR: Final = "huawei"
CountryCode = Literal["auto", "CHN", "GENERAL"]

DESCRIPTOR: Final = VENDORS[VENDOR]
#: Connecting is quick or not at all; the read timeout is the one that matters.
CONNECT_TIMEOUT_SECONDS = 3.0


def huawei_limits(max_side: int = DESCRIPTOR.limits.max_side) -> ImageLimits:
    """The documented limits, with the longest side newer regions allow (a setting)."""
    return replace(DESCRIPTOR.limits, max_side=max_side)


# -- errors -------------------------------------------------------------------------------
_B = ProviderCategory
#: Every documented code (RecognizePassport's error codes,
#: https://support.huaweicloud.com/api-ocr/ocr_03_0028.html, and the APIG error-code page):
#: code -> (category, retryable). Retry only where a second try can plausibly succeed.
ERROR_TABLE: Mapping[str, tuple[ProviderCategory, bool]] = {
    "AIS.0101": (_B.BAD_REQUEST, False),  # invalid parameter (image and url, bad value)
    "AIS.0102": (_B.BAD_IMAGE, False),  # format not supported / not base64
    "AIS.0103": (_B.BAD_IMAGE, False),  # image size (sides, bytes)
    "AIS.0104": (_B.BAD_IMAGE, False),  # image type unsupported or poor quality
    # The algorithm found no passport to read: the same image fails the same way again.
    "AIS.0105": (_B.NOT_A_PASSPORT, False),
    "AIS.0117": (_B.MISCONFIGURED, False),  # template/classifier id: not the passport API
    "AIS.0118": (_B.VENDOR_UNAVAILABLE, True),  # upstream authority interface timed out
    "AIS.0119": (_B.NOT_A_PASSPORT, False),  # template match failed
    "AIS.0120": (_B.NOT_A_PASSPORT, False),  # classification failed
    "AIS.0121": (_B.MISCONFIGURED, False),  # template without recognition area
    "AIS.0122": (_B.BAD_IMAGE, False),  # two same-side cards in one image
    "ModelArts.0203": (_B.CREDENTIALS, False),  # invalid token
    "ModelArts.4101": (_B.CREDENTIALS, False),  # token header empty
    "ModelArts.4102": (_B.CREDENTIALS, False),  # token parse error
    "ModelArts.4103": (_B.CREDENTIALS, False),  # token invalid
    "ModelArts.4104": (_B.BAD_IMAGE, False),  # request content length (> 10 MB)
    "ModelArts.4105": (_B.MISCONFIGURED, False),  # body is not JSON
    "ModelArts.4106": (_B.QUOTA, False),  # account restricted: arrears or frozen
    "ModelArts.4107": (_B.CREDENTIALS, True),  # temporary AK/SK lookup failed (transient)
    "ModelArts.4201": (_B.MISCONFIGURED, False),  # URL needs a service id
    "ModelArts.4202": (_B.MISCONFIGURED, False),  # URL format invalid
    "ModelArts.4203": (_B.CREDENTIALS, False),  # no permission
    "ModelArts.4204": (_B.NOT_SUBSCRIBED, False),  # service not enabled in this region
    "ModelArts.4301": (_B.VENDOR_UNAVAILABLE, True),  # admin token
    "ModelArts.4302": (_B.VENDOR_UNAVAILABLE, True),  # gateway forwarding error
    "ModelArts.4401": (_B.THROTTLED, True),  # max concurrency exceeded
    "ModelArts.4402": (_B.VENDOR_UNAVAILABLE, True),  # backend timeout
    "ModelArts.4403": (_B.VENDOR_UNAVAILABLE, True),  # backend unavailable
    "ModelArts.4502": (_B.VENDOR_UNAVAILABLE, True),  # backend response error
    "ModelArts.4503": (_B.MISCONFIGURED, False),  # service not found
    "ModelArts.4504": (_B.MISCONFIGURED, False),  # API not found
    "ModelArts.4505": (_B.VENDOR_UNAVAILABLE, True),  # internal error
    "ModelArts.4506": (_B.MISCONFIGURED, False),  # sub-service not found
    "ModelArts.4507": (_B.VENDOR_UNAVAILABLE, False),  # ocr_03_0028: only 4502/4505 are retried
    "ModelArts.4508": (_B.VENDOR_UNAVAILABLE, False),  # service not started
    "ModelArts.4601": (_B.MISCONFIGURED, False),  # URL not allowed
    # The vendor could not download the image URL: a flaky origin may answer next time.
    "ModelArts.4603": (_B.NETWORK, True),
    "ModelArts.4702": (_B.CREDENTIALS, False),  # OCR not authorized to read OBS
    "ModelArts.4703": (_B.BAD_REQUEST, False),  # OBS URL invalid
    "ModelArts.4704": (_B.NETWORK, True),  # getting the OBS object failed
    "ModelArts.4705": (_B.BAD_IMAGE, False),  # OBS object too large
    "ModelArts.4706": (_B.BAD_REQUEST, False),  # OBS object does not exist
    "APIG.0101": (_B.MISCONFIGURED, False),  # API not found: wrong region or endpoint
    "APIG.0103": (_B.VENDOR_UNAVAILABLE, True),  # backend does not exist (gateway state)
    "APIG.0106": (_B.MISCONFIGURED, False),  # orchestration error
    "APIG.0202": (_B.VENDOR_UNAVAILABLE, True),  # backend unavailable
    "APIG.0203": (_B.VENDOR_UNAVAILABLE, True),  # backend timeout
    "APIG.0301": (_B.CREDENTIALS, False),  # IAM auth info incorrect (AK/SK, expired token)
    "APIG.0302": (_B.CREDENTIALS, False),  # IAM user not authorized for the API
    "APIG.0303": (_B.CREDENTIALS, False),  # app auth incorrect
    "APIG.0308": (_B.THROTTLED, True),  # "policy user over ratelimit"
}
#: APIG.0201 means "request error" at 4xx and a backend timeout at 5xx: read the status.
STATUS_DEPENDENT_CODES: Mapping[str, tuple[ProviderCategory, bool]] = {
    "APIG.0201": (_B.BAD_REQUEST, False)
}
#: What a bare HTTP status means when no code says more.
STATUS_TABLE: Mapping[int, tuple[ProviderCategory, bool]] = {
    401: (_B.CREDENTIALS, False),
    403: (_B.CREDENTIALS, False),
    413: (_B.BAD_IMAGE, False),
    429: (_B.THROTTLED, True),
}
ERRORS: Final = ErrorTable(
    codes=ERROR_TABLE,
    # API-signing errors (https://support.huaweicloud.com/devg-apisign/api-sign-errorcode.html)
    families={"APIGW": (_B.CREDENTIALS, False)},
    statuses=STATUS_TABLE,
    status_dependent=STATUS_DEPENDENT_CODES,
)
classify: Final = ERRORS.classify


def _service_error(error: sdk_errors.ServiceResponseException) -> ProviderError:
    status = int(error.status_code) if error.status_code is not None else None
    code = str(error.error_code) if error.error_code else None
    if code == str(status):
        code = None  # the SDK fills in the status when the body had no code (HTML pages)
    category, retryable, known = classify(code, status)
    if not known:
        # Logged by code only: an error message may echo the request.
        log.warning(
            "unknown huawei ocr error code", extra={"vendor_code": code, "http_status": status}
        )
    return ProviderError(
        f"Huawei OCR refused the request ({code or status})",
        vendor=VENDOR,
        category=category,
        retryable=retryable,
        vendor_code=code,
        request_id=error.request_id or None,
        http_status=status,
    )


def to_provider_error(error: Exception) -> ProviderError:
    """Map anything the SDK (or `requests` under it) raises to a typed `ProviderError`."""
    if isinstance(error, ProviderError):
        return error
    if isinstance(error, sdk_errors.ServiceResponseException):
        return _service_error(error)
    if isinstance(error, requests.exceptions.Timeout | sdk_errors.RequestTimeoutException):
        # The SDK lets the read timeout escape as a raw requests ReadTimeout.
        return ProviderError(
            "Huawei OCR did not answer in time",
            vendor=VENDOR,
            category=ProviderCategory.TIMEOUT,
            retryable=True,
        )
    if isinstance(error, sdk_errors.ConnectionException | requests.exceptions.RequestException):
        return ProviderError(
            f"cannot reach Huawei OCR ({type(error).__name__})",
            vendor=VENDOR,
            category=ProviderCategory.NETWORK,
            retryable=True,
        )
    return ProviderError(
        f"Huawei OCR call failed ({type(error).__name__})",
        vendor=VENDOR,
        category=ProviderCategory.UNKNOWN,
        retryable=False,
    )


# -- endpoints ----------------------------------------------------------------------------
def resolve_endpoints(region: str | None, endpoint: str | None) -> list[str]:
    """The endpoint(s) to call: a custom one wins, else the region's, never an IAM lookup."""
    if endpoint:
        endpoint = endpoint.strip().rstrip("/")
        return [endpoint if "://" in endpoint else f"https://{endpoint}"]
    if not region:
        raise ConfigError("Huawei OCR needs a region or an endpoint")
    try:
        endpoints: list[str] = list(OcrRegion.value_of(region).endpoints)
    except KeyError:
        # A region newer than this SDK: the documented naming pattern.
        endpoints = [f"https://ocr.{region}.myhuaweicloud.com"]
    return endpoints


# -- the provider -------------------------------------------------------------------------
@dataclass(frozen=True)
class HuaweiOptions:
    project_id: str
    region: str | None = None
    endpoint: str | None = None
    country_code: CountryCode = "auto"
    timeout: float = 10.0
    max_side: int = 4096
    verify_tls: bool = True
    #: RecognizePassport's `Enterprise-Project-Id` header: the enterprise project billed.
    enterprise_project_id: str | None = None
    #: Read a CHN answer's page again with GENERAL for its MRZ (mapping/huawei.py).
    mrz_read: bool = True


class HuaweiOcrProvider:
    """`OcrProvider` for Huawei Cloud (and sovereign clouds such as G42) RecognizePassport."""

    name = VENDOR
    accepts_url = True

    def __init__(
        self,
        options: HuaweiOptions,
        credentials: Credentials | CredentialsProvider,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not options.project_id:
            raise ConfigError("Huawei OCR needs a project id")
        self.options = options
        self.limits = huawei_limits(options.max_side)
        self.retry = retry or RetryPolicy()
        self._credentials = as_provider(credentials)
        self._endpoints = resolve_endpoints(options.region, options.endpoint)
        self._sleep = sleep
        self._clock = clock
        # The SDK keeps credentials and timeouts on the client (and its config).
        self._clients: ThreadLocalClients[tuple[Any, Any]] = ThreadLocalClients()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        context: FunctionGraphContext | None = None,
        credentials: Credentials | CredentialsProvider | None = None,
        environ: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> HuaweiOcrProvider:
        """Settings + FunctionGraph context (in a function) or environment (locally)."""
        if context is None and credentials is None:
            _require_local_settings(settings, os.environ if environ is None else environ)
        options = HuaweiOptions(
            project_id=huawei_project_id(settings.huawei_project_id, context, environ),
            region=settings.huawei_region,
            endpoint=settings.huawei_endpoint,
            country_code=settings.huawei_country_code,
            timeout=settings.ocr_timeout_seconds,
            max_side=settings.huawei_max_side,
            enterprise_project_id=settings.huawei_enterprise_project_id,
            mrz_read=settings.huawei_mrz_read,
        )
        kwargs.setdefault("retry", RetryPolicy(max_attempts=settings.ocr_max_attempts))
        if credentials is None:
            credentials = huawei_credentials_provider(context, environ)
        return cls(options, credentials, **kwargs)

    @property
    def endpoints(self) -> list[str]:
        return list(self._endpoints)

    @property
    def rate_limits(self) -> Mapping[str, float]:
        return DESCRIPTOR.rate_limits  # a per-account quota, not a published rate

    def can_fetch(self, ref: ObjectRef) -> bool:
        """OBS in the endpoint's region only: Huawei OCR cannot read OBS across regions."""
        if ref.region is None:
            return False
        if self.options.endpoint is not None:
            return ref.region in self.options.endpoint
        return ref.region == self.options.region

    def warm_up(self) -> None:
        """Nothing to load: the client is built at the first call, per thread."""

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        raw, request_id, attempts = self._call_with_retries(self._request(image), deadline)
        if self._needs_mrz_read(raw):
            # Imported here: the mapper loads at the first answer, never at a cold start.
            from passport_ocr.mapping.huawei import MRZ_READ_KEY  # noqa: PLC0415

            second, more = self._mrz_read(image, deadline)
            raw, attempts = {**raw, MRZ_READ_KEY: second}, attempts + more
        return VendorAnswer(format="huawei", raw=raw, request_id=request_id, attempts=attempts)

    # -- internals ------------------------------------------------------------------------
    def _request(self, image: ImageInput, country_code: str | None = None) -> Any:
        return RecognizePassportRequest(
            enterprise_project_id=self.options.enterprise_project_id,
            body=self._body(image, country_code),
        )

    def _needs_mrz_read(self, raw: Mapping[str, Any]) -> bool:
        """A full-field (CHN) answer without MRZ lines, when a second read is allowed."""
        if not self.options.mrz_read or self.options.country_code == "GENERAL":
            return False
        result = raw.get("result")
        return (
            isinstance(result, Mapping)
            and bool(result)
            and not result.get("machine_code")
            and str(result.get("country_code") or "").upper() in {"CHN", "CHINA"}
        )

    def _mrz_read(self, image: ImageInput, deadline: float | None) -> tuple[dict[str, Any], int]:
        """The GENERAL answer for the same image; a failure is carried as its error body
        (the mapper notes it and keeps the CHN record), never raised: the first answer
        stands, and what it cost is paid."""
        try:
            raw, _, attempts = self._call_with_retries(self._request(image, "GENERAL"), deadline)
        except ProviderError as error:
            log.info("huawei second read for the MRZ failed", extra=error.log_fields())
            return {"error_code": error.vendor_code or error.category.value}, 1
        return raw, attempts

    def _body(self, image: ImageInput, country_code: str | None = None) -> PassportRequestBody:
        country = country_code or (
            None if self.options.country_code == "auto" else self.options.country_code
        )
        if image.url is not None:
            return PassportRequestBody(url=image.url, country_code=country)
        assert image.image is not None  # ImageInput holds exactly one of the two
        encoded = base64.b64encode(image.image.data).decode("ascii")
        return PassportRequestBody(image=encoded, country_code=country)

    def _call_with_retries(
        self, request: RecognizePassportRequest, deadline: float | None
    ) -> tuple[dict[str, Any], str | None, int]:
        def attempt() -> tuple[dict[str, Any], str | None]:
            return self._call_once(request, deadline)

        (raw, request_id), attempts = call_with_retries(
            attempt, self.retry, deadline=deadline, sleep=self._sleep, clock=self._clock
        )
        return raw, request_id, attempts

    def _call_once(
        self, request: RecognizePassportRequest, deadline: float | None
    ) -> tuple[dict[str, Any], str | None]:
        read_timeout = timeout_for(deadline, self.options.timeout, self._clock)
        client = self._client(self._credentials(), read_timeout)
        try:
            response = client.recognize_passport(request)
        except Exception as error:  # every SDK failure becomes a ProviderError
            raise to_provider_error(error) from error
        request_id = getattr(response, "x_request_id", None) or None
        return _raw_answer(response.raw_content, request_id), request_id

    def _client(self, credentials: Credentials, read_timeout: float) -> Any:
        def build() -> tuple[Any, Any]:
            config = HttpConfig.get_default_config()
            config.ignore_ssl_verification = not self.options.verify_tls
            client = (
                OcrClient.new_builder()
                .with_http_config(config)
                .with_credentials(self._sdk_credentials(credentials))
                .with_endpoints(self._endpoints)
                .build()
            )
            adopt_sdk_logger(f"HuaweiCloud-SDK-{OcrClient.__name__}")
            return client, config

        client, config = self._clients.get("client", build)
        client.with_credentials(self._sdk_credentials(credentials))
        config.timeout = (min(CONNECT_TIMEOUT_SECONDS, read_timeout), read_timeout)
        return client

    def _sdk_credentials(self, credentials: Credentials) -> BasicCredentials:
        sdk = BasicCredentials(
            credentials.access_key, credentials.secret_key, self.options.project_id
        )
        if credentials.security_token:
            sdk = sdk.with_security_token(credentials.security_token)
        return sdk


def _require_local_settings(settings: Settings, environ: Mapping[str, str]) -> None:
    """Outside FunctionGraph: every missing setting and credential named at once."""
    try:
        project: str | None = huawei_project_id(settings.huawei_project_id, None, environ)
    except ConfigError:
        project = None
    wanted = (
        (f"PASSPORT_OCR_HUAWEI_PROJECT_ID (or {HUAWEI_PROJECT_ENV})", project),
        (HUAWEI_AK_ENV, environ.get(HUAWEI_AK_ENV)),
        (HUAWEI_SK_ENV, environ.get(HUAWEI_SK_ENV)),
    )
    missing = [name for name, value in wanted if not value]
    if missing:
        raise ConfigError(f"Huawei OCR needs {', '.join(missing)}: not set")


def _raw_answer(content: bytes | None, request_id: str | None) -> dict[str, Any]:
    """The vendor's JSON exactly as sent (the SDK's models drop unknown fields)."""
    try:
        raw = json.loads(content or b"")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raw = None
    if not isinstance(raw, dict):
        # A 200 that is not JSON is a proxy or gateway page, not an OCR answer.
        raise ProviderError(
            "Huawei OCR answered 200 with something other than a JSON object",
            vendor=VENDOR,
            category=ProviderCategory.VENDOR_UNAVAILABLE,
            retryable=True,
            request_id=request_id,
            http_status=200,
        )
    return raw
