"""Issue 14: fillers are structural. Letters the model reads with doubt where the layout
has only fillers (a stamp across the zone, a dim photo) become fillers; model output
arrays, no model."""

from __future__ import annotations

import pytest

pytest.importorskip("cv2")

from passport_ocr.tools.ocr.correct import correct
from tests.mrz_builder import Doc, td1, td3
from tests.unit.test_ocr_length_decoding import _line

_DOC = Doc("P", "AZE", ("ABDULLAYEV",), ("DIL",), "C19389564", "AZE", "940814", "M", "280815")


def _doubtful(
    text: str, offsets: range | list[int], symbol: str = "<"
) -> dict[int, dict[str, float]]:
    """At each offset the model sees the printed character (a filler) as `text`'s letter:
    0.5 for the letter, 0.3 for what is printed."""
    return {offset: {text[offset]: 0.5, symbol: 0.3} for offset in offsets}


def test_doubtful_letters_after_the_name_are_fillers() -> None:
    lines = td3(_DOC)
    assert lines[0].startswith("P<AZEABDULLAYEV<<DIL<<<")
    seen = lines[0][:24] + "C<<CA" + lines[0][29:]  # `<<<<C<<CA<<` where fillers stand
    reads = [_line(seen, doubt=_doubtful(seen, [24, 27, 28])), _line(lines[1])]
    reading = correct(reads)
    assert reading.lines == lines
    fillers = [(c.position, c.original) for c in reading.changes if c.reason == "filler"]
    assert fillers == [(24, "C"), (27, "C"), (28, "A")]
    # No check digit covers a name: the record keeps the doubt.
    assert max(reading.confidences[0][24], reading.confidences[0][28]) < 0.9


def test_a_run_of_doubtful_filler_look_alikes_ending_the_name_is_padding() -> None:
    lines = td3(_DOC)
    seen = lines[0][:21] + "CCCKRRSKEKSKKCXCKCKEKSS"
    reads = [_line(seen, doubt=_doubtful(seen, range(21, 44))), _line(lines[1])]
    reading = correct(reads)
    assert reading.lines[0] == lines[0]


def test_a_doubtful_look_alike_run_where_the_padding_starts_is_padding() -> None:
    # The stamp's slip over the first places of the padding only (`DIL<CCCCX<<<...`):
    # read so by the int8 model on a real photo where the float model read the whole run.
    lines = td3(_DOC)
    seen = lines[0][:21] + "CCCCX" + lines[0][26:]
    reads = [_line(seen, doubt=_doubtful(seen, range(21, 26))), _line(lines[1])]
    reading = correct(reads)
    assert reading.lines[0] == lines[0]
    fillers = [c.position for c in reading.changes if c.reason == "filler"]
    assert fillers == list(range(21, 26))
    # Read with confidence, the same letters are a second given name.
    assert correct([_line(seen), _line(lines[1])]).lines[0] == seen
    # Several such runs with single fillers between them, up to the field's end.
    seen = lines[0][:21] + "CCCCX<SKKXRXCACC<CXSSS" + lines[0][43:]
    doubt = [offset for offset in range(21, 43) if seen[offset] != "<"]
    reads = [_line(seen, doubt=_doubtful(seen, doubt)), _line(lines[1])]
    assert correct(reads).lines[0] == lines[0]


def test_letters_read_with_confidence_or_unlike_fillers_stay() -> None:
    doc = Doc("P", "AZE", ("ABDULLAYEV",), ("DIL", "MAHAMMADALI"), "C19389564", "AZE",
              "940814", "M", "280815")  # fmt: skip
    lines = td3(doc)
    assert "DIL<MAHAMMADALI<<" in lines[0]
    assert correct([_line(lines[0]), _line(lines[1])]).lines[0] == lines[0]
    # A second given name read with doubt is still a name: its letters are no `<` look-alikes.
    start = lines[0].index("MAHAMMADALI")
    doubt = _doubtful(lines[0], range(start, start + 11), symbol="N")
    reading = correct([_line(lines[0], doubt=doubt), _line(lines[1])])
    assert reading.lines[0] == lines[0]
    assert not [c for c in reading.changes if c.reason == "filler"]
    # After the name, a letter read confidently is left as read (the layout, not the
    # letter, may be what was misread).
    seen = lines[0][:-4] + "C<<<"
    assert correct([_line(seen), _line(lines[1])]).lines[0] == seen


def test_a_doubtful_letter_in_empty_optional_data_is_a_filler() -> None:
    card = Doc("I", "SWE", ("SPECIMEN",), ("SVEN",), "590000021", "SWE", "870314", "M", "170102")
    lines = td1(card)
    assert lines[1][18:29] == "<" * 11
    seen = lines[1][:22] + "C" + lines[1][23:]
    reads = [_line(lines[0]), _line(seen, doubt=_doubtful(seen, [22])), _line(lines[2])]
    reading = correct(reads)
    assert reading.lines == lines
    assert reading.valid
    # Content after fillers is not padding: `<<<A5AA3774` stays as read.
    card = Doc("I", "SWE", ("SPECIMEN",), ("SVEN",), "590000021", "SWE", "870314", "M",
               "170102", optional_data_2="<<<A5AA3774")  # fmt: skip
    lines = td1(card)
    reading = correct([_line(line) for line in lines])
    assert reading.lines == lines


def test_a_field_repair_the_composite_does_not_confirm_is_undone() -> None:
    # Issue 14 (the US border crossing card): its printed document-number check digit is
    # wrong; the model's doubt about one `0` (0.9, O 0.09) let the check digit "repair" it
    # to the `O` that matches, though the composite still fails. The line stays as read.
    from passport_ocr.mrz import check_digit
    from passport_ocr.tools.ocr.layout import TD3, field_valid

    doc = Doc("P", "UTO", ("ERIKSSON",), ("ANNA",), "085043401", "UTO", "740812", "F", "120415")
    lines = td3(doc)
    place = 3  # a `0` of the number
    assert lines[1][place] == "0"
    misprinted = check_digit(lines[1][:place] + "O" + lines[1][place + 1 : 9])
    printed = [lines[0], lines[1][:9] + misprinted + lines[1][10:]]
    composite = next(check for check in TD3.checks if check.name == "composite")
    repaired = [printed[0], printed[1][:place] + "O" + printed[1][place + 1 :]]
    assert not field_valid(repaired, composite)  # the repair would not be confirmed
    reads = [_line(printed[0]), _line(printed[1], doubt={place: {"0": 0.9, "O": 0.09}})]
    reading = correct(reads)
    assert reading.lines == printed
    assert not reading.valid
    assert not [change for change in reading.changes if change.reason == "check_digit"]
