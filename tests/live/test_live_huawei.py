"""Live: Huawei Cloud OCR RecognizePassport with a synthetic specimen.

Runs only when these are set (skipped otherwise):
- `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` (and `HUAWEICLOUD_SDK_SECURITY_TOKEN` for
  temporary credentials);
- `HUAWEICLOUD_SDK_PROJECT_ID` or `PASSPORT_OCR_HUAWEI_PROJECT_ID`: the project of the region;
- optional `PASSPORT_OCR_HUAWEI_REGION` (default cn-north-4) or `PASSPORT_OCR_HUAWEI_ENDPOINT`.
OCR must be enabled in that region (else ModelArts.4204). Each run makes one or two paid calls.
"""

from __future__ import annotations

import os

import pytest

from passport_ocr.config import load_settings
from passport_ocr.images import prepare
from passport_ocr.providers.base import ImageInput
from passport_ocr.providers.huawei import HuaweiOcrProvider
from passport_ocr.tools.specimens import Specimen
from tests.live.conftest import any_missing, document_number, missing_env

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        missing_env("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
        or any_missing(("HUAWEICLOUD_SDK_PROJECT_ID",), ("PASSPORT_OCR_HUAWEI_PROJECT_ID",)),
        reason="Huawei Cloud credentials and project id not set",
    ),
]


@pytest.mark.parametrize("country_code", ["GENERAL", "auto"])
def test_reads_a_specimen(specimen: Specimen, country_code: str) -> None:
    environ = {**os.environ, "PASSPORT_OCR_HUAWEI_COUNTRY_CODE": country_code}
    provider = HuaweiOcrProvider.from_settings(load_settings(environ))
    image = prepare(specimen.image, provider.limits)
    answer = provider.recognize(ImageInput(image=image))
    assert answer.request_id
    result = answer.raw["result"]
    assert result["passport_number"] == document_number(specimen)
