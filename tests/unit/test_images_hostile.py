"""Hostile uploads the preflight must refuse with a typed error: corrupt later frames, and
images whose decode would not fit the memory budget (measured in a fresh process)."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib

import pytest
from PIL import Image, ImageDraw

from passport_ocr.errors import ImageError
from passport_ocr.images import prepare
from passport_ocr.vendors import VENDORS

LIMITS = VENDORS["huawei"].limits
#: Pillow warns of the EXIF of cut TIFFs before it fails: the outcome is what is tested.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")


def _multi_frame(fmt: str) -> bytes:
    frames = []
    for index in range(3):
        frame = Image.new("P" if fmt == "GIF" else "L", (120, 80), 0)
        ImageDraw.Draw(frame).rectangle(
            (index * 10, index * 10, 60 + index * 10, 40 + index * 10), fill=index + 1
        )
        frames.append(frame)
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:])
    return out.getvalue()


def _tiff_whose_later_pages_have_no_size() -> bytes:
    data = bytearray(_multi_frame("TIFF"))
    first_ifd = struct.unpack_from("<I", data, 4)[0]
    count = struct.unpack_from("<H", data, first_ifd)[0]
    second_ifd = struct.unpack_from("<I", data, first_ifd + 2 + 12 * count)[0]
    for index in range(struct.unpack_from("<H", data, second_ifd)[0]):
        at = second_ifd + 2 + 12 * index
        if struct.unpack_from("<H", data, at)[0] in (256, 257):  # ImageWidth, ImageLength
            struct.pack_into("<H", data, at, 65000 + index)  # now an unknown tag
    return bytes(data)


def _outcome(data: bytes) -> str:
    """What the preflight does with `data`: only a result or a typed refusal may come out."""
    try:
        prepare(data, LIMITS)
    except ImageError as error:
        return error.code
    return "prepared"


@pytest.mark.parametrize("fmt", ["GIF", "TIFF"])
def test_every_cut_of_a_multi_frame_file_is_prepared_or_refused_typed(fmt: str) -> None:
    """A file cut inside a later frame made `n_frames` raise IndexError or struct.error."""
    data = _multi_frame(fmt)
    outcomes = {_outcome(data[:cut]) for cut in range(1, len(data))}
    assert outcomes <= {"prepared", "image.truncated", "image.corrupt", "image.not_an_image"}
    assert "image.truncated" in outcomes or "image.corrupt" in outcomes


def test_a_tiff_page_without_dimensions_is_corrupt() -> None:
    assert _outcome(_tiff_whose_later_pages_have_no_size()) in ("image.corrupt", "prepared")


def _png(mode: str, side: int) -> bytes:
    """A valid PNG of `side` x `side` px, all zero (compresses to a few hundred KB)."""
    depth, colour = {"RGBA": (8, 6), "I;16": (16, 0)}[mode]
    bytes_per_row = side * {"RGBA": 4, "I;16": 2}[mode] + 1
    raw = zlib.compress(b"\0" * bytes_per_row * side, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


#: Runs in a fresh interpreter: peak RSS growth of one preflight, in MB, and its outcome.
_CHILD = """
import json, resource, sys
from passport_ocr.images import prepare
from passport_ocr.errors import ImageError
from passport_ocr.vendors import VENDORS
import PIL.Image, PIL.PngImagePlugin, PIL.JpegImagePlugin
data = sys.stdin.buffer.read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    prepare(data, VENDORS["huawei"].limits)
    outcome = "prepared"
except ImageError as error:
    outcome = error.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "grew_mb": (after - before) / 1024}))
"""


@pytest.mark.parametrize(
    ("mode", "side"), [("RGBA", 9400), ("I;16", 9486)], ids=["rgba-9400", "grey16-9486"]
)
def test_an_image_too_large_to_decode_is_refused_within_the_memory_target(
    mode: str, side: int
) -> None:
    data = _png(mode, side)
    assert len(data) < 2 * 1024 * 1024  # small on the wire: the attack of the issue
    run = subprocess.run(
        [sys.executable, "-c", _CHILD], input=data, capture_output=True, timeout=120, check=True
    )
    result = json.loads(run.stdout)
    assert result["outcome"] == "image.too_large"
    assert result["grew_mb"] < 300  # issue 13's target: at most 300 MB above the baseline
