"""`passport-ocr engine prepare [--cache-dir DIR] [--rebuild]`: build the offline engine's
int8 model ahead of use.

`PASSPORT_OCR_LOCAL_PRECISION=int8` runs the offline engine on an int8 copy of its model,
which is built on this machine the first time it is needed (about 40 s on one core) and
cached. This verb builds it now (a container image's build step, say), or finds it, and
prints what it did as JSON: the file, its size, whether it was built and how long that took.
Exit 0 when the model is ready, 2 when it cannot be built here (the `local` extra missing).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from passport_ocr.config import load_settings
from passport_ocr.tools.cli._common import EXIT_OK, add_verb, fail, write_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = add_verb(
        subparsers,
        "engine",
        help="prepare the offline engine: build its int8 model ahead of use",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    prepare = actions.add_parser(
        "prepare",
        help="build (or find) the int8 model of PASSPORT_OCR_LOCAL_PRECISION=int8",
        description="Build the int8 model from generated pages, or find it in the cache.",
    )
    prepare.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="where to keep it (default: PASSPORT_OCR_CACHE_DIR, else "
        "$XDG_CACHE_HOME/passport-ocr or ~/.cache/passport-ocr)",
    )
    prepare.add_argument(
        "--rebuild", action="store_true", help="build it again even when the cache has it"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Heavy (NumPy, OpenCV, onnxruntime): only for this verb.
    from passport_ocr.tools.ocr import quantize  # noqa: PLC0415
    from passport_ocr.tools.ocr.recognize import Recognizer  # noqa: PLC0415

    cache = quantize.cache_dir(args.cache_dir or load_settings().cache_dir)
    if args.rebuild:
        quantize.remove_cached_models(cache)
    recognizer = Recognizer(threads=1, precision="int8", cache=cache)
    try:
        recognizer.warm_up()
    except quantize.Int8ModelError as error:
        if getattr(args, "debug", False):
            raise
        return fail(error)
    model = recognizer.int8_model
    assert model is not None  # set by every int8 load
    write_json(
        {
            "precision": "int8",
            "runtime": recognizer.runtime,
            "model": recognizer.name,
            "path": str(model.path),
            "size_bytes": model.size_bytes,
            "built": model.built,
            "build_seconds": round(model.seconds, 1),
            "calibration_crops": model.crops,
            "recipe": quantize.RECIPE_VERSION,
        }
    )
    return EXIT_OK
