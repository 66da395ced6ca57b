"""Synthetic passport data pages of fictional people, with known ground truth.

The project's own sample passports come from here: a seeded, reproducible generator that
draws a TD3 data page (ICAO 9303-4 layout, OCR-B machine readable zone) with Pillow and
then photographs it badly (blur, JPEG, low resolution, rotation, perspective, glare,
uneven light, noise, a page that fills only part of the frame). Tests and the benchmark
generate as many as they need; a few ship in `data/specimens/` for the demo.

Every person, number and date is random; the names come from short fictional lists.
The OCR-B font is bundled (`data/fonts/OCRB.otf`, public domain, see its licence file);
Debian's `fonts-ocr-b` is used when the bundled copy is missing.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Final, Literal, get_args

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from passport_ocr.mrz import check_digit

Degradation = Literal[
    "blur",
    "jpeg",
    "low_resolution",
    "tilt",
    "rotate90",
    "rotate180",
    "rotate270",
    "perspective",
    "glare",
    "uneven_light",
    "noise",
    "partial_page",
]
DEGRADATIONS: Final[tuple[Degradation, ...]] = get_args(Degradation)
#: A realistic mix for benchmark sets: one or two of these per page, plus JPEG.
_MIXED: Final[tuple[Degradation, ...]] = (
    "blur",
    "low_resolution",
    "tilt",
    "rotate90",
    "rotate180",
    "perspective",
    "glare",
    "uneven_light",
    "noise",
    "partial_page",
)

FONT_DIR: Final = Path(__file__).parent / "data" / "fonts"
SPECIMEN_DIR: Final = Path(__file__).parent / "data" / "specimens"
_FONT_CANDIDATES: Final = (
    FONT_DIR / "OCRB.otf",
    Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf"),
    Path("/usr/share/fonts/truetype/ocr-b/OCRB.ttf"),
)

_SURNAMES: Final = (
    "ERIKSSON", "MUSTERMANN", "SPECIMEN", "STORM", "OKAFOR", "NGUYEN", "HAKIMI", "SILVA",
    "VAN DER BERG", "O BRIEN", "KOWALSKA", "LINDQVIST", "MORAU", "QUINTERO", "ZHANG",
    "WOJCIK", "ABERNATHY", "DUBOIS", "YAMADA", "PETROVA", "GARCIA LOPEZ", "MBEKI", "HOLM",
    "JUNIPER", "WHITTAKER", "KEPLER", "FONTAINE", "OYELARAN", "VASQUEZ", "QUAYLE",
)  # fmt: skip
_GIVEN_NAMES: Final = (
    "ANNA MARIA", "ERIKA", "JOHN", "MEI HUA", "OLIVIA", "BORIS", "ZOE", "QUENTIN", "YUKI",
    "AMARA", "LUDWIG", "SOFIA ELENA", "KWAME", "INGRID", "PABLO", "CHIDI", "FREYA", "OSKAR",
    "HANNA", "XAVIER", "MOHAMMED ALI", "NOOR", "WEN", "IVAN", "BEATRIZ", "OTTO", "JOSEPHINE",
)  # fmt: skip
#: Fictional ICAO specimen states first; a few real codes for variety in layout tests.
_STATES: Final = ("UTO", "UTO", "UTO", "D", "GBR", "FRA", "NLD", "CAN", "NZL", "BRA", "KEN")
_ALNUM: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS: Final = "0123456789"


class SpecimenError(Exception):
    """The generator was asked for something it cannot draw."""


@dataclass(frozen=True)
class Person:
    """The fictional holder and document a page shows."""

    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date
    sex: Literal["M", "F", "X"]
    expiry_date: date
    optional_data: str = ""
    document_code: str = "P"


@dataclass(frozen=True)
class Specimen:
    """One synthetic page: encoded image bytes and the MRZ it truly shows."""

    image: bytes
    image_format: Literal["JPEG", "PNG"]
    mrz_lines: tuple[str, ...]  # empty for a page without an MRZ
    degradations: tuple[Degradation, ...]
    seed: int
    person: Person | None = field(default=None, repr=False)

    def ground_truth(self) -> dict[str, object]:
        """JSON-ready ground truth (the shape of `data/specimens/ground_truth.json`)."""
        return {
            "seed": self.seed,
            "format": "TD3" if self.mrz_lines else None,
            "mrz_lines": list(self.mrz_lines),
            "degradations": list(self.degradations),
        }


# --- the MRZ text --------------------------------------------------------------------


def _mrz_name(text: str) -> str:
    return text.replace(" ", "<").replace("-", "<")


def td3_lines(person: Person) -> tuple[str, str]:
    """The two 44-character TD3 lines for `person`, with every check digit right."""
    name = f"{_mrz_name(person.surname)}<<{_mrz_name(person.given_names)}"
    state = person.issuing_state.ljust(3, "<")
    line1 = f"{person.document_code.ljust(2, '<')}{state}{name}"[:44].ljust(44, "<")
    number = person.document_number.ljust(9, "<")
    birth = person.birth_date.strftime("%y%m%d")
    expiry = person.expiry_date.strftime("%y%m%d")
    optional = person.optional_data.ljust(14, "<")
    optional_check = "<" if not person.optional_data else check_digit(optional)
    nationality = person.nationality.ljust(3, "<")
    line2 = (
        f"{number}{check_digit(number)}{nationality}{birth}{check_digit(birth)}"
        f"{person.sex}{expiry}{check_digit(expiry)}{optional}{optional_check}"
    )
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    return line1, line2 + check_digit(composite)


def random_person(rng: random.Random, *, chinese: bool = False) -> Person:
    """A fictional holder. `chinese`: CHN layout, whose line 2 has no `<` filler run."""
    state = "CHN" if chinese else rng.choice(_STATES)
    number_length = 9 if chinese or rng.random() < 0.7 else rng.randint(7, 8)
    number = "".join(rng.choice(_ALNUM if i < 2 else _DIGITS) for i in range(number_length))
    birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 65))
    expiry = date(2031, 1, 1) + timedelta(days=rng.randint(0, 365 * 8))  # not yet expired
    if chinese:
        # CHN passports fill the whole optional field (an encoded personal number).
        optional = "".join(rng.choice(_LETTERS) for _ in range(13)) + rng.choice(_DIGITS)
    elif rng.random() < 0.35:
        optional = "".join(rng.choice(_ALNUM) for _ in range(rng.randint(5, 12)))
    else:
        optional = ""
    return Person(
        issuing_state=state,
        surname="ZHANG" if chinese else rng.choice(_SURNAMES),
        given_names=rng.choice(("WEI", "MEI HUA", "XIAO LONG"))
        if chinese
        else rng.choice(_GIVEN_NAMES),
        document_number=number,
        nationality=state if rng.random() < 0.9 else rng.choice(_STATES),
        birth_date=birth,
        sex=rng.choice(("M", "F", "F", "M", "X")),
        expiry_date=expiry,
        optional_data=optional,
    )


# --- drawing the page ----------------------------------------------------------------


@lru_cache(maxsize=1)
def ocr_b_path() -> Path:
    """The OCR-B font file: the bundled copy, else a system one."""
    for candidate in _FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise SpecimenError("no OCR-B font found (bundled data/fonts/OCRB.otf is missing)")


@lru_cache(maxsize=32)
def _font(size: int, *, ocr_b: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if ocr_b:
        return ImageFont.truetype(str(ocr_b_path()), size)
    try:
        return ImageFont.load_default(size=size)
    except (OSError, ValueError, ImportError):  # Pillow without FreeType
        return ImageFont.load_default()


PAGE_WIDTH: Final = 1250
PAGE_HEIGHT: Final = 880  # ID-3 size, 125 x 88 mm, at 10 px/mm
_MRZ_FONT_SIZE: Final = 35  # OCR-B advances 0.723 em: 44 characters span 1113 px


def render_page(person: Person | None, rng: random.Random) -> Image.Image:
    """A clean, upright TD3 data page; `person=None` draws a page with no MRZ."""
    paper = tuple(rng.randint(228, 250) for _ in range(3))
    page = Image.new("RGB", (PAGE_WIDTH, PAGE_HEIGHT), paper)
    draw = ImageDraw.Draw(page)
    _draw_guilloche(draw, rng)
    ink = (20, 24, 40)
    label = _font(20, ocr_b=False)
    value = _font(30, ocr_b=False)
    title = _font(40, ocr_b=False)
    state = person.issuing_state if person else "UTO"
    draw.text((60, 36), f"PASSPORT  /  {state}", fill=ink, font=title)
    # The portrait: a grey card with a head-and-shoulders silhouette.
    draw.rectangle((60, 120, 380, 540), fill=(200, 204, 210), outline=(120, 120, 130))
    draw.ellipse((150, 170, 290, 340), fill=(150, 140, 135))
    draw.pieslice((100, 330, 340, 660), 180, 360, fill=(90, 96, 110))
    fields = _visual_fields(person, rng)
    for row, (caption, text) in enumerate(fields):
        x = 430 + (row % 2) * 400 if row >= 2 else 430
        y = 120 + (row if row < 2 else 2 + (row - 2) // 2) * 70
        draw.text((x, y), caption, fill=(70, 80, 110), font=label)
        draw.text((x, y + 24), text, fill=ink, font=value)
    if person is not None:
        # ICAO 9303-3: 10 characters per inch, i.e. 44 characters over 112 mm.
        font = _font(_MRZ_FONT_SIZE, ocr_b=True)
        for index, line in enumerate(td3_lines(person)):
            draw.text((66, 748 + index * 54), line, fill=(10, 10, 14), font=font)
    else:
        draw.text((60, 720), "OBSERVATIONS / NOT A TRAVEL DOCUMENT", fill=ink, font=value)
    return page


def _draw_guilloche(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    """Faint security-print waves: background texture the MRZ locator must ignore."""
    tint = (rng.randint(190, 215), rng.randint(200, 225), rng.randint(200, 230))
    phase = rng.random() * 6.28
    for k in range(0, PAGE_HEIGHT - 240, 26):
        points = [
            (x, k + 12 * float(np.sin(x / 55.0 + phase + k / 90.0)))
            for x in range(0, PAGE_WIDTH, 10)
        ]
        draw.line(points, fill=tint, width=1)


def _visual_fields(person: Person | None, rng: random.Random) -> list[tuple[str, str]]:
    if person is None:
        return [("Holder", "SAMPLE CARD"), ("Notes", "NO MACHINE READABLE ZONE")]
    return [
        ("Surname / Nom", person.surname),
        ("Given names / Prenoms", person.given_names),
        ("Nationality", person.nationality),
        ("Date of birth", person.birth_date.strftime("%d %b %Y").upper()),
        ("Sex", person.sex),
        ("Place of birth", rng.choice(("UTOPIA CITY", "NORTH HARBOUR", "ZENDA"))),
        ("Date of expiry", person.expiry_date.strftime("%d %b %Y").upper()),
        ("Passport No.", person.document_number),
    ]


# --- photographing it badly ----------------------------------------------------------


def degrade(page: Image.Image, steps: Sequence[Degradation], rng: random.Random) -> Image.Image:
    """Apply `steps` in a camera-like order (geometry, then light, then sensor)."""
    image = page
    order = {name: index for index, name in enumerate(DEGRADATIONS)}
    wanted = set(steps)
    if "partial_page" in wanted:
        image = _place_on_background(image, rng, scale=rng.uniform(0.45, 0.7))
    if "perspective" in wanted:
        image = _perspective(image, rng)
    if "tilt" in wanted:
        image = _rotate(image, rng.uniform(-9.0, 9.0), rng)
    for name in sorted(wanted, key=order.__getitem__):
        if name == "rotate90":
            image = image.transpose(Image.Transpose.ROTATE_90)
        elif name == "rotate180":
            image = image.transpose(Image.Transpose.ROTATE_180)
        elif name == "rotate270":
            image = image.transpose(Image.Transpose.ROTATE_270)
    if "uneven_light" in wanted:
        image = _uneven_light(image, rng)
    if "glare" in wanted:
        image = _glare(image, rng)
    if "blur" in wanted:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 2.4)))
    if "low_resolution" in wanted:
        factor = rng.uniform(0.38, 0.55)
        size = (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        image = image.resize(size, Image.Resampling.BILINEAR)
    if "noise" in wanted:
        image = _noise(image, rng)
    return image


def _background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    base = np.array([rng.randint(40, 140) for _ in range(3)], dtype=np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, (size[1], size[0], 1))
    pixels = np.clip(base[None, None, :] + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def _place_on_background(page: Image.Image, rng: random.Random, *, scale: float) -> Image.Image:
    width, height = int(page.width / scale), int(page.height / scale)
    canvas = _background((width, height), rng)
    canvas.paste(
        page,
        (rng.randint(0, width - page.width), rng.randint(0, height - page.height)),
    )
    return canvas


def _rotate(image: Image.Image, angle: float, rng: random.Random) -> Image.Image:
    fill = tuple(rng.randint(40, 140) for _ in range(3))
    return image.rotate(
        angle,
        resample=Image.Resampling.BICUBIC,
        expand=True,
        fillcolor=fill,
    )


def _perspective(image: Image.Image, rng: random.Random) -> Image.Image:
    """A camera held off-axis: each corner moves inwards by up to 9 % of the side."""
    width, height = image.size
    margin_x, margin_y = int(width * 0.12), int(height * 0.12)
    canvas = _background((width + 2 * margin_x, height + 2 * margin_y), rng)
    canvas.paste(image, (margin_x, margin_y))
    w, h = canvas.size

    def jitter(limit: float) -> float:
        return rng.uniform(0, limit)

    src = [
        (margin_x, margin_y),
        (margin_x + width, margin_y),
        (margin_x + width, margin_y + height),
        (margin_x, margin_y + height),
    ]
    dst = [
        (jitter(0.09 * w), jitter(0.09 * h)),
        (w - jitter(0.09 * w), jitter(0.09 * h)),
        (w - jitter(0.09 * w), h - jitter(0.09 * h)),
        (jitter(0.09 * w), h - jitter(0.09 * h)),
    ]
    coefficients = _perspective_coefficients(dst, src)
    fill = tuple(rng.randint(40, 140) for _ in range(3))
    return canvas.transform(
        canvas.size,
        Image.Transform.PERSPECTIVE,
        coefficients,
        Image.Resampling.BICUBIC,
        fillcolor=fill,
    )


def _perspective_coefficients(
    dst: Sequence[tuple[float, float]], src: Sequence[tuple[float, float]]
) -> tuple[float, ...]:
    """Pillow's 8 coefficients mapping output (dst) points back to input (src) points."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend((u, v))
    solution = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs))
    return tuple(float(value) for value in solution)


