"""Where the tests' inputs live, for test modules at any depth of `tests/`."""

from __future__ import annotations

from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parents[1]
TESTS: Final = REPO / "tests"
TEST_DATA: Final = TESTS / "data"
#: Vendor answers from the seeds, shipped with the tools (`passport-ocr normalize` examples).
VENDOR_SAMPLES: Final = REPO / "shared" / "passport_ocr" / "tools" / "data" / "samples"
#: Real specimen photos beside the checkout (`../shared`): absent on a fresh clone, so the
#: tests that read them skip.
REFERENCE_IMAGES: Final = REPO.parent / "shared" / "data" / "images"
