"""Shared pieces of the live tests: credential gates and a synthetic specimen to send.

Live tests never run in CI without credentials: each module calls `missing_env(...)` in a
`pytest.mark.skipif`, naming the variables it needs (the README lists them).
"""

from __future__ import annotations

import os

import pytest

from passport_ocr.tools.specimens import Specimen, generate_specimen


def missing_env(*names: str) -> bool:
    """True when any of these environment variables is unset or empty."""
    return any(not os.environ.get(name) for name in names)


def any_missing(*alternatives: tuple[str, ...]) -> bool:
    """True when no alternative has all of its variables set."""
    return all(missing_env(*names) for names in alternatives)


@pytest.fixture(scope="session")
def specimen() -> Specimen:
    """A clean, fictional TD3 data page as a JPEG, with its true MRZ."""
    return generate_specimen(seed=9303, jpeg_quality=90)


def document_number(specimen: Specimen) -> str:
    return specimen.mrz_lines[1][:9].rstrip("<")
