"""Issue 14: prose is "no MRZ found". Text lines of an MRZ's lengths (and even its first
letter) but without its structure are never returned as a reading."""

from __future__ import annotations

import random
from datetime import date

import pytest

from passport_ocr.errors import MrzError
from passport_ocr.mrz import read_mrz
from passport_ocr.mrz.layouts import LAYOUTS
from passport_ocr.mrz.structure import structure_misses
from passport_ocr.record import MrzFormat
from tests.mrz_builder import Doc, td1, td2, td3

TODAY = date(2026, 11, 21)
WORDS = (
    (
        "passport holders must present the document at the counter officer will check each page "
        "travel card border inspection valid until further notice please keep your papers ready"
    )
    .upper()
    .split()
)


def prose_line(rng: random.Random, length: int, first: str) -> str:
    """Words joined by spaces (or by fillers, as a reader may print them), `length`
    characters once the spaces are cleaned away as the reader cleans vendor text."""
    joiner = rng.choice((" ", "<"))
    text = first
    while len(text.replace(" ", "")) < length:
        text += joiner + rng.choice(WORDS)
    return text.replace(" ", "")[:length]


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize(
    ("count", "length", "first"),
    [(2, 44, "P"), (2, 36, "I"), (3, 30, "I"), (2, 44, "V"), (2, 36, "A")],
)
def test_generated_prose_of_mrz_lengths_is_no_mrz(
    seed: int, count: int, length: int, first: str
) -> None:
    rng = random.Random(seed)
    lines = [prose_line(rng, length, first if i == 0 else "") for i in range(count)]
    with pytest.raises(MrzError, match="no MRZ found"):
        read_mrz(lines, today=TODAY)


def doc(code: str) -> Doc:
    return Doc(code, "UTO", ("ERIKSSON",), ("ANNA",), "L898902C3", "UTO", "740812", "F", "120415")


@pytest.mark.parametrize(
    ("lines", "fmt"),
    [
        (td3(doc("P")), MrzFormat.TD3),
        (td2(doc("I")), MrzFormat.TD2),
        (td1(doc("I")), MrzFormat.TD1),
    ],
)
def test_a_real_zone_misses_nothing_and_one_miss_is_still_read(
    lines: list[str], fmt: MrzFormat
) -> None:
    layout = LAYOUTS[fmt]
    assert structure_misses(lines, layout) == []
    # A name filling its whole field (no filler run): one miss, still a reading.
    name = layout.name
    full = list(lines)
    full[name.line] = full[name.line][: name.start] + "X" * (name.end - name.start)
    assert structure_misses(full, layout) == ["name_fillers"]
    assert read_mrz(full, today=TODAY).mrz.format is fmt


def test_letters_in_the_dates_and_no_filler_run_are_two_misses() -> None:
    lines = td3(doc("P"))
    prose_lower = "THE<OFFICER<WILL<CHECK<EACH<PAGE<OF<THE<BOOK"
    assert len(prose_lower) == 44
    no_name = "P<UTO" + "ERIKSSON<ANNA<MARIA<AND<SOME<MORE<WORDS"[:39]
    assert structure_misses([no_name, prose_lower], LAYOUTS[MrzFormat.TD3]) == [
        "name_fillers",
        "digits",
    ]
    with pytest.raises(MrzError, match="no MRZ found"):
        read_mrz([no_name, prose_lower], today=TODAY)
    assert read_mrz(lines, today=TODAY).valid
