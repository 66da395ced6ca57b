"""`passport-ocr invoke --platform P --event EVENT.json`: run the real handler locally.

The handler module from `functions/<platform>/` is imported the way its platform does
(settings read from the environment at import; `--env` sets more first) and called once
with the event and a context object of that platform; its return value is printed.
Exit 0 when the handler returned, 1 when it raised (the platform would retry), 2 on bad
usage or configuration.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from passport_ocr.clouds import FUNCTION_CLOUDS
from passport_ocr.errors import ConfigError
from passport_ocr.tools.cli._common import EXIT_NEGATIVE, EXIT_OK, add_verb, write_json

PLATFORMS = FUNCTION_CLOUDS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "invoke",
        help="run a function handler locally on a trigger event",
        description=__doc__,
    )
    parser.add_argument(
        "--platform", required=True, choices=PLATFORMS, help="whose handler runs (required)"
    )
    parser.add_argument(
        "--event",
        required=True,
        metavar="EVENT.json",
        help="the trigger event; - for stdin (required)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the function (repeatable), e.g. "
        "PASSPORT_OCR_PROVIDER=local (default: none beyond this shell's environment)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="the function's timeout in seconds (default: %(default)g)",
    )
    parser.add_argument(
        "--functions-dir",
        default=None,
        help="the repository's functions/ folder (default: found from the checkout)",
    )
    parser.set_defaults(handler=run)


def parse_env(pairs: list[str]) -> dict[str, str]:
    env: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--env takes NAME=VALUE, not {pair!r}")
        env[name.strip()] = value
    return env


def read_event(source: str) -> Any:
    if source == "-":
        return json.loads(sys.stdin.buffer.read().decode("utf-8"))
    return json.loads(Path(source).read_bytes().decode("utf-8"))


def run(args: argparse.Namespace) -> int:
    from passport_ocr.tools.invocation import functions_dir, invoke  # noqa: PLC0415

    event = read_event(args.event)
    env = parse_env(args.env)
    if args.timeout <= 0:
        raise ConfigError("--timeout must be positive")
    folder = functions_dir(args.functions_dir)
    try:
        result = invoke(
            args.platform, event, env=env, folder=folder, timeout_ms=int(args.timeout * 1000)
        )
    except ConfigError:
        raise  # settings or credentials: exit 2 with the one-line reason
    except Exception as error:  # what the platform would see as a failed invocation
        if getattr(args, "debug", False):
            raise
        sys.stderr.write(f"passport-ocr: the handler raised {type(error).__name__}: {error}\n")
        return EXIT_NEGATIVE
    write_json(result)
    return EXIT_OK
