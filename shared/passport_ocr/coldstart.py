"""Keeping work a function never needs out of its cold start.

A cold start builds tens of thousands of long-lived objects (SDK model classes, pydantic
validators, clients) and next to no garbage, yet every few hundred allocations the
collector runs, and its older generations walk everything built so far: with Tencent's
1.4 MB OCR models module loaded, collections took a fifth of the SCF handler's init
(`bench/cold_start.py`). So the collector waits while the handler module and its clients
are built, and what survives is then frozen (moved to the permanent generation), so that
no collection during an invocation walks it again either.

The first pydantic model built also looks for pydantic plugins: it reads the entry points
of every distribution on `sys.path` (pydantic 2.14.4 `pydantic/plugin/_loader.py:22-40`),
about 5 ms in a FunctionGraph bundle's 24 `.dist-info` folders, and a function bundle holds
no plugin. `PYDANTIC_DISABLE_PLUGINS` (pydantic >= 2.7, same file, line 28) skips it.

Only the functions' entry points use this; the library itself never touches the collector
or the environment.
"""

from __future__ import annotations

import gc
import os
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


#: pydantic's switch, and the value that skips every plugin (`_loader.py:33`).
PLUGINS_SWITCH, NO_PLUGINS = "PYDANTIC_DISABLE_PLUGINS", "__all__"


def skip_pydantic_plugin_scan() -> None:
    """Tell pydantic there are no plugins to look for, unless the function's environment
    already says otherwise (set the variable to an empty string to load one, e.g. logfire)."""
    os.environ.setdefault(PLUGINS_SWITCH, NO_PLUGINS)
