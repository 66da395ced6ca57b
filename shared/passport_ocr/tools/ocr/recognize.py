"""Text recognition of MRZ line crops with RapidOCR's bundled PP-OCR recognition model.

Only the recognition model runs on the crops the locator cut out (the detector is a
fallback, `detect_lines`). The angle classifier is never used: it flips MRZ lines.
The engine is built once per process with rapidocr's default model settings, so the
models inside the wheel are used and nothing is downloaded.

Two runtimes for the same model file, both with the output layer cut down to the
glyphs that are not CJK ideographs or Hangul (2 803 of 18 710: their probability on an
MRZ crop is below 0.02 in 99.9 % of frames; `output_columns`): OpenVINO, when installed
(the `local-fast` extra), runs it in bfloat16 where the CPU has bf16 instructions
(measured on one core, 46 -> 21 ms per 44-character line, the same reads on 240 pages);
otherwise onnxruntime runs the model file edited with the `onnx` package (measured on
one core, 77 -> 67 ms per 1 000 px line, and a 1.5 MB output instead of 9.9 MB to
decode; the same reads on 190 images). When the model's last layer is not the expected
MatMul + Add (another model), or `onnx` is missing, onnxruntime runs rapidocr's own
session on the model as shipped.

With `precision="int8"`, onnxruntime runs an int8 copy of the narrowed model instead,
built once on this machine from generated pages and cached (`quantize`); OpenVINO is
then not used.

Decoding differs from rapidocr's own: the per-frame probabilities of all glyphs that
look like one MRZ symbol are added up first (`glyphs.vocabulary_map`), so each emitted
character comes with a probability for every one of the 37 MRZ symbols. That is what
the per-position character classes and the check-digit repair choose from.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import cv2
import numpy as np
import numpy.typing as npt

from passport_ocr.config import LocalPrecision
from passport_ocr.tools.ocr.glyphs import MRZ_ALPHABET, to_symbol, vocabulary_map
from passport_ocr.tools.ocr.quantize import Int8Model, Int8ModelError, ensure_int8_model

Image = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float32]

#: Height the recognition model takes (rapidocr's `rec_img_shape`).
REC_HEIGHT: Final = 48
#: Model input widths are rounded to a multiple of this (a change of scale of at most
#: 1.5 % on an MRZ line): OpenVINO prepares each new input shape once (~8 ms per line
#: measured), so a few dozen shapes shared by all pages beat a new shape per page.
WIDTH_STEP: Final = 32
#: Longest side of the photo the text detector looks at (see `detect_lines`).
DETECT_SIDE: Final = 736
_SYMBOLS: Final = len(MRZ_ALPHABET)
#: Glyph families an MRZ never holds, left out of the output layer (OpenVINO runtime).
_DROPPED_FAMILIES: Final = ("CJK ", "HANGUL ")

Backend = Literal["auto", "openvino", "onnxruntime"]
#: `float`: the model as shipped (narrowed); `int8`: its int8 copy, on onnxruntime.
Precision = LocalPrecision
#: One model call: a (1, 3, 48, width) batch in, (1, frames, vocabulary) probabilities out.
RunModel = Callable[[npt.NDArray[np.float32]], Any]


@dataclass(frozen=True)
class CharRead:
    """One emitted character with the probability of every MRZ symbol at its place."""

    symbol: str
    confidence: float
    probs: Floats  # shape (37,), indexed like MRZ_ALPHABET
    frame: float  # centre, in model frames (about 8 px of the 48 px high crop)


@dataclass(frozen=True)
class LineRead:
    raw_text: str  # the model's own best glyphs, untouched (the record's `lines_read`)
    chars: tuple[CharRead, ...]
    frames: int
    #: Per-frame class probabilities (blank, the 37 MRZ symbols, any other glyph), shape
    #: (frames, 39): what `with_length` decodes again under a known line length.
    classes: Floats | None = field(default=None, compare=False, repr=False)
    #: How many characters the unconstrained best path had (-1: `chars` is that path).
    seen_chars: int = -1

    @property
    def text(self) -> str:
        return "".join(char.symbol for char in self.chars)

    @property
    def seen_length(self) -> int:
        """The length the model read, before any decoding to the format's length."""
        return self.seen_chars if self.seen_chars >= 0 else len(self.chars)

    def with_length(self, length: int) -> LineRead | None:
        """This line decoded again as exactly `length` characters (`constrained_path`).

        None when the frames are not kept or cannot hold `length` characters.
        """
        if len(self.chars) == length:
            return self
        if self.classes is None:
            return None
        labels = constrained_path(self.classes, length)
        if labels is None:
            return None
        return LineRead(
            raw_text=self.raw_text,
            chars=_chars(labels, self.classes),
            frames=self.frames,
            classes=self.classes,
            seen_chars=self.seen_length,
        )

    @property
    def confidence(self) -> float:
        if not self.chars:
            return 0.0
        return float(np.mean([char.confidence for char in self.chars]))


