"""The visual O-or-0 test on OCR-B glyphs rendered with the bundled font, read by the real model."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("rapidocr")
cv2 = pytest.importorskip("cv2")
from PIL import Image, ImageDraw, ImageFilter, ImageFont  # noqa: E402

from passport_ocr.tools.ocr import o_or_zero  # noqa: E402
from passport_ocr.tools.ocr.recognize import Recognizer  # noqa: E402
from passport_ocr.tools.specimens import ocr_b_path  # noqa: E402

#: Round letters and digits for reference, then the O/0 pattern under test.
LINE = "SCG<2368<O0O<00O<OO0<0"


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer(threads=1)


def _render(text: str, size: int, blur: float) -> np.ndarray:
    font = ImageFont.truetype(str(ocr_b_path()), size)
    width = int(font.getlength(text)) + 2 * size
    image = Image.new("L", (width, 2 * size), 255)
    ImageDraw.Draw(image).text((size, size // 2), text, font=font, fill=20)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(image, dtype=np.uint8)


@pytest.mark.parametrize(("size", "blur"), [(40, 0.0), (28, 0.8), (60, 1.5)])
def test_rendered_o_reads_o_and_rendered_zero_reads_zero(
    recognizer: Recognizer, size: int, blur: float
) -> None:
    gray = _render(LINE, size, blur)
    (read,) = recognizer.read([gray])
    assert len(read.chars) == len(LINE), read.text
    places = [(0, index) for index in o_or_zero.candidates(read)]
    assert {index for _, index in places} >= {i for i, c in enumerate(LINE) if c in "O0"}
    (settled,) = o_or_zero.settle([gray], [read], places)
    for index, char in enumerate(settled.chars):
        if LINE[index] in "O0":
            assert char.symbol == LINE[index], (index, settled.text)


def test_abstains_when_letters_and_digits_stand_equally_tall(recognizer: Recognizer) -> None:
    # Digits squashed to the letters' height: no evidence, so the model's reading stands.
    font = ImageFont.truetype(str(ocr_b_path()), 40)
    image = Image.new("L", (900, 80), 255)
    x = 40
    for char in LINE:
        glyph = Image.new("L", (40, 60), 255)
        ImageDraw.Draw(glyph).text((5, 0), char, font=font, fill=20)
        if char.isdigit():
            box = Image.eval(glyph, lambda value: 255 - value).getbbox() or (0, 0, 40, 60)
            cut = glyph.crop(box).resize((box[2] - box[0], round((box[3] - box[1]) / 1.08)))
            glyph = Image.new("L", (40, 60), 255)
            glyph.paste(cut, (box[0], box[3] - cut.height))
        image.paste(glyph, (x, 10))
        x += round(font.getlength(char))
    gray = np.asarray(image, dtype=np.uint8)
    (read,) = recognizer.read([gray])
    places = [(0, index) for index in o_or_zero.candidates(read)]
    assert places
    (settled,) = o_or_zero.settle([gray], [read], places)
    assert [c.symbol for c in settled.chars] == [c.symbol for c in read.chars]


def test_glyph_height_ignores_a_glyph_cut_by_the_crop_edge() -> None:
    gray = _render("0", 40, 0.0)
    assert o_or_zero.glyph_height(gray, gray.shape[1] / 2, 40.0) is not None
    top_cut = gray[gray.shape[0] // 2 :, :]
    assert o_or_zero.glyph_height(top_cut, top_cut.shape[1] / 2, 40.0) is None
    blank = np.full((60, 80), 255, dtype=np.uint8)
    assert o_or_zero.glyph_height(blank, 40.0, 30.0) is None


#: No round letter (C, G, J, Q, S, U) to compare with: flat ones stand in.
FLAT_LINE = "NLDWHITTAKER<<OTTO<1474<O0O<00O<OO0<0"


@pytest.mark.parametrize(("size", "blur"), [(40, 0.0), (28, 0.8)])
def test_without_round_letters_the_flat_ones_are_the_reference(
    recognizer: Recognizer, size: int, blur: float
) -> None:
    gray = _render(FLAT_LINE, size, blur)
    (read,) = recognizer.read([gray])
    assert len(read.chars) == len(FLAT_LINE), read.text
    letters, digits = o_or_zero._reference_heights([gray], [read])
    assert letters is not None and digits is not None
    assert digits > letters  # OCR-B digits stand taller than its capitals
    places = [(0, index) for index in o_or_zero.candidates(read)]
    (settled,) = o_or_zero.settle([gray], [read], places)
    for index, char in enumerate(settled.chars):
        if FLAT_LINE[index] in "O0":
            assert char.symbol == FLAT_LINE[index], (index, settled.text)
