"""Lambda entry point (handler `app.lambda_handler`): S3 upload -> passport record -> SNS."""

from __future__ import annotations

import logging
import os
import warnings
from typing import Any

from passport_ocr.coldstart import gc_paused, skip_pydantic_plugin_scan

skip_pydantic_plugin_scan()  # before any model is built: see coldstart.py

with gc_paused():  # the cold start builds long-lived objects, not garbage: see coldstart.py
    from aws_lambda_powertools import Logger, Metrics, Tracer
    from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
    from aws_lambda_powertools.utilities.typing import LambdaContext

    from passport_ocr.config import load_settings
    from passport_ocr.logs import OWN_LOGGERS, guard_handlers
    from passport_ocr.platforms import aws

    logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "passport-ocr"))
    # The library logs through the standard `logging` module: give it the same JSON output.
    copy_config_to_registered_loggers(source_logger=logger, include={"passport_ocr"})
    # Every handler that writes out of the process gets the personal-data guard: Powertools'
    # (ours and the library's lines) and the runtime's root handler (where SDK lines go).
    guard_handlers([*logger.handlers, *logging.getLogger().handlers], (*OWN_LOGGERS, logger.name))
    tracer = Tracer()
    aws.keep_object_keys_out_of_traces()
    metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "PassportOcr"))
    # An invocation with nothing processed (skipped keys, failed uploads) adds no metric by
    # design; Powertools then warns, an unstructured stderr line in the function's log.
    warnings.filterwarnings(
        "ignore", message="No application metrics to publish", category=UserWarning
    )
    # Built once per container: settings are validated here, clients at the first invocation.
    runtime = aws.make_runtime(load_settings(), metrics)
    # With SnapStart, each environment restored from the snapshot rebuilds what init built.
    aws.register_snapstart_hooks(runtime)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return aws.handle(runtime, event, context)
