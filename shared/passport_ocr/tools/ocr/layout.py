"""What may stand at each MRZ position, and which check digit guards which characters.

ICAO 9303 parts 4-7. Class codes per position:
`L` letters or filler, `D` digit, `d` digit or filler (a check digit over an empty
field), `A` letters, digits or filler, `S` sex (M, F, X or filler).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from passport_ocr.mrz import check_digit
from passport_ocr.tools.ocr.glyphs import DIGITS, LETTERS

FILLER: Final = "<"
CLASS_SYMBOLS: Final = {
    "L": LETTERS | {FILLER},
    "D": DIGITS,
    "d": DIGITS | {FILLER},
    "A": LETTERS | DIGITS | {FILLER},
    "S": frozenset("MFX<"),
}


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int  # exclusive


@dataclass(frozen=True)
class CheckField:
    """A check digit at (`line`, `check`) over the characters of `spans`."""

    name: str  # document_number, birth_date, expiry_date, optional_data, composite
    spans: tuple[Span, ...]
    line: int
    check: int
    #: True: a filler check digit over an all-filler field is right (empty optional data).
    filler_when_empty: bool = False


@dataclass(frozen=True)
class Layout:
    format: str  # TD1, TD2, TD3, MRVA, MRVB
    classes: tuple[str, ...]  # one class code per position, per line
    checks: tuple[CheckField, ...]

    @property
    def lengths(self) -> tuple[int, ...]:
        return tuple(len(line) for line in self.classes)


def _field(name: str, line: int, start: int, end: int, *, filler: bool = False) -> CheckField:
    return CheckField(name, (Span(line, start, end),), line, end, filler)


_NAME_LINE_44: Final = "L" * 44
_NAME_LINE_36: Final = "L" * 36

TD3: Final = Layout(
    "TD3",
    (_NAME_LINE_44, "A" * 9 + "D" + "LLL" + "D" * 7 + "S" + "D" * 7 + "A" * 14 + "dD"),
    (
        _field("document_number", 1, 0, 9),
        _field("birth_date", 1, 13, 19),
        _field("expiry_date", 1, 21, 27),
        _field("optional_data", 1, 28, 42, filler=True),
        CheckField("composite", (Span(1, 0, 10), Span(1, 13, 20), Span(1, 21, 43)), 1, 43),
    ),
)
MRVA: Final = Layout(
    "MRVA",
    (_NAME_LINE_44, "A" * 9 + "D" + "LLL" + "D" * 7 + "S" + "D" * 7 + "A" * 16),
    (
        _field("document_number", 1, 0, 9),
        _field("birth_date", 1, 13, 19),
        _field("expiry_date", 1, 21, 27),
    ),
)
TD2: Final = Layout(
    "TD2",
    (_NAME_LINE_36, "A" * 9 + "D" + "LLL" + "D" * 7 + "S" + "D" * 7 + "A" * 7 + "D"),
    (
        _field("document_number", 1, 0, 9),
        _field("birth_date", 1, 13, 19),
        _field("expiry_date", 1, 21, 27),
        CheckField("composite", (Span(1, 0, 10), Span(1, 13, 20), Span(1, 21, 35)), 1, 35),
    ),
)
MRVB: Final = Layout(
    "MRVB",
    (_NAME_LINE_36, "A" * 9 + "D" + "LLL" + "D" * 7 + "S" + "D" * 7 + "A" * 8),
    (
        _field("document_number", 1, 0, 9),
        _field("birth_date", 1, 13, 19),
        _field("expiry_date", 1, 21, 27),
    ),
)
TD1: Final = Layout(
    "TD1",
    (
        "LL" + "LLL" + "A" * 9 + "d" + "A" * 15,
        "D" * 7 + "S" + "D" * 7 + "LLL" + "A" * 11 + "D",
        "L" * 30,
    ),
    (
        # A filler check digit here means a long number continuing in the optional
        # data (ICAO 9303-5 4.2.4): nothing to check at this place.
        _field("document_number", 0, 5, 14, filler=True),
        _field("birth_date", 1, 0, 6),
        _field("expiry_date", 1, 8, 14),
        CheckField(
            "composite",
            (Span(0, 5, 30), Span(1, 0, 7), Span(1, 8, 15), Span(1, 18, 29)),
            1,
            29,
        ),
    ),
)


def choose_layout(lengths: list[int], first_char: str) -> Layout:
    """The layout for lines of about these lengths; `first_char` tells visas apart."""
    if len(lengths) >= 3:
        return TD1
    average = sum(lengths) / max(len(lengths), 1)
    visa = first_char == "V"
    if abs(average - 36) < abs(average - 44):
        return MRVB if visa else TD2
    return MRVA if visa else TD3


def field_data(lines: list[str], field: CheckField) -> str:
    return "".join(lines[span.line][span.start : span.end] for span in field.spans)


def field_valid(lines: list[str], field: CheckField) -> bool:
    found = lines[field.line][field.check]
    data = field_data(lines, field)
    if field.filler_when_empty and found == FILLER:
        return field.name == "document_number" or set(data) <= {FILLER}
    return found == check_digit(data)


def field_positions(field: CheckField) -> list[tuple[int, int]]:
    """Every (line, position) the field's verdict depends on, its check digit included."""
    positions = [(span.line, p) for span in field.spans for p in range(span.start, span.end)]
    return [*positions, (field.line, field.check)]
