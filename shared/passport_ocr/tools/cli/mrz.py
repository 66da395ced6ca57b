"""`passport-ocr mrz LINE [LINE...]`: read, check and repair one MRZ.

JSON (the default) starts with `source` and `key` as `recognize` and `normalize` do: the
source is `-` when the lines came from stdin, `argv` when they were arguments; `key` is
null (an MRZ typed in is no stored object). `--format text` prints the same reading as
`field: value` lines. Exit 0 valid, 1 invalid, 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from passport_ocr.errors import ConfigError
from passport_ocr.tools.cli._common import EXIT_NEGATIVE, EXIT_OK, add_verb, iso_date, write_json
from passport_ocr.tools.cli._render import severity_rank

FORMATS = ("json", "text")


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
        metavar="YYYY-MM-DD",
        help="the date to resolve and check dates against (default: today)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="output: JSON, or text with one field per line (default: %(default)s)",
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
    fields = json.loads(output) if isinstance(output, str) else output
    document = {"source": "-" if "-" in args.lines else "argv", "key": None, **fields}
    if args.format == "text":
        sys.stdout.write(reading_text(document))
    else:
        write_json(document)
    return EXIT_OK if reading.mrz.valid else EXIT_NEGATIVE


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _value(value: Any) -> str:
    """A field as text: a date as `ISO (raw)`, a missing value as `-`."""
    if isinstance(value, dict):
        iso, raw = value.get("iso"), value.get("raw")
        return f"{iso} ({raw})" if iso else str(raw or "-")
    return "-" if value in (None, "") else str(value)


def reading_text(document: dict[str, Any]) -> str:
    """The reading as `name: value` lines, from the same document the JSON prints (so the
    two never disagree): fields, check digits, repairs (1-based line and character), then
    the findings with their severity, most serious first."""
    lines = [
        f"format: {document.get('format')}",
        f"valid: {_yes(document.get('valid'))} (strict: {_yes(document.get('valid_strict'))})",
    ]
    lines += [f"{name}: {_value(value)}" for name, value in (document.get("fields") or {}).items()]
    checks = document.get("check_digits") or {}
    lines.append(
        "check digits: "
        + (", ".join(f"{name} {'ok' if ok else 'FAILED'}" for name, ok in checks.items()) or "-")
    )
    repairs = [
        f"line {repair['line'] + 1}, character {repair['position'] + 1}: "
        f"{repair['original']} -> {repair['replacement']} "
        f"({repair.get('field') or '-'}; {repair['reason']})"
        for repair in document.get("repairs") or []
    ]
    findings = sorted(
        document.get("findings") or [], key=lambda found: severity_rank(found["severity"])
    )
    lines += _block("repairs", repairs)
    lines += _block(
        "findings",
        [f"{found['severity']}: {found['code']}: {found['message']}" for found in findings],
    )
    return "\n".join(lines) + "\n"


def _block(title: str, items: list[str]) -> list[str]:
    """`title: none`, or the title and one indented line per item."""
    return [f"{title}: none"] if not items else [f"{title}:", *(f"  {item}" for item in items)]
