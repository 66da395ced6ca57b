"""The shared retry policy (`providers/base.py`): backoff, full jitter, attempts and deadline."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passport_ocr.errors import ProviderCategory, ProviderError
from passport_ocr.providers.base import RetryPolicy, call_with_retries, timeout_for
from tests.fakes import FakeTime


def error(retryable: bool, code: str = "X") -> ProviderError:
    category = ProviderCategory.THROTTLED if retryable else ProviderCategory.BAD_IMAGE
    return ProviderError(
        "boom", vendor="test", category=category, retryable=retryable, vendor_code=code
    )


def failing(*outcomes: ProviderError | str) -> tuple[Callable[[], str], list[int]]:
    """A call that raises or returns the given outcomes in order; counts its calls."""
    calls: list[int] = []
    queue = list(outcomes)

    def call() -> str:
        calls.append(1)
        outcome = queue.pop(0)
        if isinstance(outcome, ProviderError):
            raise outcome
        return outcome

    return call, calls


def test_success_first_time_does_not_sleep() -> None:
    clock = FakeTime(0.0)
    call, calls = failing("ok")
    assert call_with_retries(call, RetryPolicy(), sleep=clock.sleep, clock=clock) == ("ok", 1)
    assert (len(calls), clock.sleeps) == (1, [])


def test_retryable_errors_are_retried_until_success() -> None:
    clock = FakeTime(0.0)
    call, calls = failing(error(True), error(True), "ok")
    result = call_with_retries(call, RetryPolicy(max_attempts=3), sleep=clock.sleep, clock=clock)
    assert result == ("ok", 3)
    assert (len(calls), len(clock.sleeps)) == (3, 2)


def test_permanent_errors_are_not_retried() -> None:
    clock = FakeTime(0.0)
    call, calls = failing(error(False), "never")
    with pytest.raises(ProviderError) as caught:
        call_with_retries(call, RetryPolicy(max_attempts=5), sleep=clock.sleep, clock=clock)
    assert caught.value.retryable is False
    assert (len(calls), clock.sleeps) == (1, [])


def test_no_sleep_after_the_last_attempt() -> None:
    clock = FakeTime(0.0)
    call, calls = failing(error(True, "1"), error(True, "2"), error(True, "3"))
    with pytest.raises(ProviderError) as caught:
        call_with_retries(call, RetryPolicy(max_attempts=3), sleep=clock.sleep, clock=clock)
    assert caught.value.vendor_code == "3"  # the last error is the one raised
    assert len(calls) == 3
    assert len(clock.sleeps) == 2


def test_stops_before_a_pause_that_would_cross_the_deadline() -> None:
    clock = FakeTime(0.0)
    policy = RetryPolicy(max_attempts=100, base_delay=1.0, max_delay=1.0)
    call, calls = failing(*[error(True)] * 100)
    with pytest.raises(ProviderError):
        call_with_retries(call, policy, deadline=3.0, sleep=clock.sleep, clock=clock)
    assert clock.now < 3.0
    assert sum(clock.sleeps) < 3.0
    assert len(calls) == len(clock.sleeps) + 1


def test_on_retry_sees_each_error_attempt_and_pause() -> None:
    clock = FakeTime(0.0)
    seen: list[tuple[str | None, int, float]] = []
    call, _ = failing(error(True, "a"), error(True, "b"), "ok")
    call_with_retries(
        call,
        RetryPolicy(max_attempts=3),
        sleep=clock.sleep,
        clock=clock,
        on_retry=lambda err, attempt, pause: seen.append((err.vendor_code, attempt, pause)),
    )
    assert [(code, attempt) for code, attempt, _ in seen] == [("a", 1), ("b", 2)]
    assert [pause for *_, pause in seen] == clock.sleeps


def test_other_exceptions_are_not_swallowed() -> None:
    def call() -> str:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retries(call, RetryPolicy(max_attempts=3), sleep=lambda _: None)


@given(
    attempt=st.integers(min_value=1, max_value=40),
    base=st.floats(min_value=0.0, max_value=5.0),
    cap=st.floats(min_value=0.0, max_value=30.0),
    draw=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_delay_is_full_jitter_under_an_exponential_ceiling(
    attempt: int, base: float, cap: float, draw: float
) -> None:
    policy = RetryPolicy(base_delay=base, max_delay=cap)
    ceiling = min(cap, base * 2 ** (attempt - 1))
    delay = policy.delay(attempt, rng=lambda: draw)
    assert 0.0 <= delay <= ceiling
    assert delay == pytest.approx(draw * ceiling)


def test_ceiling_doubles_then_caps() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=3.0)
    ceilings = [policy.delay(n, rng=lambda: 1.0) for n in range(1, 6)]
    assert ceilings == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_timeout_for_the_deadline() -> None:
    assert timeout_for(None, 10.0) == 10.0
    assert timeout_for(104.0, 10.0, clock=lambda: 100.0) == 4.0
    assert timeout_for(200.0, 10.0, clock=lambda: 100.0) == 10.0
    with pytest.raises(ProviderError) as caught:
        timeout_for(100.0, 10.0, clock=lambda: 100.0)
    assert (caught.value.category, caught.value.retryable) == (ProviderCategory.TIMEOUT, True)


def test_no_attempt_starts_without_the_time_to_finish() -> None:
    # 0.9 s left: whatever the pause, less than a vendor call needs, so the throttling
    # error in hand is raised instead of a hopeless short-timeout attempt.
    clock = FakeTime(0.0)
    throttled = error(True, code="Throttled")
    call, calls = failing(throttled, "ok")
    policy = RetryPolicy(max_attempts=5, base_delay=0.6, max_delay=0.6, min_attempt_seconds=1.0)
    with pytest.raises(ProviderError) as caught:
        call_with_retries(call, policy, deadline=0.9, sleep=clock.sleep, clock=clock)
    assert caught.value is throttled
    assert (len(calls), clock.sleeps) == (1, [])
