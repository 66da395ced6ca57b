"""Image preflight: sniff, check and (only when needed) convert an upload for a provider.

`prepare(data, limits)` returns a `PreparedImage` the provider can send as is, or raises
`ImageError` before any vendor call.

Cost rule: an upload that already meets the provider's limits is checked from its header
alone (format, size, mode, EXIF orientation, where its pixel data starts and ends) and
passed through byte for byte, never decoded. Only an upload that breaks a limit is decoded
and re-encoded, and then with care for the MRZ: no upscaling, Lanczos resampling (with
JPEG DCT-domain draft decoding and `reducing_gap` for speed), and the highest JPEG quality
that fits the byte budget (never below `MIN_JPEG_QUALITY`).

Pillow is imported lazily so that the core package stays pydantic-only.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from passport_ocr import documents
from passport_ocr.errors import ImageError
from passport_ocr.record import Finding, Severity

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageFile


@dataclass(frozen=True)
class ImageLimits:
    """What one provider accepts, from its documentation."""

    provider: str
    formats: frozenset[str]  # Pillow format names: JPEG, PNG, BMP, TIFF, ...
    max_encoded_bytes: int  # the limit on what goes over the wire (base64 or body)
    base64: bool  # True: the limit applies to the base64 text (4/3 of the bytes)
    min_side: int
    max_side: int
    #: The vendor's recommended smallest size (short side, long side): smaller ones are
    #: still sent, with an info finding; None: the vendor recommends none.
    recommended_sides: tuple[int, int] | None = None

    @property
    def max_raw_bytes(self) -> int:
        """The largest file that fits `max_encoded_bytes` once encoded for the wire."""
        if self.base64:
            return (self.max_encoded_bytes // 4) * 3
        return self.max_encoded_bytes


_MB = 1024 * 1024

#: Uploads larger than this are refused before download: no provider takes more than
#: 10 MB, and a phone photo or a 600 dpi scan of one page stays well under it.
MAX_SOURCE_BYTES = 40 * _MB
#: Decompression-bomb cap, checked from the header before any decode (about 9500 x 9500;
#: Pillow's own default warning threshold is 89.5 Mpx).
MAX_SOURCE_PIXELS = 90_000_000
#: JPEG quality floor: below it the MRZ's OCR-B glyphs start to smear.
MIN_JPEG_QUALITY = 60
MAX_JPEG_QUALITY = 92

#: File-name suffixes and the format they normally hold (for the URL-mode decision only;
#: `prepare` never trusts a name).
SUFFIX_FORMATS = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".jpe": "JPEG",
    ".png": "PNG",
    ".bmp": "BMP",
    ".tif": "TIFF",
    ".tiff": "TIFF",
}


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    format: str  # Pillow format name of `data`
    width: int  # 0 (with height): a document the vendor reads as it is, not measured
    height: int
    findings: tuple[Finding, ...] = field(default=())  # what preflight changed, if anything


def encoded_size(raw_bytes: int, limits: ImageLimits) -> int:
    """How many bytes `raw_bytes` of image become on the wire for this provider."""
    return 4 * math.ceil(raw_bytes / 3) if limits.base64 else raw_bytes


def likely_compliant(size: int | None, key: str, limits: ImageLimits) -> bool:
    """What an event alone says: the object's size and name suffix fit the provider.

    Used to choose URL mode without reading the object. It cannot see dimensions or EXIF
    orientation, so callers that need certainty read the header (`prepare`).
    """
    if size is None or size <= 0:
        return False
    dot = key.rfind(".")
    suffix = key[dot:].lower() if dot >= 0 else ""
    fmt = SUFFIX_FORMATS.get(suffix)
    return fmt is not None and fmt in limits.formats and size <= limits.max_raw_bytes


# --- sniffing ---------------------------------------------------------------------------

#: Formats Pillow can decode here, by magic number. Anything else is refused by name.
_READABLE = frozenset({"JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP"})


#: (offset, magic bytes, format), first match wins.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "JPEG"),
    (0, b"\x89PNG\r\n\x1a\n", "PNG"),
    (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"),
    (0, b"BM", "BMP"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (8, b"WEBP", "WEBP"),  # after b"RIFF" and a length
    (4, b"ftypavif", "AVIF"),
    (4, b"ftypavis", "AVIF"),
    (4, b"ftypheic", "HEIF"),
    (4, b"ftypheix", "HEIF"),
    (4, b"ftypmif1", "HEIF"),
    (4, b"ftypmsf1", "HEIF"),
    (0, b"%PDF", "PDF"),
    (0, b"\x00\x00\x01\x00", "ICO"),
)


#: The shortest possible header of each format (e.g. PNG: signature + IHDR chunk).
_MIN_HEADER_BYTES = {"PNG": 33, "GIF": 13, "BMP": 26, "TIFF": 8, "WEBP": 30, "JPEG": 4}


def sniff_format(data: bytes) -> str | None:
    """The image format the bytes really hold (magic numbers), or None."""
    for offset, magic, fmt in _MAGIC:
        if data.startswith(magic, offset):
            if fmt == "WEBP" and not data.startswith(b"RIFF"):
                continue
            return fmt
    return None


# --- header-only facts --------------------------------------------------------------------

#: Modes a vendor decoder handles in each container without surprises. Anything else
#: (CMYK or YCCK JPEG, 16-bit, alpha in a BMP, ...) is converted.
_SAFE_MODES = {
    "JPEG": frozenset({"L", "RGB"}),
    "PNG": frozenset({"1", "L", "P", "RGB", "RGBA", "LA"}),
    "BMP": frozenset({"1", "L", "P", "RGB"}),
    "TIFF": frozenset({"1", "L", "RGB"}),
}
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class _Header:
    format: str
    width: int  # as stored, before EXIF orientation
    height: int
    mode: str
    orientation: int  # EXIF 1..8, 1 when absent
    frames: int
    sixteen_bit: bool


def _error_for_open_failure(error: Exception, fmt: str) -> ImageError:
    text = str(error).lower()
    if "truncated" in text or isinstance(error, (EOFError, struct.error)):
        return ImageError("truncated", f"the {fmt} file ends before its header does")
    return ImageError("corrupt", f"the {fmt} header cannot be read ({type(error).__name__})")


def _open(data: bytes, fmt: str) -> ImageFile.ImageFile:
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 (lazy: core stays pydantic-only)

    try:
        with warnings.catch_warnings():
            # Our own pixel cap below is stricter; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError as error:
        raise ImageError(
            "decompression_bomb", f"the {fmt} header declares too many pixels"
        ) from error
    except UnidentifiedImageError as error:
        raise ImageError("corrupt", f"the bytes start like {fmt} but are not one") from error
    except KeyError as error:  # this Pillow has no plugin registered for the format
        raise ImageError("unsupported_format", f"no {fmt} reader is installed") from error
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError) as error:
        raise _error_for_open_failure(error, fmt) from error


def _orientation(image: PILImage.Image, fmt: str) -> int:
    from PIL import Image  # noqa: PLC0415 (lazy: core stays pydantic-only)

    try:
        if fmt == "PNG":
            # PngImageFile.getexif() decodes the whole image to find a late eXIf chunk;
            # an early one is already in `info`, which is all phones write.
            raw = image.info.get("exif")
            if not isinstance(raw, bytes):
                return 1
            exif = Image.Exif()
            exif.load(raw)
        else:
            exif = image.getexif()
        value = exif.get(_ORIENTATION_TAG, 1)
    except (OSError, SyntaxError, ValueError, struct.error, KeyError, TypeError):
        return 1  # unreadable EXIF: treat as upright rather than refuse a readable image
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


#: What Pillow raises when it seeks a broken later frame (a GIF cut inside its second frame,
#: a TIFF page without dimensions) to count the frames: the file is corrupt, not our error.
_FRAME_ERRORS = (
    OSError, EOFError, SyntaxError, ValueError, TypeError, IndexError, KeyError, struct.error
)  # fmt: skip


def _frame_count(image: PILImage.Image, fmt: str) -> int:
    try:
        return int(getattr(image, "n_frames", 1))
    except _FRAME_ERRORS as error:
        raise ImageError(
            "corrupt", f"a later frame of the {fmt} file cannot be read ({type(error).__name__})"
        ) from error


def _header(data: bytes, fmt: str, image: PILImage.Image) -> _Header:
    return _Header(
        format=fmt,
        width=image.width,
        height=image.height,
        mode=image.mode,
        orientation=_orientation(image, fmt),
        frames=_frame_count(image, fmt),
        sixteen_bit=fmt == "PNG" and len(data) > 24 and data[24] == 16,
    )


#: Bytes per pixel Pillow allocates for a decoded image of each mode (multi-band modes are
#: stored in 4-byte pixels; Pillow's Storage.c `ImagingNewPrologueSubtype`).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
#: A converted image is decoded once and copied at least once (8-bit, orientation or resize):
#: the budget counts the decode and one full-size copy.
_WORKING_COPIES = 2
DEFAULT_MEMORY_BUDGET = 256 * _MB


def _decode_bytes(header: _Header, plan: _Plan) -> int:
    """What converting will allocate, from the header alone: JPEG decodes reduced by up to
    8x per side (DCT scaling to no less than the target), every other format in full."""
    width, height = header.width, header.height
    if header.format == "JPEG" and plan.downscale:
        target = max(plan.target_width, plan.target_height)
        factor = 1
        while factor < 8 and max(width, height) // (factor * 2) >= target:
            factor *= 2
        width, height = -(-width // factor), -(-height // factor)
    per_pixel = _BYTES_PER_PIXEL.get(header.mode, 4)
    return width * height * per_pixel * _WORKING_COPIES


def _check_memory(header: _Header, plan: _Plan, budget: int) -> None:
    needed = _decode_bytes(header, plan)
    if needed > budget:
        raise ImageError(
            "too_large",
            f"converting this {header.width}x{header.height} px {header.mode} {header.format} "
            f"needs about {needed // _MB} MB, over the {budget // _MB} MB preflight budget",
        )


def _jpeg_scan_start(data: bytes) -> int | None:
    """Offset of the main image's first start-of-scan marker, walking segment lengths."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:
            return pos
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:  # standalone markers
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    return None


