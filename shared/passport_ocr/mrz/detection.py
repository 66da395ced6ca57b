"""Which ICAO format cleaned lines are in (ICAO 9303-3 §4.2 and parts 4-7)."""

from __future__ import annotations

from collections.abc import Sequence

from passport_ocr.errors import MrzError
from passport_ocr.mrz.layouts import CARD_CODES, TD3_CODES, VISA_CODES
from passport_ocr.mrz.lookalikes import LETTER_FOR_DIGIT
from passport_ocr.record import MrzFormat


def _first_letter(line: str) -> str:
    first = line[:1]
    return LETTER_FOR_DIGIT.get(first, (first,))[0]


def _is_french_national_id(lines: Sequence[str]) -> bool:
    """The pre-2021 French identity card: 2x36 starting `IDFRA`, digits ending line 1."""
    if len(lines) != 2 or not lines[0].startswith("IDFRA"):
        return False
    tail = lines[0][30:36]
    return len(lines[0]) == 36 and any(char.isdigit() for char in tail)


def format_for(line_count: int, line_length: int, first_letter: str) -> MrzFormat:
    """The one format rule: three lines are TD1; two are a visa (V) or not, by length.

    Whether the first letter is one the format allows is checked apart (`detect_format`),
    so a reader whose lines are off by a character or two can still pick a layout.
    """
    if line_count >= 3:
        return MrzFormat.TD1
    visa = first_letter in VISA_CODES
    if line_length == 36:
        return MrzFormat.MRVB if visa else MrzFormat.TD2
    return MrzFormat.MRVA if visa else MrzFormat.TD3


def nearest_format(lengths: Sequence[int], first_char: str) -> MrzFormat:
    """`format_for` lines of about these lengths (a recogniser may drop or add fillers)."""
    average = sum(lengths) / max(len(lengths), 1)
    line_length = 36 if abs(average - 36) < abs(average - 44) else 44
    return format_for(len(lengths), line_length, _first_letter(first_char))


def detect_format(lines: Sequence[str]) -> MrzFormat:
    """The ICAO format of cleaned lines, or `MrzError` saying why they are none."""
    if isinstance(lines, str):
        raise MrzError("detect_format expects a sequence of lines, not one string")
    count = len(lines)
    lengths = [len(line) for line in lines]
    if count not in (2, 3):
        raise MrzError(
            f"an ICAO MRZ has 2 or 3 lines, got {count} (a single line is not a whole MRZ)"
        )
    if _is_french_national_id(lines):
        raise MrzError(
            "French national identity card (2x36, 'IDFRA', pre-2021): not an ICAO 9303 "
            "travel document; its zone has no ICAO layout"
        )
    if count == 3:
        if lengths != [30, 30, 30]:
            raise MrzError(f"three lines must be 30 characters each (TD1), got {lengths}")
        first = _first_letter(lines[0])
        if first not in CARD_CODES:
            raise MrzError(
                "a 3x30 MRZ (TD1) starts with I, A or C; this one does not "
                "(not an ICAO travel document)"
            )
        return MrzFormat.TD1
    if lengths[0] != lengths[1] or lengths[0] not in (44, 36):
        raise MrzError(
            f"two lines must both be 44 (TD3, MRV-A) or 36 (TD2, MRV-B) characters, got {lengths}"
        )
    first = _first_letter(lines[0])
    fmt = format_for(count, lengths[0], first)
    if fmt is MrzFormat.TD3 and first not in TD3_CODES:
        raise MrzError(
            "a 2x44 MRZ starts with P (passport, TD3) or V (visa, MRV-A); this one does not"
        )
    if fmt is MrzFormat.TD2 and first not in CARD_CODES | TD3_CODES:
        raise MrzError("a 2x36 MRZ starts with I, A, C or P (TD2) or V (MRV-B); this one does not")
    return fmt
