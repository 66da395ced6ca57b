"""Amazon Textract `AnalyzeID` through botocore (which the Lambda runtime provides).

The call
--------
`analyze_id(DocumentPages=[{"S3Object": {"Bucket", "Name", "Version"}}])` for an upload in
the function's own region (object mode: Textract reads the object with the caller's
permissions, so the function neither downloads nor signs anything), or
`DocumentPages=[{"Bytes": ...}]` for prepared bytes (bytes mode). Shapes and limits are
botocore's service model, `botocore/data/textract/2018-06-27/service-2.json(.gz)`
(botocore 1.44.8; decompressed line numbers): `AnalyzeID` 63-85, `Document` 1712,
`S3Object` 3594 ("The AWS Region for the S3 bucket ... must match the Region that you use
for Amazon Textract operations"; "the user must have permission to access the S3 bucket and
file"), `DocumentPages` 1772 (1..2 pages; one is sent: a passport's data page).
API reference: https://docs.aws.amazon.com/textract/latest/dg/API_AnalyzeID.html

Errors (the table below)
------------------------
AnalyzeID's modeled errors are the nine of service-2.json lines 71-81; `ThrottlingException`
(3999) and `InternalServerError` (2780) are `"fault": true` (HTTP 5xx), the others client
errors (HTTP 400, as the API reference lists them). `InvalidS3ObjectException` ("Amazon
Textract is unable to access the S3 object", 2805) says neither whose fault it is nor
whether the object exists: a key deleted since the event (the upload's), a role without
`s3:GetObject`, a KMS key policy, a bucket in another region (the operator's). Textract's
word alone may neither reject the upload nor blame the operator, so it is `network`, not
retried: the pipeline falls back to bytes mode, where the function's own S3 read says
which (404: rejected; 403: the operator's). The common errors every AWS API may answer
(https://docs.aws.amazon.com/signer/latest/api/CommonErrors.html, "errors common to the
API actions of all AWS services") are in the table too.

Mechanics: one client per thread and timeout (`ThreadLocalClients`: botocore fixes
timeouts when a client is built); botocore's own retries are off (`total_max_attempts: 1`),
because `call_with_retries` is the one retry loop and must see every failure; credentials
from botocore's default chain (the Lambda role's temporary credentials), unless given.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from passport_ocr.config import Settings
from passport_ocr.credentials import Credentials
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

VENDOR: Final = "textract"
OPERATION: Final = "AnalyzeID"
DESCRIPTOR: Final = VENDORS[VENDOR]
#: The botocore service name (the same word as the vendor's, by coincidence of naming).
SERVICE: Final = VENDOR
#: The cloud whose store Textract reads objects from (S3).
HOME_CLOUD: Final = DESCRIPTOR.home_cloud

_C = ProviderCategory
Meaning = tuple[ProviderCategory, bool]

#: AnalyzeID's modeled errors (service-2.json lines 71-81) and the common AWS errors.
ERROR_TABLE: Final[Mapping[str, Meaning]] = {
    # throttling: "the number of requests exceeded your throughput limit" (3479) and
    # "temporarily unable to process the request. Try your call again." (3999)
    "ThrottlingException": (_C.THROTTLED, True),
    "ProvisionedThroughputExceededException": (_C.THROTTLED, True),
    # the vendor's side: "experienced a service issue. Try your call again." (2780)
    "InternalServerError": (_C.VENDOR_UNAVAILABLE, True),
    # the role may not call AnalyzeID (798): the operator's to fix
    "AccessDeniedException": (_C.CREDENTIALS, False),
    # Textract could not read the object (2805): see the module docstring
    "InvalidS3ObjectException": (_C.NETWORK, False),
    # the image: format (4028), unreadable (1104), too large (1778)
    "UnsupportedDocumentException": (_C.BAD_IMAGE, False),
    "BadDocumentException": (_C.BAD_IMAGE, False),
    "DocumentTooLargeException": (_C.BAD_IMAGE, False),
    # the request itself (2799): a bug here, never fixed by retrying
    "InvalidParameterException": (_C.BAD_REQUEST, False),
    # common AWS errors (CommonErrors.html) and the JSON protocol's signature errors
    "IncompleteSignature": (_C.CREDENTIALS, False),
    "InvalidSignatureException": (_C.CREDENTIALS, False),
    "InvalidClientTokenId": (_C.CREDENTIALS, False),
    "UnrecognizedClientException": (_C.CREDENTIALS, False),
    "MissingAuthenticationToken": (_C.CREDENTIALS, False),
    "NotAuthorized": (_C.CREDENTIALS, False),
    # a role's token that expired in flight: botocore's chain renews it for the next try
    "ExpiredTokenException": (_C.CREDENTIALS, True),
    "RequestExpired": (_C.CREDENTIALS, False),  # clock skew > 15 min
    "OptInRequired": (_C.NOT_SUBSCRIBED, False),
    "InternalFailure": (_C.VENDOR_UNAVAILABLE, True),
    "ServiceUnavailable": (_C.VENDOR_UNAVAILABLE, True),
    "ValidationError": (_C.BAD_REQUEST, False),
}
#: What a bare HTTP status (no error code) means; any other 5xx is the vendor's side.
STATUS_TABLE: Final[Mapping[int, Meaning]] = {
    401: (_C.CREDENTIALS, False),
    403: (_C.CREDENTIALS, False),
    413: (_C.BAD_IMAGE, False),
    429: (_C.THROTTLED, True),
}
ERRORS: Final = ErrorTable(codes=ERROR_TABLE, statuses=STATUS_TABLE)
classify: Final = ERRORS.classify


def _error(
    message: str,
    category: ProviderCategory,
    retryable: bool,
    *,
    code: str | None = None,
    request_id: str | None = None,
    http_status: int | None = None,
) -> ProviderError:
    return ProviderError(
        message,
        vendor=VENDOR,
        category=category,
        retryable=retryable,
        vendor_code=code,
        request_id=request_id,
        http_status=http_status,
    )


def _client_error(error: Any) -> ProviderError:
    """A botocore `ClientError`: the service answered with an error code and a status."""
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code") or "") or None
    metadata = response.get("ResponseMetadata", {})
    status = metadata.get("HTTPStatusCode")
    status = status if isinstance(status, int) else None
    request_id = metadata.get("RequestId")
    category, retryable, known = classify(code, status)
    if not known:
        # By code and status only: messages may echo request parameters (bucket, key).
        log.warning(
            "unknown textract error code", extra={"vendor_code": code, "http_status": status}
        )
    return _error(
        f"Textract {OPERATION} refused the request ({code or status})",
        category,
        retryable,
        code=code,
        request_id=request_id if isinstance(request_id, str) else None,
        http_status=status,
    )


def _transport_meaning(error: Exception) -> tuple[ProviderCategory, bool, str]:
    """(category, retryable, what happened) for what botocore raises without an answer."""
    from botocore import exceptions as bx  # noqa: PLC0415 (imported with the client)
    from botocore.parsers import ResponseParserError  # noqa: PLC0415

    table: tuple[
        tuple[type[BaseException] | tuple[type[BaseException], ...], Meaning, str], ...
    ] = (
        (
            (bx.ConnectTimeoutError, bx.ReadTimeoutError),
            (_C.TIMEOUT, True),
            "did not answer in time",
        ),
        ((bx.EndpointConnectionError, bx.ConnectionClosedError), (_C.NETWORK, True), "unreachable"),
        (
            (bx.NoCredentialsError, bx.PartialCredentialsError),
            (_C.CREDENTIALS, False),
            "has no AWS credentials (the role's chain is empty)",
        ),
        (bx.ParamValidationError, (_C.BAD_REQUEST, False), "was refused by botocore (parameters)"),
        # A 200 whose body is not an API answer: a proxy or gateway page.
        (ResponseParserError, (_C.VENDOR_UNAVAILABLE, True), "answered with no API answer"),
        ((bx.HTTPClientError, OSError), (_C.NETWORK, True), "connection failed"),
    )
    for kinds, (category, retryable), what in table:
        if isinstance(error, kinds):
            return category, retryable, what
    return _C.UNKNOWN, False, f"call failed ({type(error).__name__})"


def to_provider_error(error: Exception) -> ProviderError:
    """Map anything botocore raises around `analyze_id` to a typed `ProviderError`."""
    from botocore.exceptions import ClientError  # noqa: PLC0415

    if isinstance(error, ProviderError):
        return error
    if isinstance(error, ClientError):
        return _client_error(error)
    category, retryable, what = _transport_meaning(error)
    return _error(f"Textract {OPERATION} {what}", category, retryable)


def document_of(
    image: ImageInput, limits_formats: frozenset[str], max_bytes: int
) -> dict[str, Any]:
    """The one `Document` of `DocumentPages` for this input (service-2.json `Document`)."""
    if image.object is not None:
        ref = image.object
        s3: dict[str, str] = {"Bucket": ref.bucket, "Name": ref.key}
        if ref.version_id:  # exactly the version the event names
            s3["Version"] = ref.version_id
        return {"S3Object": s3}
    if image.url is not None:
        raise _error("Textract AnalyzeID cannot download URLs", _C.BAD_REQUEST, False)
    assert image.image is not None  # ImageInput holds exactly one
    if image.image.format not in limits_formats:
        raise ImageError(
            "unsupported_format", f"Textract AnalyzeID does not read {image.image.format} bytes"
        )
    if len(image.image.data) > max_bytes:
        raise ImageError("too_large", "the image is over Textract's 5 MB document limit")
    return {"Bytes": image.image.data}


def answer_of(response: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The service's answer as sent (without botocore's `ResponseMetadata`), and its id."""
    metadata = response.get("ResponseMetadata")
    request_id = metadata.get("RequestId") if isinstance(metadata, Mapping) else None
    raw = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    return raw, request_id if isinstance(request_id, str) else None


