"""What every verb shares: the `--debug` flag, JSON output, one-line errors."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, Final

from passport_ocr.errors import PassportOcrError

EXIT_OK: Final = 0
EXIT_NEGATIVE: Final = 1
EXIT_UNUSABLE: Final = 2


def add_verb(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand parser that also accepts `--debug` after the verb."""
    parser = subparsers.add_parser(name, help=help, description=description or help)
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps a --debug given before the verb
        help="show a traceback instead of a one-line error",
    )
    return parser


def iso_date(value: str) -> date:
    """argparse type for YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None


def write_json(value: Any) -> None:
    """Pretty JSON on stdout, non-ASCII kept as is (Chinese names stay readable)."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def fail(error: BaseException) -> int:
    """One line on stderr, no traceback; the exit code for unusable input."""
    if isinstance(error, PassportOcrError):
        reason = f"{error.message} [{error.code}]"
    elif isinstance(error, json.JSONDecodeError):
        reason = f"not valid JSON (line {error.lineno}, column {error.colno})"
    elif isinstance(error, UnicodeDecodeError):
        reason = "the input is not UTF-8 text"
    elif isinstance(error, OSError):
        reason = f"cannot read {error.filename or 'the input'}: {error.strerror or error}"
    else:
        reason = str(error)
    sys.stderr.write(f"passport-ocr: error: {reason}\n")
    return EXIT_UNUSABLE
