"""Pictures of a read, for people: the MRZ outlined, characters coloured by confidence.

From the offline engine's answer (`geometry`: the MRZ outline and every character's box
in the decoded photo; `lines[*].char_confidences`; `substitutions`) and the record's own
repairs (`mrz.substitutions`), Pillow draws on the photo the engine read:

- the MRZ outlined in blue;
- each character's box filled in the colour of its confidence (`CONFIDENCE_SCALE`);
- each repaired character outlined in magenta, with a label `read X`: what the reader
  saw before the repair;
- a legend strip below the photo.

`mrz_crop` cuts the MRZ out upright (whatever the page's turn) and draws the same marks
on it: the report's picture of a row. Vendors' answers carry no character positions:
`marks_from` gives None for them, and callers say so instead of drawing.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from PIL import Image, ImageDraw, ImageFont, ImageOps

from passport_ocr.tools.ocr.placement import Point, Quad, bounds, scaled

#: The bundled OCR-B (see `specimens`): the labels need Pillow only, not the engine.
OCR_B: Final = Path(__file__).with_name("data") / "fonts" / "OCRB.otf"

RGB = tuple[int, int, int]
Box = tuple[float, float, float, float]  # left, top, right, bottom
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

#: Lowest confidence of each colour band, highest band first, with its legend label.
CONFIDENCE_SCALE: Final[tuple[tuple[float, str, RGB], ...]] = (
    (0.95, ">= 0.95", (34, 160, 70)),
    (0.80, "0.80-0.95", (225, 190, 0)),
    (0.50, "0.50-0.80", (245, 125, 0)),
    (0.0, "< 0.50", (220, 30, 30)),
)
OUTLINE_COLOUR: Final[RGB] = (0, 100, 255)
REPAIR_COLOUR: Final[RGB] = (200, 0, 200)
#: Opacity of a character's fill: the glyph under it stays readable.
FILL_ALPHA: Final = 80
#: The longest side of a whole-photo picture (a 2600 px photo as PNG is ~10 MB).
PHOTO_MAX_SIDE: Final = 1600
#: The report's MRZ crop: this wide, with a margin of this many character heights.
CROP_WIDTH: Final = 900
CROP_MARGIN: Final = 0.6


@dataclass(frozen=True)
class CharMark:
    """One character as the picture shows it."""

    quad: Quad
    confidence: float
    read_as: str | None = None  # what the reader saw, when the character was repaired


@dataclass(frozen=True)
class Marks:
    """Everything drawn on one photo, in the coordinates of the decoded photo."""

    image_size: tuple[int, int]
    outline: Quad
    chars: tuple[CharMark, ...]

    def scaled_to(self, size: tuple[int, int]) -> Marks:
        """The marks on a copy of the photo `size` big (same aspect)."""
        factor = size[0] / self.image_size[0] if self.image_size[0] else 1.0
        return Marks(
            image_size=size,
            outline=scaled(self.outline, factor),
            chars=tuple(
                CharMark(scaled(char.quad, factor), char.confidence, char.read_as)
                for char in self.chars
            ),
        )


def _quad(value: Any) -> Quad | None:
    try:
        points = [(float(x), float(y)) for x, y in value]
    except (TypeError, ValueError):
        return None
    if len(points) != 4:
        return None
    return (points[0], points[1], points[2], points[3])


def read_as(
    answer: Mapping[str, Any], record: Mapping[str, Any] | None
) -> dict[tuple[int, int], str]:
    """(line, position) -> the character first read there, for every repaired character:
    the engine's own repairs (`substitutions`, before its answer) and then validation's
    (`mrz.substitutions`, on the engine's answer). The earliest reading wins."""
    found: dict[tuple[int, int], str] = {}
    mrz = (record or {}).get("mrz") or {}
    for source in (mrz.get("substitutions") or [], answer.get("substitutions") or []):
        for change in source:
            if not isinstance(change, Mapping) or change.get("reason") == "length":
                continue
            try:
                place = (int(change["line"]), int(change["position"]))
            except (KeyError, TypeError, ValueError):
                continue
            found[place] = str(change.get("original", ""))  # the engine's overwrite the record's
    return found


def marks_from(answer: Mapping[str, Any], record: Mapping[str, Any] | None = None) -> Marks | None:
    """The marks for one offline-engine answer; None when it has no geometry (a vendor's
    answer, or no MRZ found)."""
    geometry = answer.get("geometry")
    if not isinstance(geometry, Mapping):
        return None
    outline = _quad(geometry.get("outline"))
    size = geometry.get("image_size")
    if outline is None or not isinstance(size, list) or len(size) != 2:
        return None
    repaired = read_as(answer, record)
    lines = answer.get("lines") or []
    chars: list[CharMark] = []
    for line_index, quads in enumerate(geometry.get("chars") or []):
        line = lines[line_index] if line_index < len(lines) else {}
        confidences = line.get("char_confidences") or []
        for position, value in enumerate(quads):
            quad = _quad(value)
            if quad is None:
                continue
            confidence = float(confidences[position]) if position < len(confidences) else 0.0
            chars.append(CharMark(quad, confidence, repaired.get((line_index, position))))
    return Marks((int(size[0]), int(size[1])), outline, tuple(chars))


def band_colour(confidence: float) -> RGB:
    """The colour of a confidence on `CONFIDENCE_SCALE`."""
    for floor, _, colour in CONFIDENCE_SCALE:
        if confidence >= floor:
            return colour
    return CONFIDENCE_SCALE[-1][2]


def open_photo(data: bytes) -> Image.Image:
    """The photo upright (EXIF orientation applied, as the engine decodes it), in RGB."""
    with Image.open(io.BytesIO(data)) as opened:
        upright = ImageOps.exif_transpose(opened)  # a new image, loaded, upright
    return upright if upright.mode == "RGB" else upright.convert("RGB")


def shrink(image: Image.Image, max_side: int) -> Image.Image:
    """`image` no longer than `max_side` on either side: never enlarged, and no copy when
    already small enough (callers draw on copies). Reduced in whole steps first
    (`reducing_gap`), then filtered: a few ms for a 12 MP photo."""
    factor = max_side / max(image.size)
    if factor >= 1:
        return image
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


@lru_cache(maxsize=16)
def _font(size: int) -> Font:
    """OCR-B: the MRZ's own type, in which O and 0, I and 1 look apart."""
    try:
        return ImageFont.truetype(str(OCR_B), size)
    except (OSError, ImportError):  # no font file or no FreeType: Pillow's own font
        return ImageFont.load_default()


def _legend_font(size: int) -> Font:
    try:
        return ImageFont.load_default(size=size)
    except (OSError, ValueError, ImportError):  # Pillow without FreeType
        return ImageFont.load_default()


def _char_height(marks: Marks) -> float:
    if not marks.chars:
        return 12.0
    (ax, ay), _, _, (dx, dy) = marks.chars[0].quad
    return math.hypot(dx - ax, dy - ay)


def draw_marks(image: Image.Image, marks: Marks) -> Image.Image:
    """A copy of `image` (the size `marks` are in) with the outline, boxes and labels."""
    base = image.convert("RGBA")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    height = _char_height(marks)
    line_width = max(1, round(height / 12))
    for char in marks.chars:
        colour = band_colour(char.confidence)
        draw.polygon(char.quad, fill=(*colour, FILL_ALPHA), outline=(*colour, 255))
    draw.polygon(marks.outline, outline=(*OUTLINE_COLOUR, 255), width=max(2, 2 * line_width))
    font = _font(max(9, round(height * 0.7)))
    taken: list[Box] = []
    for char in marks.chars:
        if char.read_as is None:
            continue
        draw.polygon(char.quad, outline=(*REPAIR_COLOUR, 255), width=max(2, 2 * line_width))
        _label(draw, char.quad, f"read {char.read_as or '?'}", font, taken)
    return Image.alpha_composite(base, overlay).convert("RGB")


def label_box(quad: Quad, size: tuple[float, float], taken: Sequence[Box]) -> Box:
    """Where a label `size` (width, height) goes: centred just above the character, raised
    past labels already placed (neighbouring repairs), never above the picture's top."""
    width, height = size
    left, top, right, _ = bounds([quad])
    x = max(0.0, (left + right) / 2 - width / 2)
    y = top - height - 4
    box = (x, y, x + width, y + height)
    while any(_overlap(box, other) for other in taken) and box[1] > 0:
        box = (box[0], box[1] - height - 2, box[2], box[3] - height - 2)
    if box[1] < 0:  # no room above: stack from the top
        box = (box[0], 0.0, box[2], height)
    return box


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label(draw: ImageDraw.ImageDraw, quad: Quad, text: str, font: Font, taken: list[Box]) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    box = label_box(quad, (right - left + 4, bottom - top + 4), taken)
    taken.append(box)
    draw.rectangle(box, fill=(255, 255, 255, 235))
    draw.text((box[0] + 2 - left, box[1] + 2 - top), text, font=font, fill=(*REPAIR_COLOUR, 255))


def with_legend(image: Image.Image, note: str | None = None) -> Image.Image:
    """`image` above a strip explaining the colours (and `note`, e.g. "no MRZ found")."""
    size = max(12, image.width // 70)
    font = _legend_font(size)
    strip = Image.new("RGB", (image.width, round(size * 2.4)), (255, 255, 255))
    draw = ImageDraw.Draw(strip)
    x, y = size // 2, round(size * 0.7)
    entries: list[tuple[RGB, str]] = [(colour, label) for _, label, colour in CONFIDENCE_SCALE]
    entries += [(REPAIR_COLOUR, "repaired (read X)"), (OUTLINE_COLOUR, "MRZ")]
    draw.text((x, y), "confidence:", font=font, fill=(0, 0, 0))
    x += round(draw.textlength("confidence: ", font=font))
    for colour, label in entries:
        draw.rectangle((x, y, x + size, y + size), fill=colour)
        x += size + size // 3
        draw.text((x, y), label, font=font, fill=(0, 0, 0))
        x += round(draw.textlength(label, font=font)) + size
    if note:
        draw.text((x, y), note, font=font, fill=(200, 0, 0))
    out = Image.new("RGB", (image.width, image.height + strip.height), (255, 255, 255))
    out.paste(image, (0, 0))
    out.paste(strip, (0, image.height))
    return out


def annotated_photo(
    photo: Image.Image, marks: Marks | None, *, max_side: int = PHOTO_MAX_SIDE
) -> Image.Image:
    """The whole photo, at most `max_side`, marked, with the legend (no marks: a note)."""
    small = shrink(photo, max_side)
    if marks is None:
        return with_legend(small, "no MRZ found")
    return with_legend(draw_marks(small, marks.scaled_to(small.size)))


def upright_turn(marks: Marks) -> int:
    """Degrees (0, 90, 180 or 270, counter-clockwise, as `Image.rotate` takes them) that
    turn the photo so its MRZ reads left to right: from the direction of the outline's top
    edge as read (y grows downwards, so a line running down the photo is at +90)."""
    (ax, ay), (bx, by), *_ = marks.outline
    direction = math.degrees(math.atan2(by - ay, bx - ax))
    return round(direction / 90) % 4 * 90


def _unit(a: Point, b: Point) -> Point:
    length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    return ((b[0] - a[0]) / length, (b[1] - a[1]) / length)


def mrz_crop(photo: Image.Image, marks: Marks, *, width: int = CROP_WIDTH) -> Image.Image:
    """The MRZ cut out upright (as read, whatever the page's turn), `width` wide, marked.

    An affine map from the outline's top-left corner along its top edge and across it;
    the marks go through the same map, so labels read upright on the crop too."""
    on_photo = marks.scaled_to(photo.size)
    top_left, top_right, *_ = on_photo.outline
    along = _unit(top_left, top_right)
    across = (-along[1], along[0])  # downwards as the MRZ reads

    def project(point: Point) -> Point:
        dx, dy = point[0] - top_left[0], point[1] - top_left[1]
        return (dx * along[0] + dy * along[1], dx * across[0] + dy * across[1])

    corners = [project(point) for point in on_photo.outline]
    margin = CROP_MARGIN * _char_height(on_photo)
    left, top, right, bottom = bounds([(corners[0], corners[1], corners[2], corners[3])])
    # Room above for two rows of `read X` labels (neighbouring repairs stack).
    left, top, right, bottom = left - margin, top - 3 * margin, right + margin, bottom + margin
    factor = width / max(right - left, 1.0)
    height = max(1, round((bottom - top) * factor))
    origin = (
        top_left[0] + left * along[0] + top * across[0],
        top_left[1] + left * along[1] + top * across[1],
    )
    # Output pixel (x, y) takes the photo's pixel origin + x/factor along + y/factor across.
    matrix = (
        along[0] / factor,
        across[0] / factor,
        origin[0],
        along[1] / factor,
        across[1] / factor,
        origin[1],
    )
    crop = photo.transform(
        (width, height),
        Image.Transform.AFFINE,
        matrix,
        Image.Resampling.BILINEAR,
        fillcolor=(255, 255, 255),  # beyond the photo's edge: blank, not black
    )

    def to_crop(point: Point) -> Point:
        x, y = project(point)
        return ((x - left) * factor, (y - top) * factor)

    def quad_to_crop(quad: Quad) -> Quad:
        a, b, c, d = (to_crop(point) for point in quad)
        return (a, b, c, d)

    upright = Marks(
        image_size=(width, height),
        outline=quad_to_crop(on_photo.outline),
        chars=tuple(
            CharMark(quad_to_crop(char.quad), char.confidence, char.read_as)
            for char in on_photo.chars
        ),
    )
    return draw_marks(crop, upright)


def encoded(image: Image.Image, image_format: str = "PNG", **options: Any) -> bytes:
    """`image` as file bytes (PNG by default; JPEG for photos in a page)."""
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def repaired_count(marks: Marks | None) -> int:
    return 0 if marks is None else sum(char.read_as is not None for char in marks.chars)


def low_confidence_count(marks: Marks | None, floor: float = CONFIDENCE_SCALE[1][0]) -> int:
    """Characters below `floor` (default: the band under the top one)."""
    return 0 if marks is None else sum(char.confidence < floor for char in marks.chars)


__all__ = [
    "CONFIDENCE_SCALE",
    "CharMark",
    "Marks",
    "annotated_photo",
    "band_colour",
    "draw_marks",
    "encoded",
    "marks_from",
    "mrz_crop",
    "open_photo",
    "read_as",
    "upright_turn",
]
