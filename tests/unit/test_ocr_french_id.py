"""The offline engine reads the French identity card (FRA_ID) from generated card photos.

The cards come from `passport_ocr.tools.french_id_specimen` (fictional holders); the real
specimen photo is read in `test_local_engine.py`, only when ../shared is present.
"""

from __future__ import annotations

from typing import Any

import pytest

from passport_ocr.mapping import to_record
from passport_ocr.mrz import french_id, read_mrz
from passport_ocr.record import MrzFormat, Status
from passport_ocr.tools.french_id_specimen import (
    FrenchIdSpecimen,
    generate_french_id_specimen,
)
from passport_ocr.tools.ocr import layout

# --- the decoder's view of the card's table (no model needed) ----------------------------


def test_the_decoder_classes_follow_the_cards_table() -> None:
    classes = layout.FRA_ID.classes
    assert layout.FRA_ID.lengths == (36, 36)
    digit_places = [*range(0, 4), *range(7, 13), *range(27, 34), 35]
    assert all(classes[1][pos] == "D" for pos in digit_places)
    assert classes[1][4:7] == "AAA"  # the department: letters or digits
    assert classes[1][13:27] == "L" * 14 and classes[0][5:30] == "L" * 25  # names
    assert classes[1][34] == "S"
    assert layout.CLASS_SYMBOLS[classes[0][0]] == frozenset("I")
    checks = {check.name: (check.line, check.check) for check in layout.FRA_ID.checks}
    assert checks == {check.name: check.at for check in french_id.CHECKS}


def test_the_card_is_an_alternative_only_to_td2_lines_opening_idfra() -> None:
    assert layout.alternative_layout(layout.TD2, "IDFRABERTHIER<<<") is layout.FRA_ID
    assert layout.alternative_layout(layout.TD2, "1DFRABERTHIER<<<") is layout.FRA_ID
    assert layout.alternative_layout(layout.TD2, "I<FRAMARTIN<<LEA") is None
    assert layout.alternative_layout(layout.TD3, "IDFRABERTHIER<<<") is None


def test_the_decoder_checks_agree_with_the_parser_on_generated_lines() -> None:
    for seed in range(20):
        lines = list(generate_french_id_specimen(seed).mrz_lines)
        assert all(layout.field_valid(lines, check) for check in layout.FRA_ID.checks)
        assert layout.structure_misses(lines, layout.FRA_ID) == []
        assert read_mrz(lines).mrz.valid


def test_the_local_mapping_takes_each_fields_confidence_from_the_cards_places() -> None:
    from passport_ocr.mapping.local import to_draft

    lines = list(generate_french_id_specimen(1).mrz_lines)
    line2 = [0.99] * 36
    line2[20] = 0.31  # inside the given names [13:27] only
    answer = {
        "engine": "test",
        "format": MrzFormat.FRA_ID.value,
        "lines": [
            {"text": lines[0], "char_confidences": [0.98] * 36},
            {"text": lines[1], "char_confidences": line2},
        ],
    }
    confidence = to_draft(answer).confidence
    assert confidence["given_names"] == 0.31
    assert confidence["surname"] == 0.98
    assert confidence["document_number"] == confidence["birth_date"] == 0.99


# --- the engine on generated card photos -------------------------------------------------

pytest.importorskip("rapidocr")
pytest.importorskip("cv2")

from passport_ocr.tools.ocr.engine import MrzEngine  # noqa: E402
from passport_ocr.tools.ocr.provider import LocalOcrProvider  # noqa: E402
from passport_ocr.tools.ocr.recognize import Recognizer  # noqa: E402


@pytest.fixture(scope="module")
def provider() -> LocalOcrProvider:
    # float32 everywhere (see test_local_engine.py on OpenVINO's bfloat16).
    return LocalOcrProvider(MrzEngine(Recognizer(backend="onnxruntime")))


def _read(provider: LocalOcrProvider, specimen: FrenchIdSpecimen) -> dict[str, Any]:
    return provider.recognize_bytes(specimen.image).raw


@pytest.mark.parametrize(
    ("seed", "degradations"),
    [(1, ()), (2, ()), (11, ("rotate180",)), (13, ("blur",)), (16, ("partial_page",))],
)
def test_generated_cards_are_read_exactly_and_valid(
    provider: LocalOcrProvider, seed: int, degradations: tuple[Any, ...]
) -> None:
    specimen = generate_french_id_specimen(seed, degradations)
    raw = _read(provider, specimen)
    assert raw["format"] == MrzFormat.FRA_ID.value
    assert [line["text"] for line in raw["lines"]] == list(specimen.mrz_lines)
    assert raw["valid"] is True
    record = to_record("local", raw)
    assert record.mrz is not None and record.mrz.format is MrzFormat.FRA_ID
    assert record.status is Status.VALID, record.finding_codes()
    assert record.surname == specimen.card.surname
    assert record.issue_month == specimen.card.issued.strftime("%Y-%m")
    assert record.expiry_date is None
    # The local mapping measures the card's fields where the card has them.
    assert {"surname", "given_names", "document_number", "birth_date"} <= set(record.confidence)
