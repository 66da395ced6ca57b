"""The OpenCV line locator: broken lines joined, one MRZ's lines cut over one span."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("cv2")
import cv2
from PIL import Image, ImageDraw, ImageFont

from passport_ocr.tools.ocr.locate import (
    LineBox,
    _group,
    _with_cut_variants,
    common_extent,
    find_line_groups,
    ink_gray,
    level,
    merge_fragments,
    quarter_turn,
    quarter_turn_back,
)
from passport_ocr.tools.specimens import ocr_b_path

LINE_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _ends(box: LineBox) -> tuple[float, float]:
    """Left and right x of a near-horizontal box."""
    return box.cx - box.length / 2, box.cx + box.length / 2


def test_pieces_of_one_line_are_joined() -> None:
    left = LineBox(300, 100, 400, 20.0, 0.0)  # x 100..500
    right = LineBox(740, 101, 400, 18.0, 0.5)  # x 540..940: a 40 px gap, 2 thicknesses
    (joined,) = merge_fragments([left, right])
    assert _ends(joined) == pytest.approx((100, 940), abs=1.0)
    assert 100 <= joined.cy <= 101
    assert joined.thickness == 20.0


def test_lines_apart_or_far_along_stay_apart() -> None:
    upper = LineBox(500, 100, 800, 20.0, 0.0)
    lower = LineBox(500, 140, 800, 20.0, 0.0)  # the next line: two thicknesses below
    far = LineBox(1500, 100, 400, 20.0, 0.0)  # same line, but 300 px (15 thicknesses) on
    steep = LineBox(1000, 100, 300, 20.0, 12.0)  # crossing at another angle
    assert sorted(merge_fragments([upper, lower, far, steep]), key=lambda b: b.cx) == sorted(
        [upper, lower, far, steep], key=lambda b: b.cx
    )


def test_three_pieces_chain_into_one_line() -> None:
    pieces = [LineBox(150, 50, 200, 20.0, 0.0), LineBox(400, 50, 250, 20.0, 0.0)]
    pieces.append(LineBox(650, 51, 200, 20.0, 0.0))
    (joined,) = merge_fragments(pieces)
    assert _ends(joined) == pytest.approx((50, 750), abs=1.0)


def test_lines_of_one_mrz_are_cut_over_their_common_span() -> None:
    short = LineBox(600, 100, 700, 20.0, 0.0)  # lost its left part: x 250..950
    full = LineBox(500, 150, 900, 22.0, 0.0)  # x 50..950
    widened = common_extent([short, full])
    assert [_ends(box) for box in widened] == [pytest.approx((50, 950))] * 2
    assert [box.cy for box in widened] == [100, 150]  # still where each line is
    assert [box.thickness for box in widened] == [20.0, 22.0]
    assert common_extent([short]) == [short]


def test_common_span_follows_a_tilted_line() -> None:
    angle = 10.0
    theta = np.radians(angle)
    along = np.array([np.cos(theta), np.sin(theta)])
    across = np.array([-np.sin(theta), np.cos(theta)])
    full = LineBox(500, 300, 800, 20.0, angle)
    below = np.array([500, 300]) + 40 * across  # where the next line's centre belongs
    shifted = below + 100 * along  # the next line, missing 200 px at its start
    short = LineBox(float(shifted[0]), float(shifted[1]), 600, 20.0, angle)
    first, second = common_extent([full, short])
    assert (first.cx, first.cy, first.length) == pytest.approx((full.cx, full.cy, full.length))
    # The short line grew back along its own direction, not sideways.
    assert (second.cx, second.cy, second.length) == pytest.approx((*below, 800))


@settings(max_examples=100, deadline=None)
@given(
    cx=st.floats(0, 2000),
    cy=st.floats(0, 2000),
    angle=st.floats(-89.9, 89.9),
    width=st.integers(2001, 4000),
)
def test_quarter_turn_is_undone_by_quarter_turn_back(
    cx: float, cy: float, angle: float, width: int
) -> None:
    box = LineBox(cx, cy, 300.0, 20.0, angle)
    there = quarter_turn(box, width)
    assert -90.0 <= there.angle < 90.0
    back = quarter_turn_back(there, width)
    assert (back.cx, back.cy, back.length, back.thickness) == pytest.approx(
        (box.cx, box.cy, box.length, box.thickness)
    )
    turn = (back.angle - box.angle) % 180.0
    assert min(turn, 180.0 - turn) == pytest.approx(0.0, abs=1e-9)  # one direction, either way


def _two_line_mrz(gap_after: int, gap_chars: int) -> np.ndarray:
    """Two OCR-B lines; the first broken by a blank run (glare, a worn filler run)."""
    font = ImageFont.truetype(str(ocr_b_path()), 35)
    image = Image.new("L", (1250, 400), 240)
    draw = ImageDraw.Draw(image)
    pitch = font.getlength("<")
    draw.text((66, 150), LINE_1[:gap_after], fill=15, font=font)
    restart = gap_after + gap_chars
    draw.text((66 + restart * pitch, 150), LINE_1[restart:], fill=15, font=font)
    draw.text((66, 204), LINE_2, fill=15, font=font)
    return np.asarray(image, dtype=np.uint8)


def test_a_broken_mrz_line_is_found_whole_and_paired() -> None:
    gray = _two_line_mrz(gap_after=20, gap_chars=2)
    groups = find_line_groups(gray)
    assert groups and len(groups[0].lines) == 2
    top, bottom = groups[0].lines
    assert top.cy < bottom.cy
    # The top line spans both of its pieces: about as long as the unbroken line.
    assert top.length == pytest.approx(bottom.length, rel=0.05)


def test_a_line_that_lost_its_filler_run_still_pairs_with_its_neighbour() -> None:
    """Issue 14, a page held ~26 degrees askew: line 1's filler run faded, so it measured
    0.66 of line 2 (under the 0.75 of similar lines), and its centre lay *above* line 2's
    in the photo although it is the lower line across their direction. Both start at
    the MRZ's one margin (ICAO 9303-3): that pairs them, in the right order."""
    theta = np.radians(-26.0)
    ux, uy, vx, vy = np.cos(theta), np.sin(theta), -np.sin(theta), np.cos(theta)
    start = np.array([100.0, 800.0])  # the common left margin
    upper_centre = start + 140.0 * np.array([ux, uy])  # a short line: 280 long
    lower_centre = start + 25.0 * np.array([vx, vy]) + 211.0 * np.array([ux, uy])  # 422 long
    upper = LineBox(*upper_centre, 280.0, 16.0, -26.0)
    lower = LineBox(*lower_centre, 422.0, 17.0, -26.0)
    assert lower.cy < upper.cy  # in the photo the lower line's centre is higher
    (first, *_) = _group([lower, upper], 1000)
    assert first.lines == (upper, lower)


