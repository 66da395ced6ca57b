"""The legacy Tencent image OCR API: `POST sdkservice.image.myqcloud.com/ocr/passport`
(its API document, Tencent Cloud 智能图像 product 864).

Plain HTTPS with `requests`. Authentication is the old multi-use signature (https://cloud.tencent.com/document/product/864/17712):
`Authorization = Base64(HMAC-SHA1(SecretKey, orignal) + orignal)` with
`orignal = "a=<appid>&b=<bucket>&k=<SecretId>&e=<expiry>&t=<now>&r=<rand>&u=0&f="`.
It takes a long-lived SecretId/SecretKey: the API has no place for an STS token, so the SCF
role's temporary credentials are refused by the vendor (reported as a credentials error).

Bytes go as `multipart/form-data` by default: the 6 MB limit is on the whole body, and a
multipart body carries the image as is, while JSON carries it base64-encoded, 4/3 larger.
Under the same cap multipart fits a 6 MB image where JSON fits only about 4.5 MB, so
preflight has to shrink fewer uploads. URLs always go as JSON (`url`).

The API is an old product (superseded by OCR API 3.0) with no retirement notice found: it
is kept for accounts that still use it, not recommended for new deployments.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import requests

from passport_ocr.config import Settings
from passport_ocr.credentials import (
    Credentials,
    CredentialsProvider,
    as_provider,
    tencent_credentials_provider,
)
from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.images import ImageLimits, PreparedImage
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

VENDOR: Final = "tencent-legacy"
DEFAULT_ENDPOINT = "https://sdkservice.image.myqcloud.com/ocr/passport"
BodyMode = Literal["multipart", "json"]

#: The API document: "each request body is limited to 6 MB", no GIF.
MAX_BODY_BYTES = 6 * 1024 * 1024
#: Room for the multipart boundaries, part headers and the app_id field.
MULTIPART_OVERHEAD_BYTES = 2048
#: Room for `{"app_id": "...", "image": "..."}` around the base64 text.
JSON_OVERHEAD_BYTES = 256
DESCRIPTOR: Final = VENDORS[VENDOR]
#: How long one signature stays valid (the multi-use kind: `e` is an expiry instant).
SIGNATURE_VALIDITY_SECONDS = 300
CONNECT_TIMEOUT_SECONDS = 3.0

MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "BMP": "image/bmp"}


def legacy_limits(body: BodyMode = "multipart") -> ImageLimits:
    """The descriptor's limits (a multipart body), or those of a JSON body (base64 text)."""
    if body == "multipart":
        return DESCRIPTOR.limits
    return replace(
        DESCRIPTOR.limits, max_encoded_bytes=MAX_BODY_BYTES - JSON_OVERHEAD_BYTES, base64=True
    )


# -- the signature --------------------------------------------------------------------------
def sign(
    credentials: Credentials,
    app_id: str,
    *,
    now: int,
    rand: int,
    bucket: str = "",
    validity: int = SIGNATURE_VALIDITY_SECONDS,
) -> str:
    """The multi-use `Authorization` value (product 864/17712; the tencentyun SDK `get_sign`)."""
    original = (
        f"a={app_id}&b={bucket}&k={credentials.access_key}"
        f"&e={now + validity}&t={now}&r={rand}&u=0&f="
    )
    digest = hmac.new(credentials.secret_key.encode(), original.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest + original.encode()).decode("ascii")


