"""Text recognition of MRZ line crops with RapidOCR's bundled PP-OCR recognition model.

Only the recognition model runs on the crops the locator cut out (the detector is a
fallback, `detect_lines`). The angle classifier is never used: it flips MRZ lines.
The engine is built once per process with rapidocr's default model settings, so the
models inside the wheel are used and nothing is downloaded.

Decoding differs from rapidocr's own: the per-frame probabilities of all glyphs that
look like one MRZ symbol are added up first (`glyphs.vocabulary_map`), so each emitted
character comes with a probability for every one of the 37 MRZ symbols. That is what
the per-position character classes and the check-digit repair choose from.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import cv2
import numpy as np
import numpy.typing as npt

from passport_ocr.ocr.glyphs import MRZ_ALPHABET, vocabulary_map

Image = npt.NDArray[np.uint8]
Floats = npt.NDArray[np.float32]

#: Height the recognition model takes (rapidocr's `rec_img_shape`).
REC_HEIGHT: Final = 48
_SYMBOLS: Final = len(MRZ_ALPHABET)


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

    @property
    def text(self) -> str:
        return "".join(char.symbol for char in self.chars)

    @property
    def confidence(self) -> float:
        if not self.chars:
            return 0.0
        return float(np.mean([char.confidence for char in self.chars]))


class Recognizer:
    """The rapidocr engine, built lazily once, and MRZ-aware decoding of its output."""

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._engine: Any = None
        self._rec: Any = None
        self._symbol_of: npt.NDArray[np.int64] | None = None
        self._vocab_index: npt.NDArray[np.int64] | None = None
        self._vocabulary: Sequence[str] = ()
        self.name = "rapidocr"

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
            }
            if self._threads is not None:
                params["EngineConfig.onnxruntime.intra_op_num_threads"] = self._threads
                params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            engine: Any = RapidOCR(params=params)
            rec = engine._load_rec_model()  # the recogniser alone, no detector
            vocabulary: list[str] = list(rec.postprocess_op.character)
            pairs = vocabulary_map(vocabulary)
            self._vocab_index = np.array([index for index, _ in pairs], dtype=np.int64)
            self._symbol_of = np.array([symbol for _, symbol in pairs], dtype=np.int64)
            self._vocabulary = vocabulary
            rec_cfg = engine.cfg.Rec
            self.name = (
                f"rapidocr-{__version__}/{rec_cfg.ocr_version.value}_rec_{rec_cfg.model_type.value}"
            )
            self._engine = engine
            self._rec = rec

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
        preds = self._rec.session(_model_input(_as_bgr(crop)))
        frames: Floats = np.asarray(preds, dtype=np.float32)
        return frames.reshape(frames.shape[1:])

    def detect_lines(self, image: Image) -> list[Floats]:
        """The full detector's text boxes (4 corner points each), for when the locator fails."""
        self._ensure()
        detector = self._engine._load_det_model()
        result = detector(_as_bgr(image))
        if result.boxes is None:
            return []
        return [np.asarray(box, dtype=np.float32) for box in result.boxes]

    def _decode(self, frames: Floats) -> LineRead:
        assert self._vocab_index is not None and self._symbol_of is not None
        best = frames.argmax(axis=1)
        raw_text = _greedy_text(best, self._vocabulary)
        symbol_probs = np.zeros((frames.shape[0], _SYMBOLS), dtype=np.float32)
        np.add.at(symbol_probs.T, self._symbol_of, frames[:, self._vocab_index].T)
        blank = frames[:, 0]
        other = np.clip(1.0 - blank - symbol_probs.sum(axis=1), 0.0, 1.0)
        # Frame classes: 0 blank, 1..37 an MRZ symbol, 38 any other glyph.
        classes = np.concatenate([blank[:, None], symbol_probs, other[:, None]], axis=1)
        winner = classes.argmax(axis=1)
        chars: list[CharRead] = []
        start = 0
        for index in range(1, len(winner) + 1):
            if index < len(winner) and winner[index] == winner[start]:
                continue
            label = int(winner[start])
            if label != 0:
                probs = symbol_probs[start:index].max(axis=0)
                # A glyph outside the MRZ alphabet still holds a place: keep the
                # likeliest MRZ symbol there, with its (low) probability.
                symbol = label - 1 if label <= _SYMBOLS else int(probs.argmax())
                chars.append(
                    CharRead(
                        symbol=MRZ_ALPHABET[symbol],
                        confidence=float(probs[symbol]),
                        probs=probs,
                        frame=(start + index - 1) / 2.0,
                    )
                )
            start = index
        return LineRead(raw_text=raw_text, chars=tuple(chars), frames=int(frames.shape[0]))


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
    new_width = max(REC_HEIGHT, math.ceil(REC_HEIGHT * width / max(height, 1)))
    scaled = cv2.resize(
        crop,
        (new_width, REC_HEIGHT),
        interpolation=cv2.INTER_AREA if height > REC_HEIGHT else cv2.INTER_CUBIC,
    )
    planes = np.asarray(scaled, dtype=np.float32).transpose(2, 0, 1) / 127.5 - 1.0
    return np.expand_dims(np.asarray(planes, dtype=np.float32), 0)
