"""An int8 copy of the recognition model for onnxruntime, built once on this machine.

Why: the model's reads are ~85 % of a page's time on onnxruntime (cProfile of real TD3
pages), so a cheaper read is the one way left to a faster page. The wheel ships a
float model only, so the int8 model is made here, from the narrowed float model
(`recognize.narrow_onnx_output`), and kept in a cache (`cache_dir`, or the setting
`PASSPORT_OCR_CACHE_DIR`).

The recipe (`RECIPE_VERSION`), chosen by reading real and generated photos with each
candidate (see the README's engine section):
- onnxruntime static quantisation, QDQ format, weights int8 per output channel, with
  `reduce_range` (7-bit weights, which "may improve the accuracy ... on non-VNNI
  machine, especially for per-channel mode": onnxruntime 1.32,
  `onnxruntime/quantization/quantize.py`, `QuantConfig`, lines 79-81), activations uint8,
  MinMax calibration;
- only the convolutions and the MatMuls with a weight are quantised. The four MatMuls of
  the attention blocks (both inputs are activations) stay float: a recipe that
  quantised them too, without `reduce_range`, lost 3 of 64 generated photos in a trial.
- calibration reads come from generated pages only (`calibration_batches`: the
  synthetic and realistic generators, seeded away from the benchmark's seed), never
  from real photos: the real photos stay an independent check.

The cache key is the float model's bytes, onnxruntime's version (its quantiser and
kernels decide the file) and the recipe version, so an upgrade of either builds anew
instead of reusing a stale file. The file is written to a temporary name and renamed,
so a reader never sees half a model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

#: Bumped whenever the recipe below changes what is written.
RECIPE_VERSION: Final = 2
#: Seed of the generated calibration pages: far from the benchmark's default (2024).
CALIBRATION_SEED: Final = 7301
#: Generated synthetic pages and realistic photos per kind read for calibration.
CALIBRATION_PAGES: Final = 12
CALIBRATION_PER_KIND: Final = 1
#: At most this many line crops calibrate (evenly spaced over all the reads): the whole
#: build then takes 35-43 s on one core (measured).
MAX_CALIBRATION_CROPS: Final = 72
#: The opset per-channel QDQ needs (the wheel's model is opset 11).
QDQ_OPSET: Final = 13
#: Every int8 model file in a cache is named so (then a hash: `int8_model_path`).
MODEL_PREFIX: Final = "rec-int8-"

Batch = npt.NDArray[np.float32]

logger = logging.getLogger(__name__)


class Int8ModelError(RuntimeError):
    """The int8 model cannot be built here (say why: a package missing, a model change)."""


@dataclass(frozen=True)
class Int8Model:
    """A built (or found) int8 model file."""

    path: Path
    built: bool  # False: found in the cache
    seconds: float  # building time (0 when found)
    crops: int  # calibration crops read (0 when found)

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


def cache_dir(configured: str | Path | None = None) -> Path:
    """Where built models are kept: `configured` (`PASSPORT_OCR_CACHE_DIR`), else the
    XDG cache."""
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "passport-ocr"


def remove_cached_models(cache: Path) -> None:
    """Delete every int8 model in `cache`, of any recipe or onnxruntime (`--rebuild`)."""
    for old in cache.glob(f"{MODEL_PREFIX}*.onnx"):
        old.unlink()


def int8_model_path(float_model: bytes, cache: Path | None = None) -> Path:
    """The cache file of the int8 model made from `float_model` by this recipe and
    this onnxruntime (the file need not exist)."""
    import onnxruntime  # noqa: PLC0415 - heavy: only when used

    digest = hashlib.sha256(float_model)
    digest.update(f"\0onnxruntime {onnxruntime.__version__}\0recipe {RECIPE_VERSION}".encode())
    return cache_dir(cache) / f"{MODEL_PREFIX}{digest.hexdigest()[:20]}.onnx"


def quantizable_nodes(model: Any) -> list[str]:
    """The names of the nodes the recipe quantises: every Conv, and every MatMul that
    has a weight (an initializer input). The attention MatMuls multiply two
    activations, so they have none and stay float."""
    weights = {tensor.name for tensor in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "Conv"
        or (node.op_type == "MatMul" and any(name in weights for name in node.input))
    ]


def quantize_model(float_model: bytes, batches: Sequence[Batch], target: Path) -> None:
    """Write the int8 model of `float_model` (ONNX bytes) to `target`, in an existing
    folder, calibrated on `batches` (model inputs, (1, 3, 48, width) each)."""
    if not batches:
        raise Int8ModelError("no calibration reads: nothing to measure activations on")
    try:
        import onnx  # noqa: PLC0415
        from onnx import version_converter  # noqa: PLC0415
        from onnxruntime.quantization import (  # noqa: PLC0415
            CalibrationDataReader,
            CalibrationMethod,
            QuantFormat,
            QuantType,
            quantize_static,
        )
        from onnxruntime.quantization.shape_inference import quant_pre_process  # noqa: PLC0415
    except ImportError as error:
        raise Int8ModelError(f"building the int8 model needs {error.name}") from error

    model = onnx.load_from_string(float_model)
    input_name = model.graph.input[0].name

    class Reads(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self._batches: Iterator[Batch] = iter(batches)

        def get_next(self) -> dict[str, Batch] | None:
            batch = next(self._batches, None)
            return None if batch is None else {input_name: batch}

    with tempfile.TemporaryDirectory(prefix="passport-ocr-int8-") as work:
        converted = Path(work, "opset13.onnx")
        prepared = Path(work, "prepared.onnx")
        onnx.save(version_converter.convert_version(model, QDQ_OPSET), str(converted))
        # Shape inference and onnxruntime's graph optimisations first (folds the
        # Identity nodes in front of the weights, fuses BatchNorm into Conv), as the
        # quantiser's documentation asks.
        # (Symbolic shape inference cannot follow the model's dynamic width: ONNX's own.)
        quant_pre_process(str(converted), str(prepared), skip_symbolic_shape=True)
        nodes = quantizable_nodes(onnx.load(str(prepared)))
        partial = Path(work, "int8.onnx")
        quantize_static(
            str(prepared),
            str(partial),
            Reads(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            reduce_range=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            nodes_to_quantize=nodes,
            calibrate_method=CalibrationMethod.MinMax,
        )
        # Same filesystem as the target, then an atomic rename: no reader sees half a file.
        staged = target.with_name(f".{target.name}.{os.getpid()}.partial")
        shutil.copyfile(partial, staged)
        staged.replace(target)


def calibration_batches(read_crops: Callable[[bytes], Sequence[Batch]]) -> list[Batch]:
    """Model inputs the engine feeds the model on generated pages, at most
    `MAX_CALIBRATION_CROPS`.

    `read_crops(image bytes)` reads one photo with the float model and returns the
    inputs it gave the model: MRZ lines and the other text lines the locator tried, as
    on real photos. Evenly spaced over all reads, so every page and kind contributes.
    """
    from passport_ocr.tools.specimen_photos import realistic_set  # noqa: PLC0415
    from passport_ocr.tools.specimens import degraded_set  # noqa: PLC0415

    images = [page.image for page in degraded_set(CALIBRATION_PAGES, seed=CALIBRATION_SEED)]
    images += [photo.image for photo in realistic_set(CALIBRATION_SEED, CALIBRATION_PER_KIND)]
    batches = [batch for image in images for batch in read_crops(image)]
    if len(batches) <= MAX_CALIBRATION_CROPS:
        return batches
    step = len(batches) / MAX_CALIBRATION_CROPS
    return [batches[int(index * step)] for index in range(MAX_CALIBRATION_CROPS)]


def ensure_int8_model(
    float_model: bytes,
    read_crops: Callable[[bytes], Sequence[Batch]],
    *,
    cache: Path | None = None,
) -> Int8Model:
    """The cached int8 model of `float_model`, built first when the cache lacks it."""
    path = int8_model_path(float_model, cache)
    if path.is_file():
        return Int8Model(path, built=False, seconds=0.0, crops=0)
    # Before 40 s of calibration: a cache that cannot be written fails now, by name.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Int8ModelError(f"cannot create the model cache {path.parent}: {error}") from error
    if not os.access(path.parent, os.W_OK):
        raise Int8ModelError(
            f"the model cache {path.parent} is not writable: set PASSPORT_OCR_CACHE_DIR"
        )
    # A long pause the first time: say so (a path, no personal data).
    logger.warning("building the offline engine's int8 model once (about 40 s) in %s", path.parent)
    started = time.perf_counter()
    batches = calibration_batches(read_crops)
    quantize_model(float_model, batches, path)
    return Int8Model(path, built=True, seconds=time.perf_counter() - started, crops=len(batches))


__all__ = [
    "RECIPE_VERSION",
    "Int8Model",
    "Int8ModelError",
    "cache_dir",
    "calibration_batches",
    "ensure_int8_model",
    "int8_model_path",
    "quantizable_nodes",
    "quantize_model",
    "remove_cached_models",
]
