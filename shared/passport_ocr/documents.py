"""HEIC/HEIF photos and PDF scans, turned into a picture the preflight knows.

No OCR vendor here takes HEIF (the iPhone camera's default), and only MLIDPassportOCR takes
PDF, so both become an ordinary picture first (a HEIF photo a JPEG at the preflight's top
quality, a PDF page a lossless PNG: it is mostly text) and then go through the ordinary
preflight, which fits it for the vendor, with a finding saying what was done. One path for
every vendor: MLIDPassportOCR would take the PDF itself, but PassportOCR, called after it
for mainland passports, would not. Each needs
an optional package, imported only when such an upload arrives:

- HEIF: `pillow-heif` (the `heif` extra), libheif's decoder;
- PDF: `pypdfium2` (the `pdf` extra), PDFium's renderer. The first page is rendered (a scan
  of a passport's data page is one page); at most `PDF_DPI`, and never more pixels than the
  vendor's largest side or the preflight's memory budget allow.

Without the package the upload is `rejected` as `image.unsupported_format`, naming the extra.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from passport_ocr.errors import ImageError
from passport_ocr.record import Finding, Severity

if TYPE_CHECKING:
    from PIL.Image import Image

#: Enough for an MRZ (ICAO 9303 Part 3 prints OCR-B at about 2.5 mm per character; at 300
#: dpi that is ~30 px) and the size flatbed scanners default to.
PDF_DPI = 300
#: The preflight's own top JPEG quality (images.MAX_JPEG_QUALITY).
JPEG_QUALITY = 92
#: Bytes per rendered pixel (RGB), for the memory check before rendering.
_RGB_BYTES = 3


def converted_formats() -> frozenset[str]:
    """The container formats this module turns into pictures."""
    return frozenset({"HEIF", "PDF"})


def to_png(data: bytes, fmt: str, *, max_side: int, memory_budget: int) -> tuple[bytes, Finding]:
    """The first picture in `data` as PNG bytes, and the finding that says so."""
    if fmt == "HEIF":
        image, note = _heif(data, memory_budget)
    elif fmt == "PDF":
        image, note = _pdf_page(data, max_side=max_side, memory_budget=memory_budget)
    else:
        raise ValueError(fmt)
    buffer = io.BytesIO()
    if fmt == "HEIF":  # a camera photo: lossy already
        image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    else:
        image.save(buffer, "PNG", compress_level=1)  # fast: the preflight may re-encode it
    finding = Finding(code="image.converted", severity=Severity.INFO, message=note)
    return buffer.getvalue(), finding


def _heif(data: bytes, memory_budget: int) -> tuple[Image, str]:
    try:
        import pillow_heif  # noqa: PLC0415 (only when a HEIF upload arrives)
    except ImportError:
        raise ImageError(
            "unsupported_format",
            "HEIF needs the pillow-heif package: install passport-ocr-functions[heif]",
        ) from None
    try:
        heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True)
        width, height = heif.size
        _check_budget(width * height * _RGB_BYTES, memory_budget, "HEIF")
        image = heif.to_pillow().convert("RGB")
    except ImageError:
        raise
    except Exception as error:  # libheif reports every decoding failure as one of a few types
        raise ImageError(
            "corrupt", f"the HEIF file cannot be decoded ({type(error).__name__})"
        ) from None
    frames = len(heif) if hasattr(heif, "__len__") else 1
    kept = f"; first of {frames} images kept" if frames > 1 else ""
    return image, f"HEIF {width}x{height} px decoded{kept}"


def _pdf_page(data: bytes, *, max_side: int, memory_budget: int) -> tuple[Image, str]:
    try:
        import pypdfium2  # noqa: PLC0415 (only when a PDF upload arrives)
    except ImportError:
        raise ImageError(
            "unsupported_format",
            "PDF needs the pypdfium2 package: install passport-ocr-functions[pdf]",
        ) from None
    try:
        pdf: Any = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        reason = "is encrypted" if "password" in str(error).lower() else "cannot be read"
        raise ImageError("corrupt", f"the PDF {reason}") from None
    try:
        return _render_first_page(pdf, max_side=max_side, memory_budget=memory_budget)
    except pypdfium2.PdfiumError:
        raise ImageError("corrupt", "the PDF's first page cannot be rendered") from None
    finally:
        pdf.close()


def _render_first_page(pdf: Any, *, max_side: int, memory_budget: int) -> tuple[Image, str]:
    pages = len(pdf)
    if pages < 1:
        raise ImageError("corrupt", "the PDF has no page")
    width_pt, height_pt = pdf[0].get_size()
    if width_pt <= 0 or height_pt <= 0:
        raise ImageError("corrupt", "the PDF's first page has no size")
    scale = min(PDF_DPI / 72, max_side / max(width_pt, height_pt))
    pixels = width_pt * scale * height_pt * scale
    if pixels * _RGB_BYTES > memory_budget:  # shrink to the budget rather than refuse
        scale *= 0.98 * (memory_budget / (pixels * _RGB_BYTES)) ** 0.5  # rounding margin
    image = pdf[0].render(scale=scale).to_pil().convert("RGB")
    dpi = round(scale * 72)
    more = f" of {pages}" if pages > 1 else ""
    return image, f"PDF page 1{more} rendered at {dpi} dpi ({image.width}x{image.height} px)"


def _check_budget(needed: int, budget: int, fmt: str) -> None:
    if needed > budget:
        raise ImageError(
            "too_large",
            f"decoding the {fmt} needs about {needed // 2**20} MB, over the "
            f"{budget // 2**20} MB preflight budget",
        )
