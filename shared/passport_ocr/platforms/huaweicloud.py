"""FunctionGraph: OBS in, Huawei OCR (by default), SMN out, agency credentials per invocation."""

from __future__ import annotations

from typing import Any

from passport_ocr.config import Settings
from passport_ocr.credentials import (
    Credentials,
    CredentialsProvider,
    huawei_credentials_from_context,
    huawei_credentials_from_env,
    huawei_project_id,
)
from passport_ocr.errors import ConfigError
from passport_ocr.events import parse_event
from passport_ocr.pipeline import Pipeline
from passport_ocr.platforms.common import FunctionRuntime, Invocation
from passport_ocr.providers.factory import build_provider
from passport_ocr.publishing.smn import SmnTopic
from passport_ocr.storage.obs import ObsStore, obs_server
from passport_ocr.vendor_secrets import SecretOpener, SecretSource


def credentials_for(invocation: Invocation) -> Credentials:
    """The agency's temporary credentials from the context; the SDK's env vars locally."""
    if invocation.context is not None:
        return huawei_credentials_from_context(invocation.context)
    return huawei_credentials_from_env()


def secret_opener(
    settings: Settings, invocation: Invocation, credentials: CredentialsProvider
) -> SecretOpener:
    """Another cloud's OCR keys from a CSMS secret (`platforms/huaweicloud_secrets.py`),
    read with the agency's credentials in the function's region and project."""

    def open_secret(reference: str) -> SecretSource:
        from passport_ocr.platforms import huaweicloud_secrets  # noqa: PLC0415 (when configured)

        return huaweicloud_secrets.CsmsSecret(
            reference,
            project_id=huawei_project_id(settings.huawei_project_id, invocation.context),
            region=settings.region or settings.huawei_region,
            credentials=credentials,
            version=settings.vendor_secret_version,
            endpoint=settings.vendor_secret_endpoint,
        )

    return open_secret


def build_pipeline(settings: Settings, invocation: Invocation) -> Pipeline:
    def credentials() -> Credentials:
        return credentials_for(invocation)

    region = settings.region or settings.huawei_region
    store = ObsStore(
        credentials,
        obs_server(region, settings.storage_endpoint),
        # A custom endpoint (private or test) is addressed path-style.
        path_style=settings.storage_endpoint is not None,
    )
    if not settings.topic:
        raise ConfigError("set PASSPORT_OCR_TOPIC to the SMN topic URN")
    topic = SmnTopic(settings.topic, credentials, endpoint=settings.topic_endpoint)
    provider = build_provider(
        settings,
        "huaweicloud",
        credentials=credentials,
        context=invocation.context,
        secrets=secret_opener(settings, invocation, credentials),
    )
    return Pipeline(settings=settings, store=store, provider=provider, topic=topic)


def handle(runtime: FunctionRuntime, event: Any, context: Any) -> dict[str, Any]:
    pipeline = runtime.begin(context)
    batch = parse_event(
        "huaweicloud",
        event,
        results_prefix=runtime.settings.results_prefix,
        key_encoded=runtime.settings.event_key_encoded,
    )
    remaining = getattr(context, "getRemainingTimeInMilliSeconds", None)
    deadline = runtime.deadline(remaining() if callable(remaining) else None)
    result = runtime.run(batch, runtime.process_with(pipeline, deadline))
    runtime.raise_if_failed(result, batch)
    return dict(result.summary())