def _check_complete(data: bytes, header: _Header, image: ImageFile.ImageFile) -> None:
    """Refuse a file cut short, from its structure alone (no decode)."""
    fmt = header.format
    size = len(data)
    for tile in image.tile:
        if tile.offset >= size:
            raise ImageError("truncated", f"the {fmt} file ends before its pixel data")
    if fmt == "JPEG":
        scan = _jpeg_scan_start(data)
        if scan is None or data.rfind(b"\xff\xd9") <= scan:
            raise ImageError("truncated", "the JPEG file has no end-of-image marker")
    elif fmt == "PNG":
        if data.rfind(b"IEND", max(0, size - 64)) == -1:
            raise ImageError("truncated", "the PNG file has no IEND chunk")
    elif fmt == "BMP":
        (declared,) = struct.unpack("<I", data[2:6])
        if declared > size:
            raise ImageError("truncated", "the BMP file is shorter than its header declares")
    elif fmt == "TIFF":
        _check_tiff_strips(image, size)


def _check_tiff_strips(image: ImageFile.ImageFile, size: int) -> None:
    tags = getattr(image, "tag_v2", {})
    offsets = tags.get(273) or tags.get(324)  # StripOffsets / TileOffsets
    counts = tags.get(279) or tags.get(325)  # StripByteCounts / TileByteCounts
    if not offsets or not counts:
        return
    offsets_t = offsets if isinstance(offsets, tuple) else (offsets,)
    counts_t = counts if isinstance(counts, tuple) else (counts,)
    end = max(int(o) + int(c) for o, c in zip(offsets_t, counts_t, strict=False))
    if end > size:
        raise ImageError("truncated", "the TIFF file is shorter than its strips declare")