class Recognizer:
    """The rapidocr engine, built lazily once, and MRZ-aware decoding of its output."""

    def __init__(
        self,
        threads: int | None = None,
        backend: Backend = "auto",
        *,
        precision: Precision = "float",
        cache: Path | None = None,
        observe: Callable[[Floats], None] | None = None,
    ) -> None:
        """`cache`: where the int8 model is kept (default `quantize.cache_dir()`);
        `observe`: called with every model input (what calibration reads)."""
        if precision == "int8" and backend == "openvino":
            raise ValueError("the int8 model runs on onnxruntime, not OpenVINO")
        self._threads = threads
        self._backend: Backend = "onnxruntime" if precision == "int8" else backend
        self.precision: Precision = precision
        self._cache = cache
        self._observe = observe
        #: The int8 model file used, and whether this process built it.
        self.int8_model: Int8Model | None = None
        self._lock = threading.Lock()
        self._engine: Any = None
        self._rec: RunModel | None = None
        self._to_symbols: Floats | None = None  # one-hot: vocabulary pair -> MRZ symbol
        self._vocab_index: npt.NDArray[np.int64] | None = None
        self._vocabulary: Sequence[str] = ()
        self.name = "rapidocr"
        #: "openvino-bf16", "openvino-f32", "onnxruntime", "onnxruntime-int8" or
        #: "onnxruntime-full" (the model as shipped)
        self.runtime = "not loaded"

    # -- building -------------------------------------------------------------------

    def _ensure(self) -> None:
        if self._rec is not None:
            return
        with self._lock:
            if self._rec is not None:
                return
            from rapidocr import RapidOCR  # noqa: PLC0415 - heavy: only when used
            from rapidocr._version import __version__  # noqa: PLC0415

            params: dict[str, object] = {
                "Global.use_cls": False,
                "Global.log_level": "critical",
                # `detect_lines` scales the photo itself: the detector only rounds to 32.
                "Det.limit_type": "max",
                "Det.limit_side_len": DETECT_SIDE,
            }
            if self._threads is not None:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = self._threads
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            engine: Any = RapidOCR(params=params)
            rec_cfg = engine.cfg.Rec
            built = self._openvino(engine) if self._backend != "onnxruntime" else None
            if built is None and self._backend == "openvino":
                raise RuntimeError("the OpenVINO runtime is not installed")
            if built is None:
                built = self._onnxruntime(engine)
            if built is None and self.precision == "int8":
                raise Int8ModelError(
                    "the int8 model is made from the narrowed model, which needs the `onnx` "
                    "package (the `local` extra) and the bundled model's known last layer"
                )
            if built is None:
                rec = engine._load_rec_model()  # the recogniser alone, no detector
                built = rec.session, list(rec.postprocess_op.character), "onnxruntime-full"
            run, vocabulary, runtime = built
            pairs = vocabulary_map(vocabulary)
            self._vocab_index = np.array([index for index, _ in pairs], dtype=np.int64)
            to_symbols = np.zeros((len(pairs), _SYMBOLS), dtype=np.float32)
            to_symbols[np.arange(len(pairs)), [symbol for _, symbol in pairs]] = 1.0
            self._to_symbols = to_symbols
            self._vocabulary = vocabulary
            self.runtime = runtime
            self.name = (
                f"rapidocr-{__version__}/{rec_cfg.ocr_version.value}_rec_{rec_cfg.model_type.value}"
            )
            self._engine = engine
            self._rec = run

    def _openvino(self, engine: Any) -> tuple[RunModel, list[str], str] | None:
        """The bundled recognition model on OpenVINO, or None when it is not installed."""
        try:
            import openvino  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415
        except ImportError:
            return None
        path = bundled_model_path(engine)
        core = openvino.Core()
        model = core.read_model(str(path))
        characters = str(model.get_rt_info(["framework", "character"]).astype(str))
        vocabulary = model_vocabulary(characters)
        keep = output_columns(vocabulary)
        if _narrow_output(model, len(vocabulary), keep):
            vocabulary = [vocabulary[index] for index in keep]
        capabilities = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
        precision = "bf16" if "BF16" in capabilities else "f32"
        config: dict[str, Any] = {
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": precision,
        }
        if self._threads is not None:
            config["INFERENCE_NUM_THREADS"] = self._threads
        compiled = core.compile_model(model, "CPU", config)
        local = threading.local()  # an infer request serves one thread at a time

        def run(batch: npt.NDArray[np.float32]) -> Any:
            request = getattr(local, "request", None)
            if request is None:
                request = local.request = compiled.create_infer_request()
            return request.infer({0: batch})[0]

        return run, vocabulary, f"openvino-{precision}"

    def _onnxruntime(self, engine: Any) -> tuple[RunModel, list[str], str] | None:
        """The bundled model with its output layer narrowed, on onnxruntime.

        None (rapidocr's own session on the full model then) when `onnx` is not installed
        or the model's last layer does not have the expected shape.
        """
        try:
            import onnx  # noqa: PLC0415 - heavy (~0.5 s to import): only when used
        except ImportError:
            return None
        import onnxruntime  # noqa: PLC0415

        model = onnx.load(str(bundled_model_path(engine)))
        characters = {prop.key: prop.value for prop in model.metadata_props}.get("character")
        if characters is None:
            return None
        vocabulary = model_vocabulary(characters)
        keep = output_columns(vocabulary)
        if not narrow_onnx_output(model, len(vocabulary), keep):
            return None
        narrowed = model.SerializeToString()
        runtime = "onnxruntime"
        if self.precision == "int8":
            self.int8_model = ensure_int8_model(
                narrowed, _float_crop_reader(self._threads), cache=self._cache
            )
            narrowed = self.int8_model.path.read_bytes()
            runtime = "onnxruntime-int8"
        try:
            session = onnxruntime.InferenceSession(
                narrowed,
                sess_options=_session_options(self._threads),
                providers=["CPUExecutionProvider"],
            )
        except Exception as error:  # onnxruntime raises its own untyped errors
            if self.int8_model is None:
                raise
            raise Int8ModelError(
                f"the cached int8 model {self.int8_model.path} cannot be loaded "
                f"({type(error).__name__}): run `passport-ocr engine prepare --rebuild`"
            ) from error
        input_name = session.get_inputs()[0].name

        def run(batch: npt.NDArray[np.float32]) -> Any:
            return session.run(None, {input_name: batch})[0]

        return run, [vocabulary[index] for index in keep], runtime

    def warm_up(self) -> None:
        """Load the model now (cold start), rather than on the first image."""
        self._ensure()
        self.read([np.full((REC_HEIGHT, 400, 3), 255, dtype=np.uint8)])

    # -- recognising ----------------------------------------------------------------

    def read(self, crops: Sequence[Image]) -> list[LineRead]:
        """Read each crop (one text line, BGR or gray), one model call per line.

        One call per line rather than one padded batch: on one core a batch of two
        1100 px lines takes ~100 ms against ~80 ms for two single calls (the batch's
        ~20 MB output is allocated afresh each time), and padding adds frames to read.
        """
        if not crops:
            return []
        self._ensure()
        return [self._decode(self._frames(crop)) for crop in crops]

    def _frames(self, crop: Image) -> Floats:
        """Per-frame glyph probabilities of one line, shape (frames, vocabulary)."""
        assert self._rec is not None
        batch = _model_input(_as_bgr(crop))
        if self._observe is not None:
            self._observe(batch)
        preds = self._rec(batch)
        frames: Floats = np.asarray(preds, dtype=np.float32)
        return frames.reshape(frames.shape[1:])

    def detect_lines(self, image: Image, longest_side: int = DETECT_SIDE) -> list[Floats]:
        """The full detector's text boxes (4 corner points each), for when the locator fails.

        The photo is scaled to `longest_side` first, up or down: rapidocr's default
        scales the shortest side up to 736 px (a 1250 x 880 page costs ~320 ms on one
        core, against ~80 ms at 736 px across, which still finds MRZ lines).
        """
        self._ensure()
        detector = self._engine._load_det_model()
        height, width = image.shape[:2]
        factor = longest_side / max(height, width, 1)
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        scaled = cv2.resize(
            _as_bgr(image), size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
        )
        result = detector(scaled)
        if result.boxes is None:
            return []
        return [np.asarray(box, dtype=np.float32) / factor for box in result.boxes]

    def _decode(self, frames: Floats) -> LineRead:
        assert self._vocab_index is not None and self._to_symbols is not None
        best = frames.argmax(axis=1)
        raw_text = _greedy_text(best, self._vocabulary)
        # Each MRZ symbol's probability: the sum over all the glyphs that look like it.
        symbol_probs = np.asarray(frames[:, self._vocab_index] @ self._to_symbols, dtype=np.float32)
        blank = frames[:, 0]
        other = np.clip(1.0 - blank - symbol_probs.sum(axis=1), 0.0, 1.0)
        # Frame classes: 0 blank, 1..37 an MRZ symbol, 38 any other glyph.
        classes = np.concatenate([blank[:, None], symbol_probs, other[:, None]], axis=1)
        return LineRead(
            raw_text=raw_text,
            chars=_chars(classes.argmax(axis=1), classes),
            frames=int(frames.shape[0]),
            classes=np.asarray(classes, dtype=np.float32),
        )


