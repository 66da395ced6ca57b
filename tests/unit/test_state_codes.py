"""Issue 14: state codes one OCR look-alike from exactly one known code (`NLO` for `NLD`,
`O<<` for the German `D<<`), in vendor text and in the offline engine's reading."""

from __future__ import annotations

from datetime import date

import pytest

from passport_ocr.mrz import read_mrz
from passport_ocr.mrz.lookalikes import lookalike_twins
from passport_ocr.mrz.repair import known_states_near
from tests.mrz_builder import Doc, td3

TODAY = date(2026, 11, 21)


def _dutch() -> list[str]:
    return td3(
        Doc("P", "NLD", ("JANSEN",), ("WILLEKE",), "SPECI2014", "NLD", "650310", "F", "300309")
    )


def _german() -> list[str]:
    return td3(
        Doc("P", "D", ("MUSTERMANN",), ("ERIKA",), "C01X00T47", "D", "640812", "F", "300101")
    )


def test_look_alike_twins_come_from_the_one_table() -> None:
    assert {"0", "D", "Q", "U"} <= lookalike_twins("O")
    assert "O" in lookalike_twins("D")
    assert {"1", "L"} <= lookalike_twins("I")
    assert "8" in lookalike_twins("B")
    assert lookalike_twins("<") == frozenset()


@pytest.mark.parametrize(
    ("raw", "known"),
    [("NLO", ("NLD",)), ("O<<", ("D<<",)), ("NLU", ("NIU", "NLD")), ("NLD", ()), ("FRE", ())],
)
def test_known_states_one_look_alike_away(raw: str, known: tuple[str, ...]) -> None:
    assert known_states_near(raw) == known


def test_vendor_text_state_repaired_to_the_one_known_code() -> None:
    lines = _dutch()
    reading = read_mrz([lines[0].replace("NLD", "NLO", 1), lines[1]], today=TODAY)
    assert reading.fields.issuing_state == "NLD"
    (sub,) = [s for s in reading.mrz.substitutions if s.field == "issuing_state"]
    assert (sub.original, sub.replacement, sub.position) == ("O", "D", 4)
    assert "issuing_state" in [f.field for f in reading.findings if f.code == "mrz.repaired"]
    assert "mrz.unknown_state" not in reading.finding_codes()

    lines = _german()
    reading = read_mrz([lines[0], lines[1].replace("D<<", "O<<", 1)], today=TODAY)
    assert reading.fields.nationality == "D"
    assert "nationality" in [f.field for f in reading.findings if f.code == "mrz.repaired"]


def test_two_candidates_leave_the_state_unknown() -> None:
    lines = _dutch()
    reading = read_mrz([lines[0].replace("NLD", "NLU", 1), lines[1]], today=TODAY)
    assert reading.fields.issuing_state == "NLU"  # NIU (Niue) or NLD: no guess
    assert "issuing_state" in [f.field for f in reading.findings if f.code == "mrz.unknown_state"]
    assert "issuing_state" in [
        f.field for f in reading.findings if f.code == "mrz.ambiguous_repair"
    ]


def test_the_engine_repairs_a_state_the_same_way() -> None:
    pytest.importorskip("cv2")
    from passport_ocr.mapping import to_record
    from passport_ocr.tools.ocr.correct import correct
    from tests.unit.test_ocr_length_decoding import _line

    dutch, german = _dutch(), _german()
    # The model sees an O where D is printed (0.9 O, a little D).
    reads = [
        _line(dutch[0], doubt={4: {"O": 0.9, "D": 0.05}}),
        _line(german[1], doubt={10: {"O": 0.9, "D": 0.05}}),
    ]
    reading = correct(reads)
    assert reading.lines[0][2:5] == "NLD"
    assert reading.lines[1][10:13] == "D<<"
    repairs = [(c.field, c.original, c.replacement) for c in reading.changes]
    assert ("issuing_state", "O", "D") in repairs
    assert ("nationality", "O", "D") in repairs
    # The record says so (its lines already hold the known code) and doubts the letter.
    answer = {
        "engine": "test",
        "lines": [
            {"text": text, "char_confidences": confs}
            for text, confs in zip(reading.lines, reading.confidences, strict=True)
        ],
        "substitutions": [
            {"line": c.line, "position": c.position, "reason": c.reason, "field": c.field}
            for c in reading.changes
        ],
    }
    record = to_record("local", answer)
    assert {"issuing_state", "nationality"} <= {
        f.field for f in record.findings if f.code == "mrz.repaired"
    }
    assert record.confidence["issuing_state"] < 0.5
