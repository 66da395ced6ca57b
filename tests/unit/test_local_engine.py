"""The offline MRZ engine on generated pages and (when present) the real specimen photos.

The engine runs for real (RapidOCR's bundled model, OpenCV); one engine for the module.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("cv2")

from passport_ocr.errors import ProviderCategory, ProviderError
from passport_ocr.images import PreparedImage
from passport_ocr.mapping import to_record
from passport_ocr.providers.base import ImageInput
from passport_ocr.record import Status
from passport_ocr.tools.ocr.engine import MrzEngine
from passport_ocr.tools.ocr.provider import LocalOcrProvider
from passport_ocr.tools.specimens import SPECIMEN_DIR, Specimen, generate_specimen
from tests import paths

REAL_IMAGES = paths.REFERENCE_IMAGES


@pytest.fixture(scope="module")
def provider() -> LocalOcrProvider:
    return LocalOcrProvider(MrzEngine())


def _input(specimen: Specimen) -> ImageInput:
    return ImageInput(image=PreparedImage(specimen.image, specimen.image_format, 1, 1))


@pytest.mark.parametrize(
    ("seed", "degradations", "chinese"),
    [
        (101, (), False),
        (102, ("rotate180",), False),
        (103, ("rotate90", "blur"), False),
        (104, ("partial_page", "tilt"), False),
        (105, ("perspective", "glare"), False),
        (106, ("low_resolution", "noise"), False),
        (107, ("uneven_light",), True),
    ],
)
def test_reads_the_exact_mrz(
    provider: LocalOcrProvider, seed: int, degradations: tuple[str, ...], chinese: bool
) -> None:
    specimen = generate_specimen(seed, degradations, jpeg_quality=60, chinese=chinese)  # type: ignore[arg-type]
    answer = provider.recognize(_input(specimen))
    assert answer.format == "local"
    raw = answer.raw
    assert tuple(line["text"] for line in raw["lines"]) == specimen.mrz_lines
    assert raw["valid"] is True
    assert raw["format"] == "TD3"
    assert raw["engine"].startswith("rapidocr-")
    for line in raw["lines"]:
        assert 0.0 <= line["confidence"] <= 1.0
        assert len(line["char_confidences"]) == len(line["text"])


def test_rotation_is_reported(provider: LocalOcrProvider) -> None:
    specimen = generate_specimen(110, ("rotate180",))
    assert provider.recognize(_input(specimen)).raw["rotation"] == 180


def test_clean_page_maps_to_a_valid_record(provider: LocalOcrProvider) -> None:
    # A digits-only number: letter/digit boundaries (L/1, G/6) are flagged
    # `mrz.check_digit_blind` by validation, whatever the reader.
    specimen = generate_specimen(119)
    assert specimen.person is not None
    assert specimen.person.document_number.isdigit()
    record = to_record("local", provider.recognize(_input(specimen)).raw)
    assert record.status is Status.VALID
    assert record.document_number == specimen.person.document_number
    assert record.birth_date == specimen.person.birth_date
    assert record.source.vendor == "local"
    assert record.mrz is not None and record.mrz.valid
    assert set(record.confidence) >= {"document_number", "birth_date", "surname"}


def test_page_without_mrz_is_rejected(provider: LocalOcrProvider) -> None:
    specimen = generate_specimen(112, with_mrz=False)
    with pytest.raises(ProviderError, match="no MRZ found") as caught:
        provider.recognize(_input(specimen))
    assert caught.value.category is ProviderCategory.NOT_A_PASSPORT
    assert caught.value.retryable is False


def test_undecodable_bytes_are_a_bad_image(provider: LocalOcrProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        provider.recognize_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG")
    assert caught.value.category is ProviderCategory.BAD_IMAGE
    assert not caught.value.retryable


def test_url_input_is_refused(provider: LocalOcrProvider) -> None:
    with pytest.raises(ProviderError) as caught:
        provider.recognize(ImageInput(url="https://example.invalid/page.jpg"))
    assert caught.value.category is ProviderCategory.BAD_REQUEST


def test_bundled_demo_specimens(provider: LocalOcrProvider) -> None:
    truth = json.loads((SPECIMEN_DIR / "ground_truth.json").read_text())
    for item in truth["images"]:
        data = (SPECIMEN_DIR / item["file"]).read_bytes()
        if not item["mrz_lines"]:
            with pytest.raises(ProviderError, match="no MRZ found"):
                provider.recognize_bytes(data)
            continue
        lines = [line["text"] for line in provider.recognize_bytes(data).raw["lines"]]
        assert lines == item["mrz_lines"], item["file"]


def _real_specimens() -> list[dict[str, object]]:
    truth = REAL_IMAGES / "ground_truth.json"
    if not truth.is_file():
        return []
    return [item for item in json.loads(truth.read_text())["images"] if item.get("mrz_lines")]


@pytest.mark.parametrize(
    "item", _real_specimens() or [None], ids=lambda item: str(item and item["file"])
)
def test_real_specimen_photos(provider: LocalOcrProvider, item: dict[str, object] | None) -> None:
    """Specimen photos from konstantint/PassportEye (MIT), read in place, never copied."""
    if item is None:
        pytest.skip("../shared/data/images is absent")
    data = (REAL_IMAGES / str(item["file"])).read_bytes()
    raw = provider.recognize_bytes(data).raw
    assert [line["text"] for line in raw["lines"]] == item["mrz_lines"]
    assert raw["valid"] is True
