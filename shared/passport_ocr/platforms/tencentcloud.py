"""SCF: COS in, Tencent OCR (by default), TDMQ for CMQ out, role credentials from the env.

SCF passes `context` as a dict (`request_id`, `time_limit_in_ms`, `tencentcloud_region`,
...) and puts the execution role's temporary credentials in `TENCENTCLOUD_SECRETID`,
`TENCENTCLOUD_SECRETKEY` and `TENCENTCLOUD_SESSIONTOKEN`, renewed between invocations.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from passport_ocr.config import Settings
from passport_ocr.credentials import (
    Credentials,
    CredentialsProvider,
    tencent_credentials_from_env,
)
from passport_ocr.errors import ConfigError
from passport_ocr.events import parse_event
from passport_ocr.pipeline import Pipeline
from passport_ocr.platforms.common import FunctionRuntime, Invocation
from passport_ocr.providers.factory import build_provider
from passport_ocr.publishing.tdmq import TDMQ_ENDPOINT, TdmqTopic
from passport_ocr.storage.cos import CosStore
from passport_ocr.vendor_secrets import SecretOpener, SecretSource


def function_region(settings: Settings, context: Any) -> str:
    if settings.region:
        return settings.region
    if isinstance(context, Mapping) and context.get("tencentcloud_region"):
        return str(context["tencentcloud_region"])
    return os.environ.get("TENCENTCLOUD_REGION") or settings.tencent_region


def secret_opener(
    settings: Settings, region: str, credentials: CredentialsProvider
) -> SecretOpener:
    """Another cloud's OCR keys from an SSM secret (`platforms/tencentcloud_secrets.py`),
    read with the execution role's credentials in the function's region."""

    def open_secret(reference: str) -> SecretSource:
        from passport_ocr.platforms import tencentcloud_secrets  # noqa: PLC0415 (when configured)

        return tencentcloud_secrets.SsmSecret(
            reference,
            region=region,
            credentials=credentials,
            version=settings.vendor_secret_version,
            endpoint=settings.vendor_secret_endpoint,
        )

    return open_secret


def build_pipeline(settings: Settings, invocation: Invocation) -> Pipeline:
    def credentials() -> Credentials:
        return tencent_credentials_from_env()

    region = function_region(settings, invocation.context)
    store = CosStore.from_endpoint(credentials, region, settings.storage_endpoint)
    if not settings.topic:
        raise ConfigError("set PASSPORT_OCR_TOPIC to the TDMQ for CMQ topic name")
    endpoint = settings.topic_endpoint or TDMQ_ENDPOINT
    scheme, _, host = endpoint.rpartition("://")
    topic = TdmqTopic(
        settings.topic,
        settings.topic_region or region,
        credentials,
        endpoint=host,
        scheme=scheme or "https",
    )
    provider = build_provider(
        settings,
        "tencentcloud",
        credentials=credentials,
        secrets=secret_opener(settings, region, credentials),
    )
    return Pipeline(settings=settings, store=store, provider=provider, topic=topic)


def remaining_ms(context: Any) -> float | None:
    """SCF gives the time limit, not the time left; the handler starts at once, so use it."""
    if isinstance(context, Mapping) and context.get("time_limit_in_ms"):
        return float(context["time_limit_in_ms"])
    return None


def handle(runtime: FunctionRuntime, event: Any, context: Any) -> dict[str, Any]:
    pipeline = runtime.begin(context)
    batch = parse_event(
        "tencentcloud",
        event,
        results_prefix=runtime.settings.results_prefix,
        key_encoded=runtime.settings.event_key_encoded,
    )
    result = runtime.run(
        batch, runtime.process_with(pipeline, runtime.deadline(remaining_ms(context)))
    )
    runtime.raise_if_failed(result, batch)
    return dict(result.summary())
