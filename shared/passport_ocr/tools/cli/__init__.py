"""The `passport-ocr` command.

Verbs are discovered, not listed: every module in this package whose name does not start
with "_" and that has `register(subparsers)` adds one subcommand. `register` calls
`passport_ocr.tools.cli._common.add_verb(...)` and sets `handler=run` on its parser, where
`run(args) -> int` returns the exit code. Verb modules import only the core package at
module level (optional SDKs inside `run`), so `passport-ocr --help` works on any install.

Exit codes: 0 success, 1 a verb's negative verdict (e.g. an invalid MRZ), 2 unusable
input or usage, or a package this use needs is not installed (one line on stderr naming the
extra; `--debug` shows the traceback instead), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import pkgutil
import sys
from collections.abc import Sequence

from passport_ocr import __version__
from passport_ocr.clouds import CLOUDS
from passport_ocr.errors import PassportOcrError
from passport_ocr.tools.cli._common import EXIT_INTERRUPTED, EXIT_UNUSABLE, fail

#: Optional packages, by top-level module, and the extra that installs each: each cloud's
#: from its descriptor, the rest here.
EXTRA_FOR_MODULE: dict[str, str] = {
    **{module: cloud.extra for cloud in CLOUDS.values() for module in cloud.sdk_modules},
    "huaweicloudsdkcsms": "huaweicloud-secrets",
    "huaweicloudsdkfunctiongraph": "huaweicloud-backfill",
    "rapidocr": "local",
    "onnxruntime": "local",
    "openvino": "local-fast",
    "pillow_heif": "heif",
    "pypdfium2": "pdf",
}


def missing_package(error: ModuleNotFoundError) -> int:
    """One line naming the extra that brings the missing module, instead of a traceback."""
    root = (error.name or "").split(".")[0]
    extra = EXTRA_FOR_MODULE.get(root)
    hint = (
        f"pip install 'passport-ocr-functions[{extra}]'"
        if extra
        else "reinstall passport-ocr-functions"
    )
    sys.stderr.write(
        f"passport-ocr: error: this needs the {root!r} package, not installed: {hint}\n"
    )
    return EXIT_UNUSABLE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="passport-ocr",
        description="Passport scans to validated, ICAO 9303-checked records.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback instead of a one-line error"
    )
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    logger = logging.getLogger("passport_ocr")
    quiet = logging.NullHandler()
    if not args.debug and args.verb != "invoke":
        # The pipeline's logs speak to a function's operator ("the platform will retry");
        # the command says what happened in its own words. --debug shows them. Restored
        # afterwards: `invoke` runs a handler whose logs are its output.
        logger.addHandler(quiet)
        logger.propagate = False
    try:
        return _run(args)
    finally:
        logger.removeHandler(quiet)
        logger.propagate = True


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.handler(args)
    except ModuleNotFoundError as error:
        if args.debug:
            raise
        return missing_package(error)
    except (PassportOcrError, json.JSONDecodeError, OSError, UnicodeDecodeError) as error:
        if args.debug:
            raise
        return fail(error)
    except KeyboardInterrupt:
        sys.stderr.write("passport-ocr: interrupted\n")
        return EXIT_INTERRUPTED
    return code


__all__ = ["build_parser", "main"]
