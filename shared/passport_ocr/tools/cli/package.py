"""`passport-ocr package --platform P [--arch A] [--output ZIP] [--with-vendor V]`: a
deployment zip.

Builds the zip the platform deploys (see `passport_ocr.tools.bundle`) and prints the size
report. Needs a package index (pip) and the runtime's Python for the `.pyc`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from passport_ocr.clouds import FUNCTION_CLOUDS
from passport_ocr.tools.bundle import BUNDLED_VENDORS
from passport_ocr.tools.cli._common import EXIT_OK, EXIT_UNUSABLE, add_verb

PLATFORMS = FUNCTION_CLOUDS
ARCHITECTURES = ("x86_64", "arm64")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "package",
        help="build a platform's deployment zip (handler, passport_ocr, dependencies, .pyc)",
    )
    parser.add_argument(
        "--platform", required=True, choices=PLATFORMS, help="whose bundle to build (required)"
    )
    parser.add_argument(
        "--arch",
        default="x86_64",
        choices=ARCHITECTURES,
        help="the function's CPU architecture (default: %(default)s)",
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="the zip to write (default: dist/...)"
    )
    parser.add_argument(
        "--with-vendor",
        dest="vendors",
        action="append",
        default=[],
        choices=BUNDLED_VENDORS,
        metavar="VENDOR",
        help="also carry this OCR vendor's client, for a function that calls another "
        "cloud's OCR (and, for it, this cloud's secret-store SDK); repeatable; one of "
        f"{', '.join(BUNDLED_VENDORS)} (default: the cloud's own vendors only)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the builder is only needed by this verb.
    from passport_ocr.tools.bundle import BundleError, build  # noqa: PLC0415

    try:
        report = build(
            args.platform, arch=args.arch, output=args.output, vendors=tuple(args.vendors)
        )
    except BundleError as error:
        if getattr(args, "debug", False):
            raise
        sys.stderr.write(f"passport-ocr: error: {error}\n")
        return EXIT_UNUSABLE
    sys.stdout.write(report.format() + "\n")
    return EXIT_OK
