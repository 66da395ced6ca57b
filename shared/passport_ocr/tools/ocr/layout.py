"""What may stand at each MRZ position, and which check digit guards which characters.

A view of the one field-layout table, `passport_ocr.mrz.layouts.LAYOUTS` (ICAO 9303-4..7,
§4.2 of each), in the form the decoder works with; nothing here restates a position. Class
codes per position: `L` letters or filler, `D` digit, `d` digit or filler (a check digit
that may rightly be a filler, `Layout.filler_checks`), `A` letters, digits or filler, `S`
sex (M, F, X or filler), `K` a card's second document-code character (`icao.allowed`), and
one code per format for the document code's first letter
(`_FIRST_LETTER_CODES`). The French identity card (FRA_ID, not ICAO) is the same view of
its own table, `passport_ocr.mrz.french_id`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from passport_ocr.mrz import check_digit, french_id
from passport_ocr.mrz import layouts as icao
from passport_ocr.mrz.checkdigits import ALPHABET, FILLER
from passport_ocr.mrz.detection import nearest_format
from passport_ocr.mrz.lookalikes import LETTER_FOR_DIGIT
from passport_ocr.mrz.structure import structure_misses as zone_structure_misses
from passport_ocr.record import MrzFormat

__all__ = [
    "ALL_LAYOUTS",
    "CLASS_SYMBOLS",
    "FILLER",
    "FRA_ID",
    "MRVA",
    "MRVB",
    "TD1",
    "TD2",
    "TD3",
    "CheckField",
    "Layout",
    "Span",
    "alternative_layout",
    "choose_layout",
    "field_data",
    "field_positions",
    "field_valid",
    "structure_misses",
]

#: The table's character class behind each decoder class code.
_CLASS_OF_CODE: Final[Mapping[str, icao.CharClass]] = {
    "L": "alpha",
    "D": "digit",
    "d": "check",
    "A": "alnum",
    "K": "card_code",
    "S": "sex",
}
#: The letters each format's document codes start with (ICAO 9303-4..7; `detect_format`).
_DOCUMENT_CODES: Final[Mapping[MrzFormat, frozenset[str]]] = {
    MrzFormat.TD3: icao.TD3_CODES,
    MrzFormat.TD2: icao.CARD_CODES | icao.TD3_CODES,
    MrzFormat.TD1: icao.CARD_CODES,
    MrzFormat.MRVA: icao.VISA_CODES,
    MrzFormat.MRVB: icao.VISA_CODES,
}
#: The decoder code of each format's first position: only those letters may stand there
#: (an `E` read over a SPECIMEN print is the card's `I`).
_FIRST_LETTER_CODES: Final[Mapping[MrzFormat, str]] = {
    MrzFormat.TD3: "1",
    MrzFormat.TD2: "2",
    MrzFormat.TD1: "3",
    MrzFormat.MRVA: "4",
    MrzFormat.MRVB: "4",
}
#: The French identity card's code is `ID` (`mrz.french_id`): only I may open it.
_FRENCH_FIRST_LETTER: Final = "5"
CLASS_SYMBOLS: Final = {
    **{
        code: frozenset(char for char in ALPHABET if icao.allowed(cls, char))
        for code, cls in _CLASS_OF_CODE.items()
    },
    **{_FIRST_LETTER_CODES[fmt]: letters for fmt, letters in _DOCUMENT_CODES.items()},
    _FRENCH_FIRST_LETTER: frozenset(french_id.PREFIX[0]),
}
#: The table's classes as decoder codes. The document code's first letter is decoded like
#: any letter position (a filler there is as unlikely as anywhere else); a check digit is
#: `D` unless the table lets it be a filler, then `d` (set per check field below).
_CODE_OF_CLASS: Final[Mapping[icao.CharClass, str]] = {
    "code": "L",
    "alpha": "L",
    "digit": "D",
    "check": "D",
    "alnum": "A",
    "card_code": "K",
    "sex": "S",
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
    format: str  # TD1, TD2, TD3, MRVA, MRVB, FRA_ID
    classes: tuple[str, ...]  # one class code per position, per line
    checks: tuple[CheckField, ...]

    @property
    def lengths(self) -> tuple[int, ...]:
        return tuple(len(line) for line in self.classes)


def _span(span: icao.Span) -> Span:
    return Span(span.line, span.start, span.end)


def _check_fields(table: icao.Layout) -> tuple[CheckField, ...]:
    spans = table.spans()
    fields = [
        CheckField(name, (_span(spans[name]),), line, pos, name in table.filler_checks)
        for name, (line, pos) in table.checks.items()
    ]
    if table.composite_at is not None:
        line, pos = table.composite_at
        fields.append(CheckField("composite", tuple(map(_span, table.composite)), line, pos))
    return tuple(fields)


def _classes(table: icao.Layout) -> tuple[str, ...]:
    codes = [[_CODE_OF_CLASS[cls] for cls in line] for line in table.class_map()]
    for name in table.filler_checks:
        line, pos = table.checks[name]
        codes[line][pos] = "d"
    code = table.document_code
    codes[code.line][code.start] = _FIRST_LETTER_CODES[table.format]
    return tuple("".join(line) for line in codes)


def _view(fmt: MrzFormat) -> Layout:
    table = icao.LAYOUTS[fmt]
    return Layout(fmt.value, _classes(table), _check_fields(table))


def _french_view() -> Layout:
    """The French identity card (`mrz.french_id`, not ICAO): its own table as decoder codes."""
    codes = [[_CODE_OF_CLASS[cls] for cls in line] for line in french_id.class_map()]
    code = french_id.SPANS["document_code"]
    codes[code.line][code.start] = _FRENCH_FIRST_LETTER
    checks = tuple(
        CheckField(check.name, tuple(map(_span, check.data)), *check.at)
        for check in french_id.CHECKS
    )
    return Layout(french_id.FORMAT.value, tuple("".join(line) for line in codes), checks)


TD3: Final = _view(MrzFormat.TD3)
MRVA: Final = _view(MrzFormat.MRVA)
TD2: Final = _view(MrzFormat.TD2)
MRVB: Final = _view(MrzFormat.MRVB)
TD1: Final = _view(MrzFormat.TD1)
FRA_ID: Final = _french_view()
_BY_FORMAT: Final = {layout.format: layout for layout in (TD3, MRVA, TD2, MRVB, TD1, FRA_ID)}
#: Every layout the engine reads.
ALL_LAYOUTS: Final = tuple(_BY_FORMAT.values())


def choose_layout(lengths: list[int], first_char: str) -> Layout:
    """The layout for lines of about these lengths (the one format rule, `nearest_format`)."""
    return _BY_FORMAT[nearest_format(lengths, first_char).value]


def alternative_layout(layout: Layout, first_line: str) -> Layout | None:
    """The other layout lines of this shape may be in: the French identity card, for a
    2x36 zone whose first line opens `IDFRA` as read (look-alikes counting: `1DFRA`).
    The decoder reads such a zone both ways and keeps the reading whose checks agree."""
    if layout is TD2 and french_id.starts_like_french_id(first_line):
        return FRA_ID
    return None


def field_data(lines: list[str], field: CheckField) -> str:
    return "".join(lines[span.line][span.start : span.end] for span in field.spans)


def field_valid(lines: list[str], field: CheckField) -> bool:
    found = lines[field.line][field.check]
    data = field_data(lines, field)
    if field.filler_when_empty and found == FILLER:
        if field.name == "document_number":
            # A TD1 number longer than 9 characters: its check digit ends the optional data's
            # first run (ICAO 9303-5 note j), and must agree there.
            long_number = icao.td1_long_number(lines)
            return long_number is not None and long_number[1] == check_digit(long_number[0])
        return set(data) <= {FILLER}
    return found == check_digit(data)


def field_positions(field: CheckField) -> list[tuple[int, int]]:
    """Every (line, position) the field's verdict depends on, its check digit included."""
    positions = [(span.line, p) for span in field.spans for p in range(span.start, span.end)]
    return [*positions, (field.line, field.check)]