def _float_crop_reader(threads: int | None) -> Callable[[bytes], list[Floats]]:
    """Reads a photo with the float model and returns the inputs the model was given:
    what the int8 model is calibrated on (`quantize.calibration_batches`)."""
    from passport_ocr.tools.ocr.engine import MrzEngine  # noqa: PLC0415 - engine imports us

    seen: list[Floats] = []
    engine = MrzEngine(
        Recognizer(threads=threads, backend="onnxruntime", precision="float", observe=seen.append)
    )

    def read(image: bytes) -> list[Floats]:
        seen.clear()
        engine.read(image)
        return list(seen)

    return read


def _chars(labels: npt.NDArray[np.int64], classes: Floats) -> tuple[CharRead, ...]:
    """The characters of a frame labelling, collapsed the CTC way (repeats, then blanks)."""
    symbol_probs = classes[:, 1 : _SYMBOLS + 1]
    chars: list[CharRead] = []
    start = 0
    for index in range(1, len(labels) + 1):
        if index < len(labels) and labels[index] == labels[start]:
            continue
        label = int(labels[start])
        if label != 0:
            probs = symbol_probs[start:index].max(axis=0)
            # A glyph outside the MRZ alphabet still holds a place: keep the
            # likeliest MRZ symbol there, with its (low) probability.
            symbol = label - 1 if label <= _SYMBOLS else int(probs.argmax())
            chars.append(
                CharRead(
                    symbol=MRZ_ALPHABET[symbol],
                    confidence=float(probs[symbol]),
                    probs=np.asarray(probs, dtype=np.float32),
                    frame=(start + index - 1) / 2.0,
                )
            )
        start = index
    return tuple(chars)


