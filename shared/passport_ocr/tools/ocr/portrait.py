"""The holder's portrait, cut from the page by where its MRZ lies.

The MRZ is the one part of a data page whose size is fixed to the millimetre: OCR-B at ten
characters per 25.4 mm (ICAO 9303-3, "character pitch"), 44 characters a line on TD3 and
MRV-A, 36 on TD2 and MRV-B. The line's length in pixels therefore gives the page's scale
and its direction, and the portrait sits at a known side of it: in the left-hand column,
above the MRZ, no larger than 45 x 35 mm (ICAO 9303-4 and -6, portrait zone). The window
cut here is that column, measured in character pitches from the top-left corner of the
MRZ's first line, to the page's edge on the left and a little wider than the largest
portrait on the right; where issuers place the picture inside the column varies, so the
window is generous rather than tight.

TD1 cards carry their MRZ on the back, the portrait on the front: nothing to cut.

A window mostly outside the photo (the page cut off at its top or left) gives no portrait:
a picture of the photo's edge would be worse than none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import cv2
import numpy as np
import numpy.typing as npt

from passport_ocr.tools.ocr.locate import LineBox

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Window:
    """The portrait column in character pitches from the first MRZ line's top-left corner:
    along the line (left, right) and across it, negative above (top, bottom)."""

    chars: int  # characters per MRZ line
    left: float
    right: float
    top: float
    bottom: float


# TD3 (125 x 88 mm): 49.2 x 34.6 pitches, a 44-pitch line centred (2.6 to each edge),
# the first line's top about 28 pitches under the page's top edge.
_TD3: Final = Window(chars=44, left=-2.6, right=15.0, top=-25.0, bottom=-0.6)
# TD2 (105 x 74 mm): 41.3 x 29.1 pitches, a 36-pitch line, the top about 24 pitches up.
_TD2: Final = Window(chars=36, left=-2.6, right=15.0, top=-21.0, bottom=-0.6)
WINDOWS: Final[Mapping[str, Window]] = {"TD3": _TD3, "MRVA": _TD3, "TD2": _TD2, "MRVB": _TD2}

#: Less of the window than this inside the photo: no portrait.
MIN_INSIDE: Final = 0.6
#: The cut picture's longest side at most (enough for a reviewer, small to store).
MAX_SIDE: Final = 640
JPEG_QUALITY: Final = 90


def reading_frame(boxes: Sequence[LineBox]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Origin (top-left of the first line), unit vectors along and down the lines, and the
    line length in pixels, in the photo's coordinates.

    A box's angle says the lines' direction up to a half turn; which way is "down" comes
    from the order the lines were read in (first to last), so an upside-down page gets its
    frame turned with it.
    """
    first, last = boxes[0], boxes[-1]
    radians = math.radians(first.angle)
    along = np.array([math.cos(radians), math.sin(radians)])
    down = np.array([-math.sin(radians), math.cos(radians)])
    step = np.array([last.cx - first.cx, last.cy - first.cy])
    if float(step @ down) < 0:
        along, down = -along, -down
    centre = np.array([first.cx, first.cy])
    origin = centre - along * first.length / 2 - down * first.thickness / 2
    return origin, along, down, first.length


def window_corners(boxes: Sequence[LineBox], window: Window) -> npt.NDArray[np.float32]:
    """Top-left, top-right and bottom-left corners of the window in the photo."""
    origin, along, down, length = reading_frame(boxes)
    pitch = length / window.chars

    def at(across: float, up_down: float) -> np.ndarray:
        return origin + along * across * pitch + down * up_down * pitch

    corners = [
        at(window.left, window.top),
        at(window.right, window.top),
        at(window.left, window.bottom),
    ]
    return np.array(corners, dtype=np.float32)


def cut_portrait(image: Image, boxes: Sequence[LineBox], mrz_format: str) -> bytes | None:
    """The portrait window of the page as JPEG bytes, upright; None when the format has no
    portrait beside its MRZ or the window lies mostly outside the photo."""
    window = WINDOWS.get(mrz_format)
    if window is None or len(boxes) < 2 or boxes[0].length <= 0:
        return None
    corners = window_corners(boxes, window)
    width = float(np.linalg.norm(corners[1] - corners[0]))
    height = float(np.linalg.norm(corners[2] - corners[0]))
    scale = min(1.0, MAX_SIDE / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    target = np.array([[0, 0], [size[0], 0], [0, size[1]]], dtype=np.float32)
    transform = cv2.getAffineTransform(corners, target)
    inside = cv2.warpAffine(np.full(image.shape[:2], 255, np.uint8), transform, size)
    if float(inside.mean()) / 255 < MIN_INSIDE:
        return None
    picture = cv2.warpAffine(
        image,
        transform,
        size,
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(255, 255, 255),
    )
    encoded, jpeg = cv2.imencode(".jpg", picture, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return jpeg.tobytes() if encoded else None