def structure_misses(lines: list[str], layout: Layout) -> list[str]:
    """What of an MRZ's structure the lines, as the model read them, lack.

    Checked on the model's own symbols, before any repair (which would make any text fit):
    - `document_code`: the first letter is one the format's document codes start with
      (I, A, C for TD1; P for TD3; ...), a digit look-alike of it counting (`1` for `I`);
    - then `states`, `name_fillers` and `digits`, the rules vendor text is held to too
      (`passport_ocr.mrz.structure`).
    A real MRZ read badly misses one of these at most; a page of prose misses most.
    """
    if layout.format == french_id.FORMAT.value:
        return _french_structure_misses(lines)
    table = icao.LAYOUTS[MrzFormat(layout.format)]
    if len(lines) != table.line_count or any(len(line) != table.line_length for line in lines):
        return ["length"]
    misses: list[str] = []
    first = lines[0][:1]
    codes = _DOCUMENT_CODES[table.format]
    if first not in codes and not set(LETTER_FOR_DIGIT.get(first, ())) & codes:
        misses.append("document_code")
    return [*misses, *zone_structure_misses(lines, table)]


def _french_structure_misses(lines: list[str]) -> list[str]:
    """`structure_misses` for the French card: its length, its `I`, its own table's rules."""
    if len(lines) != french_id.LINE_COUNT or any(
        len(line) != french_id.LINE_LENGTH for line in lines
    ):
        return ["length"]
    first, want = lines[0][:1], french_id.PREFIX[0]
    misses = [] if first == want or want in LETTER_FOR_DIGIT.get(first, ()) else ["document_code"]
    return [*misses, *french_id.structure_misses(lines)]
