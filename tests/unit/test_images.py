"""Image preflight: sniffing, refusals, header-only passthrough, and careful conversion."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PIL import Image, ImageFile, ImageOps, ImageStat

from passport_ocr.errors import ImageError
from passport_ocr.images import (
    MIN_JPEG_QUALITY,
    ImageLimits,
    PreparedImage,
    encoded_size,
    likely_compliant,
    prepare,
    sniff_format,
)
from passport_ocr.vendors import VENDORS, cloud_vendors
from tests import paths

SPECIMENS = paths.REFERENCE_IMAGES


# --- building test images ------------------------------------------------------------------


def document(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A page-like picture: light paper, dark text-like bars, some noise for realistic sizes."""
    noise = Image.effect_noise((width, height), 25).point(lambda v: 200 + v // 8)
    page = Image.merge("RGB", [noise, noise, noise])
    for row in range(height // 10, height, max(1, height // 6)):
        page.paste(
            (20, 20, 20), (width // 10, row, width - width // 10, row + max(1, height // 40))
        )
    return page if mode == "RGB" else page.convert(mode)


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(width: int = 1200, height: int = 800, **options: object) -> bytes:
    return encode(document(width, height), "JPEG", quality=90, **options)


def exif_with_orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif.tobytes()


def png_declaring(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose IHDR claims another size (CRC fixed): a decompression bomb shape."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def decoded(prepared: PreparedImage) -> Image.Image:
    image = Image.open(io.BytesIO(prepared.data))
    image.load()
    return image


def codes(prepared: PreparedImage) -> list[str]:
    return [finding.code for finding in prepared.findings]


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Counts pixel decodes: every file-backed Pillow image decodes through ImageFile.load."""
    seen: list[str] = []
    original = ImageFile.ImageFile.load

    def counting(self: ImageFile.ImageFile) -> object:
        if self.tile:  # tiles left to decode: this call decodes pixels
            seen.append(str(self.format))
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting)
    yield seen


# --- cost: compliant uploads are never decoded ----------------------------------------------


def test_compliant_jpeg_passes_through_untouched_without_decoding(decodes: list[str]) -> None:
    data = jpeg(2000, 1400)
    prepared = prepare(data, VENDORS["huawei"].limits)
    assert prepared.data is data
    assert (prepared.format, prepared.width, prepared.height) == ("JPEG", 2000, 1400)
    assert prepared.findings == ()
    assert decodes == []


def test_the_decode_counter_does_see_decodes(decodes: list[str]) -> None:
    prepare(jpeg(1200, 800, exif=exif_with_orientation(6)), VENDORS["huawei"].limits)
    assert decodes == ["JPEG"]


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "TIFF"])
def test_other_compliant_formats_pass_through_for_huawei(fmt: str, decodes: list[str]) -> None:
    data = encode(document(300, 200, "L"), fmt)
    assert prepare(data, VENDORS["huawei"].limits).data is data
    assert decodes == []


# --- refusals, with typed reasons -----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"hello, this is a text file\n", "not_an_image"),
        (b"%PDF-1.7\n...", "corrupt"),  # read since PDF support (test_documents.py)
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "corrupt"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00", "unsupported_format"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "corrupt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 5, "truncated"),
    ],
)
def test_unusable_input_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ImageError) as caught:
        prepare(data, VENDORS["huawei"].limits)
    assert caught.value.reason == reason
    assert caught.value.code == f"image.{reason}"
    assert caught.value.permanent


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "BMP", "TIFF"])
def test_truncated_files_are_refused_from_their_structure(fmt: str) -> None:
    data = encode(document(400, 300), fmt)
    with pytest.raises(ImageError) as caught:
        prepare(data[: len(data) * 2 // 3], VENDORS["huawei"].limits)
    assert caught.value.reason == "truncated"


def test_a_format_whose_pillow_plugin_is_missing_is_refused_not_crashed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in a bundle whose Pillow lacks a plugin: Pillow itself raises a bare KeyError.
    gif = encode(Image.new("L", (120, 80)), "GIF")
    Image.init()
    monkeypatch.delitem(Image.OPEN, "GIF")
    with pytest.raises(ImageError) as caught:
        prepare(gif, VENDORS["tencent"].limits)
    assert caught.value.reason == "unsupported_format"


def test_format_is_sniffed_from_bytes_not_trusted_from_names() -> None:
    assert sniff_format(encode(document(20, 20), "PNG")) == "PNG"
    assert sniff_format(encode(document(20, 20), "WEBP")) == "WEBP"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WAVEfmt ") is None
    assert sniff_format(jpeg(50, 50)) == "JPEG"


@pytest.mark.parametrize("side", [10_000, 30_000])
def test_decompression_bombs_are_refused_before_decoding(side: int, decodes: list[str]) -> None:
    with pytest.raises(ImageError) as caught:
        prepare(png_declaring(side, side), VENDORS["huawei"].limits)
    assert caught.value.reason == "decompression_bomb"
    assert decodes == []


def test_pixel_cap_is_a_parameter() -> None:
    with pytest.raises(ImageError, match="pixel cap"):
        prepare(jpeg(100, 100), VENDORS["huawei"].limits, max_pixels=9_999)


@pytest.mark.parametrize(("width", "height"), [(10, 10), (14, 400), (8000, 20)])
def test_images_that_cannot_meet_the_sides_are_too_small(width: int, height: int) -> None:
    with pytest.raises(ImageError) as caught:
        prepare(encode(document(width, height), "PNG"), VENDORS["huawei"].limits)
    assert caught.value.reason == "too_small"


# --- conversions --------------------------------------------------------------------------


def test_webp_becomes_jpeg_for_tencent() -> None:
    prepared = prepare(encode(document(900, 600), "WEBP", quality=90), VENDORS["tencent"].limits)
    assert prepared.format == "JPEG"
    assert codes(prepared) == ["image.converted"]
    assert decoded(prepared).size == (900, 600)


def test_transparent_webp_is_flattened_on_white() -> None:
    clear = Image.new("RGBA", (100, 60), (0, 0, 0, 0))
    prepared = prepare(encode(clear, "WEBP", lossless=True), VENDORS["tencent"].limits)
    assert ImageStat.Stat(decoded(prepared).convert("L")).mean[0] > 250


def test_animated_gif_keeps_its_first_frame_as_png() -> None:
    frames = [Image.new("L", (120, 80), shade) for shade in (10, 128, 250)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    prepared = prepare(out.getvalue(), VENDORS["tencent-legacy"].limits)
    assert prepared.format == "PNG"
    assert decoded(prepared).convert("L").getpixel((5, 5)) == 10
    assert "first of 3 frames kept" in [finding.message for finding in prepared.findings]


def test_tiff_passes_for_huawei_but_is_converted_for_tencent() -> None:
    data = encode(document(500, 300), "TIFF")
    assert prepare(data, VENDORS["huawei"].limits).data is data
    converted = prepare(data, VENDORS["tencent"].limits)
    assert converted.format == "PNG"
    assert decoded(converted).tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_sixteen_bit_png_is_scaled_to_eight_bits_not_clipped() -> None:
    deep = Image.new("I;16", (64, 40), 0)
    deep.putpixel((3, 3), 60_000)
    deep.putpixel((4, 4), 30_000)
    prepared = prepare(encode(deep, "PNG"), VENDORS["huawei"].limits)
    image = decoded(prepared)
    assert image.mode == "L"
    assert image.getpixel((3, 3)) == 60_000 // 256
    assert image.getpixel((4, 4)) == 30_000 // 256


def test_cmyk_jpeg_becomes_rgb() -> None:
    data = encode(document(400, 300, "CMYK"), "JPEG", quality=90)
    prepared = prepare(data, VENDORS["huawei"].limits)
    assert decoded(prepared).mode == "RGB"
    assert "CMYK pixels" in prepared.findings[-1].message


def test_exif_rotated_photo_is_turned_upright() -> None:
    original = document(1200, 800)
    original.paste((255, 0, 0), (0, 0, 200, 200))  # a red corner to follow
    data = encode(original, "JPEG", quality=95, exif=exif_with_orientation(6))
    prepared = prepare(data, VENDORS["tencent"].limits)
    assert (prepared.width, prepared.height) == (800, 1200)
    assert "image.reoriented" in codes(prepared)
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    red_corner = (upright.width - 100, 100)  # orientation 6: top-left goes top-right
    assert decoded(prepared).getpixel(red_corner)[0] > 200
    assert upright.getpixel(red_corner)[0] > 200


def test_oversized_photo_is_downscaled_to_the_side_limit_never_upscaled() -> None:
    prepared = prepare(jpeg(5000, 3000), VENDORS["huawei"].limits)
    assert (prepared.width, prepared.height) == (4096, 2457)
    assert "image.downscaled" in codes(prepared)
    small = jpeg(500, 300)
    assert prepare(small, VENDORS["huawei"].limits).data is small
    assert prepare(jpeg(5000, 3000), replace(VENDORS["huawei"].limits, max_side=8192)).width == 5000


def test_jpeg_quality_is_searched_to_fit_the_byte_budget() -> None:
    tight = ImageLimits("tight", frozenset({"JPEG"}), 200_000, True, 15, 4096)
    data = encode(document(1500, 1000), "JPEG", quality=98)
    assert encoded_size(len(data), tight) > tight.max_encoded_bytes
    prepared = prepare(data, tight)
    assert encoded_size(len(prepared.data), tight) <= tight.max_encoded_bytes
    message = prepared.findings[-1].message
    quality = int(message.split("at quality ")[1].split()[0])
    assert MIN_JPEG_QUALITY <= quality < 92


def test_budget_below_the_quality_floor_shrinks_the_image() -> None:
    tiny = ImageLimits("tiny", frozenset({"JPEG"}), 40_000, False, 15, 4096)
    prepared = prepare(encode(document(1500, 1000), "JPEG", quality=95), tiny)
    assert len(prepared.data) <= 40_000
    assert prepared.width < 1500
    assert "image.downscaled" in codes(prepared)


def test_findings_say_nothing_personal_only_sizes_and_formats() -> None:
    prepared = prepare(jpeg(5000, 3000, exif=exif_with_orientation(8)), VENDORS["tencent"].limits)
    for finding in prepared.findings:
        assert finding.severity.value == "info"
        assert finding.code.startswith("image.")


# --- the event-only check used for URL mode -----------------------------------------------


def test_likely_compliant_reads_size_and_suffix() -> None:
    assert likely_compliant(2_000_000, "in/a b.JPG", VENDORS["tencent"].limits)
    assert not likely_compliant(2_000_000, "in/a.tif", VENDORS["tencent"].limits)
    assert not likely_compliant(6_000_000, "in/a.jpg", VENDORS["tencent"].limits)  # 8 MB as base64
    assert not likely_compliant(None, "in/a.jpg", VENDORS["tencent"].limits)
    assert likely_compliant(15_000_000, "in/a.png", VENDORS["local"].limits)


# --- real specimens (reference data beside the checkout; skipped when absent) --------------


@pytest.mark.skipif(not SPECIMENS.is_dir(), reason="specimen images not present")
@pytest.mark.parametrize("limits", [VENDORS[name].limits for name in cloud_vendors()])
def test_every_specimen_prepares_for_every_provider(limits: ImageLimits) -> None:
    photos = sorted(SPECIMENS.glob("*.jpg")) + sorted(SPECIMENS.glob("*.png"))
    assert photos
    for photo in photos:
        prepared = prepare(photo.read_bytes(), limits)
        assert prepared.format in limits.formats
        assert max(prepared.width, prepared.height) <= limits.max_side
        assert encoded_size(len(prepared.data), limits) <= limits.max_encoded_bytes


# --- the vendor's recommended size ------------------------------------------------------------

TENCENT = VENDORS["tencent"].limits


@pytest.mark.parametrize(
    ("width", "height", "advised"),
    [
        (800, 500, False),  # landscape page at the recommendation
        (500, 800, False),  # either orientation
        (799, 600, True),  # long side short
        (900, 499, True),  # short side short
        (1600, 1000, False),
    ],
)
def test_an_image_under_tencent_s_recommended_size_is_sent_with_an_info_finding(
    width: int, height: int, advised: bool
) -> None:
    prepared = prepare(jpeg(width, height), TENCENT)
    assert prepared.data[:2] == b"\xff\xd8"  # still sent: a recommendation, not a limit
    assert ("image.below_recommended_size" in codes(prepared)) is advised
    if advised:
        (finding,) = [f for f in prepared.findings if f.code == "image.below_recommended_size"]
        assert finding.severity.value == "info" and "500x800" in finding.message


def test_the_advice_applies_to_the_size_sent_after_conversion() -> None:
    big_webp = encode(document(1200, 750), "WEBP")
    prepared = prepare(big_webp, TENCENT)
    assert "image.converted" in codes(prepared)
    assert "image.below_recommended_size" not in codes(prepared)


def test_vendors_without_a_recommendation_give_no_advice() -> None:
    assert VENDORS["huawei"].limits.recommended_sides is None
    assert "image.below_recommended_size" not in codes(
        prepare(jpeg(300, 200), VENDORS["huawei"].limits)
    )