def _uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    width, height = image.size
    xs = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :]
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    angle = rng.uniform(0, 6.28)
    ramp = np.cos(angle) * xs + np.sin(angle) * ys
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    gain = rng.uniform(0.35, 0.55) + (1.0 - rng.uniform(0.0, 0.1)) * ramp * 0.6
    pixels = np.asarray(image, dtype=np.float32) * np.clip(gain, 0.2, 1.1)[:, :, None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _glare(image: Image.Image, rng: random.Random) -> Image.Image:
    """A soft specular highlight; kept off the very centre of the MRZ so it stays legible."""
    width, height = image.size
    cx, cy = rng.uniform(0.15, 0.85) * width, rng.uniform(0.2, 0.9) * height
    radius = rng.uniform(0.12, 0.25) * max(width, height)
    xs = np.arange(width, dtype=np.float32)[None, :]
    ys = np.arange(height, dtype=np.float32)[:, None]
    spot = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2))
    strength = rng.uniform(0.5, 0.75)
    pixels = np.asarray(image, dtype=np.float32)
    lit = pixels + (255.0 - pixels) * (strength * spot)[:, :, None]
    return Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8), "RGB")


def _noise(image: Image.Image, rng: random.Random) -> Image.Image:
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(6, 14), pixels.shape)
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")


