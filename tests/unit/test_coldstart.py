"""`gc_paused`: no cyclic collection while a cold start builds its objects; survivors frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from passport_ocr.coldstart import gc_paused


@pytest.fixture(autouse=True)
def _restore_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_no_collection_inside_and_the_survivors_are_frozen() -> None:
    gc.enable()
    gc.unfreeze()
    collections_before = sum(stats["collections"] for stats in gc.get_stats())

    with gc_paused():
        assert not gc.isenabled()
        # Enough container allocations to trigger many generation-0 collections if enabled.
        built = [[index] for index in range(50_000)]

    assert sum(stats["collections"] for stats in gc.get_stats()) == collections_before
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_collector_comes_back_when_the_block_raises() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("import failed")
    assert gc.isenabled()
