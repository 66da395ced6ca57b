"""SCF entry point (handler `index.main_handler`): COS upload -> passport record -> TDMQ."""

from __future__ import annotations

from typing import Any

from passport_ocr.coldstart import gc_paused, skip_pydantic_plugin_scan

skip_pydantic_plugin_scan()  # before any model is built: see coldstart.py

with gc_paused():  # the cold start builds long-lived objects, not garbage: see coldstart.py
    from passport_ocr.config import load_settings
    from passport_ocr.logs import configure_logging
    from passport_ocr.platforms import tencentcloud
    from passport_ocr.platforms.common import FunctionRuntime

    configure_logging()
    # Built once per container: settings are validated here, clients at the first invocation.
    runtime = FunctionRuntime(settings=load_settings(), factory=tencentcloud.build_pipeline)


def main_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return tencentcloud.handle(runtime, event, context)