def encode(image: Image.Image, image_format: Literal["JPEG", "PNG"], quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=quality)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# --- the public entry points ---------------------------------------------------------


def generate_specimen(
    seed: int,
    degradations: Sequence[Degradation] = (),
    *,
    jpeg_quality: int | None = None,
    chinese: bool = False,
    with_mrz: bool = True,
) -> Specimen:
    """One page, fully determined by its arguments.

    `jpeg_quality` (e.g. 30) encodes as JPEG at that quality; otherwise a lossless PNG,
    except that the `jpeg` degradation alone means quality 30.
    """
    unknown = set(degradations) - set(DEGRADATIONS)
    if unknown:
        raise SpecimenError(f"unknown degradations: {sorted(unknown)}")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    person = random_person(rng, chinese=chinese) if with_mrz else None
    page = render_page(person, rng)
    image = degrade(page, degradations, rng)
    if jpeg_quality is None and "jpeg" in degradations:
        jpeg_quality = 30
    image_format: Literal["JPEG", "PNG"] = "PNG" if jpeg_quality is None else "JPEG"
    data = encode(image, image_format, quality=jpeg_quality or 90)
    lines = td3_lines(person) if person is not None else ()
    return Specimen(data, image_format, lines, tuple(degradations), seed, person)


def degraded_set(count: int, seed: int = 2024) -> list[Specimen]:
    """A benchmark set: one to three degradations per page, every page JPEG-encoded.

    One page in ten is a Chinese-layout page (line 2 without a filler run).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    specimens: list[Specimen] = []
    for index in range(count):
        picks: list[Degradation] = rng.sample(list(_MIXED), k=rng.randint(1, 3))
        if "rotate90" in picks and "rotate180" in picks:
            picks.remove("rotate90")
        quality = rng.choice((30, 45, 60, 80))
        specimens.append(
            generate_specimen(
                seed * 1000 + index,
                picks,
                jpeg_quality=quality,
                chinese=index % 10 == 9,
            )
        )
    return specimens


def character_accuracy(expected: Sequence[str], found: Sequence[str]) -> float:
    """1 - normalised edit distance over all lines (1.0: identical)."""
    truth, read = "\n".join(expected), "\n".join(found)
    if not truth:
        return 1.0 if not read else 0.0
    previous = list(range(len(read) + 1))
    for i, a in enumerate(truth, start=1):
        current = [i]
        for j, b in enumerate(read, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return max(0.0, 1.0 - previous[-1] / len(truth))


def write_demo_set(folder: Path = SPECIMEN_DIR) -> list[Path]:
    """Regenerate the demo pages shipped in `data/specimens/` (kept under 150 KB each)."""
    plan: list[tuple[str, int, tuple[Degradation, ...], bool, bool]] = [
        ("clean-page", 11, (), False, True),
        ("tilted-photo", 12, ("partial_page", "tilt", "uneven_light"), False, True),
        ("upside-down", 13, ("rotate180", "blur"), False, True),
        ("chn-layout", 14, ("perspective",), True, True),
        ("no-mrz", 15, (), False, False),
    ]
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, object] = {
        "description": "Synthetic pages of fictional people from passport_ocr.tools.specimens.",
        "images": [],
    }
    written: list[Path] = []
    for name, seed, steps, chinese, with_mrz in plan:
        specimen = generate_specimen(
            seed, steps, jpeg_quality=70, chinese=chinese, with_mrz=with_mrz
        )
        path = folder / f"{name}.jpg"
        path.write_bytes(_shrink(specimen.image))
        images = truth["images"]
        assert isinstance(images, list)
        images.append({"file": path.name, **specimen.ground_truth()})
        written.append(path)
    (folder / "ground_truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    return written


def _shrink(data: bytes, limit: int = 150_000) -> bytes:
    """Re-encode (lower quality, then smaller) until the file is under `limit` bytes."""
    quality, scale = 70, 1.0
    while len(data) > limit and scale > 0.3:
        if quality > 50:
            quality -= 10
        else:
            scale *= 0.8
        with Image.open(io.BytesIO(data)) as image:
            size = (round(image.width * scale), round(image.height * scale))
            data = encode(image.resize(size, Image.Resampling.LANCZOS), "JPEG", quality=quality)
    return data