# --- the plan: what (if anything) must change ----------------------------------------------


@dataclass(frozen=True)
class _Plan:
    convert_reasons: tuple[str, ...]  # why the file cannot go as is (empty: passthrough)
    target_width: int  # after orientation and downscale
    target_height: int
    downscale: bool
    reorient: bool


def _plan(data: bytes, header: _Header, limits: ImageLimits) -> _Plan:
    width, height = header.width, header.height
    reorient = header.orientation != 1
    if header.orientation >= 5:  # 90-degree rotations swap the sides
        width, height = height, width
    scale = min(1.0, limits.max_side / max(width, height))
    target_w = max(1, math.floor(width * scale))
    target_h = max(1, math.floor(height * scale))
    if min(target_w, target_h) < limits.min_side:
        raise ImageError(
            "too_small",
            f"{width}x{height} px cannot fit {limits.provider}'s "
            f"{limits.min_side}..{limits.max_side} px sides",
        )
    reasons: list[str] = []
    if header.format not in limits.formats:
        reasons.append(f"{header.format} is not accepted by {limits.provider}")
    safe_modes = _SAFE_MODES.get(header.format)
    if safe_modes is not None and header.mode not in safe_modes:
        reasons.append(f"{header.mode} pixels")
    if header.sixteen_bit:
        reasons.append("16-bit samples")
    if header.frames > 1 and header.format not in ("JPEG", "MPO"):
        reasons.append(f"{header.frames} frames")
    if reorient:
        reasons.append(f"EXIF orientation {header.orientation}")
    downscale = scale < 1.0
    if downscale:
        reasons.append(f"sides over {limits.max_side} px")
    if encoded_size(len(data), limits) > limits.max_encoded_bytes:
        reasons.append(f"over {limits.max_encoded_bytes} bytes encoded")
    return _Plan(tuple(reasons), target_w, target_h, downscale, reorient)


