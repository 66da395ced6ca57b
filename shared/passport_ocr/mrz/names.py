"""The name field: primary and secondary identifiers (ICAO 9303-4 §4.6)."""

from __future__ import annotations

from passport_ocr.mrz.checkdigits import FILLER
from passport_ocr.mrz.results import NameParts


def parse_names(name_field: str) -> NameParts:
    """Primary and secondary identifiers: `<<` separates them, `<` becomes a space."""
    possibly_truncated = bool(name_field) and not name_field.endswith(FILLER)
    body = name_field.rstrip(FILLER)
    primary, separator, secondary = body.partition(FILLER + FILLER)
    if not separator:
        secondary = ""
    return NameParts(
        surname=primary.replace(FILLER, " ").strip(),
        given_names=secondary.replace(FILLER, " ").strip(),
        possibly_truncated=possibly_truncated,
    )
