"""The recogniser's runtimes and input shaping: the fast path reads what the plain one reads."""

from __future__ import annotations

import pytest

pytest.importorskip("rapidocr")

from passport_ocr.tools.ocr.engine import MrzEngine, common_thickness, decode_image
from passport_ocr.tools.ocr.locate import LineBox, crop_line, find_line_groups, to_gray
from passport_ocr.tools.ocr.recognize import WIDTH_STEP, Recognizer, _model_input
from passport_ocr.tools.specimens import generate_specimen


def test_openvino_and_onnxruntime_read_the_same_mrz() -> None:
    pytest.importorskip("openvino")
    page = generate_specimen(201, ("blur", "perspective"), jpeg_quality=60)
    fast = MrzEngine(Recognizer(threads=1, backend="openvino")).read(page.image)
    plain = MrzEngine(Recognizer(threads=1, backend="onnxruntime")).read(page.image)
    assert fast.reading is not None and plain.reading is not None
    assert tuple(fast.reading.lines) == tuple(plain.reading.lines) == page.mrz_lines
    assert fast.reading.valid and plain.reading.valid


def test_openvino_output_keeps_every_mrz_glyph() -> None:
    pytest.importorskip("openvino")
    fast, plain = Recognizer(backend="openvino"), Recognizer(backend="onnxruntime")
    fast.warm_up()
    plain.warm_up()
    assert fast.runtime.startswith("openvino") and plain.runtime == "onnxruntime"
    full = list(plain._engine._load_rec_model().postprocess_op.character)  # as shipped
    assert len(fast._vocabulary) < len(full)  # the CJK columns are gone
    from passport_ocr.tools.ocr.glyphs import to_symbol

    def mrz_glyphs(vocabulary: list[str]) -> set[str]:
        return {glyph for glyph in vocabulary if to_symbol(glyph) is not None}

    assert mrz_glyphs(list(fast._vocabulary)) == mrz_glyphs(full)


def test_model_input_width_is_a_multiple_of_the_step_and_close_to_natural() -> None:
    page = generate_specimen(202)
    image = decode_image(page.image)
    for box in find_line_groups(to_gray(image))[0].lines:
        crop = crop_line(image, box)
        batch = _model_input(crop)
        natural = 48 * crop.shape[1] / crop.shape[0]
        assert batch.shape[:3] == (1, 3, 48)
        assert batch.shape[3] % WIDTH_STEP == 0
        assert abs(batch.shape[3] - natural) <= WIDTH_STEP / 2


def test_lines_of_one_group_are_cut_at_one_height() -> None:
    boxes = [LineBox(500, 100, 1000, 24.0, 0.5), LineBox(500, 150, 990, 29.0, 0.4)]
    same = common_thickness(boxes)
    assert [box.thickness for box in same] == [29.0, 29.0]
    assert [(box.cx, box.cy, box.length, box.angle) for box in same] == [
        (box.cx, box.cy, box.length, box.angle) for box in boxes
    ]
    apart = [LineBox(500, 100, 1000, 20.0, 0.0), LineBox(500, 150, 1000, 40.0, 0.0)]
    assert common_thickness(apart) == apart  # not one MRZ's lines: left as measured