# --- converting ---------------------------------------------------------------------------


def _load(image: PILImage.Image, fmt: str) -> None:
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError) as error:
        text = str(error).lower()
        reason = "truncated" if "truncated" in text or "premature" in text else "corrupt"
        raise ImageError(reason, f"the {fmt} pixel data cannot be decoded") from error


def _to_8bit(image: PILImage.Image) -> PILImage.Image:
    """Plain L or RGB: what every vendor decodes. Alpha is flattened onto white paper."""
    from PIL import Image  # noqa: PLC0415 (lazy: core stays pydantic-only)

    mode = image.mode
    if mode in ("L", "RGB"):
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # convert("L") clips 16-bit values at 255; scale them down instead.
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if mode == "1":
        return image.convert("L")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV


def _encode_png(image: PILImage.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _encode_jpeg(image: PILImage.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=False)
    return out.getvalue()


def _best_jpeg(image: PILImage.Image, budget: int) -> tuple[bytes, int] | None:
    """The highest quality in MIN..MAX that fits `budget` raw bytes (binary search)."""
    best = _encode_jpeg(image, MAX_JPEG_QUALITY)
    if len(best) <= budget:
        return best, MAX_JPEG_QUALITY
    low, high = MIN_JPEG_QUALITY, MAX_JPEG_QUALITY - 1
    found: tuple[bytes, int] | None = None
    while low <= high:
        quality = (low + high) // 2
        encoded = _encode_jpeg(image, quality)
        if len(encoded) <= budget:
            found = (encoded, quality)
            low = quality + 1
        else:
            high = quality - 1
    return found


def _resize(image: PILImage.Image, width: int, height: int) -> PILImage.Image:
    from PIL import Image  # noqa: PLC0415 (lazy: core stays pydantic-only)

    if image.size == (width, height):
        return image
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _info(code: str, message: str) -> Finding:
    return Finding(code=code, severity=Severity.INFO, message=message)


_LOSSLESS = frozenset({"PNG", "BMP", "TIFF", "GIF"})
_MAX_SHRINK_ROUNDS = 6


def _encode_to_fit(
    image: PILImage.Image, *, lossless: bool, limits: ImageLimits
) -> tuple[bytes, str, str, tuple[int, int]]:
    """Encode for the wire: PNG for a lossless source when it fits, else the best JPEG.

    Returns (bytes, format, note for the finding, final size).
    """
    budget = limits.max_raw_bytes
    if lossless and "PNG" in limits.formats:
        candidate = _encode_png(image)
        if len(candidate) <= budget:
            return candidate, "PNG", "", image.size
    if "JPEG" not in limits.formats:
        raise ImageError("unsupported_format", f"{limits.provider} takes no JPEG to convert to")
    for _ in range(_MAX_SHRINK_ROUNDS):
        best = _best_jpeg(image, budget)
        if best is not None:
            encoded, quality = best
            return encoded, "JPEG", f" at quality {quality}", image.size
        # Even the quality floor is too big: shrink by the byte ratio, with a margin.
        factor = 0.9 * math.sqrt(budget / len(_encode_jpeg(image, MIN_JPEG_QUALITY)))
        width = max(1, math.floor(image.width * factor))
        height = max(1, math.floor(image.height * factor))
        if min(width, height) < limits.min_side:
            break
        image = _resize(image, width, height)
    raise ImageError("too_large", f"the image cannot fit {limits.provider}'s byte limit")


def _convert(
    image: ImageFile.ImageFile, header: _Header, plan: _Plan, limits: ImageLimits
) -> PreparedImage:
    from PIL import ImageOps  # noqa: PLC0415 (lazy: core stays pydantic-only)

    fmt = header.format
    findings: list[Finding] = []
    if fmt == "JPEG" and plan.downscale:
        # DCT-domain scaling: decode at 1/2, 1/4 or 1/8 size, never below the target.
        if header.orientation >= 5:
            request = (plan.target_height, plan.target_width)
        else:
            request = (plan.target_width, plan.target_height)
        image.draft(image.mode if image.mode in ("L", "RGB") else None, request)
    _load(image, fmt)
    if header.frames > 1:
        findings.append(_info("image.converted", f"first of {header.frames} frames kept"))
    pixels: PILImage.Image = image
    if plan.reorient:
        pixels = ImageOps.exif_transpose(image)
        findings.append(_info("image.reoriented", f"EXIF orientation {header.orientation} applied"))
    pixels = _resize(_to_8bit(pixels), plan.target_width, plan.target_height)
    encoded, out_format, note, (width, height) = _encode_to_fit(
        pixels, lossless=fmt in _LOSSLESS, limits=limits
    )
    if (width, height) != (header.width, header.height) and (width, height) != (
        header.height,
        header.width,
    ):
        findings.append(
            _info(
                "image.downscaled",
                f"{header.width}x{header.height} px reduced to {width}x{height} px",
            )
        )
    reasons = ", ".join(plan.convert_reasons)
    findings.append(_info("image.converted", f"{fmt} re-encoded as {out_format}{note} ({reasons})"))
    return PreparedImage(encoded, out_format, width, height, tuple(findings))


# --- the entry point -----------------------------------------------------------------------


def prepare(
    data: bytes,
    limits: ImageLimits,
    *,
    max_pixels: int = MAX_SOURCE_PIXELS,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
) -> PreparedImage:
    """Check `data` against `limits`; pass it through untouched, or convert it to fit.

    Raises `ImageError` with a reason: empty, not_an_image, unsupported_format, truncated,
    corrupt, decompression_bomb, too_small or too_large.
    """
    if not data:
        raise ImageError("empty", "the object is empty")
    fmt = sniff_format(data)
    if fmt is None:
        raise ImageError("not_an_image", "the bytes are not an image in any known format")
    converted = documents.converted_formats()
    if fmt in converted and fmt in limits.formats and len(data) <= limits.max_raw_bytes:
        # A vendor that reads the container itself (MLIDPassportOCR and PDF) gets it as it
        # is: its own renderer, no extra package here. Pixel size is not measured (0).
        return PreparedImage(data, fmt, 0, 0)
    if fmt in converted:  # HEIF, PDF: rendered to PNG, then as any PNG
        budget = memory_budget // 2  # the rendering and the PNG's own decode both count
        png, rendered = documents.to_png(data, fmt, max_side=limits.max_side, memory_budget=budget)
        prepared = prepare(png, limits, max_pixels=max_pixels, memory_budget=memory_budget)
        if prepared.data is png:  # the vendor takes the PNG as rendered
            prepared = replace(prepared, findings=())
        return replace(prepared, findings=(rendered, *prepared.findings))
    if fmt not in _READABLE:
        raise ImageError("unsupported_format", f"{fmt} files are not supported")
    if len(data) < _MIN_HEADER_BYTES.get(fmt, 0):
        raise ImageError("truncated", f"the {fmt} file ends before its header does")
    image = _open(data, fmt)
    try:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ImageError("corrupt", f"the {fmt} header declares no pixels")
        if width * height > max_pixels:
            raise ImageError(
                "decompression_bomb", f"{width}x{height} px is over the {max_pixels} pixel cap"
            )
        header = _header(data, fmt, image)
        _check_complete(data, header, image)
        plan = _plan(data, header, limits)
        if not plan.convert_reasons:
            return _with_size_advice(PreparedImage(data, fmt, width, height), limits)
        _check_memory(header, plan, memory_budget)
        return _with_size_advice(_convert(image, header, plan, limits), limits)
    finally:
        image.close()


def _with_size_advice(prepared: PreparedImage, limits: ImageLimits) -> PreparedImage:
    """Note an image under the vendor's recommended size: it is read less reliably."""
    if limits.recommended_sides is None:
        return prepared
    short, long = sorted((prepared.width, prepared.height))
    want_short, want_long = limits.recommended_sides
    if short >= want_short and long >= want_long:
        return prepared
    advice = _info(
        "image.below_recommended_size",
        f"{prepared.width}x{prepared.height} px is under the {want_short}x{want_long} px "
        f"{limits.provider} recommends (it also advises the card fill two thirds of the image)",
    )
    return replace(prepared, findings=(*prepared.findings, advice))
