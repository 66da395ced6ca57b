"""Synthetic French national identity cards (1988-2021 model) of fictional people.

The card's front as the offline engine sees it: a portrait, a few printed fields and the
2x36 machine readable zone in the card's own layout (`passport_ocr.mrz.french_id`, not
ICAO), drawn in OCR-B with Pillow, then photographed badly with the passport generator's
own degradations (`specimens.degrade`). The card is 105 x 74 mm (Wikipedia, "Carte
nationale d'identité en France": 10.5 x 7.5 cm), drawn at 10 px/mm; its zone at 10
characters per inch like an ICAO one. Every person, number and date is random.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal

from PIL import Image, ImageDraw

from passport_ocr.mrz import check_digit, french_id
from passport_ocr.mrz.checkdigits import FILLER
from passport_ocr.tools.specimens import (
    DEGRADATIONS,
    Degradation,
    SpecimenError,
    degrade,
    encode,
)
from passport_ocr.tools.specimens import _font as font  # the passport pages' own fonts

CARD_WIDTH: Final = 1050
CARD_HEIGHT: Final = 740
#: OCR-B at 35 px advances 25.3 px a character: 36 characters span 911 px (10 per inch).
_MRZ_FONT_SIZE: Final = 35

_SURNAMES: Final = ("MARTIN", "LEROUX", "FONTAINE", "MOREL", "GIRARD", "DE LA TOUR", "BLANC")
_GIVEN_NAMES: Final = ("CAMILLE", "LOUIS", "JEANNE", "HUGO", "MARIE CLAIRE", "ELOISE", "THEO")
#: Departments as the zone writes them: numbers, a Corsican code, a consulate's letters.
_DEPARTMENTS: Final = ("923", "750", "2A1", "069", "GVA", "131", "2B0")


@dataclass(frozen=True)
class FrenchCard:
    """The fictional holder and card a specimen shows."""

    surname: str
    given_names: tuple[str, ...]
    issued: date  # only its year and month are in the zone
    department: str  # 3 characters
    sequence: str  # 5 digits
    birth_date: date
    sex: Literal["M", "F"]
    office: str = ""  # the administrative code ending line 1, up to 6 characters


@dataclass(frozen=True)
class FrenchIdSpecimen:
    """One synthetic card photo: encoded image bytes and the zone it truly shows."""

    image: bytes
    image_format: Literal["JPEG", "PNG"]
    mrz_lines: tuple[str, str]
    degradations: tuple[Degradation, ...]
    seed: int
    card: FrenchCard = field(repr=False)

    def ground_truth(self) -> dict[str, object]:
        return {
            "seed": self.seed,
            "format": french_id.FORMAT.value,
            "mrz_lines": list(self.mrz_lines),
            "degradations": list(self.degradations),
        }


def _field(text: str, length: int) -> str:
    return text.replace(" ", FILLER).replace("-", FILLER)[:length].ljust(length, FILLER)


def french_id_lines(card: FrenchCard) -> tuple[str, str]:
    """The card's two lines, every check digit right (`french_id` has the layout)."""
    spans = french_id.SPANS
    surname = spans["surname"]
    line1 = (
        french_id.PREFIX
        + _field(card.surname, surname.end - surname.start)
        + _field(card.office, spans["office"].end - spans["office"].start)
    )
    number = card.issued.strftime("%y%m") + card.department + card.sequence
    given = spans["given_names"]
    names = _field((FILLER * 2).join(card.given_names), given.end - given.start)
    birth = card.birth_date.strftime("%y%m%d")
    line2 = f"{number}{check_digit(number)}{names}{birth}{check_digit(birth)}{card.sex}"
    return line1, line2 + check_digit(line1 + line2)


def random_french_card(rng: random.Random) -> FrenchCard:
    birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 60))
    # Issued from 1988 (or the holder's birth) to the model's end in 2021.
    first = max(date(1988, 1, 1), birth + timedelta(days=1))
    issued = first + timedelta(days=rng.randint(0, max((date(2021, 3, 1) - first).days, 0)))
    given = tuple(rng.sample(_GIVEN_NAMES, k=rng.choice((1, 1, 2))))
    return FrenchCard(
        surname=rng.choice(_SURNAMES),
        given_names=given,
        issued=issued,
        department=rng.choice(_DEPARTMENTS),
        sequence="".join(rng.choice("0123456789") for _ in range(5)),
        birth_date=birth,
        sex=rng.choice(("M", "F")),
        office=rng.choice(("", "", f"{rng.randint(0, 999999):06d}")),
    )


def render_french_card(card: FrenchCard, rng: random.Random) -> Image.Image:
    """The card's front, clean and upright."""
    paper = (rng.randint(228, 244), rng.randint(226, 240), rng.randint(236, 250))
    page = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), paper)
    draw = ImageDraw.Draw(page)
    tint = (rng.randint(200, 215), rng.randint(205, 220), rng.randint(220, 235))
    for y in range(0, 540, 24):
        draw.line([(0, y), (CARD_WIDTH, y + 30)], fill=tint, width=1)
    ink = (20, 24, 40)
    draw.text((40, 24), "REPUBLIQUE FRANCAISE", fill=ink, font=font(34, ocr_b=False))
    draw.text((40, 70), "CARTE NATIONALE D'IDENTITE", fill=ink, font=font(26, ocr_b=False))
    draw.rectangle((40, 130, 300, 470), fill=(200, 204, 210), outline=(120, 120, 130))
    draw.ellipse((110, 170, 230, 320), fill=(150, 140, 135))
    draw.pieslice((70, 310, 270, 580), 180, 360, fill=(90, 96, 110))
    number = card.issued.strftime("%y%m") + card.department + card.sequence
    printed = (
        ("No", number),
        ("Nom", card.surname),
        ("Prenom(s)", ", ".join(card.given_names)),
        ("Sexe", card.sex),
        ("Ne(e) le", card.birth_date.strftime("%d.%m.%Y")),
    )
    label, value = font(18, ocr_b=False), font(28, ocr_b=False)
    for row, (caption, text) in enumerate(printed):
        draw.text((340, 130 + row * 66), caption, fill=(70, 80, 110), font=label)
        draw.text((340, 152 + row * 66), text, fill=ink, font=value)
    mrz_font = font(_MRZ_FONT_SIZE, ocr_b=True)
    for index, line in enumerate(french_id_lines(card)):
        draw.text((66, 600 + index * 54), line, fill=(10, 10, 14), font=mrz_font)
    return page


def generate_french_id_specimen(
    seed: int, degradations: Sequence[Degradation] = (), *, jpeg_quality: int | None = None
) -> FrenchIdSpecimen:
    """One card photo, fully determined by its arguments (PNG unless `jpeg_quality`)."""
    unknown = set(degradations) - set(DEGRADATIONS)
    if unknown:
        raise SpecimenError(f"unknown degradations: {sorted(unknown)}")
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    card = random_french_card(rng)
    image = degrade(render_french_card(card, rng), degradations, rng)
    image_format: Literal["JPEG", "PNG"] = "PNG" if jpeg_quality is None else "JPEG"
    data = encode(image, image_format, quality=jpeg_quality or 90)
    return FrenchIdSpecimen(
        data, image_format, french_id_lines(card), tuple(degradations), seed, card
    )
