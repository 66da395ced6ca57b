"""Synthetic photos with what real specimen photos have and clean pages lack (issue 14).

`passport_ocr.tools.specimens` draws a TD3 page and photographs it mildly; the engine
became exact on those and still missed real photos it had never seen. This module draws
the other documents (TD1 and TD2 cards, MRV-A and MRV-B visas, pages of prose with no MRZ)
and the real photos' troubles: a SPECIMEN stamp or watermark across line 1 and the filler
runs, a coloured overlay band, a phone screenshot (status bar, app bars, the page tilted
about 20 degrees), glare spots, dim exposure, small scans 300-600 px wide, a hand-held
skew of up to 30 degrees with perspective, a card on a coloured or textured background
among clutter; and the field contents real MRZs trip on (a run of seven nines, NLD,
letters and digits that look alike in check-digit fields).

Every photo is fully determined by its kind and seed (same bytes), and carries its ground
truth: the MRZ lines (empty when the page has none) and the format.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final, Literal, get_args

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from passport_ocr.mrz import check_digit
from passport_ocr.tools import specimens
from passport_ocr.tools.specimens import Person, encode, random_person, td3_lines

Kind = Literal[
    "stamp",
    "watermark",
    "overlay",
    "screenshot",
    "glare_spots",
    "dim",
    "small_scan",
    "handheld",
    "card_on_background",
    "td1",
    "td2",
    "visa_a",
    "visa_b",
    "repeated_nines",
    "state_lookalike",
    "check_lookalikes",
    "prose",
]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
Format = Literal["TD1", "TD2", "TD3", "MRVA", "MRVB"]

#: The failure class of issue 14 each kind stands for (the bench groups by it).
FAILURE_CLASS: Final[dict[Kind, str]] = {
    "stamp": "location+fillers",
    "watermark": "fillers",
    "overlay": "location",
    "screenshot": "location",
    "glare_spots": "location",
    "dim": "fillers",
    "small_scan": "location",
    "handheld": "location",
    "card_on_background": "location",
    "td1": "formats",
    "td2": "formats",
    "visa_a": "formats",
    "visa_b": "formats",
    "repeated_nines": "repeated glyphs",
    "state_lookalike": "state codes",
    "check_lookalikes": "look-alikes",
    "prose": "prose",
}

#: ICAO 9303-3 prints 10 characters per inch: at the generator's 10 px/mm, 25.4 px each,
#: which OCR-B at 35 px advances (0.723 em), whatever the document size.
_MRZ_FONT: Final = 35
#: Document sizes in px at 10 px/mm (ICAO 9303-4..7: ID-3 125x88, ID-2 105x74, ID-1
#: 85.6x54 mm; MRV-A 80x120 mm is printed landscape on a page, MRV-B 74x105).
_SIZES: Final[dict[Format, tuple[int, int]]] = {
    "TD3": (1250, 880),
    "TD2": (1050, 740),
    "TD1": (856, 540),
    "MRVA": (1200, 800),
    "MRVB": (1050, 740),
}
_LINE_PITCH: Final[dict[Format, int]] = {
    "TD3": 54,
    "TD2": 50,
    "TD1": 46,
    "MRVA": 54,
    "MRVB": 50,
}
_PROSE: Final = (
    "THE HOLDER OF THIS PAGE IS REQUESTED TO",
    "Please read the conditions overleaf before you travel.",
    "ALL CHANGES MUST BE MADE BY THE ISSUING",
    "Keep this document in a safe place at all times.",
    "The bearer may enter the territory < for 90 days",
    "NOTES: 12 OCT 2024 - FEE PAID 45.00 EUR",
    "This page is intentionally left blank.",
    "REFER TO ARTICLE 7 OF THE REGULATION (EU)",
    "Observations / Observaciones / Remarques",
    "VALID FOR ALL COUNTRIES EXCEPT THOSE LISTED",
)


@dataclass(frozen=True)
class Drawn:
    """A clean document and where its MRZ lies (x0, y0, x1, y1; None without one)."""

    image: Image.Image
    mrz_box: tuple[int, int, int, int] | None
    line_pitch: int


@dataclass(frozen=True)
class Photo:
    """One synthetic photo with its ground truth."""

    kind: Kind
    seed: int
    image: bytes
    image_format: Literal["JPEG", "PNG"]
    mrz_lines: tuple[str, ...]  # empty: the page has no MRZ
    mrz_format: Format | None

    @property
    def failure_class(self) -> str:
        return FAILURE_CLASS[self.kind]

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.seed}"

    def ground_truth(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "seed": self.seed,
            "format": self.mrz_format,
            "mrz_lines": list(self.mrz_lines),
        }


# --- the MRZ text of the other documents (ICAO 9303-5, -6, -7, §4.2 of each) --------------


def _name_field(person: Person, length: int) -> str:
    text = f"{_mrz_text(person.surname)}<<{_mrz_text(person.given_names)}"
    return text[:length].ljust(length, "<")


def _mrz_text(text: str) -> str:
    return text.replace(" ", "<").replace("-", "<")


def td1_lines(person: Person) -> tuple[str, str, str]:
    """The three 30-character lines of an ID-1 card (9303-5 §4.2.2), check digits right."""
    number = person.document_number.ljust(9, "<")
    line1 = (
        f"{person.document_code.ljust(2, '<')}{person.issuing_state.ljust(3, '<')}"
        f"{number}{check_digit(number)}{person.optional_data.ljust(15, '<')}"
    )
    birth = person.birth_date.strftime("%y%m%d")
    expiry = person.expiry_date.strftime("%y%m%d")
    upper = f"{birth}{check_digit(birth)}{person.sex}{expiry}{check_digit(expiry)}"
    optional_2 = "".ljust(11, "<")
    composite = check_digit(line1[5:30] + upper[0:7] + upper[8:15] + optional_2)
    line2 = f"{upper}{person.nationality.ljust(3, '<')}{optional_2}{composite}"
    return line1, line2, _name_field(person, 30)


def two_line_lines(person: Person, fmt: Format) -> tuple[str, str]:
    """TD2 (36, composite check), MRV-A (44) or MRV-B (36, no composite): 9303-6/-7 §4.2."""
    if fmt == "TD3":
        return td3_lines(person)
    length = 44 if fmt == "MRVA" else 36
    line1 = (
        f"{person.document_code.ljust(2, '<')}{person.issuing_state.ljust(3, '<')}"
        f"{_name_field(person, length - 5)}"
    )
    number = person.document_number.ljust(9, "<")
    birth = person.birth_date.strftime("%y%m%d")
    expiry = person.expiry_date.strftime("%y%m%d")
    body = (
        f"{number}{check_digit(number)}{person.nationality.ljust(3, '<')}"
        f"{birth}{check_digit(birth)}{person.sex}{expiry}{check_digit(expiry)}"
    )
    if fmt == "TD2":
        line2 = body + person.optional_data.ljust(7, "<")
        composite = line2[0:10] + line2[13:20] + line2[21:35]
        return line1, line2 + check_digit(composite)
    return line1, body + person.optional_data.ljust(length - 28, "<")


def mrz_lines(person: Person, fmt: Format) -> tuple[str, ...]:
    return td1_lines(person) if fmt == "TD1" else two_line_lines(person, fmt)


# --- people for each document and troublesome content --------------------------------


_CARD_CODES: Final = ("ID", "I<", "AC", "IR", "C<")
_VISA_CODES: Final = ("V<", "VA", "VC")


def person_for(fmt: Format, rng: random.Random) -> Person:
    """A fictional holder whose fields fit `fmt` (codes, optional data lengths)."""
    person = random_person(rng)
    if fmt == "TD3":
        return person
    code = rng.choice(_VISA_CODES if fmt.startswith("MRV") else _CARD_CODES)
    optional_limit = {"TD1": 15, "TD2": 7, "MRVA": 16, "MRVB": 8}[fmt]
    optional = person.optional_data[:optional_limit]
    if fmt.startswith("MRV"):
        # A visa is valid for months, not years; its optional data has no check digit.
        expiry = date(2027, 1, 1) + timedelta(days=rng.randint(0, 700))
        person = replace(person, expiry_date=expiry)
    return replace(person, document_code=code, optional_data=optional)


def _repeated_nines(person: Person, rng: random.Random) -> Person:
    """A run of seven nines, once read as six (the document number or optional data)."""
    if rng.random() < 0.5:
        return replace(person, document_number=rng.choice("ABCDEFGH") + "9999999" + "1")
    return replace(person, optional_data="9999999" + str(rng.randint(10, 99)))


def _nld(person: Person, rng: random.Random) -> Person:
    """NLD, once read NLO: the D/O look-alike in a state code (no check digit)."""
    del rng
    return replace(person, issuing_state="NLD", nationality="NLD")


#: Pairs that look alike in OCR-B and are both allowed where a check digit guards them.
_LOOKALIKE_POOL: Final = "0O1I5S8B2Z6G"


def _check_lookalikes(person: Person, rng: random.Random) -> Person:
    number = "".join(rng.choice(_LOOKALIKE_POOL) for _ in range(8)) + rng.choice("0123456789")
    optional = "".join(rng.choice(_LOOKALIKE_POOL) for _ in range(6))
    return replace(person, document_number=number, optional_data=optional)


# --- drawing documents ---------------------------------------------------------------


def render_document(
    person: Person | None, fmt: Format, rng: random.Random, *, prose: bool = False
) -> Drawn:
    """A clean, upright document of `fmt`'s size; its MRZ at the foot, OCR-B at 10 cpi."""
    width, height = _SIZES[fmt]
    if fmt == "TD3" and not prose:
        page = specimens.render_page(person, rng)
        if person is None:
            return Drawn(page, None, _LINE_PITCH["TD3"])
        # Where `specimens.render_page` draws the two lines (x 66, y 748 + 54 per line).
        return Drawn(page, (66, 748, 66 + 1113, 748 + 54 + 40), _LINE_PITCH["TD3"])
    paper = tuple(rng.randint(226, 250) for _ in range(3))
    page = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(page)
    _waves(draw, (width, height), rng)
    ink = (20, 24, 40)
    title = {"TD1": "IDENTITY CARD", "TD2": "IDENTITY CARD", "MRVA": "VISA", "MRVB": "VISA"}
    state = person.issuing_state if person else "UTO"
    draw.text((40, 24), f"{title.get(fmt, 'PASSPORT')} / {state}", fill=ink, font=_sans(34))
    if prose:
        return _prose_page(page, rng)
    draw.rectangle((40, 90, 40 + width // 4, 90 + height // 2), fill=(200, 204, 210))
    fields = _fields(person)
    for row, (caption, value) in enumerate(fields[: (height // 2) // 58]):
        x, y = 80 + width // 4, 90 + row * 58
        draw.text((x, y), caption, fill=(70, 80, 110), font=_sans(16))
        draw.text((x, y + 20), value, fill=ink, font=_sans(26))
    if person is None:
        return Drawn(page, None, _LINE_PITCH[fmt])
    lines = mrz_lines(person, fmt)
    pitch = _LINE_PITCH[fmt]
    font = specimens._font(_MRZ_FONT, ocr_b=True)
    x0 = max(12, (width - round(25.3 * len(lines[0]))) // 2)
    y0 = height - 34 - pitch * len(lines)
    for index, line in enumerate(lines):
        draw.text((x0, y0 + index * pitch), line, fill=(10, 10, 14), font=font)
    box = (x0, y0, x0 + round(25.3 * len(lines[0])), y0 + pitch * (len(lines) - 1) + 40)
    return Drawn(page, box, pitch)


def _prose_page(page: Image.Image, rng: random.Random) -> Drawn:
    """Lines of prose of MRZ length, some in OCR-B: text that is not an MRZ."""
    draw = ImageDraw.Draw(page)
    ocr_b = rng.random() < 0.5
    font = specimens._font(30 if ocr_b else 32, ocr_b=ocr_b)
    y = 100
    while y < page.height - 60:
        text = rng.choice(_PROSE)
        draw.text((40, y), text.upper() if ocr_b else text, fill=(15, 15, 25), font=font)
        y += rng.choice((46, 52, 60))
    return Drawn(page, None, 52)


def _sans(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return specimens._font(size, ocr_b=False)


def _waves(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> None:
    tint = (rng.randint(190, 215), rng.randint(200, 225), rng.randint(200, 230))
    phase = rng.random() * 6.28
    for k in range(0, size[1] - 200, 24):
        points = [
            (x, k + 10 * math.sin(x / 50.0 + phase + k / 80.0)) for x in range(0, size[0], 10)
        ]
        draw.line(points, fill=tint, width=1)


def _fields(person: Person | None) -> list[tuple[str, str]]:
    if person is None:
        return [("Notes", "NO MACHINE READABLE ZONE")]
    return [
        ("Surname", person.surname),
        ("Given names", person.given_names),
        ("Nationality", person.nationality),
        ("Date of birth", person.birth_date.strftime("%d %m %Y")),
        ("Document No.", person.document_number),
        ("Date of expiry", person.expiry_date.strftime("%d %m %Y")),
    ]


# --- what real photos do to a document -----------------------------------------------


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.randint(0, 2**31))


def _blend(base: Image.Image, layer: Image.Image) -> Image.Image:
    """`layer` (RGBA) composited over `base` (RGB)."""
    return Image.alpha_composite(base.convert("RGBA"), layer).convert("RGB")


def stamp(drawn: Drawn, rng: random.Random, *, word: str = "SPECIMEN") -> Image.Image:
    """A semi-transparent red stamp whose word crosses line 1 and the filler runs."""
    page = drawn.image
    x0, y0, x1, _ = drawn.mrz_box or (0, page.height * 2 // 3, page.width, page.height)
    size = round(drawn.line_pitch * rng.uniform(1.6, 2.4))
    font = _sans(size)
    left, top, right, bottom = font.getbbox(word)
    text = Image.new("RGBA", (int(right) + 20, int(bottom) + 20), (0, 0, 0, 0))
    colour = (rng.randint(170, 220), rng.randint(10, 50), rng.randint(20, 60))
    alpha = rng.randint(110, 160)
    ImageDraw.Draw(text).text((10 - left, 10 - top), word, fill=(*colour, alpha), font=font)
    text = text.rotate(rng.uniform(-18, 18), resample=Image.Resampling.BICUBIC, expand=True)
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    # Centred between lines 1 and 2, over the right half where the filler runs are.
    cx = round(x0 + (x1 - x0) * rng.uniform(0.45, 0.75))
    cy = round(y0 + drawn.line_pitch * rng.uniform(0.3, 0.8))
    layer.paste(text, (cx - text.width // 2, cy - text.height // 2), text)
    return _blend(page, layer)


def watermark(drawn: Drawn, rng: random.Random) -> Image.Image:
    """A pale repeated diagonal SPECIMEN print over the whole page, the MRZ included."""
    page = drawn.image
    font = _sans(round(drawn.line_pitch * rng.uniform(1.0, 1.5)))
    tile = Image.new("RGBA", (page.width * 2, page.height * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    colour = rng.choice(((120, 130, 200), (200, 90, 90), (110, 110, 110)))
    alpha = rng.randint(70, 110)
    step_y = round(drawn.line_pitch * rng.uniform(2.0, 3.0))
    for row, y in enumerate(range(0, tile.height, step_y)):
        offset = (row % 2) * 150
        draw.text((offset, y), "SPECIMEN   " * 12, fill=(*colour, alpha), font=font)
    tile = tile.rotate(rng.uniform(15, 35), resample=Image.Resampling.BICUBIC)
    left, top = page.width // 2, page.height // 2
    return _blend(page, tile.crop((left, top, left + page.width, top + page.height)))


def overlay(drawn: Drawn, rng: random.Random) -> Image.Image:
    """A translucent coloured band (a security film, a highlighter) across line 1."""
    page = drawn.image
    _, y0, _, _ = drawn.mrz_box or (0, page.height * 2 // 3, 0, 0)
    layer = Image.new("RGBA", page.size, (0, 0, 0, 0))
    hue = rng.choice(((255, 140, 0), (0, 170, 255), (255, 60, 160), (120, 220, 40)))
    top = y0 - round(drawn.line_pitch * rng.uniform(0.3, 1.2))
    bottom = y0 + round(drawn.line_pitch * rng.uniform(0.8, 1.6))
    ImageDraw.Draw(layer).rectangle((0, top, page.width, bottom), fill=(*hue, rng.randint(80, 130)))
    return _blend(page, layer.filter(ImageFilter.GaussianBlur(4)))


def rotate_on(
    image: Image.Image, angle: float, fill: tuple[int, int, int]
) -> tuple[Image.Image, Image.Image]:
    """`image` turned by `angle` degrees (expanded) and the mask of where it lies."""
    mask = Image.new("L", image.size, 255).rotate(angle, expand=True)
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    return turned, mask


def screenshot(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone screenshot: status bar, app bar, the page tilted ~20 degrees, a tab bar."""
    width, height = 1080, rng.choice((1920, 2340))
    dark = rng.random() < 0.5
    background = (18, 18, 20) if dark else (242, 242, 246)
    screen = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(screen)
    bar = (0, 0, 0) if dark else (255, 255, 255)
    text = (235, 235, 235) if dark else (20, 20, 20)
    draw.rectangle((0, 0, width, 80), fill=bar)
    draw.text((40, 18), f"{rng.randint(7, 22)}:{rng.randint(0, 59):02d}", fill=text, font=_sans(40))
    for index in range(3):  # signal, wifi, battery
        draw.rectangle((860 + index * 60, 26, 900 + index * 60, 56), outline=text, width=3)
    accent = rng.choice(((33, 150, 243), (76, 175, 80), (156, 39, 176), (255, 87, 34)))
    draw.rectangle((0, 80, width, 230), fill=accent)
    draw.text((140, 120), rng.choice(("Photos", "Scan", "Documents")), fill="white", font=_sans(56))
    draw.polygon(((40, 155), (90, 115), (90, 195)), fill="white")
    draw.rectangle((0, height - 170, width, height), fill=bar)
    for index in range(4):
        cx = 135 + index * 270
        draw.ellipse((cx - 36, height - 120, cx + 36, height - 48), outline=text, width=5)
    angle = rng.choice((-1, 1)) * rng.uniform(15, 25)
    turned, mask = rotate_on(image.convert("RGB"), angle, background)
    scale = min(width * rng.uniform(0.85, 0.98) / turned.width, (height - 500) / turned.height)
    size = (round(turned.width * scale), round(turned.height * scale))
    turned = turned.resize(size, Image.Resampling.LANCZOS)
    mask = mask.resize(size, Image.Resampling.BILINEAR)
    x = (width - size[0]) // 2
    y = 230 + (height - 400 - size[1]) // 2
    screen.paste(turned, (x, y), mask)
    # Screen furniture drawn over the page edge, as a viewer app's toolbar is.
    draw.rectangle((0, 230, width, 300), fill=accent)
    return screen


def glare_spots(
    image: Image.Image, rng: random.Random, mrz_box: Sequence[int] | None
) -> Image.Image:
    """One to three bright elliptical highlights, one of them on the MRZ, none blinding."""
    width, height = image.size
    pixels = np.asarray(image, dtype=np.float32)
    xs = np.arange(width, dtype=np.float32)[None, :]
    ys = np.arange(height, dtype=np.float32)[:, None]
    light = np.zeros((height, width), dtype=np.float32)
    for index in range(rng.randint(1, 3)):
        if index == 0 and mrz_box is not None:
            cx = rng.uniform(mrz_box[0], mrz_box[2])
            cy = rng.uniform(mrz_box[1], mrz_box[3])
            strength = rng.uniform(0.4, 0.6)  # the ink stays darker than the paper
        else:
            cx, cy = rng.uniform(0, width), rng.uniform(0, height)
            strength = rng.uniform(0.6, 0.95)
        rx = rng.uniform(0.06, 0.2) * width
        ry = rx * rng.uniform(0.35, 0.8)
        theta = rng.uniform(0, math.pi)
        u = (xs - cx) * math.cos(theta) + (ys - cy) * math.sin(theta)
        v = -(xs - cx) * math.sin(theta) + (ys - cy) * math.cos(theta)
        spot = strength * np.exp(-((u / rx) ** 2 + (v / ry) ** 2))
        light = np.maximum(light, spot.astype(np.float32))
    lit = pixels + (255.0 - pixels) * light[:, :, None]
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8), "RGB")


def dim(image: Image.Image, rng: random.Random) -> Image.Image:
    """Under-exposed: gamma and contrast down, sensor noise up, then 512 px wide."""
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    pixels = pixels ** rng.uniform(1.5, 2.2)
    contrast = rng.uniform(0.45, 0.65)
    pixels = 0.08 + (pixels - 0.5) * contrast + 0.5 * contrast
    noise = _np_rng(rng).normal(0, rng.uniform(0.015, 0.03), pixels.shape)
    dimmed = Image.fromarray((np.clip(pixels + noise, 0, 1) * 255).astype(np.uint8), "RGB")
    return _to_width(dimmed, 512)


def _to_width(image: Image.Image, width: int) -> Image.Image:
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def small_scan(image: Image.Image, rng: random.Random) -> Image.Image:
    """A scan or thumbnail 300-600 px wide (characters 6-12 px across)."""
    return _to_width(image, rng.randint(300, 600))


def handheld(image: Image.Image, rng: random.Random) -> Image.Image:
    """Held in the hand: turned by up to 30 degrees, seen off-axis, on a dark surround."""
    skewed = specimens._perspective(image, rng)
    angle = rng.choice((-1, 1)) * rng.uniform(12, 30)
    fill = tuple(rng.randint(30, 110) for _ in range(3))
    turned, _ = rotate_on(skewed, angle, (fill[0], fill[1], fill[2]))
    return turned


def _texture(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A coloured cloth, a wood grain or a plain saturated desk."""
    width, height = size
    base = np.array(
        rng.choice(((40, 90, 160), (170, 60, 50), (60, 130, 70), (150, 110, 70), (90, 70, 130))),
        dtype=np.float32,
    )
    noise = _np_rng(rng).normal(0, 10, (height, width, 1))
    ys = np.arange(height, dtype=np.float32)[:, None, None]
    xs = np.arange(width, dtype=np.float32)[None, :, None]
    grain = 18 * np.sin(ys / rng.uniform(6, 18) + 3 * np.sin(xs / rng.uniform(80, 200)))
    pixels = base[None, None, :] + noise + (grain if rng.random() < 0.5 else 0)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def card_on_background(image: Image.Image, rng: random.Random) -> Image.Image:
    """The document small on a coloured or textured desk, among clutter."""
    width, height = rng.choice(((1600, 1200), (1400, 1050), (1200, 1600)))
    canvas = _texture((width, height), rng)
    draw = ImageDraw.Draw(canvas)
    for _ in range(rng.randint(3, 7)):  # keys, receipts, a pen, a coin
        shape = rng.random()
        x, y = rng.randint(0, width), rng.randint(0, height)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        if shape < 0.3:
            draw.ellipse((x, y, x + rng.randint(40, 120), y + rng.randint(40, 120)), fill=colour)
        elif shape < 0.6:
            draw.line((x, y, x + rng.randint(-300, 300), y + rng.randint(-80, 80)), fill=colour,
                      width=rng.randint(4, 14))  # fmt: skip
        else:
            w, h = rng.randint(150, 400), rng.randint(200, 500)
            draw.rectangle((x, y, x + w, y + h), fill=(236, 236, 230))
            for row in range(y + 20, y + h - 20, 26):
                draw.text((x + 14, row), "ITEM  1  x  4.50", fill=(60, 60, 60), font=_sans(18))
    scale = rng.uniform(0.4, 0.6) * width / image.width
    small = image.resize(
        (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
    )
    turned, mask = rotate_on(small, rng.uniform(-10, 10), (0, 0, 0))
    x = rng.randint(0, max(0, width - turned.width))
    y = rng.randint(0, max(0, height - turned.height))
    canvas.paste(turned, (x, y), mask)
    return canvas


def _photo_finish(image: Image.Image, rng: random.Random) -> Image.Image:
    """What any camera adds: a little blur and noise (JPEG comes at encoding)."""
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    pixels = np.asarray(image, dtype=np.float32)
    noise = _np_rng(rng).normal(0, rng.uniform(2, 5), pixels.shape)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


# --- the public entry points ---------------------------------------------------------

_FORMAT_OF_KIND: Final[dict[Kind, Format]] = {
    "td1": "TD1",
    "td2": "TD2",
    "visa_a": "MRVA",
    "visa_b": "MRVB",
}
_CONTENT: Final[dict[Kind, Callable[[Person, random.Random], Person]]] = {
    "repeated_nines": _repeated_nines,
    "state_lookalike": _nld,
    "check_lookalikes": _check_lookalikes,
}


def _format_for(kind: Kind, rng: random.Random) -> Format:
    if kind in _FORMAT_OF_KIND:
        return _FORMAT_OF_KIND[kind]
    if kind == "card_on_background":
        return "TD1"  # the real photos' small card on a coloured cloth
    if kind in {"stamp", "watermark", "overlay", "glare_spots", "small_scan"}:
        return rng.choice(("TD3", "TD3", "TD1", "TD2"))
    return "TD3"


def generate_photo(kind: Kind, seed: int) -> Photo:
    """One photo of `kind`, fully determined by `(kind, seed)`."""
    if kind not in KINDS:
        raise specimens.SpecimenError(f"unknown kind: {kind!r}")
    rng = random.Random(f"{kind}/{seed}")  # noqa: S311 - reproducible test data
    fmt = _format_for(kind, rng)
    person: Person | None = None
    if kind != "prose":
        person = person_for(fmt, rng)
        if kind in _CONTENT:
            person = _CONTENT[kind](person, rng)
    drawn = render_document(person, fmt, rng, prose=kind == "prose")
    image = _apply(kind, drawn, rng)
    quality = rng.choice((55, 70, 85))
    lines = mrz_lines(person, fmt) if person is not None else ()
    return Photo(
        kind=kind,
        seed=seed,
        image=encode(image, "JPEG", quality=quality),
        image_format="JPEG",
        mrz_lines=lines,
        mrz_format=fmt if person is not None else None,
    )


def _apply(kind: Kind, drawn: Drawn, rng: random.Random) -> Image.Image:
    page = drawn.image
    if kind == "stamp":
        page = stamp(drawn, rng)
    elif kind == "watermark":
        page = watermark(drawn, rng)
    elif kind == "overlay":
        page = overlay(drawn, rng)
    elif kind == "glare_spots":
        # A small hand-held photo: slightly turned, then the highlights, then shrunk.
        page = glare_spots(page, rng, drawn.mrz_box)
        page = _to_width(specimens._rotate(page, rng.uniform(-6, 6), rng), rng.randint(640, 900))
    elif kind == "screenshot":
        page = screenshot(page, rng)
    elif kind == "dim":
        page = dim(page, rng)
    elif kind == "small_scan":
        page = small_scan(page, rng)
    elif kind == "handheld":
        page = handheld(page, rng)
    elif kind == "card_on_background":
        page = card_on_background(page, rng)
    else:  # formats and contents: an ordinary phone photo, slightly turned
        page = specimens._rotate(page, rng.uniform(-5, 5), rng)
    return _photo_finish(page, rng)


def realistic_set(seed: int, per_kind: int, kinds: Sequence[Kind] = KINDS) -> Iterator[Photo]:
    """`per_kind` photos of each kind, seeded: the benchmark's degraded set."""
    for kind in kinds:
        for index in range(per_kind):
            yield generate_photo(kind, seed * 1000 + index)
