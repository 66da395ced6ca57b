"""Build the configured OCR provider: any vendor from any platform."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any, cast

from passport_ocr.config import DEFAULT_PROVIDER, PlatformName, ProviderName, Settings
from passport_ocr.credentials import CredentialsProvider, FunctionGraphContext
from passport_ocr.providers.base import OcrProvider


def provider_name(settings: Settings, platform: PlatformName) -> ProviderName:
    return settings.provider or DEFAULT_PROVIDER[platform]


def build_provider(
    settings: Settings,
    platform: PlatformName,
    *,
    credentials: CredentialsProvider | None = None,
    context: FunctionGraphContext | None = None,
    environ: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> OcrProvider:
    """The provider named by settings (default: the platform's own vendor).

    Vendor modules are imported only here, so a bundle without a vendor's SDK works as long
    as that vendor is not chosen. `credentials` are for the platform's own vendor; another
    cloud's vendor reads its credentials from the environment.
    """
    name = provider_name(settings, platform)
    own = DEFAULT_PROVIDER[platform] == name
    if name == "huawei":
        from passport_ocr.providers.huawei import HuaweiOcrProvider  # noqa: PLC0415

        return HuaweiOcrProvider.from_settings(
            settings,
            context=context,
            credentials=credentials if own else None,
            environ=environ,
            **kwargs,
        )
    if name == "tencent":
        from passport_ocr.providers.tencent import TencentOcrProvider  # noqa: PLC0415

        return TencentOcrProvider.from_settings(
            settings, credentials=credentials if own else None, environ=environ, **kwargs
        )
    if name == "tencent-legacy":
        from passport_ocr.providers.tencent_legacy import TencentLegacyProvider  # noqa: PLC0415

        return TencentLegacyProvider.from_settings(settings, environ=environ, **kwargs)
    # The offline engine is a tool, left out of every bundle: found by name, never imported
    # by the runtime library.
    local = importlib.import_module("passport_ocr.tools.ocr.provider")
    return cast(OcrProvider, local.LocalOcrProvider.installed(**kwargs))
