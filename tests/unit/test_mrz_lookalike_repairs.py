"""Issue 14: look-alike repairs on the US Border Crossing Card (a pre-ICAO TD1, document code
`A3`), in vendor text. The zone is the card's own as transcribed in the shared ground truth
(`arg0s1080__other_USA_Border_Crosser.png`, from Arg0s1080/mrz examples); its document-number
and composite digits do not validate on the card itself."""

from __future__ import annotations

from datetime import date

import pytest

from passport_ocr.mrz import read_mrz
from tests.mrz_builder import Doc, td3

TODAY = date(2026, 11, 21)
US_CARD = [
    "A3USA085043401<01<9108<<<<<<<<",
    "7006171F0108168<<<<<<A5AA37743",
    "GONZALEZ<MENDEZ<<CRISTINA<MARI",
]


def _with(line: int, start: int, text: str) -> list[str]:
    lines = list(US_CARD)
    lines[line] = lines[line][:start] + text + lines[line][start + len(text) :]
    return lines


@pytest.mark.parametrize(
    ("line", "start", "misread", "field"),
    [
        pytest.param(1, 0, "7OO617", "birth_date", id="birth-00O"),
        pytest.param(1, 8, "01O816", "expiry_date", id="expiry-0O"),
        pytest.param(1, 0, "700617I", "birth_date", id="birth-check-I"),
    ],
)
def test_letters_in_digit_fields_become_digits_when_the_check_digit_agrees(
    line: int, start: int, misread: str, field: str
) -> None:
    reading = read_mrz(_with(line, start, misread), today=TODAY)
    assert list(reading.mrz.lines) == US_CARD
    assert {sub.field for sub in reading.mrz.substitutions} == {field}
    assert field in [f.field for f in reading.findings if f.code == "mrz.repaired"]


def test_a_letter_that_breaks_the_check_digit_is_left_as_read() -> None:
    # O for 0 in the birth date, but the check digit read wrong too: no evidence, no change.
    lines = _with(1, 0, "7OO6170")
    reading = read_mrz(lines, today=TODAY)
    assert reading.mrz.lines[1][:7] == "7OO6170"
    assert "birth_date" in [f.field for f in reading.findings if f.code == "mrz.check_digit"]


def test_the_cards_own_document_code_a3_is_kept_as_read() -> None:
    # A card's second document-code character is the issuing State's to choose (ICAO
    # 9303-5 §4.2.2), a digit included: kept as read, no charset finding.
    reading = read_mrz(US_CARD, today=TODAY)
    assert reading.fields.document_code == "A3"
    assert reading.mrz.substitutions == ()
    assert "mrz.charset" not in reading.finding_codes()


def test_a_digit_after_a_passports_p_is_still_reported() -> None:
    # On a passport it is "one additional capital letter" (9303-4 §4.2.2).
    lines = td3(
        Doc("P3", "UTO", ("ERIKSSON",), ("ANNA",), "L898902C3", "UTO", "740812", "F", "120415")
    )
    assert "mrz.charset" in read_mrz(lines, today=TODAY).finding_codes()
