"""Issue 14: the document code as the layout allows it. A card's second character may be a
digit (the US Border Crossing Card's `A3` once became `AS`); the first is one of the
format's letters (an `E` read through a SPECIMEN print is a TD1 card's `I`). Model output
arrays, no model."""

from __future__ import annotations

import pytest

pytest.importorskip("cv2")

from passport_ocr.tools.ocr.correct import correct
from tests.mrz_builder import Doc, td1, td3
from tests.unit.test_ocr_length_decoding import _line

_CARD = Doc("A3", "UTO", ("ERIKSSON",), ("ANNA",), "D23145890", "UTO", "740812", "F", "120415")


def test_a_cards_digit_after_its_first_letter_is_kept() -> None:
    lines = td1(_CARD)
    assert lines[0].startswith("A3UTO")
    reading = correct([_line(line) for line in lines])
    assert reading.lines == lines
    assert not [change for change in reading.changes if change.line == 0 and change.position < 2]


def test_a_passports_second_character_is_still_a_letter() -> None:
    lines = td3(Doc("PO", "UTO", ("ERIKSSON",), ("ANNA",), "L898902C3", "UTO", "740812", "F",
                    "120415"))  # fmt: skip
    seen = "P0" + lines[0][2:]  # the letter O read as a zero, which a passport never has
    reading = correct([_line(seen, doubt={1: {"0": 0.5, "O": 0.3}}), _line(lines[1])])
    assert reading.lines[0][:2] == "PO"


@pytest.mark.parametrize(("printed", "seen"), [("I", "E"), ("I", "L"), ("C", "G")])
def test_the_first_letter_is_one_the_format_allows(printed: str, seen: str) -> None:
    lines = td1(Doc(printed, "UTO", ("ERIKSSON",), ("ANNA",), "D23145890", "UTO", "740812",
                    "F", "120415"))  # fmt: skip
    doubt = {0: {seen: 0.5, printed: 0.3}}
    reading = correct([_line(seen + lines[0][1:], doubt=doubt), _line(lines[1]), _line(lines[2])])
    assert reading.lines == lines


def test_a_digit_that_looks_like_a_letter_is_that_letter() -> None:
    # `ID` read `I0`: a zero is a letter's look-alike, so the card's code reads as the letter.
    lines = td1(Doc("ID", "UTO", ("ERIKSSON",), ("ANNA",), "D23145890", "UTO", "740812", "F",
                    "120415"))  # fmt: skip
    doubt = {1: {"0": 0.5, "D": 0.3}}
    reading = correct([_line("I0" + lines[0][2:], doubt=doubt), _line(lines[1]), _line(lines[2])])
    assert reading.lines == lines


def test_a_first_letter_guessed_from_an_unlike_glyph_keeps_its_doubt() -> None:
    # A `2` seen sharply where only A, C or I may stand: some card letter is chosen, but
    # with the model's own (low) probability for it, so the record goes to a person.
    lines = td1(Doc("I", "UTO", ("ERIKSSON",), ("ANNA",), "D23145890", "UTO", "740812", "F",
                    "120415"))  # fmt: skip
    doubt = {0: {"2": 0.9, "C": 0.04, "I": 0.03}}
    reading = correct([_line("2" + lines[0][1:], doubt=doubt), _line(lines[1]), _line(lines[2])])
    assert reading.lines[0][0] == "C"
    assert reading.confidences[0][0] < 0.5
