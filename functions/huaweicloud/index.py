"""FunctionGraph entry point (handler `index.handler`): OBS upload -> passport record -> SMN."""

from __future__ import annotations

import logging
from typing import Any

from passport_ocr.coldstart import gc_paused, skip_pydantic_plugin_scan

skip_pydantic_plugin_scan()  # before any model is built: see coldstart.py

with gc_paused():  # the cold start builds long-lived objects, not garbage: see coldstart.py
    from passport_ocr.config import load_settings
    from passport_ocr.logs import configure_logging
    from passport_ocr.platforms import huaweicloud
    from passport_ocr.platforms.common import FunctionRuntime

    configure_logging()
    # Built once per container: settings are validated here, clients at the first invocation.
    runtime = FunctionRuntime(settings=load_settings(), factory=huaweicloud.build_pipeline)
logging.getLogger("passport_ocr.function").debug("container ready")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return huaweicloud.handle(runtime, event, context)