def constrained_path(classes: Floats, length: int) -> npt.NDArray[np.int64] | None:
    """The likeliest frame labelling that collapses to exactly `length` characters.

    The CTC best path under a length constraint, by dynamic programming over frames:
    the state is (characters emitted so far, label of the last frame). A frame labelled
    like the one before continues the same character; a blank ends it, so two equal
    characters in a row need a blank between them (`99` is `9 blank 9`, never `9 9`).
    Unconstrained, the best path is the frame-wise argmax; a line known to hold N
    characters (30, 36 or 44) is decoded as the best path among those with N, so a
    repeated glyph the argmax merged (`9999999` read `999999`) is split where the model
    gives a blank most probability, and a dropped filler is put back where a `<` is
    likeliest, instead of padding or cutting the text after decoding. None when the
    frames cannot hold `length` characters.
    """
    frames, labels = classes.shape
    if length < 0 or frames == 0:
        return None
    logp = np.log(np.maximum(classes.astype(np.float64), 1e-12))
    counts = length + 1
    score = np.full((counts, labels), -np.inf)
    score[0, 0] = logp[0, 0]
    if length >= 1:
        score[1, 1:] = logp[0, 1:]
    # Back pointers per frame: the previous label, and whether a character began here.
    prev_label = np.zeros((frames, counts, labels), dtype=np.int16)
    began = np.zeros((frames, counts, labels), dtype=bool)
    columns = np.arange(labels)
    rows = np.arange(counts)
    for t in range(1, frames):
        # Top two labels of the previous frame per count (a new character must differ).
        first = score.argmax(axis=1)
        first_score = score[rows, first]
        masked = score.copy()
        masked[rows, first] = -np.inf
        second = masked.argmax(axis=1)
        second_score = masked[rows, second]
        new = np.full((counts, labels), -np.inf)
        # Blank: the count stays, from any label.
        new[:, 0] = first_score + logp[t, 0]
        prev_label[t, :, 0] = first
        # The same label again: the same character goes on (blank stays blank above).
        stay = score[:, 1:] + logp[t, 1:]
        # A new character: from count n-1, any label other than this one.
        from_label = np.where(
            first[:-1, None] == columns[None, 1:], second[:-1, None], first[:-1, None]
        )
        from_score = np.where(
            first[:-1, None] == columns[None, 1:], second_score[:-1, None], first_score[:-1, None]
        )
        start = np.full((counts, labels - 1), -np.inf)
        start[1:] = from_score + logp[t, 1:]
        take_start = start > stay
        new[:, 1:] = np.where(take_start, start, stay)
        prev_label[t, :, 1:] = np.where(
            take_start, np.vstack([np.zeros((1, labels - 1)), from_label]), columns[None, 1:]
        )
        began[t, :, 1:] = take_start
        score = new
    last = int(score[length].argmax())
    if not np.isfinite(score[length, last]):
        return None
    path = np.zeros(frames, dtype=np.int64)
    count = length
    for t in range(frames - 1, -1, -1):
        path[t] = last
        if t == 0:
            break
        step_began = bool(began[t, count, last])
        last = int(prev_label[t, count, last])
        if step_began:
            count -= 1
    return path


