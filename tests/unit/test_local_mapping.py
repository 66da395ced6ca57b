"""The `local` answer format -> record, and the engine's pure parts (no model needed)."""

from __future__ import annotations

from datetime import date

import pytest

from passport_ocr.errors import MappingError
from passport_ocr.mapping import to_record
from passport_ocr.mapping.local import to_draft
from passport_ocr.record import Status
from passport_ocr.tools.ocr.glyphs import normalize_text, to_symbol
from passport_ocr.tools.specimens import Person, td3_lines

# A fictional holder, digits-only number (an `L`/`1` at a letter-digit boundary would be
# flagged `mrz.check_digit_blind`); generated with valid check digits.
LINE1, LINE2 = td3_lines(
    Person(
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="898902336",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=date(2034, 4, 15),
    )
)


def _answer(*lines: str, confidence: float = 0.97) -> dict[str, object]:
    return {
        "engine": "rapidocr-3.10.0/PP-OCRv6_rec_small",
        "lines": [
            {"text": line, "confidence": confidence, "char_confidences": [confidence] * len(line)}
            for line in lines
        ],
        "format": "TD3",
        "rotation": 0,
    }


def test_valid_answer_maps_to_valid_record() -> None:
    record = to_record("local", _answer(LINE1, LINE2))
    assert record.status is Status.VALID
    assert record.surname == "ERIKSSON"
    assert record.document_number == "898902336"
    assert record.source.vendor == "local"
    assert record.confidence["document_number"] == pytest.approx(0.97)


def test_lowest_character_sets_field_confidence() -> None:
    answer = _answer(LINE1, LINE2)
    lines = answer["lines"]
    assert isinstance(lines, list)
    lines[1]["char_confidences"][14] = 0.41  # a birth-date digit
    draft = to_draft(answer)
    assert draft.confidence["birth_date"] == pytest.approx(0.41)
    assert draft.confidence["document_number"] == pytest.approx(0.97)


def test_wrong_check_digit_is_not_valid() -> None:
    broken = LINE2[:9] + "7" + LINE2[10:]
    record = to_record("local", _answer(LINE1, broken))
    assert record.status is not Status.VALID


def test_empty_lines_give_a_record_without_mrz() -> None:
    draft = to_draft({"engine": "x", "lines": []})
    assert draft.mrz_lines == ()
    assert [finding.code for finding in draft.findings] == ["local.no_mrz"]


@pytest.mark.parametrize(
    "raw",
    [
        "not an object",
        {"engine": "x"},
        {"engine": "x", "lines": "P<UTO"},
        {"engine": "x", "lines": [{"text": 5}]},
        {"engine": "x", "lines": [{"text": "P<UTO", "char_confidences": [0.5]}]},
        {"engine": "x", "lines": [{"text": "P<", "char_confidences": ["a", "b"]}]},
    ],
)
def test_malformed_answers_are_mapping_errors(raw: object) -> None:
    with pytest.raises(MappingError):
        to_draft(raw)


@pytest.mark.parametrize(
    ("glyph", "symbol"),
    [
        ("く", "<"),
        ("〈", "<"),
        ("«", "<"),
        ("Ｌ", "L"),
        ("Ρ", "P"),
        ("О", "O"),
        ("×", "X"),
        ("０", "0"),
        ("a", "A"),
        ("中", None),
        (" ", None),
    ],
)
def test_look_alike_glyphs(glyph: str, symbol: str | None) -> None:
    assert to_symbol(glyph) == symbol


def test_normalize_text() -> None:
    assert normalize_text("Ρ<NＬD0くく") == "P<NLD0<<"
