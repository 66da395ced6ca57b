"""The one field-layout table of the five ICAO formats (ICAO 9303-4..7, §4.2 of each)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from passport_ocr.mrz.checkdigits import ALPHABET, FILLER
from passport_ocr.mrz.lookalikes import LETTER_FOR_DIGIT
from passport_ocr.record import MrzFormat

#: The card formats, whose document code's second character may be a digit.
_CARD_FORMATS: Final = frozenset({MrzFormat.TD1, MrzFormat.TD2})

CharClass = Literal["code", "card_code", "alpha", "digit", "check", "alnum", "sex"]


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int  # exclusive
    cls: CharClass

    def read(self, lines: Sequence[str]) -> str:
        return lines[self.line][self.start : self.end]


@dataclass(frozen=True)
class Layout:
    format: MrzFormat
    line_count: int
    line_length: int
    document_code: Span
    issuing_state: Span
    name: Span
    document_number: Span
    nationality: Span
    birth_date: Span
    sex: Span
    expiry_date: Span
    optional_data: Span
    optional_data_2: Span | None
    #: field name -> (line, position) of its check digit
    checks: Mapping[str, tuple[int, int]]
    composite: tuple[Span, ...] = ()
    composite_at: tuple[int, int] | None = None
    #: Check digits that may rightly be a filler: over an empty optional data field
    #: (ICAO 9303-4 §4.2.2), or a TD1/TD2 long document number (9303-5 and 9303-6
    #: §4.2.2, note j: see `long_number`).
    filler_checks: frozenset[str] = frozenset()

    def spans(self) -> dict[str, Span]:
        found = {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "name": self.name,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "expiry_date": self.expiry_date,
            "optional_data": self.optional_data,
        }
        if self.optional_data_2 is not None:
            found["optional_data_2"] = self.optional_data_2
        return found

    def class_map(self) -> list[list[CharClass]]:
        classes: list[list[CharClass]] = [
            ["alnum"] * self.line_length for _ in range(self.line_count)
        ]
        for span in self.spans().values():
            for pos in range(span.start, span.end):
                classes[span.line][pos] = span.cls
        # The document code's second character: a capital letter on passports and visas
        # (ICAO 9303-4 and -7, §4.2.2), at the issuing State's discretion on TD1 and TD2
        # cards (9303-5 and -6, §4.2.2; the US Border Crossing Card prints `A3`).
        classes[self.document_code.line][self.document_code.start + 1] = (
            "card_code" if self.format in _CARD_FORMATS else "alpha"
        )
        for line, pos in self.checks.values():
            classes[line][pos] = "check"
        if self.composite_at is not None:
            classes[self.composite_at[0]][self.composite_at[1]] = "check"
        return classes

    def field_at(self, line: int, pos: int) -> str | None:
        for name, span in self.spans().items():
            if span.line == line and span.start <= pos < span.end:
                return name
        for name, (check_line, check_pos) in self.checks.items():
            if (check_line, check_pos) == (line, pos):
                return name
        if self.composite_at == (line, pos):
            return "composite"
        return None


def _visa_or_td(fmt: MrzFormat, length: int, *, optional_check: bool, composite: bool) -> Layout:
    """TD3, TD2, MRV-A and MRV-B share one lower-line layout up to the optional data."""
    optional_end = length - 2 if optional_check else (length - 1 if composite else length)
    checks = {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27)}
    if optional_check:
        checks["optional_data"] = (1, length - 2)
    # TD3 may leave an empty personal number's check as `<`; TD2 (a composite, no visa)
    # may continue a long document number into its optional data (9303-6 note j).
    filler_checks = frozenset(
        {"optional_data"} if optional_check else {"document_number"} if composite else set()
    )
    return Layout(
        format=fmt,
        line_count=2,
        line_length=length,
        document_code=Span(0, 0, 2, "code"),
        issuing_state=Span(0, 2, 5, "alpha"),
        name=Span(0, 5, length, "alpha"),
        document_number=Span(1, 0, 9, "alnum"),
        nationality=Span(1, 10, 13, "alpha"),
        birth_date=Span(1, 13, 19, "digit"),
        sex=Span(1, 20, 21, "sex"),
        expiry_date=Span(1, 21, 27, "digit"),
        optional_data=Span(1, 28, optional_end, "alnum"),
        optional_data_2=None,
        checks=checks,
        composite=(
            (Span(1, 0, 10, "alnum"), Span(1, 13, 20, "alnum"), Span(1, 21, length - 1, "alnum"))
            if composite
            else ()
        ),
        composite_at=(1, length - 1) if composite else None,
        filler_checks=filler_checks,
    )


_TD1: Final = Layout(
    format=MrzFormat.TD1,
    line_count=3,
    line_length=30,
    document_code=Span(0, 0, 2, "code"),
    issuing_state=Span(0, 2, 5, "alpha"),
    document_number=Span(0, 5, 14, "alnum"),
    optional_data=Span(0, 15, 30, "alnum"),
    birth_date=Span(1, 0, 6, "digit"),
    sex=Span(1, 7, 8, "sex"),
    expiry_date=Span(1, 8, 14, "digit"),
    nationality=Span(1, 15, 18, "alpha"),
    optional_data_2=Span(1, 18, 29, "alnum"),
    name=Span(2, 0, 30, "alpha"),
    checks={"document_number": (0, 14), "birth_date": (1, 6), "expiry_date": (1, 14)},
    composite=(
        Span(0, 5, 30, "alnum"),
        Span(1, 0, 7, "alnum"),
        Span(1, 8, 15, "alnum"),
        Span(1, 18, 29, "alnum"),
    ),
    composite_at=(1, 29),
    filler_checks=frozenset({"document_number"}),
)

LAYOUTS: Final[Mapping[MrzFormat, Layout]] = {
    MrzFormat.TD3: _visa_or_td(MrzFormat.TD3, 44, optional_check=True, composite=True),
    MrzFormat.TD2: _visa_or_td(MrzFormat.TD2, 36, optional_check=False, composite=True),
    MrzFormat.MRVA: _visa_or_td(MrzFormat.MRVA, 44, optional_check=False, composite=False),
    MrzFormat.MRVB: _visa_or_td(MrzFormat.MRVB, 36, optional_check=False, composite=False),
    MrzFormat.TD1: _TD1,
}

# First character of the document code per format family (ICAO 9303 parts 4-7).
TD3_CODES: Final = frozenset("P")
CARD_CODES: Final = frozenset("IAC")
VISA_CODES: Final = frozenset("V")


def _card_code(char: str) -> bool:
    # Any MRZ character may stand there, but a digit that looks like a letter is read as
    # that letter (`I0` is `ID`): only the digits no letter passes for are kept.
    return char.isalpha() or char == FILLER or (char.isdigit() and char not in LETTER_FOR_DIGIT)


_ALLOWED: Final[Mapping[CharClass, Callable[[str], bool]]] = {
    "digit": str.isdigit,
    "check": lambda char: char.isdigit() or char == FILLER,
    "alpha": lambda char: char.isalpha() or char == FILLER,
    "code": str.isalpha,
    "card_code": _card_code,
    "sex": lambda char: char in "MFX<",
    "alnum": lambda char: char in ALPHABET,
}


def allowed(cls: CharClass, char: str) -> bool:
    return _ALLOWED[cls](char)


def long_number(lines: Sequence[str], layout: Layout) -> tuple[str, str] | None:
    """ICAO 9303-5 and 9303-6 note j: a document number longer than 9 characters.

    Its first 9 characters fill the number field, a `<` stands where the check digit
    belongs, and the rest opens the optional data, followed by the check digit over the
    whole number and a `<`. The same rule for TD1 (9303-5 §4.2.2) and TD2 (9303-6 §4.2.2),
    so one function reads both from the layout table. Returns (number, check digit found),
    or None when the lines do not have that shape.
    """
    if "document_number" not in layout.filler_checks:
        return None
    line, pos = layout.checks["document_number"]
    head = layout.document_number.read(lines)
    run = layout.optional_data.read(lines).split(FILLER, 1)[0]
    if lines[line][pos] != FILLER or FILLER in head or len(run) < 2 or not run[-1].isdigit():
        return None
    return head + run[:-1], run[-1]


def card_long_number(lines: Sequence[str]) -> tuple[str, str] | None:
    """`long_number` of a TD1 (three lines) or TD2 (two) zone."""
    return long_number(lines, LAYOUTS[MrzFormat.TD1 if len(lines) == 3 else MrzFormat.TD2])


#: The name the offline engine (`tools.ocr.layout`) calls; it covers TD2 too.
td1_long_number = card_long_number


def record_field(layout_field: str | None) -> str | None:
    """Layout field names -> record field names where they differ."""
    if layout_field == "name":
        return "names"
    return layout_field


def field_label(name: str) -> str:
    return name.replace("_", " ")
