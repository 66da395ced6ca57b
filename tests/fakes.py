"""Test doubles shared across the suite."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from passport_ocr.events.base import ObjectRef


class FakeTime:
    """A monotonic clock that moves only when someone sleeps: retries and rate limits are
    tested without waiting. Use `clock` (or the instance itself) and `sleep`; thread-safe."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    __call__ = clock

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


class PlainProviderCapabilities:
    """What an `OcrProvider` double says about itself unless a test needs more: no rate
    limit, no URL fetching, nothing to warm up."""

    @property
    def rate_limits(self) -> Mapping[str, float]:
        return {}

    def can_fetch(self, ref: ObjectRef) -> bool:
        return False

    def warm_up(self) -> None:
        return None
