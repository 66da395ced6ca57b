"""The offline engine cuts the holder's portrait from the page by where the MRZ lies.

Generated pages put the portrait card in the left column above the MRZ, as ICAO 9303-4
places it; the card's grey is counted in the cut to prove the window found it, upright,
turned a quarter, upside down and tilted. (The real photos in ../shared are checked by eye
in the README's figures, not here: they are not in the project.)
"""

from __future__ import annotations

import io

import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("cv2")

import numpy as np
from PIL import Image

from passport_ocr.tools.ocr.engine import MrzEngine
from passport_ocr.tools.ocr.locate import LineBox
from passport_ocr.tools.ocr.portrait import WINDOWS, cut_portrait, reading_frame
from passport_ocr.tools.specimens import Degradation, generate_specimen

#: The generator's portrait card (specimens.render_page).
CARD_GREY = np.array([200, 204, 210])


@pytest.fixture(scope="module")
def engine() -> MrzEngine:
    return MrzEngine()


def card_share(jpeg: bytes) -> float:
    """How much of the picture is the portrait card's grey."""
    pixels = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.int16)
    close = np.all(np.abs(pixels - CARD_GREY) <= 24, axis=-1)
    return float(close.mean())


@pytest.mark.parametrize(
    "degradations",
    [(), ("rotate180",), ("rotate90",), ("tilt",), ("perspective",)],
    ids=lambda d: "+".join(d) or "upright",
)
def test_the_portrait_is_cut_from_the_column_above_the_mrz(
    engine: MrzEngine, degradations: tuple[Degradation, ...]
) -> None:
    page = generate_specimen(31, degradations)

    result = engine.read(page.image, portrait=True)

    assert result.reading is not None and result.reading.valid
    assert result.portrait is not None
    picture = Image.open(io.BytesIO(result.portrait))
    assert picture.format == "JPEG" and picture.height > picture.width  # upright, portrait-shaped
    # The card's grey (32 x 42 mm less the silhouette) is about 0.31 of the window (measured
    # 0.27-0.32 over these pages); a window 1 cm off the card loses most of it.
    assert card_share(result.portrait) > 0.22


def test_no_portrait_is_cut_unless_asked(engine: MrzEngine) -> None:
    result = engine.read(generate_specimen(31).image)
    assert result.portrait is None
    assert len(result.boxes) == 2  # where the lines lie is known either way


def boxes_at(top: float, *, length: float = 880.0, gap: float = 40.0) -> tuple[LineBox, ...]:
    """Two 44-character lines, upright, the first one's centre at (500, top)."""
    return (
        LineBox(cx=500, cy=top, length=length, thickness=20, angle=0),
        LineBox(cx=500, cy=top + gap, length=length, thickness=20, angle=0),
    )


def test_the_reading_frame_follows_the_order_the_lines_were_read_in() -> None:
    upright = boxes_at(700)
    origin, along, down, length = reading_frame(upright)
    assert np.allclose(origin, (60, 690)) and np.allclose(along, (1, 0))
    assert np.allclose(down, (0, 1)) and length == 880
    # Read upside down, the same boxes come last line first: the frame turns a half.
    origin, along, down, _ = reading_frame(upright[::-1])
    assert np.allclose(along, (-1, 0)) and np.allclose(down, (0, -1))
    assert np.allclose(origin, (940, 750))


def test_a_window_mostly_outside_the_photo_gives_no_portrait() -> None:
    photo = np.full((800, 1000, 3), 230, np.uint8)
    # The MRZ near the photo's top edge: the portrait column above it is not in the photo.
    assert cut_portrait(photo, boxes_at(120), "TD3") is None
    assert cut_portrait(photo, boxes_at(700), "TD3") is not None


def test_td1_cards_have_no_portrait_beside_their_mrz() -> None:
    photo = np.full((800, 1000, 3), 230, np.uint8)
    three = (*boxes_at(600, length=600), LineBox(500, 680, 600, 20, 0))
    assert "TD1" not in WINDOWS
    assert cut_portrait(photo, three, "TD1") is None
