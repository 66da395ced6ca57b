"""The second look: a letter read as a digit in a number field, repaired by re-reading."""

from __future__ import annotations

import pytest

pytest.importorskip("rapidocr")

from passport_ocr.ocr.engine import MrzEngine
from passport_ocr.specimens import generate_specimen


def test_document_number_letter_read_as_digit_is_recovered_by_a_second_look() -> None:
    # Benchmark page seed-11064: `YI846...` read `Y1846...` (I 0.06) from the whole line;
    # the check digit alone cannot tell I at place 1 from 7 at place 0.
    page = generate_specimen(11064, ["low_resolution", "uneven_light", "noise"], jpeg_quality=60)
    result = MrzEngine(threads=1).read(page.image)
    assert result.reading is not None
    assert result.reading.valid
    assert tuple(result.reading.lines) == page.mrz_lines
    assert "second_look" in result.timings_ms
