"""Which format cleaned lines are in: ICAO 9303-3 §4.2 and parts 4-7, and the one national
format read too (the French identity card, `french_id`)."""

from __future__ import annotations

from collections.abc import Sequence

from passport_ocr.errors import MrzError
from passport_ocr.mrz import french_id
from passport_ocr.mrz.checkdigits import safe_check_digit
from passport_ocr.mrz.layouts import CARD_CODES, LAYOUTS, TD3_CODES, VISA_CODES
from passport_ocr.mrz.lookalikes import LETTER_FOR_DIGIT
from passport_ocr.record import MrzFormat


def _first_letter(line: str) -> str:
    first = line[:1]
    return LETTER_FOR_DIGIT.get(first, (first,))[0]


def _td2_checks_agreeing(lines: Sequence[str]) -> int:
    table = LAYOUTS[MrzFormat.TD2]
    spans = table.spans()
    agreeing = sum(
        safe_check_digit(spans[name].read(lines)) == lines[line][pos]
        for name, (line, pos) in table.checks.items()
    )
    if table.composite_at is not None:
        data = "".join(span.read(lines) for span in table.composite)
        agreeing += safe_check_digit(data) == lines[table.composite_at[0]][table.composite_at[1]]
    return agreeing


def is_french_id(lines: Sequence[str]) -> bool:
    """The French national identity card (1988-2021, `french_id`), not a TD2 of the same size.

    Line 1 opens with `IDFRA` and: the card's three check digits agree; or, when they do
    not, the lines do not pass as a TD2 either (not all four TD2 check digits agree) and
    fit the card's character classes at least as well as TD2's (an OCR slip breaks a check
    digit, not the layout). A genuine TD2 (`I<FRA`, or an `ID` TD2 whose checks agree)
    stays TD2.
    """
    if len(lines) != french_id.LINE_COUNT or any(
        len(line) != french_id.LINE_LENGTH for line in lines
    ):
        return False
    if not french_id.starts_like_french_id(lines[0]):
        return False
    if french_id.checks_agreeing(lines) == len(french_id.CHECKS):
        return True
    if _td2_checks_agreeing(lines) == len(LAYOUTS[MrzFormat.TD2].checks) + 1:
        return False
    return french_id.class_misfits(lines, french_id.class_map()) <= french_id.class_misfits(
        lines, LAYOUTS[MrzFormat.TD2].class_map()
    )


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
    """The format of cleaned lines (ICAO, or `FRA_ID`: `is_french_id`), or `MrzError`
    saying why they are none."""
    if isinstance(lines, str):
        raise MrzError("detect_format expects a sequence of lines, not one string")
    count = len(lines)
    lengths = [len(line) for line in lines]
    if count not in (2, 3):
        raise MrzError(
            f"an ICAO MRZ has 2 or 3 lines, got {count} (a single line is not a whole MRZ)"
        )
    if is_french_id(lines):
        return MrzFormat.FRA_ID
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
