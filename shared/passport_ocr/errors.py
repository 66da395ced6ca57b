"""One typed error hierarchy for the whole product.

The pipeline's error policy rests on two questions every error answers:
`permanent` (publish a `rejected` event, never retry) or not (raise, so the platform
retries and finally routes the upload to its failure destination). Messages never
carry personal data: they may reach logs.
"""

from __future__ import annotations

from enum import Enum


class PassportOcrError(Exception):
    """Base of every error this package raises on purpose."""

    #: A stable, machine-readable code; goes into `rejected` events and log lines.
    code: str = "error"
    #: True: the input itself is unusable, retrying cannot help.
    permanent: bool = True
    #: True: the operator must fix something (settings, credentials, subscription, quota,
    #: the role's permissions). Never a `rejected` upload: it is kept for retry and replay.
    operator: bool = False

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class ConfigError(PassportOcrError):
    """A setting or credential is missing or malformed: the operator's to fix, so the upload
    is not rejected but kept for retry and the failure destination."""

    code = "config"
    permanent = False
    operator = True


class MrzError(PassportOcrError):
    """The text cannot be read as an ICAO 9303 MRZ at all (wrong length, lookalike, ...)."""

    code = "mrz.unusable"


class MappingError(PassportOcrError):
    """A vendor answer does not have the shape its documentation promises."""

    code = "mapping.malformed"

    def __init__(self, vendor: str, field: str, message: str) -> None:
        super().__init__(f"{vendor} answer, field {field!r}: {message}")
        self.vendor = vendor
        self.field = field


class ImageError(PassportOcrError):
    """The uploaded file cannot be made into an image a provider accepts."""

    code = "image.unusable"

    def __init__(self, reason: str, message: str) -> None:
        # reason: empty, truncated, corrupt, not_an_image, unsupported_format,
        # too_small, too_large, decompression_bomb
        super().__init__(message, code=f"image.{reason}")
        self.reason = reason


class EventError(PassportOcrError):
    """A trigger event does not have any shape this function knows."""

    code = "event.unknown_shape"


class ProviderCategory(str, Enum):
    BAD_IMAGE = "bad_image"
    NOT_A_PASSPORT = "not_a_passport"
    BAD_REQUEST = "bad_request"
    CREDENTIALS = "credentials"
    NOT_SUBSCRIBED = "not_subscribed"
    QUOTA = "quota"  # arrears, resource package used up, account restricted
    #: The deployment points at the wrong place or sends what no upload could fix: wrong
    #: region, endpoint, project or app id, a retired API, a request this code built wrong.
    MISCONFIGURED = "misconfigured"
    THROTTLED = "throttled"
    VENDOR_UNAVAILABLE = "vendor_unavailable"
    TIMEOUT = "timeout"
    NETWORK = "network"
    UNKNOWN = "unknown"


#: Failures only the operator can fix: the account, not the upload, is at fault.
OPERATOR_CATEGORIES = frozenset(
    {
        ProviderCategory.CREDENTIALS,
        ProviderCategory.NOT_SUBSCRIBED,
        ProviderCategory.QUOTA,
        ProviderCategory.MISCONFIGURED,
    }
)
#: Failures that say something about the upload itself: it will never succeed as it is.
UPLOAD_CATEGORIES = frozenset(
    {ProviderCategory.BAD_IMAGE, ProviderCategory.NOT_A_PASSPORT, ProviderCategory.BAD_REQUEST}
)


class ProviderError(PassportOcrError):
    """An OCR vendor call failed. Carries everything an operator needs, nothing personal.

    `retryable`: worth another call right now (throttling, timeouts, 5xx).
    `permanent`: the upload is rejected. Only upload categories are; credentials, subscription,
    quota and unknown failures are the operator's to fix, so they raise and the upload ends at
    the failure destination, ready to be replayed, instead of being rejected.
    """

    code = "provider"

    def __init__(
        self,
        message: str,
        *,
        vendor: str,
        category: ProviderCategory,
        retryable: bool,
        vendor_code: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message, code=f"provider.{category.value}")
        self.vendor = vendor
        self.category = category
        self.retryable = retryable
        self.permanent = not retryable and category in UPLOAD_CATEGORIES
        self.operator = category in OPERATOR_CATEGORIES
        self.vendor_code = vendor_code
        self.request_id = request_id
        self.http_status = http_status

    def log_fields(self) -> dict[str, object]:
        return {
            "vendor": self.vendor,
            "category": self.category.value,
            "retryable": self.retryable,
            "vendor_code": self.vendor_code,
            "request_id": self.request_id,
            "http_status": self.http_status,
        }


class StorageError(PassportOcrError):
    """Reading an object or signing its URL failed."""

    code = "storage"

    def __init__(
        self, message: str, *, permanent: bool, code: str = "storage", operator: bool = False
    ) -> None:
        super().__init__(message, code=code)
        self.permanent = permanent and not operator
        self.operator = operator


class SecretError(PassportOcrError):
    """Reading a vendor's keys from the secret store failed, or the secret holds no key pair.

    Never permanent (the upload is kept for retry and replay). `operator`: the secret is
    missing, refused to the function's role, or malformed; else the store was unreachable.
    Messages name the secret's kind and the fields expected, never a value.
    """

    code = "secret"
    permanent = False

    def __init__(self, message: str, *, reason: str, operator: bool = True) -> None:
        # reason: not_found, denied, invalid, malformed, unavailable
        super().__init__(message, code=f"secret.{reason}")
        self.reason = reason
        self.operator = operator


class PublishError(PassportOcrError):
    """The topic did not take the message. Always transient: nothing may be lost."""

    code = "publish"
    permanent = False
