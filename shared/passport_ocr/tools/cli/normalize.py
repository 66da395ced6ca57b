"""`passport-ocr normalize --vendor V FILE.json`: one vendor answer -> a PassportRecord."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from passport_ocr.mapping import to_record
from passport_ocr.tools.cli._common import EXIT_OK, add_verb, iso_date, write_json
from passport_ocr.vendors import FORMAT_VENDOR

#: The formats a user can name (`local` answers come from the offline engine's own verb).
VENDORS = tuple(fmt for fmt, vendor in FORMAT_VENDOR.items() if vendor != "local")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "normalize",
        help="map a saved vendor answer (JSON) to a checked PassportRecord",
    )
    parser.add_argument("--vendor", required=True, choices=VENDORS, help="the answer's format")
    parser.add_argument("file", metavar="FILE.json", help="the vendor's JSON answer; - for stdin")
    parser.add_argument(
        "--today", type=iso_date, default=None, help="the date to check expiry against"
    )
    parser.add_argument("--request-id", default=None, help="the vendor request id, if known")
    parser.set_defaults(handler=run)


def read_json(source: str) -> Any:
    if source == "-":
        return json.loads(sys.stdin.buffer.read().decode("utf-8"))
    return json.loads(Path(source).read_bytes().decode("utf-8"))


def run(args: argparse.Namespace) -> int:
    record = to_record(
        args.vendor, read_json(args.file), today=args.today, request_id=args.request_id
    )
    write_json(record.model_dump(mode="json"))
    return EXIT_OK