class TextractProvider:
    """`OcrProvider` for Amazon Textract AnalyzeID (see the module docstring)."""

    name = VENDOR
    limits = DESCRIPTOR.limits
    #: AnalyzeID takes bytes or an S3 object, never a URL.
    accepts_url = False

    def __init__(
        self,
        *,
        region: str | None,
        endpoint: str | None = None,
        credentials: Credentials | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not region or not region.strip():
            raise ConfigError(
                "Textract needs a region: set PASSPORT_OCR_TEXTRACT_REGION or AWS_REGION"
            )
        if timeout <= 0:
            raise ConfigError("the Textract timeout must be positive")
        self.region = region.strip()
        self.endpoint = endpoint or None
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._credentials = credentials
        self._sleep = sleep
        self._clock = clock
        self._clients: ThreadLocalClients[Any] = ThreadLocalClients()

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        credentials: Credentials | None = None,
        context: object | None = None,
        environ: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> TextractProvider:
        """Settings; the region defaults to the function's (Textract reads S3 objects of
        its own region only); credentials from botocore's default chain unless given."""
        env = environ if environ is not None else _environ()
        region = (
            settings.textract_region
            or settings.region
            or env.get("AWS_REGION")
            or env.get("AWS_DEFAULT_REGION")
        )
        kwargs.setdefault("retry", RetryPolicy(max_attempts=settings.ocr_max_attempts))
        return cls(
            region=region,
            endpoint=settings.textract_endpoint,
            credentials=credentials,
            timeout=settings.ocr_timeout_seconds,
            **kwargs,
        )

    @property
    def rate_limits(self) -> Mapping[str, float]:
        """None documented as a number (region-specific Service Quotas): see vendors.py."""
        return dict(DESCRIPTOR.rate_limits)

    def can_fetch(self, ref: ObjectRef) -> bool:
        """An S3 object in Textract's own region: the service refuses other regions' buckets
        (service-2.json `S3Object`)."""
        return ref.cloud == HOME_CLOUD and ref.region is not None and ref.region == self.region

    def warm_up(self) -> None:
        """Nothing to load: the client is built at the first call, per thread."""

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        document = document_of(image, self.limits.formats, self.limits.max_raw_bytes)

        def attempt() -> tuple[dict[str, Any], str | None]:
            return self._call_once(document, deadline)

        (raw, request_id), attempts = call_with_retries(
            attempt, self.retry, deadline=deadline, sleep=self._sleep, clock=self._clock
        )
        return VendorAnswer("textract", raw, request_id, attempts)

    # -- internals ------------------------------------------------------------------------
    def _call_once(
        self, document: dict[str, Any], deadline: float | None
    ) -> tuple[dict[str, Any], str | None]:
        # Whole seconds, at least 1: one client per distinct timeout, not per call.
        seconds = max(1, math.ceil(timeout_for(deadline, self.timeout, self._clock)))
        client = self._client(seconds)
        try:
            response = client.analyze_id(DocumentPages=[document])
        except Exception as error:  # every botocore failure becomes a ProviderError
            raise to_provider_error(error) from error
        # botocore parses a 200 whose body is not JSON (a proxy's or gateway's page) as an
        # empty answer; rejecting the upload on it would be wrong: the service's side.
        if not isinstance(response, Mapping) or not isinstance(
            response.get("IdentityDocuments"), list
        ):
            raise _error(
                f"Textract {OPERATION} answered 200 with something other than an API answer",
                _C.VENDOR_UNAVAILABLE,
                True,
                http_status=200,
            )
        return answer_of(response)

    def _client(self, timeout_seconds: int) -> Any:
        def build() -> Any:
            # Lazy: only this vendor needs botocore.
            from botocore.config import Config  # noqa: PLC0415

            from passport_ocr.aws_clients import aws_client  # noqa: PLC0415

            config = Config(
                connect_timeout=timeout_seconds,
                read_timeout=timeout_seconds,
                # One attempt per call: `call_with_retries` is the retry loop. Not
                # `max_attempts: 1`, which botocore reads as one *retry* (two attempts,
                # botocore/args.py `_compute_retry_max_attempts`); `total_max_attempts`
                # counts the first request (botocore/config.py, `retries`).
                retries={"total_max_attempts": 1, "mode": "standard"},
            )
            keys = self._credentials
            return aws_client(
                SERVICE,
                region_name=self.region,
                endpoint_url=self.endpoint,
                config=config,
                aws_access_key_id=keys.access_key if keys else None,
                aws_secret_access_key=keys.secret_key if keys else None,
                aws_session_token=keys.security_token if keys else None,
            )

        return self._clients.get(timeout_seconds, build)


def _environ() -> Mapping[str, str]:
    import os  # noqa: PLC0415

    return os.environ
