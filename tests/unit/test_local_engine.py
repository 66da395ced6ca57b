"""The offline MRZ engine on generated pages and (when present) the real specimen photos.

The engine runs for real (RapidOCR's bundled model, OpenCV); one engine for the module.
"""

from __future__ import annotations

import json
from typing import Any

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
from passport_ocr.tools.ocr.recognize import Recognizer
from passport_ocr.tools.specimens import SPECIMEN_DIR, Specimen, generate_specimen
from tests import paths

REAL_IMAGES = paths.REFERENCE_IMAGES


@pytest.fixture(scope="module")
def provider() -> LocalOcrProvider:
    return LocalOcrProvider(MrzEngine())


#: Exact reads of the real photos are pinned to onnxruntime, which runs the model in float32
#: on every CPU. OpenVINO (the default when installed) picks bfloat16 where the CPU has
#: AVX-512 BF16 or AMX, and that rounding changes the odd character: on such a machine
#: (December 2026) the Belgian card's nationality was read BBEI, on a CPU without bf16 it
#: was read exactly. The bench prints both runtimes; no runtime may ever falsely accept.
@pytest.fixture(scope="module")
def float32_provider() -> LocalOcrProvider:
    return LocalOcrProvider(MrzEngine(Recognizer(backend="onnxruntime")))


@pytest.fixture(scope="module", params=["auto", "onnxruntime"])
def any_runtime_provider(request: pytest.FixtureRequest) -> LocalOcrProvider:
    return LocalOcrProvider(MrzEngine(Recognizer(backend=request.param)))


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


def test_a_generated_page_of_prose_is_given_no_mrz(provider: LocalOcrProvider) -> None:
    """Issue 14: three lines of prose, each about 30 characters, once became a TD1 "MRZ"
    (no document code, no filler run in the name, letters where the dates go)."""
    import io

    from PIL import Image, ImageDraw

    from passport_ocr.tools.specimens import _font

    page = Image.new("RGB", (1000, 400), "white")
    draw = ImageDraw.Draw(page)
    font = _font(34, ocr_b=False)
    prose = (
        "The (quick) [brown] {fox} jumps!",
        "Over the $43,456.78 <lazy> #90 dog",
        "& duck/goose, as 12.5% of E-mail",
    )
    for index, line in enumerate(prose):
        draw.text((40, 80 + index * 52), line, fill="black", font=font)
    data = io.BytesIO()
    page.save(data, "PNG")
    with pytest.raises(ProviderError, match="no MRZ found") as caught:
        provider.recognize_bytes(data.getvalue())
    assert caught.value.category is ProviderCategory.NOT_A_PASSPORT


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


def _real_photos() -> list[dict[str, Any]]:
    truth = REAL_IMAGES / "ground_truth.json"
    if not truth.is_file():
        return []
    images: list[dict[str, Any]] = json.loads(truth.read_text())["images"]
    return images


#: Real photos the engine does not read exactly yet, with the failure class issue 14 names:
#: strict, so a fix makes the test pass and the mark must go. The figures are in
#: `bench/local_engine.py`; none of these is ever a false accept (the test below).
KNOWN_MISSES = {
    "arg0s1080__id_Liechtenstein.png": "found at the coarse width, but the SPECIMEN print "
    "covers the document code's I (read 2: a guess, sent to review)",
}


def _exact_params() -> list[Any]:
    return [
        pytest.param(
            item,
            id=item["file"],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[item["file"]])]
            if item["file"] in KNOWN_MISSES
            else [],
        )
        for item in _real_photos()
        if item.get("mrz_lines")
    ] or [pytest.param(None, id="absent")]


@pytest.mark.parametrize("item", _exact_params())
def test_real_specimen_photos_are_read_exactly(
    float32_provider: LocalOcrProvider, item: dict[str, Any] | None
) -> None:
    """Public specimen photos (../shared/data/images), read in place, never copied."""
    if item is None:
        pytest.skip("../shared/data/images is absent")
    data = (REAL_IMAGES / str(item["file"])).read_bytes()
    raw = float32_provider.recognize_bytes(data).raw
    assert [line["text"] for line in raw["lines"]] == item["mrz_lines"]
    # Some specimens print check digits that fail (Malta_BAD): read exactly, they fail too.
    assert raw["valid"] is item.get("valid", True)


@pytest.mark.parametrize(
    "item", _real_photos() or [None], ids=lambda item: str(item and item["file"])
)
def test_no_real_photo_is_ever_a_false_accept(
    any_runtime_provider: LocalOcrProvider, item: dict[str, Any] | None
) -> None:
    """Whatever the engine reads, a record is `valid` only when its MRZ is the true one."""
    if item is None:
        pytest.skip("../shared/data/images is absent")
    data = (REAL_IMAGES / str(item["file"])).read_bytes()
    try:
        raw = any_runtime_provider.recognize_bytes(data).raw
    except ProviderError as error:
        assert error.category is ProviderCategory.NOT_A_PASSPORT
        return
    if to_record("local", raw).status is Status.VALID:
        assert [line["text"] for line in raw["lines"]] == item.get("mrz_lines")


#: Photos without an MRZ that the engine still gives one (never a valid record: above).
KNOWN_INVENTED: dict[str, str] = {}


def _no_mrz_params() -> list[Any]:
    return [
        pytest.param(
            item,
            id=item["file"],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_INVENTED[item["file"]])]
            if item["file"] in KNOWN_INVENTED
            else [],
        )
        for item in _real_photos()
        if not item.get("mrz_lines")
    ] or [pytest.param(None, id="absent")]


@pytest.mark.parametrize("item", _no_mrz_params())
def test_a_real_photo_without_an_mrz_is_given_none(
    any_runtime_provider: LocalOcrProvider, item: dict[str, Any] | None
) -> None:
    if item is None:
        pytest.skip("../shared/data/images is absent")
    with pytest.raises(ProviderError) as raised:
        any_runtime_provider.recognize_bytes((REAL_IMAGES / str(item["file"])).read_bytes())
    assert raised.value.category is ProviderCategory.NOT_A_PASSPORT
