"""The `local` OCR provider: the embedded offline MRZ engine (`passport_ocr.tools.ocr`).

No credentials, no network, no model download: RapidOCR's recognition model comes
inside its wheel (the `local` extra). The engine is built lazily, once per process,
on the first page; importing this module stays cheap (no NumPy, OpenCV or ONNX yet).
With `PASSPORT_OCR_LOCAL_PRECISION=int8` it runs the int8 copy of the model, built on this
machine the first time (`quantize`; `passport-ocr engine prepare` builds it ahead); a copy
that cannot be built or loaded is a `ConfigError`, as a missing engine is.

Outcomes: a `VendorAnswer(format="local")` with the MRZ lines and their confidences;
`ProviderError(NOT_A_PASSPORT)` "no MRZ found" when the image has no MRZ (never an
invented one); `ProviderError(BAD_IMAGE)` when the bytes cannot be decoded. None of
them is retryable: the same bytes give the same answer.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Final

from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError
from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import ImageInput, VendorAnswer
from passport_ocr.vendors import VENDORS

if TYPE_CHECKING:
    from passport_ocr.config import LocalPrecision, Settings
    from passport_ocr.tools.ocr.engine import MrzEngine

VENDOR: Final = "local"

LOCAL_LIMITS: Final = VENDORS[VENDOR].limits


#: What the engine imports: the project's `ocr` package (left out of the cloud bundles) and
#: the `local` extra.
ENGINE_MODULES: Final = ("passport_ocr.tools.ocr", "rapidocr", "onnxruntime", "cv2", "numpy")
NOT_INSTALLED: Final = (
    "PASSPORT_OCR_PROVIDER=local needs the offline engine, which is not installed here "
    "(pip install 'passport-ocr-functions[local]'; the cloud bundles leave it out): "
    "choose huawei, tencent or tencent-legacy"
)


def engine_missing() -> list[str]:
    """The engine's modules this installation lacks (found without importing them)."""
    return [name for name in ENGINE_MODULES if find_spec(name) is None]


class LocalOcrProvider:
    """Reads the MRZ on this machine. Thread-safe; one engine shared per process."""

    name = VENDOR
    limits = LOCAL_LIMITS
    accepts_url = False

    def __init__(
        self,
        engine: MrzEngine | None = None,
        *,
        portrait: bool = False,
        precision: LocalPrecision = "float",
        cache: Path | None = None,
    ) -> None:
        self._engine = engine
        #: Cut the holder's portrait from the page (`PASSPORT_OCR_PORTRAIT=store`).
        self.portrait = portrait
        #: The model the shared engine runs (`PASSPORT_OCR_LOCAL_PRECISION`, `_CACHE_DIR`).
        self.precision: LocalPrecision = precision
        self.cache = cache

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **_: object) -> LocalOcrProvider:
        """The factory's way in: the engine needs no credentials or context. A
        `ConfigError` at start-up when the engine is not installed: an operator's mistake,
        not a reason to reject every upload."""
        if engine_missing():
            raise ConfigError(NOT_INSTALLED)
        if settings is None:
            return cls()
        return cls(
            portrait=settings.portrait == "store",
            precision=settings.local_precision,
            cache=Path(settings.cache_dir) if settings.cache_dir else None,
        )

    @property
    def rate_limits(self) -> Mapping[str, float]:
        return {}  # this machine's cores are the only limit

    def can_fetch(self, ref: ObjectRef) -> bool:
        return False  # reads bytes only

    def warm_up(self) -> None:
        """Load the models now, or say why they cannot be (a `ConfigError`)."""
        _ = self.engine

    @property
    def engine(self) -> MrzEngine:
        if self._engine is None:
            try:
                from passport_ocr.tools.ocr.engine import shared_engine  # noqa: PLC0415 - heavy
            except ImportError as error:  # the `local` extra is not (fully) installed
                raise ConfigError(NOT_INSTALLED) from error
            self._engine = shared_engine(self.precision, self.cache)
        return self._engine

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        if image.image is None:
            raise ProviderError(
                "the offline engine reads image bytes, not URLs",
                vendor=VENDOR,
                category=ProviderCategory.BAD_REQUEST,
                retryable=False,
            )
        if deadline is not None and time.monotonic() >= deadline:
            raise ProviderError(
                "no time left before the function's deadline",
                vendor=VENDOR,
                category=ProviderCategory.TIMEOUT,
                retryable=True,
            )
        return self.recognize_bytes(image.image.data)

    def recognize_bytes(self, data: bytes) -> VendorAnswer:
        """Read one image file's bytes (what `passport-ocr recognize IMAGE` calls)."""
        from passport_ocr.tools.ocr.engine import UnreadableImageError  # noqa: PLC0415 - heavy
        from passport_ocr.tools.ocr.quantize import Int8ModelError  # noqa: PLC0415

        engine = self.engine
        try:
            result = engine.read(data, portrait=self.portrait)
        except Int8ModelError as error:  # the operator's setting cannot be met here
            raise ConfigError(f"PASSPORT_OCR_LOCAL_PRECISION=int8: {error}") from error
        except UnreadableImageError as error:
            raise ProviderError(
                "the image cannot be decoded",
                vendor=VENDOR,
                category=ProviderCategory.BAD_IMAGE,
                retryable=False,
            ) from error
        answer = result.to_answer()
        if not answer["lines"]:
            raise ProviderError(
                "no MRZ found",
                vendor=VENDOR,
                category=ProviderCategory.NOT_A_PASSPORT,
                retryable=False,
            )
        return VendorAnswer(format="local", raw=answer, portrait=result.portrait)