def test_lines_of_unlike_length_that_share_no_end_stay_apart() -> None:
    upper = LineBox(500, 100, 400, 16.0, 0.0)  # x 300..700
    lower = LineBox(500, 130, 250, 16.0, 0.0)  # x 375..625, centred under it
    assert all(len(group.lines) == 1 for group in _group([upper, lower], 1000))


def test_lines_of_unlike_thickness_are_no_mrz_pair() -> None:
    """MRZ lines share one type size; a heading three times as thick above a line of
    small print (a page turned a quarter, its columns seen as lines) is not chained, while
    lines 1.3x apart (a line of many fillers measures thinner) still are."""
    heading = LineBox(500, 100, 800, 27.0, 0.0)
    small_print = LineBox(500, 160, 800, 8.0, 0.0)
    assert all(len(group.lines) == 1 for group in _group([heading, small_print], 1000))
    fillers = LineBox(500, 150, 800, 27.0 / 1.3, 0.0)
    assert _group([heading, fillers], 1000)[0].lines == (heading, fillers)


@pytest.mark.parametrize("angle", [-28.0, -12.0, 9.0, 25.0])
def test_boxes_found_on_the_levelled_photo_map_back(angle: float) -> None:
    """A line drawn at `angle` lies level in `level`'s image, and maps back to itself."""
    image = np.full((900, 1200), 235, dtype=np.uint8)
    box = LineBox(600.0, 450.0, 700.0, 30.0, angle)
    cv2.fillPoly(image, [box.corners().astype(np.int32)], 10)
    levelled, to_photo = level(image, angle)
    rows = np.where((levelled < 128).sum(axis=1) > 0.9 * 700)[0]
    assert 25 <= len(rows) <= 32  # level: the dark band is ~30 rows high, fully spanned
    ys, xs = np.where(levelled < 128)
    found = to_photo(LineBox(float(xs.mean()), float(ys.mean()), 700.0, 30.0, 0.0))
    assert (found.cx, found.cy, found.angle) == pytest.approx((600.0, 450.0, angle), abs=1.0)


def _stamped_mrz() -> np.ndarray:
    """Two black OCR-B lines under a large red SPECIMEN stamp that bridges them (BGR)."""
    font = ImageFont.truetype(str(ocr_b_path()), 35)
    page = Image.new("RGB", (1250, 400), (240, 236, 232))
    draw = ImageDraw.Draw(page)
    draw.text((66, 150), LINE_1, fill=(15, 15, 15), font=font)
    draw.text((66, 204), LINE_2, fill=(15, 15, 15), font=font)
    stamp = Image.new("RGBA", page.size, (0, 0, 0, 0))
    word = ImageFont.truetype(str(ocr_b_path()), 110)
    ImageDraw.Draw(stamp).text((560, 130), "SPECIMEN", fill=(200, 30, 40, 150), font=word)
    page = Image.alpha_composite(page.convert("RGBA"), stamp).convert("RGB")
    return np.asarray(page, dtype=np.uint8)[:, :, ::-1].copy()


