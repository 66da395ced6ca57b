"""The realistic photo generator (issue 14): seeded, with ICAO-valid ground truth per kind."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from passport_ocr.mrz import read_mrz
from passport_ocr.record import MrzFormat
from passport_ocr.tools.specimen_photos import (
    FAILURE_CLASS,
    KINDS,
    Kind,
    generate_photo,
    realistic_set,
)
from passport_ocr.tools.specimens import SpecimenError

#: The line count and length of each format: ICAO 9303-4 (TD3 2x44), -5 (TD1 3x30),
#: -6 (TD2 2x36), -7 (MRV-A 2x44, MRV-B 2x36), §4.2 of each.
SHAPES = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44), "MRVA": (2, 44), "MRVB": (2, 36)}


@pytest.mark.parametrize("kind", ["stamp", "screenshot", "dim", "td1", "prose"])
def test_same_kind_and_seed_give_the_same_bytes(kind: Kind) -> None:
    first, second = generate_photo(kind, 7), generate_photo(kind, 7)
    assert first.image == second.image
    assert first.mrz_lines == second.mrz_lines
    assert generate_photo(kind, 8).image != first.image


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_valid_ground_truth_of_its_format(kind: Kind) -> None:
    for seed in range(3):
        photo = generate_photo(kind, seed)
        with Image.open(io.BytesIO(photo.image)) as image:
            image.load()
        if kind == "prose":
            assert photo.mrz_lines == ()
            assert photo.mrz_format is None
            continue
        assert photo.mrz_format is not None
        assert (len(photo.mrz_lines), len(photo.mrz_lines[0])) == SHAPES[photo.mrz_format]
        assert {len(line) for line in photo.mrz_lines} == {SHAPES[photo.mrz_format][1]}
        reading = read_mrz(photo.mrz_lines, repair=False)
        assert reading.valid, (kind, seed, reading.finding_codes())
        assert reading.mrz.format is MrzFormat(photo.mrz_format)


@pytest.mark.parametrize(
    ("kind", "fmt"), [("td1", "TD1"), ("td2", "TD2"), ("visa_a", "MRVA"), ("visa_b", "MRVB")]
)
def test_format_kinds_draw_their_format(kind: Kind, fmt: str) -> None:
    assert generate_photo(kind, 3).mrz_format == fmt


def test_small_scans_and_dim_photos_are_small() -> None:
    widths = {
        kind: [Image.open(io.BytesIO(generate_photo(kind, seed).image)).width for seed in range(4)]
        for kind in ("small_scan", "dim")
    }
    assert all(300 <= width <= 600 for width in widths["small_scan"])
    assert widths["dim"] == [512] * 4


def test_content_kinds_carry_their_trouble() -> None:
    nines = [generate_photo("repeated_nines", seed).mrz_lines[1] for seed in range(4)]
    assert all("9999999" in line for line in nines)
    nld = generate_photo("state_lookalike", 1).mrz_lines
    assert nld[0][2:5] == "NLD" and nld[1][10:13] == "NLD"
    number = generate_photo("check_lookalikes", 1).mrz_lines[1][0:9]
    assert set(number[:8]) <= set("0O1I5S8B2Z6G")


def test_realistic_set_is_seeded_per_kind() -> None:
    photos = list(realistic_set(5, 2, kinds=("overlay", "td2")))
    assert [(photo.kind, photo.seed) for photo in photos] == [
        ("overlay", 5000), ("overlay", 5001), ("td2", 5000), ("td2", 5001),
    ]  # fmt: skip
    assert photos[0].failure_class == FAILURE_CLASS["overlay"] == "location"
    assert photos[0].ground_truth()["mrz_lines"] == list(photos[0].mrz_lines)


def test_unknown_kind_is_a_typed_error() -> None:
    with pytest.raises(SpecimenError, match="unknown kind"):
        generate_photo("smudge", 1)  # type: ignore[arg-type]
