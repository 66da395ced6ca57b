"""`passport-ocr events sample --platform P`: a realistic trigger event to start from.

Pipe it into `passport-ocr invoke --platform P --event -` or save it and edit it.
"""

from __future__ import annotations

import argparse

from passport_ocr.tools.cli._common import EXIT_OK, add_verb, write_json
from passport_ocr.tools.event_samples import DEFAULT_KEY, SHAPES, sample_event

PLATFORMS = tuple(SHAPES)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(subparsers, "events", help="trigger events: print a realistic sample")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sample = actions.add_parser(
        "sample",
        help="print one upload's trigger event as the platform delivers it",
        description="Print one upload's trigger event as the platform delivers it. Shapes: "
        + "; ".join(f"{name}: {', '.join(shapes)}" for name, shapes in SHAPES.items())
        + " (the first is what this project's infrastructure wires up).",
    )
    sample.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps a --debug given before the verb
        help="show a traceback instead of a one-line error",
    )
    sample.add_argument(
        "--platform", required=True, choices=PLATFORMS, help="the platform whose trigger (required)"
    )
    sample.add_argument(
        "--shape",
        default=None,
        choices=sorted({shape for shapes in SHAPES.values() for shape in shapes}),
        help="the trigger's shape (default: the platform's first)",
    )
    sample.add_argument(
        "--bucket", default=None, help="bucket (COS: name-appid; default: a sample bucket)"
    )
    sample.add_argument("--key", default=DEFAULT_KEY, help="object key (default: %(default)s)")
    sample.add_argument(
        "--size", type=int, default=84_508, help="object size in bytes (default: %(default)s)"
    )
    sample.add_argument(
        "--region", default=None, help="the bucket's region (default: a sample region)"
    )
    sample.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    event = sample_event(
        args.platform,
        shape=args.shape,
        bucket=args.bucket,
        key=args.key,
        size=args.size,
        region=args.region,
    )
    write_json(event)
    return EXIT_OK
