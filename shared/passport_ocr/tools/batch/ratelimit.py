"""A token bucket that spaces OCR calls to a vendor's documented request rate.

Tencent allows PassportOCR 10 requests/s and MLIDPassportOCR 5 requests/s per account;
more gets `RequestLimitExceeded`, which the provider retries with backoff: slower than not
being throttled at all. The bucket hands out start times (a reservation each) so that,
whatever the number of worker threads, no one-second window sees more than `rate` starts
plus the burst. Clock and sleep are injected: tests prove the spacing without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from passport_ocr.providers.base import ImageInput, OcrProvider, VendorAnswer, WrappedProvider


@dataclass
class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; `acquire` waits for one."""

    rate: float
    burst: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = field(init=False)
    _updated: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError("the rate must be positive")
        if self.burst < 1:
            raise ValueError("the burst must be at least one request")
        self._tokens = self.burst
        self._updated = self.clock()

    def reserve(self) -> float:
        """Take one token now, possibly on credit; returns the instant it may be used."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1.0
            # A negative balance is the queue of callers already promised a later start.
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
            return now + wait

    def acquire(self) -> float:
        """Block until this caller may start; returns the start instant (clock time)."""
        start = self.reserve()
        pause = start - self.clock()
        if pause > 0:
            self.sleep(pause)
        return start


class RateLimitedProvider(WrappedProvider):
    """An `OcrProvider` that takes a token before every vendor call (after preflight, so
    files rejected locally cost no token). Retries inside the provider are not spaced:
    they only follow a failure and back off by themselves."""

    def __init__(self, provider: OcrProvider, bucket: TokenBucket) -> None:
        super().__init__(provider)
        self._bucket = bucket

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        self._bucket.acquire()
        return self._provider.recognize(image, deadline=deadline)


def provider_rate(provider: OcrProvider) -> float | None:
    """The request rate a provider must keep to, from its `rate_limits` (requests/s per API).

    Every page costs one call of the first API and at most one of the others (Tencent
    `auto`: MLIDPassportOCR, then sometimes PassportOCR), so the slowest API sets the pace.
    None: the provider documents no limit (the offline engine, Huawei's per-account quota).
    """
    limits = provider.rate_limits
    if not limits:
        return None
    return float(min(limits.values()))
