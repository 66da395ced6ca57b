"""Image preflight cost: the header-only passthrough against the conversion paths.

Run: .venv/bin/python bench/preflight.py [--runs N]
Prints the median (and p90) time of `prepare` per case, and, for scale, a full decode of
the same compliant JPEG (what a decode-always preflight would pay at the least).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "shared"))

from PIL import Image

from passport_ocr.images import (
    ImageLimits,
    prepare,
)
from passport_ocr.vendors import VENDORS


def photo(width: int, height: int) -> Image.Image:
    """A camera-like picture: smooth shading plus sensor noise (realistic JPEG sizes)."""
    noise = Image.effect_noise((width, height), 18)
    shade = Image.linear_gradient("L").resize((width, height))
    base = Image.blend(noise, shade, 0.6)
    return Image.merge("RGB", [base, base.point(lambda v: v * 0.95), base.point(lambda v: v * 0.9)])


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.9 * (len(samples) - 1))]


def full_decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    exif = Image.Exif()
    exif[0x0112] = 6
    compliant = encode(photo(2400, 1700), "JPEG", quality=97)  # about 2 MB
    deep = Image.new("I;16", (2000, 1400))
    deep.paste(photo(2000, 1400).convert("I").point(lambda v: v * 256).convert("I;16"))
    cases: list[tuple[str, bytes, ImageLimits]] = [
        ("compliant JPEG passthrough", compliant, VENDORS["huawei"].limits),
        (
            "12 MP JPEG, EXIF-rotated",
            encode(photo(4000, 3000), "JPEG", quality=90, exif=exif.tobytes()),
            VENDORS["tencent"].limits,
        ),
        (
            "24 MP JPEG > 4096 px (draft+Lanczos)",
            encode(photo(6000, 4000), "JPEG", quality=90),
            VENDORS["huawei"].limits,
        ),
        (
            "WEBP -> JPEG for Tencent",
            encode(photo(2000, 1400), "WEBP", quality=90),
            VENDORS["tencent"].limits,
        ),
        (
            "CMYK JPEG -> RGB JPEG",
            encode(photo(2000, 1400).convert("CMYK"), "JPEG", quality=90),
            VENDORS["huawei"].limits,
        ),
        ("16-bit PNG -> 8-bit PNG", encode(deep, "PNG"), VENDORS["huawei"].limits),
    ]
    print(f"image preflight, {runs} runs per case (ms)")
    print(f"{'case':42} {'input':>10} {'median':>8} {'p90':>8}  result")
    for name, data, limits in cases:
        prepared = prepare(data, limits)
        median, p90 = timed(lambda d=data, lim=limits: prepare(d, lim), runs)
        size = f"{prepared.width}x{prepared.height}"
        result = f"{prepared.format} {size} {len(prepared.data) / 1e6:.2f} MB"
        print(f"{name:42} {len(data) / 1e6:>8.2f}MB {median:>8.2f} {p90:>8.2f}  {result}")
    median, p90 = timed(lambda: full_decode(compliant), runs)
    name = "(reference) full decode of that JPEG"
    print(f"{name:42} {len(compliant) / 1e6:>8.2f}MB {median:>8.2f} {p90:>8.2f}")


if __name__ == "__main__":
    main()
