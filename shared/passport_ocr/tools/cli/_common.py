"""What every verb shares: the `--debug` flag, JSON output, one-line errors."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Final

from passport_ocr.errors import PassportOcrError

EXIT_OK: Final = 0
EXIT_NEGATIVE: Final = 1
EXIT_UNUSABLE: Final = 2
#: 128 + SIGINT, as shells report a command stopped by Ctrl-C.
EXIT_INTERRUPTED: Final = 130


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


def at_least_one(value: str) -> int:
    """argparse type for a count of one or more."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def non_negative_rate(value: str) -> float:
    """argparse type for requests per second: 0 (no limit) or more."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {value!r}") from None
    if not number >= 0 or number == float("inf"):  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or a positive rate, not {value}")
    return number


def price_per_thousand(value: str) -> tuple[float, str]:
    """argparse type for a price per 1,000 calls: `AMOUNT [CURRENCY]`, e.g. `2.5 USD`."""
    amount, _, currency = value.strip().partition(" ")
    try:
        number = float(amount)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected AMOUNT [CURRENCY], not {value!r}") from None
    if not 0 <= number < float("inf"):
        raise argparse.ArgumentTypeError(f"a price is 0 or more, not {amount}")
    return number, currency.strip().upper()


#: `--fail-on`: the statuses that make the command exit 1, by the worst status allowed.
FAIL_ON: Final = {
    "invalid": frozenset({"invalid"}),
    "needs_review": frozenset({"invalid", "needs_review"}),
}


def add_fail_on(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fail-on",
        choices=tuple(FAIL_ON),
        default=None,
        help="exit 1 when a record is invalid, or needs review or is invalid (default: exit 0 "
        "for any record; `mrz` exits 1 on an invalid MRZ by itself)",
    )


def fails(status: str | None, fail_on: str | None) -> bool:
    """Whether a record of this status fails the command under --fail-on."""
    return fail_on is not None and status in FAIL_ON[fail_on]


#: `source` in JSON output when the input came from stdin.
STDIN: Final = "-"


def file_key(path: Path) -> str:
    """The key a local file has as an object, as `recognize` reads it: one store over the
    whole filesystem, its first folder the bucket (/home/a/scan.jpg: bucket home, key
    a/scan.jpg). JSON output gives it as `key`, beside `source`, the name the user gave."""
    return "/".join(path.resolve().parts[2:])


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
