"""What every OCR provider is, and the one retry policy they all share."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from passport_ocr.errors import ProviderCategory, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.images import ImageLimits, PreparedImage
from passport_ocr.vendors import AnswerFormat

log = logging.getLogger(__name__)

#: The answer formats the mappers understand (`passport_ocr.vendors` lists them).
VendorFormat = AnswerFormat

T = TypeVar("T")


@dataclass(frozen=True)
class ImageInput:
    """What a provider is asked to read: prepared bytes, a URL the vendor downloads, or a
    reference to an object in the vendor's own cloud's store that it reads itself."""

    image: PreparedImage | None = None
    url: str | None = None
    object: ObjectRef | None = None

    def __post_init__(self) -> None:
        given = sum(part is not None for part in (self.image, self.url, self.object))
        if given != 1:
            raise ValueError("ImageInput takes exactly one of image, url or object")


@dataclass(frozen=True)
class VendorAnswer:
    """A vendor's raw answer, untouched, with what is needed to map it."""

    format: VendorFormat
    raw: dict[str, Any]
    request_id: str | None = None
    attempts: int = 1
    #: The holder's portrait as the vendor gave it (JPEG or PNG bytes), when it was asked
    #: for one (`PASSPORT_OCR_PORTRAIT=store`); taken out of `raw`, which never holds it.
    portrait: bytes | None = field(default=None, repr=False)


class OcrProvider(Protocol):
    name: str
    limits: ImageLimits
    #: False when the endpoint cannot download from a URL (e.g. Tencent international).
    accepts_url: bool

    @property
    def rate_limits(self) -> Mapping[str, float]:
        """Requests per second for each API this provider may call; empty: no known limit."""
        ...

    def can_fetch(self, ref: ObjectRef) -> bool:
        """Whether the vendor dependably reads `ref` itself, by the kind it takes (a signed
        URL of it, or the object by reference): its own cloud's store, in its region. The
        transfer rule's "same region" condition."""
        ...

    def warm_up(self) -> None:
        """Get ready for the first page (load models); a missing part is a `ConfigError`."""
        ...

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        """Read one passport page. `deadline` is a `time.monotonic()` instant."""
        ...


class WrappedProvider:
    """An `OcrProvider` around another that answers as it does; a subclass overrides
    `recognize` to add one thing around the call (a rate limit, keeping what was read)."""

    def __init__(self, provider: OcrProvider) -> None:
        self._provider = provider
        self.name: str = provider.name
        self.limits: ImageLimits = provider.limits
        self.accepts_url: bool = provider.accepts_url

    @property
    def rate_limits(self) -> Mapping[str, float]:
        return self._provider.rate_limits

    def can_fetch(self, ref: ObjectRef) -> bool:
        return self._provider.can_fetch(ref)

    def warm_up(self) -> None:
        self._provider.warm_up()

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        return self._provider.recognize(image, deadline=deadline)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded by attempts and by a deadline."""

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    #: An attempt with less time than this left could not finish: raise the error in hand.
    min_attempt_seconds: float = 1.0

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Sleep before attempt `attempt + 1` (attempt counts from 1)."""
        ceiling: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return rng() * ceiling


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    deadline: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_retry: Callable[[ProviderError, int, float], None] | None = None,
) -> tuple[T, int]:
    """Run `call`, retrying retryable `ProviderError`s; return (result, attempts).

    Never sleeps after the last attempt, and never sleeps past `deadline`: when the next
    try could not start, with `policy.min_attempt_seconds` to run, before it, the last error
    is raised at once (a vendor's throttling answer says more than a hopeless timeout would).
    """
    attempt = 1
    while True:
        try:
            return call(), attempt
        except ProviderError as error:
            if not error.retryable or attempt >= policy.max_attempts:
                raise
            pause = policy.delay(attempt)
            if deadline is not None and clock() + pause + policy.min_attempt_seconds > deadline:
                raise
            if on_retry is not None:
                on_retry(error, attempt, pause)
            log.info(
                "ocr call retried",
                extra={"attempt": attempt, "pause_s": round(pause, 3), **error.log_fields()},
            )
            sleep(pause)
            attempt += 1


def timeout_for(
    deadline: float | None, default: float, clock: Callable[[], float] = time.monotonic
) -> float:
    """The per-request timeout: the configured one, cut short by the deadline."""
    if deadline is None:
        return default
    remaining = deadline - clock()
    if remaining <= 0:
        raise ProviderError(
            "no time left before the function's deadline",
            vendor="any",
            category=ProviderCategory.TIMEOUT,
            retryable=True,
        )
    return min(default, remaining)