# -- errors ---------------------------------------------------------------------------------
_B = ProviderCategory
#: The API document's `code` values -> (category, retryable).
CODE_TABLE: Mapping[int, tuple[ProviderCategory, bool]] = {
    -1102: (_B.BAD_IMAGE, False),  # image decode failed
    -1300: (_B.BAD_IMAGE, False),  # image empty
    -1301: (_B.MISCONFIGURED, False),  # parameter empty: the app_id (an image is checked first)
    -1304: (_B.BAD_IMAGE, False),  # parameter too long: the image (or its URL) is too big
    -5208: (_B.VENDOR_UNAVAILABLE, True),  # server initialisation error
    -9020: (_B.NOT_A_PASSPORT, False),  # passport OCR failed
}
#: The API document's HTTP statuses -> (category, retryable).
STATUS_TABLE: Mapping[int, tuple[ProviderCategory, bool]] = {
    400: (_B.BAD_REQUEST, False),  # malformed body
    401: (_B.CREDENTIALS, False),  # authorization failed
    403: (_B.CREDENTIALS, False),  # signature invalid, access forbidden
    404: (_B.MISCONFIGURED, False),  # request failed: a wrong URL or a retired API
    411: (_B.MISCONFIGURED, False),  # no Content-Length: how this code sends
    413: (_B.BAD_IMAGE, False),  # body too large
    424: (_B.MISCONFIGURED, False),  # method not found
    429: (_B.THROTTLED, True),  # not in the document; the standard meaning
    500: (_B.VENDOR_UNAVAILABLE, True),
    502: (_B.VENDOR_UNAVAILABLE, True),
    503: (_B.VENDOR_UNAVAILABLE, True),
    504: (_B.VENDOR_UNAVAILABLE, True),  # backend timeout or processing failure
}


ERRORS: Final = ErrorTable(codes=CODE_TABLE, statuses=STATUS_TABLE)
classify: Final = ERRORS.classify


def _json_object(response: requests.Response) -> dict[str, Any] | None:
    try:
        parsed = response.json()
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _code_of(body: Mapping[str, Any] | None) -> int | None:
    code = body.get("code") if body is not None else None
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.lstrip("-").isdigit():
        return int(code)
    return None


def _request_id(body: Mapping[str, Any] | None) -> str | None:
    data = body.get("data") if body is not None else None
    session = data.get("session_id") if isinstance(data, Mapping) else None
    return str(session) if session else None


def check_answer(response: requests.Response) -> dict[str, Any]:
    """The answer's JSON when it is a success (`code` 0), else the mapped `ProviderError`."""
    body = _json_object(response)
    code = _code_of(body)
    if response.status_code == 200 and body is not None and code == 0:
        return body
    if response.status_code == 200 and body is None:
        # A 200 that is not a JSON object is a proxy page, not this API.
        category, retryable, known = ProviderCategory.VENDOR_UNAVAILABLE, True, True
    else:
        category, retryable, known = classify(code, response.status_code)
    code_text = str(code) if code is not None else None
    if not known:
        # By code only: the message may echo the request.
        log.warning(
            "unknown tencent-legacy error",
            extra={"vendor_code": code_text, "http_status": response.status_code},
        )
    raise ProviderError(
        f"the legacy Tencent image API refused the request "
        f"(HTTP {response.status_code}, code {code_text})",
        vendor=VENDOR,
        category=category,
        retryable=retryable,
        vendor_code=code_text,
        request_id=_request_id(body),
        http_status=response.status_code,
    )


def transport_error(error: requests.RequestException) -> ProviderError:
    if isinstance(error, requests.Timeout) and not isinstance(error, requests.ConnectTimeout):
        return ProviderError(
            "the legacy Tencent image API did not answer in time",
            vendor=VENDOR,
            category=ProviderCategory.TIMEOUT,
            retryable=True,
        )
    return ProviderError(
        f"cannot reach the legacy Tencent image API ({type(error).__name__})",
        vendor=VENDOR,
        category=ProviderCategory.NETWORK,
        retryable=True,
    )


# -- the provider ---------------------------------------------------------------------------
@dataclass(frozen=True)
class LegacyOptions:
    app_id: str
    endpoint: str = DEFAULT_ENDPOINT
    bucket: str = ""
    body: BodyMode = "multipart"
    timeout: float = 10.0