def bundled_model_path(engine: Any) -> Path:
    """The recognition model file inside the rapidocr wheel (rapidocr's own lookup)."""
    from rapidocr.inference_engine.base import FileInfo, InferSession  # noqa: PLC0415

    cfg = engine.cfg.Rec
    info = InferSession.get_model_url(
        FileInfo(
            engine_type=cfg.engine_type,
            ocr_version=cfg.ocr_version,
            task_type=cfg.task_type,
            lang_type=cfg.lang_type,
            model_type=cfg.model_type,
        )
    )
    path = Path(str(engine.cfg.Global.model_root_dir)) / Path(str(info["model_dir"])).name
    if not path.is_file():
        raise FileNotFoundError(f"the bundled recognition model is missing: {path.name}")
    return path


def model_vocabulary(characters: str) -> list[str]:
    """The model's output classes from its `character` metadata, in rapidocr's order:
    the CTC blank first, then one glyph a line, then a space."""
    return ["blank", *characters.splitlines(), " "]


def output_columns(vocabulary: Sequence[str]) -> list[int]:
    """The output columns both runtimes keep: every glyph but the dropped families."""
    return [index for index, glyph in enumerate(vocabulary) if not _dropped(glyph)]


def _session_options(threads: int | None) -> Any:
    """rapidocr's onnxruntime session options (`OrtInferSession._init_sess_opts`)."""
    import onnxruntime  # noqa: PLC0415

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = False  # rapidocr's default configuration
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    if threads is not None:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return options


