"""`passport-ocr normalize [--vendor V] FILE.json`: one vendor answer -> a PassportRecord.

`--vendor auto` (the default) finds the format whose mapper reads the most from the answer.
An answer that states none of the fields of the named format is refused (exit 2), never an
empty record. Prints the record in the document `recognize` prints for each image:
`source` (FILE as given, `-` for stdin), `key` (the file as an object, null for stdin),
`status`, `findings` (codes) and `record`. Exit 0 with a record, 1 when `--fail-on` says
so, 2 on unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from passport_ocr.mapping import detect_format, to_record
from passport_ocr.tools.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    STDIN,
    add_fail_on,
    add_verb,
    fails,
    file_key,
    iso_date,
    write_json,
)
from passport_ocr.vendors import FORMAT_VENDOR

#: The formats a user can name (`local` answers come from the offline engine's own verb).
VENDORS = tuple(fmt for fmt, vendor in FORMAT_VENDOR.items() if vendor != "local")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "normalize",
        help="map a saved vendor answer (JSON) to a checked PassportRecord",
    )
    parser.add_argument(
        "--vendor",
        choices=("auto", *VENDORS),
        default="auto",
        help="the answer's format (default: auto, detected from the answer)",
    )
    parser.add_argument("file", metavar="FILE.json", help="the vendor's JSON answer; - for stdin")
    parser.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date to check expiry against (default: today)",
    )
    parser.add_argument(
        "--request-id", default=None, help="the vendor request id, if known (default: none)"
    )
    add_fail_on(parser)
    parser.set_defaults(handler=run)


def read_json(source: str) -> Any:
    if source == STDIN:
        return json.loads(sys.stdin.buffer.read().decode("utf-8"))
    return json.loads(Path(source).read_bytes().decode("utf-8"))


def run(args: argparse.Namespace) -> int:
    answer = read_json(args.file)
    fmt = detect_format(answer) if args.vendor == "auto" else args.vendor
    record = to_record(fmt, answer, today=args.today, request_id=args.request_id)
    write_json(
        {
            "source": args.file,
            "key": None if args.file == STDIN else file_key(Path(args.file)),
            "status": record.status.value,
            "findings": record.finding_codes(),
            "record": record.model_dump(mode="json"),
        }
    )
    return EXIT_NEGATIVE if fails(record.status.value, args.fail_on) else EXIT_OK