class TencentLegacyProvider:
    """`OcrProvider` for `sdkservice.image.myqcloud.com/ocr/passport`."""

    name = VENDOR
    accepts_url = True

    def __init__(
        self,
        options: LegacyOptions,
        credentials: Credentials | CredentialsProvider,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if not options.app_id or not options.app_id.strip():
            raise ConfigError(
                "the legacy Tencent image API needs PASSPORT_OCR_TENCENT_LEGACY_APP_ID"
            )
        if not options.endpoint.startswith(("https://", "http://")):
            raise ConfigError("PASSPORT_OCR_TENCENT_LEGACY_ENDPOINT must be an http(s) URL")
        self.options = options
        self.limits = legacy_limits(options.body)
        self.retry = retry or RetryPolicy()
        self._credentials = as_provider(credentials)
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._sessions: ThreadLocalClients[requests.Session] = ThreadLocalClients()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        credentials: Credentials | CredentialsProvider | None = None,
        context: object | None = None,
        environ: Mapping[str, str] | None = None,
        body: BodyMode | None = None,
        **kwargs: Any,
    ) -> TencentLegacyProvider:
        options = LegacyOptions(
            app_id=settings.tencent_legacy_app_id or "",
            endpoint=settings.tencent_legacy_endpoint,
            body=body or settings.tencent_legacy_body,
            timeout=settings.ocr_timeout_seconds,
        )
        kwargs.setdefault("retry", RetryPolicy(max_attempts=settings.ocr_max_attempts))
        if credentials is None:
            long_lived = not DESCRIPTOR.temporary_credentials  # its signature has no token
            credentials = tencent_credentials_provider(environ, long_lived_only=long_lived)
        return cls(options, credentials, **kwargs)

    @property
    def rate_limits(self) -> Mapping[str, float]:
        return DESCRIPTOR.rate_limits  # none published

    def can_fetch(self, ref: ObjectRef) -> bool:
        """The legacy API names no region: it downloads URLs over the public internet."""
        return ref.region is not None

    def warm_up(self) -> None:
        """Nothing to load: a session is opened at the first call, per thread."""

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        def attempt() -> dict[str, Any]:
            return self._call_once(image, deadline)

        raw, attempts = call_with_retries(
            attempt, self.retry, deadline=deadline, sleep=self._sleep, clock=self._clock
        )
        return VendorAnswer(
            format="tencent-legacy", raw=raw, request_id=_request_id(raw), attempts=attempts
        )

    # -- internals ------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        return self._sessions.get("session", requests.Session)

    def _call_once(self, image: ImageInput, deadline: float | None) -> dict[str, Any]:
        read_timeout = timeout_for(deadline, self.options.timeout, self._clock)
        authorization = sign(
            self._credentials(),
            self.options.app_id,
            now=int(self._wall_clock()),
            rand=secrets.randbelow(10**9),
            bucket=self.options.bucket,
        )
        request = self._request(image, authorization)
        try:
            response = self._session().post(
                self.options.endpoint,
                timeout=(min(CONNECT_TIMEOUT_SECONDS, read_timeout), read_timeout),
                **request,
            )
        except requests.RequestException as error:
            raise transport_error(error) from error
        return check_answer(response)

    def _request(self, image: ImageInput, authorization: str) -> dict[str, Any]:
        """Keyword arguments for `requests.post`: headers plus a JSON or multipart body."""
        headers = {"Authorization": authorization}
        app_id = self.options.app_id
        if image.url is not None:
            return {"headers": headers, "json": {"app_id": app_id, "url": image.url}}
        assert image.image is not None  # ImageInput holds exactly one of the two
        if self.options.body == "json":
            encoded = base64.b64encode(image.image.data).decode("ascii")
            return {"headers": headers, "json": {"app_id": app_id, "image": encoded}}
        return {
            "headers": headers,
            "data": {"app_id": app_id},
            "files": {"image": _file_part(image.image)},
        }


def _file_part(image: PreparedImage) -> tuple[str, bytes, str]:
    mime = MIME_TYPES.get(image.format, "application/octet-stream")
    return (f"image.{image.format.lower()}", image.data, mime)