def test_a_red_stamp_drops_out_of_the_ink_view() -> None:
    """Issue 14: a red stamp across the MRZ, dark enough in gray to bridge its lines;
    in each pixel's brightest channel it is light, and the two lines are found."""
    photo = _stamped_mrz()
    assert cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY)[180, 700] < 150  # the stamp, in gray
    assert ink_gray(photo)[180, 700] > 200  # ... and in the ink view
    assert all(len(group.lines) < 2 for group in find_line_groups(photo))
    groups = find_line_groups(ink_gray(photo))
    assert groups and len(groups[0].lines) == 2
    assert all(line.length > 1000 for line in groups[0].lines)


def _joined_lines(gap_at: float) -> tuple[list[LineBox], dict[LineBox, tuple[LineBox, ...]]]:
    """Two lines each joined from a long piece (x 100..900) and a short one past a gap at
    `gap_at`..`gap_at + 40` (a receipt's rows beside a card, or glare's break)."""
    lines: list[LineBox] = []
    pieces_of: dict[LineBox, tuple[LineBox, ...]] = {}
    for cy in (100.0, 150.0):
        long_piece = LineBox((100 + gap_at) / 2, cy, gap_at - 100, 20.0, 0.0)
        short_piece = LineBox((gap_at + 40 + 1100) / 2, cy, 1060 - gap_at, 16.0, 0.0)
        (joined,) = merge_fragments([long_piece, short_piece])
        lines.append(joined)
        pieces_of[joined] = (long_piece, short_piece)
    return lines, pieces_of


def test_text_past_the_documents_edge_is_cut_off_the_mrz_lines() -> None:
    """Issue 14, a card on a desk beside a receipt: the receipt's rows, one gap past the
    card's edge, join the MRZ lines as fragments would; the lines cut at the gap they
    share, to their longer side, are tried right after the whole lines."""
    lines, pieces_of = _joined_lines(gap_at=900)
    groups = _with_cut_variants(_group(lines, 1200), pieces_of)
    first, second = groups[0], groups[1]
    assert first.lines == tuple(lines)
    assert [_ends(line) for line in second.lines] == [pytest.approx((100, 900), abs=1.0)] * 2


def test_lines_broken_at_different_places_are_not_cut() -> None:
    """A gap in one line only (a break in its filler run): the lines stay whole."""
    upper, upper_pieces = _joined_lines(gap_at=900)
    lower, lower_pieces = _joined_lines(gap_at=500)  # the lower line broken elsewhere
    pieces_of = {upper[0]: upper_pieces[upper[0]], lower[1]: lower_pieces[lower[1]]}
    groups = _with_cut_variants(_group([upper[0], lower[1]], 1200), pieces_of)
    assert groups[0].lines == (upper[0], lower[1])


def test_of_three_lines_the_two_that_line_up_at_both_ends_go_first() -> None:
    """Issue 14, a card lying on a printed page: a page line below the card, chained on
    as a third line, would widen the MRZ's crops over the page; the two MRZ lines, which
    start and end together (ICAO 9303-3), are tried before the three."""
    upper = LineBox(600, 100, 900, 24.0, 0.0)  # x 150..1050
    middle = LineBox(600, 150, 900, 24.0, 0.0)
    page = LineBox(450, 240, 900, 28.0, 0.0)  # x 0..900: out of line at both ends
    groups = _with_cut_variants(_group([upper, middle, page], 1200), {})
    three = next(index for index, group in enumerate(groups) if len(group.lines) == 3)
    pair = groups.index(next(g for g in groups if g.lines == (upper, middle)))
    assert pair < three
    aligned = LineBox(600, 240, 900, 24.0, 0.0)  # a true third line: no pair goes first
    groups = _with_cut_variants(_group([upper, middle, aligned], 1200), {})
    assert len(groups[0].lines) == 3


def test_a_third_line_that_lost_its_filler_run_keeps_its_group_first() -> None:
    """A line out of line at one end only still starts at the margin (a faded filler
    run): no pair is read before the three."""
    upper = LineBox(600, 100, 900, 24.0, 0.0)  # x 150..1050
    middle = LineBox(600, 150, 900, 24.0, 0.0)
    faded = LineBox(500, 200, 700, 24.0, 0.0)  # x 150..850
    ranked = _group([upper, middle, faded], 1200)
    assert _with_cut_variants(ranked, {}) == ranked
