"""Keeping Python's cyclic garbage collector out of a function's cold start.

A cold start builds tens of thousands of long-lived objects (SDK model classes, pydantic
validators, clients) and next to no garbage, yet every few hundred allocations the
collector runs, and its older generations walk everything built so far: with Tencent's
1.4 MB OCR models module loaded, collections took a fifth of the SCF handler's init
(`bench/cold_start.py`). So the collector waits while the handler module and its clients
are built, and what survives is then frozen (moved to the permanent generation), so that
no collection during an invocation walks it again either.

Only the functions' entry points use this; the library itself never touches the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside; afterwards the survivors are frozen and the collector
    is back as it was (a caller that had disabled it keeps it disabled)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
