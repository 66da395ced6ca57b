"""The synthetic specimen generator: reproducible, ICAO-valid ground truth, real images."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from passport_ocr.mrz import read_mrz
from passport_ocr.tools.specimens import (
    DEGRADATIONS,
    SPECIMEN_DIR,
    SpecimenError,
    character_accuracy,
    degraded_set,
    generate_specimen,
    ocr_b_path,
)


def test_same_seed_same_bytes_and_truth() -> None:
    first = generate_specimen(21, ("blur", "tilt"), jpeg_quality=40)
    second = generate_specimen(21, ("blur", "tilt"), jpeg_quality=40)
    assert first.image == second.image
    assert first.mrz_lines == second.mrz_lines
    assert generate_specimen(22).mrz_lines != first.mrz_lines


@pytest.mark.parametrize("seed", range(12))
def test_ground_truth_is_a_valid_td3_mrz(seed: int) -> None:
    specimen = generate_specimen(seed, chinese=seed % 4 == 0)
    assert [len(line) for line in specimen.mrz_lines] == [44, 44]
    reading = read_mrz(specimen.mrz_lines, repair=False)
    assert reading.valid, reading.finding_codes()


def test_chinese_layout_has_no_filler_run_on_line_two() -> None:
    specimen = generate_specimen(5, chinese=True)
    assert specimen.mrz_lines[1][10:13] == "CHN"
    assert "<" not in specimen.mrz_lines[1]


@pytest.mark.parametrize("degradation", DEGRADATIONS)
def test_every_degradation_gives_a_decodable_image(degradation: str) -> None:
    specimen = generate_specimen(3, (degradation,))  # type: ignore[arg-type]
    with Image.open(io.BytesIO(specimen.image)) as image:
        image.load()
        width, height = image.size
    if degradation in {"rotate90", "rotate270"}:
        assert height > width
    elif degradation == "low_resolution":
        assert width < 800
    else:
        assert width >= 1000


def test_page_without_mrz_has_empty_truth() -> None:
    specimen = generate_specimen(4, with_mrz=False)
    assert specimen.mrz_lines == ()
    assert specimen.ground_truth()["format"] is None


def test_unknown_degradation_is_a_typed_error() -> None:
    with pytest.raises(SpecimenError, match="unknown degradations"):
        generate_specimen(1, ("smudge",))  # type: ignore[arg-type]


def test_degraded_set_is_seeded_and_jpeg() -> None:
    pages = degraded_set(4, seed=9)
    assert [page.seed for page in pages] == [9000, 9001, 9002, 9003]
    assert {page.image_format for page in pages} == {"JPEG"}
    assert all(page.degradations for page in pages)


def test_character_accuracy() -> None:
    assert character_accuracy(["ABC"], ["ABC"]) == 1.0
    assert character_accuracy(["ABCD"], ["ABXD"]) == pytest.approx(0.75)
    assert character_accuracy(["AB"], []) == 0.0


def test_bundled_font_and_demo_set() -> None:
    assert ocr_b_path().name == "OCRB.otf"
    truth = json.loads((SPECIMEN_DIR / "ground_truth.json").read_text())
    for item in truth["images"]:
        path = SPECIMEN_DIR / item["file"]
        assert path.stat().st_size < 150_000
        if item["mrz_lines"]:
            assert read_mrz(item["mrz_lines"], repair=False).valid