def narrow_onnx_output(model: Any, vocabulary_size: int, keep: list[int]) -> bool:
    """`_narrow_output` for an ONNX graph, in place: the MatMul's and Add's weights that
    are `vocabulary_size` wide cut to the `keep` columns, and every shape the graph
    declares that wide (the layer's results, the output) with them.

    False, and the model untouched, when its last layer does not have that shape.
    """
    from onnx import numpy_helper  # noqa: PLC0415

    graph = model.graph
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    found: dict[str, Any] = {}
    for node in graph.node:
        if node.op_type in ("MatMul", "Add"):
            for name in node.input:
                tensor = initializers.get(name)
                if tensor is not None and tensor.dims and tensor.dims[-1] == vocabulary_size:
                    found[node.op_type] = tensor
    if set(found) != {"MatMul", "Add"} or len(graph.output) != 1:
        return False
    output = graph.output[0].type.tensor_type.shape.dim
    if not output or output[-1].dim_value != vocabulary_size:
        return False  # the model's output is not the layer's width: another model
    declared = [
        dims[-1]
        for value in (*graph.value_info, *graph.output)
        if (dims := value.type.tensor_type.shape.dim) and dims[-1].dim_value == vocabulary_size
    ]
    columns = np.array(keep, dtype=np.int64)
    for tensor in found.values():
        data = numpy_helper.to_array(tensor)
        narrowed = np.ascontiguousarray(np.take(data, columns, axis=-1), dtype=data.dtype)
        tensor.CopyFrom(numpy_helper.from_array(narrowed, tensor.name))
    for dim in declared:
        dim.dim_value = len(keep)
    return True


def _dropped(glyph: str) -> bool:
    """A CJK ideograph or Hangul syllable that stands for no MRZ symbol (`一` does: `<`)."""
    if len(glyph) != 1 or to_symbol(glyph) is not None:
        return False
    return unicodedata.name(glyph, "").startswith(_DROPPED_FAMILIES)


def _narrow_output(model: Any, vocabulary_size: int, keep: list[int]) -> bool:
    """Cut the final layer (MatMul + bias, then softmax) to the `keep` columns, in place.

    False, and the model untouched, when its last layer does not have that shape.
    """
    from openvino import opset13  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: PLC0415

    def constant_input(node: Any) -> tuple[int, npt.NDArray[np.float32]] | None:
        for index, port in enumerate(node.inputs()):
            source = port.get_source_output().get_node()
            if source.get_type_name() == "Constant":
                data = np.asarray(source.get_data())
                if data.shape and data.shape[-1] == vocabulary_size:
                    return index, data
        return None

    found: dict[str, tuple[Any, int, npt.NDArray[np.float32]]] = {}
    for node in model.get_ordered_ops():
        kind = node.get_type_name()
        if kind in ("MatMul", "Add") and (hit := constant_input(node)) is not None:
            found[kind] = (node, *hit)
    if set(found) != {"MatMul", "Add"}:
        return False
    columns = np.array(keep, dtype=np.int64)
    for node, index, data in found.values():
        narrowed = np.ascontiguousarray(np.take(data, columns, axis=-1), dtype=np.float32)
        node.input(index).replace_source_output(opset13.constant(narrowed).output(0))
    model.validate_nodes_and_infer_types()
    return True


def _greedy_text(best: npt.NDArray[np.int64], vocabulary: Sequence[str]) -> str:
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    return "".join(vocabulary[index] for index in best[keep]).strip()


def _as_bgr(image: Image) -> Image:
    if image.ndim == 2:
        return np.repeat(image[:, :, None], 3, axis=2)
    if image.shape[2] == 4:
        return np.ascontiguousarray(image[:, :, :3])
    return image


def _model_input(crop: Image) -> Floats:
    """One crop resized to the model's height, normalised to -1..1, as a batch of one."""
    height, width = crop.shape[:2]
    natural = REC_HEIGHT * width / max(height, 1)
    new_width = max(WIDTH_STEP, round(natural / WIDTH_STEP) * WIDTH_STEP)
    scaled = cv2.resize(
        crop,
        (new_width, REC_HEIGHT),
        interpolation=cv2.INTER_AREA if height > REC_HEIGHT else cv2.INTER_CUBIC,
    )
    planes = np.asarray(scaled, dtype=np.float32).transpose(2, 0, 1) / 127.5 - 1.0
    return np.expand_dims(np.asarray(planes, dtype=np.float32), 0)
