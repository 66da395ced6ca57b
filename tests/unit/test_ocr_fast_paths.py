"""The offline engine's shortcuts give what the long way gives.

Each shortcut was added for speed (see bench/local_engine.py --profile); these tests
hold it to the result of the plain computation it replaces.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

cv2 = pytest.importorskip("cv2")
PIL_Image = pytest.importorskip("PIL.Image")

from passport_ocr.tools.ocr.engine import (  # noqa: E402 - after the importorskip guards
    MAX_SIDE,
    MIN_DECODED_SIDE,
    UnreadableImageError,
    decode_image,
    stored_longest_side,
)
from passport_ocr.tools.ocr.locate import (  # noqa: E402
    crop_line,
    find_line_groups,
    percentile_u8,
    quarter_turn_back,
    to_gray,
)
from passport_ocr.tools.specimens import generate_specimen  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(
    image=arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40))),
    q=st.floats(0.0, 100.0),
)
def test_histogram_percentile_equals_numpy(image: np.ndarray, q: float) -> None:
    assert percentile_u8(image, q) == pytest.approx(float(np.percentile(image, q)), abs=1e-9)


def test_lines_found_turned_are_cut_from_the_photo_as_it_is() -> None:
    page = generate_specimen(7, ("rotate90",))
    image = decode_image(page.image)
    turned = np.ascontiguousarray(np.rot90(image))
    groups = find_line_groups(to_gray(turned))
    assert groups, "the turned page has MRZ lines"
    for box in groups[0].lines:
        expected = crop_line(turned, box).astype(np.int16)
        found = crop_line(image, quarter_turn_back(box, turned.shape[0])).astype(np.int16)
        assert found.shape == expected.shape
        assert int(np.abs(found - expected).max()) <= 1  # bilinear rounding only


def _jpeg(size: tuple[int, int], *, orientation: int | None = None) -> bytes:
    image = PIL_Image.new("RGB", size, (250, 250, 250))
    image.paste((0, 0, 0), (0, 0, size[0] // 10, size[1] // 10))  # a dark top-left corner
    exif = PIL_Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    ("size", "longest"),
    [
        ((4032, 3024), 2016),  # decoded at 1/2: not below MIN_DECODED_SIDE
        ((6000, 4000), MAX_SIDE),  # 1/2 is 3000: shrunk to MAX_SIDE after decoding
        ((1600, 1200), 1600),  # small enough: decoded as it is
    ],
)
def test_large_photos_decode_at_a_fraction_within_the_bounds(
    size: tuple[int, int], longest: int
) -> None:
    pixels = decode_image(_jpeg(size))
    assert max(pixels.shape[:2]) == longest
    assert min(MIN_DECODED_SIDE, max(size)) <= max(pixels.shape[:2]) <= MAX_SIDE
    assert pixels.shape[1] > pixels.shape[0]  # landscape stays landscape


def test_reduced_decoding_still_applies_exif_orientation() -> None:
    # Orientation 6: the camera was turned, the photo must be turned 90 clockwise.
    pixels = decode_image(_jpeg((6000, 2000), orientation=6))
    assert pixels.shape[0] > pixels.shape[1]
    dark = np.argwhere(pixels[:, :, 0] < 60)
    assert dark[:, 0].min() == 0  # the dark corner is now top-right
    assert dark[:, 1].max() == pixels.shape[1] - 1


def test_header_size_and_unreadable_bytes() -> None:
    assert stored_longest_side(_jpeg((640, 480))) == 640
    assert stored_longest_side(b"not an image") is None
    with pytest.raises(UnreadableImageError):
        decode_image(b"not an image")
