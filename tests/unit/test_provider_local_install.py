"""The `local` provider where the offline engine is not installed (the cloud bundles).

Choosing it there is the operator's mistake: the function must fail at start-up with a
`ConfigError` (uploads stay queued for a replay), not reject every upload as unreadable.
An absent package is simulated the way Python itself records one: `sys.modules[name] = None`.
"""

from __future__ import annotations

import sys

import pytest

from passport_ocr.config import load_settings
from passport_ocr.errors import ConfigError
from passport_ocr.providers.factory import build_provider
from passport_ocr.tools.ocr.provider import ENGINE_MODULES, LocalOcrProvider, engine_missing

pytest.importorskip("rapidocr", reason="the local extra is not installed")


def test_the_engine_is_found_where_the_local_extra_is_installed() -> None:
    assert engine_missing() == []
    provider = build_provider(load_settings({"PASSPORT_OCR_PROVIDER": "local"}), "aws")
    assert isinstance(provider, LocalOcrProvider)


@pytest.mark.parametrize("absent", ENGINE_MODULES)
def test_choosing_local_without_the_engine_fails_at_start_up(
    absent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, absent, None)
    settings = load_settings({"PASSPORT_OCR_PROVIDER": "local"})

    with pytest.raises(ConfigError) as raised:
        build_provider(settings, "aws")

    assert engine_missing() == [absent]
    assert raised.value.operator and not raised.value.permanent
    assert "PASSPORT_OCR_PROVIDER=local" in str(raised.value)


def test_an_engine_that_fails_to_import_later_is_still_the_operators_to_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    provider = build_provider(load_settings({"PASSPORT_OCR_PROVIDER": "local"}), "aws")
    assert isinstance(provider, LocalOcrProvider)
    monkeypatch.setitem(sys.modules, "passport_ocr.tools.ocr.engine", None)

    with pytest.raises(ConfigError):
        _ = provider.engine
