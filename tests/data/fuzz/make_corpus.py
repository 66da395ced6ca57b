"""Writes the fuzz seed corpus beside this file: one tiny image of every format the
preflight sniffs (run once; the files are committed, so the fuzz test needs no generator)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent


def page(mode: str, size: tuple[int, int] = (48, 32)) -> Image.Image:
    image = Image.new(mode, size, 0 if mode in ("L", "P", "1", "I;16") else (230, 230, 230))
    ImageDraw.Draw(image).rectangle((4, 4, 30, 20), fill=1 if mode in ("P", "1") else 128)
    return image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def main() -> None:
    frames = [page("P") for _ in range(3)]
    for index, frame in enumerate(frames):
        ImageDraw.Draw(frame).line((0, index, 47, index), fill=2)
    seeds = {
        "rgb.jpg": encode(page("RGB"), "JPEG", quality=80),
        "cmyk.jpg": encode(page("CMYK"), "JPEG"),
        "rgb.png": encode(page("RGB"), "PNG"),
        "rgba.png": encode(page("RGBA"), "PNG"),
        "grey16.png": encode(page("I;16"), "PNG"),
        "palette.png": encode(page("P"), "PNG"),
        "frames.gif": encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
        "rgb.bmp": encode(page("RGB"), "BMP"),
        "pages.tif": encode(page("L"), "TIFF", save_all=True, append_images=[page("L")]),
        "rgb.webp": encode(page("RGB"), "WEBP", quality=80),
    }
    for name, data in seeds.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
