"""The sex marker: the one rule for the MRZ, the printed page and the record.

ICAO 9303-4 §4.2.2 (TD3 line 2, position 21; the same in parts 5-7): F, M, or `<` for
unspecified; 9303 (8th edition) also allows X. `<` and X both mean unspecified, which the
record states as X.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from passport_ocr.mrz.checkdigits import FILLER
from passport_ocr.record import Sex

#: Every character the MRZ sex position may hold, and what it means.
SEX_MARKERS: Final[Mapping[str, Sex]] = {"M": "M", "F": "F", "X": "X", FILLER: "X"}


def sex_from_marker(marker: object) -> Sex | None:
    """M, F or X for an ICAO sex marker (`<` is X); None for anything else."""
    return SEX_MARKERS.get(marker) if isinstance(marker, str) else None
