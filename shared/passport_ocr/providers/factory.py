"""Build the configured OCR provider: any vendor from any platform."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from typing import Any, cast

from passport_ocr.config import DEFAULT_PROVIDER, PlatformName, ProviderName, Settings
from passport_ocr.credentials import CredentialsProvider, FunctionGraphContext
from passport_ocr.errors import ConfigError
from passport_ocr.providers.base import OcrProvider
from passport_ocr.vendor_secrets import RefreshOnAuthFailure, SecretCredentials, SecretOpener
from passport_ocr.vendors import VENDORS, Vendor

log = logging.getLogger(__name__)


def provider_name(settings: Settings, platform: PlatformName) -> ProviderName:
    return settings.provider or DEFAULT_PROVIDER[platform]


def provider_class(vendor: Vendor) -> Any:
    """The vendor's client class, imported now (its SDK with it)."""
    module_name, _, class_name = vendor.client.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:  # the operator's to fix: uploads stay for replay
        raise ConfigError(
            f"PASSPORT_OCR_PROVIDER={vendor.name} needs {error.name or 'a module'}, which is "
            f"not installed here (pip install 'passport-ocr-functions[{vendor.extra}]')"
        ) from None
    return getattr(module, class_name)


def build_provider(
    settings: Settings,
    platform: PlatformName,
    *,
    credentials: CredentialsProvider | None = None,
    context: FunctionGraphContext | None = None,
    environ: Mapping[str, str] | None = None,
    secrets: SecretOpener | None = None,
    **kwargs: Any,
) -> OcrProvider:
    """The provider named by settings (default: the platform's own vendor).

    Vendor modules are imported only here, so a bundle without a vendor's SDK works as long
    as that vendor is not chosen. `credentials` (the function role's) go to the platform's
    own vendor only, and only when it accepts temporary credentials. Another cloud's vendor
    (or one that takes no temporary key) reads its key pair from the secret
    `settings.vendor_secret`, through the platform's store (`secrets`), when one is set, and
    is then re-read when the vendor refuses it; else from the vendor's environment variables.
    """
    name = provider_name(settings, platform)
    vendor = VENDORS[name]
    own = DEFAULT_PROVIDER[platform] == name and vendor.temporary_credentials
    if own and settings.vendor_secret:
        log.warning(
            "PASSPORT_OCR_VENDOR_SECRET ignored: this vendor is called with the function's "
            "own role credentials",
            extra={"vendor": name},
        )
    keys = None if own else _secret_keys(settings, vendor, secrets)
    provider = cast(
        OcrProvider,
        provider_class(vendor).from_settings(
            settings,
            credentials=credentials if own else keys,
            context=context,
            environ=environ,
            **kwargs,
        ),
    )
    return provider if keys is None else RefreshOnAuthFailure(provider, keys)


def _secret_keys(
    settings: Settings, vendor: Vendor, secrets: SecretOpener | None
) -> SecretCredentials | None:
    """The vendor's key pair from the configured secret, or None when none is configured."""
    if not settings.vendor_secret:
        return None
    if vendor.secret_fields is None:
        raise ConfigError(
            f"PASSPORT_OCR_VENDOR_SECRET is set, but {vendor.name} takes no key pair from a "
            "secret: unset it"
        )
    if secrets is None:
        raise ConfigError(
            "PASSPORT_OCR_VENDOR_SECRET is set, but this platform reads no secret store: "
            "give the vendor's keys in its environment variables"
        )
    return SecretCredentials(secrets(settings.vendor_secret), vendor.secret_fields)
