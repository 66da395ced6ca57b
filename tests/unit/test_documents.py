"""HEIC/HEIF photos and PDF scans through the preflight (`passport_ocr/documents.py`):
generated here with pillow-heif and Pillow's PDF writer, rendered by libheif and PDFium."""

from __future__ import annotations

import io
import sys
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from passport_ocr.errors import ImageError
from passport_ocr.images import prepare, sniff_format
from passport_ocr.vendors import VENDORS

pillow_heif = pytest.importorskip("pillow_heif")
pytest.importorskip("pypdfium2")

TENCENT = VENDORS["tencent"].limits
HUAWEI = VENDORS["huawei"].limits
BUDGET = 256 * 2**20


def page(width: int = 1250, height: int = 880) -> Image.Image:
    image = Image.new("RGB", (width, height), (236, 232, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, height - 160, width - 40, height - 40), fill=(20, 20, 20))
    return image


def heic(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer, format="HEIF", quality=80)
    return buffer.getvalue()


def pdf(*images: Image.Image, resolution: float = 150) -> bytes:
    buffer = io.BytesIO()
    first, *rest = images
    first.save(buffer, "PDF", resolution=resolution, save_all=True, append_images=rest)
    return buffer.getvalue()


def messages(prepared: object) -> list[str]:
    return [f.message for f in prepared.findings]  # type: ignore[attr-defined]


def test_a_heic_photo_is_decoded_and_sent_as_jpeg() -> None:
    data = heic(page())
    assert sniff_format(data) == "HEIF"
    prepared = prepare(data, TENCENT, memory_budget=BUDGET)
    assert prepared.format == "JPEG" and (prepared.width, prepared.height) == (1250, 880)
    assert messages(prepared)[0] == "HEIF 1250x880 px decoded"
    decoded = Image.open(io.BytesIO(prepared.data))
    assert decoded.getpixel((600, 800))[0] < 60  # the dark band survived


def test_a_pdf_scan_is_rendered_and_sent() -> None:
    data = pdf(page(), resolution=150)  # 8.33 x 5.87 in
    assert sniff_format(data) == "PDF"
    prepared = prepare(data, HUAWEI, memory_budget=BUDGET)
    assert prepared.format in {"PNG", "JPEG"}
    # 300 dpi of an 8.33 in wide page, within Huawei's 4096 px side.
    assert prepared.width == 2500
    assert messages(prepared)[0].startswith("PDF page 1 rendered at 300 dpi")


def test_only_the_first_page_is_read_and_the_count_is_said() -> None:
    data = pdf(page(), Image.new("RGB", (1250, 880), "white"))
    prepared = prepare(data, TENCENT, memory_budget=BUDGET)
    assert messages(prepared)[0].startswith("PDF page 1 of 2 rendered")
    rendered = Image.open(io.BytesIO(prepared.data)).convert("L")
    assert rendered.getpixel((prepared.width // 2, int(prepared.height * 0.88))) < 60


def test_a_huge_page_is_rendered_within_the_side_and_memory_limits() -> None:
    data = pdf(page(2000, 1400), resolution=4)  # a 500 x 350 inch page
    prepared = prepare(data, HUAWEI, memory_budget=64 * 2**20)
    assert max(prepared.width, prepared.height) <= HUAWEI.max_side
    assert prepared.width * prepared.height * 3 <= 32 * 2**20  # half the budget for rendering


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n%garbage that is no PDF at all\n", "corrupt"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "corrupt"),
    ],
)
def test_broken_documents_are_typed_rejections(data: bytes, reason: str) -> None:
    with pytest.raises(ImageError) as raised:
        prepare(data, TENCENT, memory_budget=BUDGET)
    assert raised.value.reason == reason and raised.value.permanent


def test_a_cut_pdf_is_a_typed_rejection() -> None:
    data = pdf(page())
    for cut in (len(data) // 4, len(data) // 2, len(data) - 40):
        with pytest.raises(ImageError):
            prepare(data[:cut], TENCENT, memory_budget=BUDGET)


@pytest.mark.parametrize(("module", "extra"), [("pillow_heif", "heif"), ("pypdfium2", "pdf")])
def test_without_the_package_the_upload_is_rejected_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str
) -> None:
    data = heic(page()) if extra == "heif" else pdf(page())
    monkeypatch.setitem(sys.modules, module, None)  # `import` then raises ImportError
    with pytest.raises(ImageError) as raised:
        prepare(data, TENCENT, memory_budget=BUDGET)
    assert raised.value.reason == "unsupported_format"
    assert f"passport-ocr-functions[{extra}]" in str(raised.value)


def test_a_vendor_that_reads_pdf_gets_it_as_it_is_even_without_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MLIDPassportOCR reads PDF itself (SDK 3.1.193 models.py 16182): no rendering, and no
    pypdfium2 needed in the bundle; too big for it, the page is rendered as for anyone."""
    mlid = replace(TENCENT, formats=TENCENT.formats | {"PDF"})
    data = pdf(page())
    monkeypatch.setitem(sys.modules, "pypdfium2", None)

    prepared = prepare(data, mlid, memory_budget=BUDGET)

    assert (prepared.data, prepared.format, prepared.findings) == (data, "PDF", ())
    too_big = replace(mlid, max_encoded_bytes=len(data) // 2)
    with pytest.raises(ImageError) as raised:  # rendering it needs the package
        prepare(data, too_big, memory_budget=BUDGET)
    assert raised.value.reason == "unsupported_format"
