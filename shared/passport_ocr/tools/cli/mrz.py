"""`passport-ocr mrz LINE [LINE...]`: read, check and repair one MRZ."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from passport_ocr.errors import ConfigError
from passport_ocr.tools.cli._common import EXIT_NEGATIVE, EXIT_OK, add_verb, iso_date, write_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "mrz",
        help="parse and check an ICAO 9303 MRZ (exit 0 valid, 1 invalid, 2 unusable)",
    )
    parser.add_argument(
        "lines",
        nargs="+",
        metavar="LINE",
        help="the MRZ lines, top first (quote them: '<' is special to shells); - for stdin",
    )
    parser.add_argument(
        "--no-repair",
        action="store_true",
        help="report check digits without repairing (default: repair lookalike characters)",
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        default=None,
        help="YYYY-MM-DD to resolve and check dates against (default: today)",
    )
    parser.set_defaults(handler=run)


def mrz_lines(arguments: list[str]) -> list[str]:
    """The lines: `-` reads stdin; an argument holding newlines is several lines."""
    lines: list[str] = []
    for argument in arguments:
        if argument != "-" and _is_image_file(argument):
            raise ConfigError(
                f"{argument} is an image file: `mrz` reads MRZ text; to read an image, "
                f"use `passport-ocr recognize {argument}`"
            )
        text = sys.stdin.read() if argument == "-" else argument
        lines.extend(line for line in text.splitlines() if line.strip())
    return lines


def _is_image_file(argument: str) -> bool:
    """An existing file whose name says image: never MRZ text (which has no dot)."""
    from passport_ocr.images import SUFFIX_FORMATS  # noqa: PLC0415

    path = Path(argument)
    return path.suffix.lower() in {*SUFFIX_FORMATS, ".webp", ".gif", ".heic", ".pdf"} and (
        path.is_file()
    )


def run(args: argparse.Namespace) -> int:
    # Imported here so that `passport-ocr --help` does not need the engine loaded.
    from passport_ocr.mrz import read_mrz  # noqa: PLC0415

    reading = read_mrz(mrz_lines(args.lines), repair=not args.no_repair, today=args.today)
    output = reading.to_json()
    write_json(json.loads(output) if isinstance(output, str) else output)
    return EXIT_OK if reading.mrz.valid else EXIT_NEGATIVE
