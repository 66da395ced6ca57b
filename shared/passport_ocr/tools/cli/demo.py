"""`passport-ocr demo`: the whole AWS pipeline on this machine, with no account.

moto's S3, SNS and SQS run in this process on 127.0.0.1. The bundled specimen images (or
yours, with --images) are uploaded to a bucket whose notifications go to an SQS queue; the
real Lambda handler (functions/aws/app.py) processes those notifications with the offline
OCR engine and publishes CloudEvents to an SNS topic; the events that reach the topic's
subscriber queue are printed as a table. Exit 0 when every upload gave an event.
"""

from __future__ import annotations

import argparse
import json
import sys

from passport_ocr.tools.cli._common import EXIT_NEGATIVE, EXIT_OK, add_verb
from passport_ocr.tools.words import counted


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "demo",
        help="run the whole AWS pipeline locally (moto + the real Lambda handler + offline OCR)",
        description=__doc__,
    )
    parser.add_argument(
        "--images",
        nargs="+",
        default=None,
        metavar="PATH",
        help="image files or folders to upload (default: the bundled specimens)",
    )
    parser.add_argument(
        "--payload",
        choices=("masked", "full", "reference"),
        default="masked",
        help="what the events carry (PASSPORT_OCR_PAYLOAD; default: %(default)s)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the CloudEvents as JSON lines, not a table"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="also show the handler's own (JSON) log lines"
    )
    parser.add_argument(
        "--functions-dir",
        default=None,
        help="the repository's functions/ folder (default: found from the checkout)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from passport_ocr.tools import demo  # noqa: PLC0415 (moto and boto3: only when asked)
    from passport_ocr.tools.invocation import functions_dir  # noqa: PLC0415

    images = demo.images_from(args.images) if args.images else demo.bundled_images()
    result = demo.run_demo(
        images,
        folder=functions_dir(args.functions_dir),
        payload=args.payload,
        log=sys.stderr,
    )
    if args.verbose:
        sys.stderr.write(result.handler_output)
    if args.json:
        for event in result.events:
            sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
    else:
        demo.main_output(result, sys.stdout)
    complete = len(result.events) == len(result.uploaded) and result.failed_messages == 0
    if not complete:
        sys.stderr.write(
            f"passport-ocr: {counted(len(result.uploaded), 'upload')}, "
            f"{counted(len(result.events), 'event')}, "
            f"{counted(result.failed_messages, 'failed message')}\n"
        )
    return EXIT_OK if complete else EXIT_NEGATIVE
