"""The French national identity card of 1988-2021 (`MrzFormat.FRA_ID`): a national zone.

Two lines of 36 characters, the size of ICAO TD2, but laid out by France and not by ICAO
9303 (no nationality, no expiry date, the names split over both lines), so it is read by
its own table, below, and never by `layouts.LAYOUTS`. The positions are those of
cheminfo/mrz (MIT licence), src/parse/frenchNationalIdFields.ts lines 21-96 at commit
ce4ad68a038abe3f1fa16a574ae15d23b77fcc51 (the same positions as at 66c31bc8d686554b9cbf
937fbe298a3915475b5e); its document number is line 2 [0:12] (src/parse/getDocumentNumber.ts
lines 10-15, same commit):

    line 1: document code [0:2] `ID`, issuing state [2:5] `FRA`, surname [5:30],
            administrative code (issuing office) [30:36];
    line 2: issue year and month YYMM [0:4], department [4:7], sequence number [7:12]
            (together the 12-character document number), its check digit [12] over
            line 2 [0:12]; given names [13:27] (several given names separated by `<<`);
            birth date YYMMDD [27:33] with its check digit [33]; sex [34]; a composite
            check digit [35] over all of line 1 and line 2 [0:35].

Check digits are ICAO's 7-3-1 digits (`checkdigits.check_digit`). The department is a
number (`923`), a Corsican `2A`/`2B` code or a consulate's letters (`GVA`): letters or
digits; the issue month, the sequence number and the check digits are digits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from passport_ocr.mrz.checkdigits import FILLER, safe_check_digit
from passport_ocr.mrz.layouts import CharClass, Span, allowed
from passport_ocr.mrz.lookalikes import LETTER_FOR_DIGIT
from passport_ocr.record import MrzFormat

FORMAT: Final = MrzFormat.FRA_ID
LINE_COUNT: Final = 2
LINE_LENGTH: Final = 36
#: What line 1 starts with: the card's document code and France's state code.
PREFIX: Final = "IDFRA"

#: Field -> where it stands (see the module docstring for the source).
SPANS: Final[Mapping[str, Span]] = {
    "document_code": Span(0, 0, 2, "code"),
    "issuing_state": Span(0, 2, 5, "alpha"),
    "surname": Span(0, 5, 30, "alpha"),
    "office": Span(0, 30, 36, "alnum"),
    "issue_month": Span(1, 0, 4, "digit"),
    "department": Span(1, 4, 7, "alnum"),
    "sequence": Span(1, 7, 12, "digit"),
    "given_names": Span(1, 13, 27, "alpha"),
    "birth_date": Span(1, 27, 33, "digit"),
    "sex": Span(1, 34, 35, "sex"),
}
#: The document number: issue month, department and sequence number, as one field.
DOCUMENT_NUMBER: Final = Span(1, 0, 12, "alnum")
#: The record field each table field belongs to (the number's parts are the number).
RECORD_FIELD: Final[Mapping[str, str]] = {
    "issue_month": "document_number",
    "department": "document_number",
    "sequence": "document_number",
    "office": "optional_data",
}


@dataclass(frozen=True)
class Check:
    """A check digit at `at` over the characters of `data`."""

    name: str  # document_number, birth_date, composite (the names `CheckDigit` uses)
    data: tuple[Span, ...]
    at: tuple[int, int]

    def computed(self, lines: Sequence[str]) -> str | None:
        return safe_check_digit("".join(span.read(lines) for span in self.data))

    def found(self, lines: Sequence[str]) -> str:
        return lines[self.at[0]][self.at[1]]

    def agrees(self, lines: Sequence[str]) -> bool:
        return self.computed(lines) == self.found(lines)


CHECKS: Final = (
    Check("document_number", (DOCUMENT_NUMBER,), (1, 12)),
    Check("birth_date", (SPANS["birth_date"],), (1, 33)),
    Check("composite", (Span(0, 0, 36, "alnum"), Span(1, 0, 35, "alnum")), (1, 35)),
)


def class_map() -> list[list[CharClass]]:
    """The character class of every position (`layouts.allowed` judges a character)."""
    classes: list[list[CharClass]] = [["alnum"] * LINE_LENGTH for _ in range(LINE_COUNT)]
    for span in SPANS.values():
        for pos in range(span.start, span.end):
            classes[span.line][pos] = span.cls
    for check in CHECKS:
        classes[check.at[0]][check.at[1]] = "check"
    # The card's code is `ID`: its second character is a letter, as on a passport.
    classes[0][1] = "alpha"
    return classes


def field_at(line: int, pos: int) -> str | None:
    """The record field a position belongs to (check digits: their field's name)."""
    for name, span in SPANS.items():
        if span.line == line and span.start <= pos < span.end:
            return RECORD_FIELD.get(name, name)
    for check in CHECKS:
        if check.at == (line, pos):
            return check.name
    return None


def starts_like_french_id(line: str) -> bool:
    """Line 1 opens with `IDFRA`, a digit look-alike of a letter counting (`1DFRA`)."""
    head = line[: len(PREFIX)]
    return len(head) == len(PREFIX) and all(
        char == want or want in LETTER_FOR_DIGIT.get(char, ())
        for char, want in zip(head, PREFIX, strict=True)
    )


def checks_agreeing(lines: Sequence[str]) -> int:
    """How many of the card's three check digits agree (0 for lines of another shape)."""
    if len(lines) != LINE_COUNT or any(len(line) != LINE_LENGTH for line in lines):
        return 0
    return sum(check.agrees(lines) for check in CHECKS)


def class_misfits(lines: Sequence[str], classes: Sequence[Sequence[CharClass]]) -> int:
    """Characters standing where `classes` does not allow them."""
    return sum(
        not allowed(cls, char)
        for line, line_classes in zip(lines, classes, strict=False)
        for char, cls in zip(line, line_classes, strict=False)
    )


def structure_misses(lines: Sequence[str]) -> list[str]:
    """`mrz.structure`'s rules on the card's table: what of its structure the lines lack.

    - `states`: the issuing state holds letters or fillers (digit look-alikes counting);
    - `name_fillers`: the surname or the given names field has a run of two fillers;
    - `digits`: at least half the issue month, birth date and their check digits are digits.
    """
    misses: list[str] = []
    state = SPANS["issuing_state"].read(lines)
    if not all(char.isalpha() or char == FILLER or char in LETTER_FOR_DIGIT for char in state):
        misses.append("states")
    if not any(FILLER * 2 in SPANS[name].read(lines) for name in ("surname", "given_names")):
        misses.append("name_fillers")
    places = [
        (span.line, pos)
        for span in (SPANS["issue_month"], SPANS["birth_date"])
        for pos in range(span.start, span.end)
    ] + [check.at for check in CHECKS if check.name != "composite"]
    if 2 * sum(lines[line][pos].isdigit() for line, pos in places) < len(places):
        misses.append("digits")
    return misses
