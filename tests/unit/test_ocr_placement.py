"""Character boxes from CTC frames: the pure geometry, then the real engine on drawn lines.

The mapping under test: the model's frames cover the line crop evenly (the crop is resized
to the model's height, width scaled with it: shared/passport_ocr/tools/ocr/recognize.py
`_model_input`), so frame f of F lies at (f + 0.5) / F of the crop, the same mapping the
second look uses (shared/passport_ocr/tools/ocr/second_look.py, `x = (frame + 0.5) *
scale`); the crop is the line box with `CROP_PAD_X` thicknesses at each end
(shared/passport_ocr/tools/ocr/locate.py `crop_line`, `length = box.length + 2 * pad_x *
box.thickness`).
"""

from __future__ import annotations

import io
import math

import pytest

pytest.importorskip("cv2")
from PIL import Image, ImageDraw, ImageFont

from passport_ocr.tools.ocr.locate import LineBox
from passport_ocr.tools.ocr.placement import (
    CROP_PAD_X,
    block_outline,
    bounds,
    char_pitch,
    frame_fraction,
    place_line,
)
from passport_ocr.tools.specimens import ocr_b_path

LINE_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _box(cx: float, cy: float, length: float, thickness: float, angle: float) -> LineBox:
    return LineBox(cx, cy, length, thickness, angle)


def _centre(quad: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    return (sum(x for x, _ in quad) / 4, sum(y for _, y in quad) / 4)


def test_frame_fraction_is_the_frame_centre_over_the_frames() -> None:
    assert frame_fraction(0, 100) == pytest.approx(0.005)
    assert frame_fraction(49.5, 100) == pytest.approx(0.5)
    assert frame_fraction(99, 100) == pytest.approx(0.995)


def test_pitch_is_the_median_gap_so_one_late_character_does_not_widen_boxes() -> None:
    assert char_pitch([0.1, 0.2, 0.3, 0.45, 0.5]) == pytest.approx(0.1)
    assert char_pitch([0.4]) == 0.0


def test_characters_of_a_level_line_lie_where_their_frames_say() -> None:
    box = _box(500.0, 100.0, 800.0, 20.0, 0.0)
    crop = 800.0 + 2 * CROP_PAD_X * 20.0  # 840 px, the crop's length
    placed = place_line(box, [9.5, 19.5, 29.5], 100)
    centres = [_centre(quad) for quad in placed.chars]
    expected = [500 + (share - 0.5) * crop for share in (0.1, 0.2, 0.3)]
    assert [x for x, _ in centres] == pytest.approx(expected)
    assert all(y == pytest.approx(100.0) for _, y in centres)
    top_left, top_right, bottom_right, _ = placed.chars[0]
    assert top_right[0] - top_left[0] == pytest.approx(0.1 * crop)  # one pitch wide
    assert bottom_right[1] - top_right[1] == pytest.approx(20.0)  # the line's thickness
    assert placed.outline[0] == pytest.approx((100.0, 90.0))
    assert placed.outline[2] == pytest.approx((900.0, 110.0))


def test_a_line_read_upside_down_runs_right_to_left_with_its_top_below() -> None:
    box = _box(500.0, 100.0, 800.0, 20.0, 0.0)
    placed = place_line(box, [9.5, 19.5], 100, flipped=True)
    first, second = (_centre(quad) for quad in placed.chars)
    assert first[0] == pytest.approx(500 + 0.4 * 840)
    assert second[0] < first[0]
    top_left = placed.chars[0][0]
    assert top_left[1] == pytest.approx(110.0)  # the top as read is the box's lower edge


def test_a_line_turned_a_quarter_runs_down_the_photo() -> None:
    box = _box(300.0, 500.0, 800.0, 20.0, 90.0)
    placed = place_line(box, [9.5, 89.5], 100)
    (x1, y1), (x2, y2) = (_centre(quad) for quad in placed.chars)
    assert (x1, x2) == pytest.approx((300.0, 300.0))
    assert y1 == pytest.approx(500 - 0.4 * 840)
    assert y2 == pytest.approx(500 + 0.4 * 840)


def test_the_block_outline_joins_the_first_top_edge_to_the_last_bottom_edge() -> None:
    top = place_line(_box(500.0, 100.0, 800.0, 20.0, 0.0), [], 100)
    low = place_line(_box(500.0, 150.0, 800.0, 20.0, 0.0), [], 100)
    outline = block_outline([top, low])
    assert bounds([outline]) == pytest.approx((100.0, 90.0, 900.0, 160.0))


# --- the real engine: boxes over the glyphs a font drew ------------------------------


def _drawn_mrz(turn: int) -> tuple[bytes, list[list[tuple[float, float]]]]:
    """A page with the two MRZ lines in OCR-B, turned `turn` degrees, and each glyph's
    centre in the turned page."""
    font = ImageFont.truetype(str(ocr_b_path()), 35)
    width, height = 1250, 400
    image = Image.new("L", (width, height), 240)
    draw = ImageDraw.Draw(image)
    centres: list[list[tuple[float, float]]] = []
    for top, line in ((150, LINE_1), (204, LINE_2)):
        draw.text((66, top), line, fill=15, font=font)
        row = []
        for index in range(len(line)):
            left = 66 + font.getlength(line[:index])
            right = 66 + font.getlength(line[: index + 1])
            _, glyph_top, _, glyph_bottom = font.getbbox("X")
            row.append(((left + right) / 2, top + (glyph_top + glyph_bottom) / 2))
        centres.append(row)
    # PIL turns counter-clockwise: pixel (x, y) goes to these coordinates of the turned page.
    moves = {
        0: lambda x, y: (x, y),
        90: lambda x, y: (y, width - 1 - x),
        180: lambda x, y: (width - 1 - x, height - 1 - y),
        270: lambda x, y: (height - 1 - y, x),
    }
    image = image.rotate(turn, expand=True)
    centres = [[moves[turn](x, y) for x, y in row] for row in centres]
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue(), centres


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_engine_character_boxes_cover_the_drawn_glyphs(turn: int) -> None:
    pytest.importorskip("rapidocr")
    from passport_ocr.tools.ocr.engine import MrzEngine

    data, centres = _drawn_mrz(turn)
    result = MrzEngine().read(data)
    assert result.reading is not None and result.reading.valid
    assert result.image_size == ((1250, 400) if turn % 180 == 0 else (400, 1250))
    lines = result.placements()
    assert [len(line.chars) for line in lines] == [44, 44]
    pitch = 1100 / 44  # the drawn pitch, ~25 px
    for line, truth in zip(lines, centres, strict=True):
        for quad, (x, y) in zip(line.chars, truth, strict=True):
            cx, cy = _centre(quad)
            # Nearer this glyph's centre than any neighbour's, on its own line (measured
            # December 2026, onnxruntime and OpenVINO alike: at most 7.0 px off, 2.4-3.3 px
            # on average, at a 25 px pitch, in all four turns).
            assert math.hypot(cx - x, cy - y) < pitch / 2
    geometry = result.to_answer()["geometry"]
    assert geometry["image_size"] == list(result.image_size)
    assert [len(line) for line in geometry["chars"]] == [44, 44]
