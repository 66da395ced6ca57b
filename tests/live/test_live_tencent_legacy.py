"""Live: the legacy Tencent image OCR API (`sdkservice.image.myqcloud.com/ocr/passport`).

Runs only when these are set (skipped otherwise):
- `PASSPORT_OCR_TENCENT_LEGACY_APP_ID`: the account's AppID;
- `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`: a long-lived API key (the legacy
  signature has no place for an STS token);
- optional `PASSPORT_OCR_TENCENT_LEGACY_ENDPOINT`.
The API is an old product and may be retired: a 404 or 424 answer means it is gone.
"""

from __future__ import annotations

import os

import pytest

from passport_ocr.config import load_settings
from passport_ocr.images import prepare
from passport_ocr.providers.base import ImageInput
from passport_ocr.providers.tencent_legacy import TencentLegacyProvider
from passport_ocr.tools.specimens import Specimen
from tests.live.conftest import document_number, missing_env

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        missing_env(
            "PASSPORT_OCR_TENCENT_LEGACY_APP_ID",
            "TENCENTCLOUD_SECRET_ID",
            "TENCENTCLOUD_SECRET_KEY",
        ),
        reason="legacy Tencent image API app id and key not set",
    ),
]


@pytest.mark.parametrize("body", ["multipart", "json"])
def test_reads_a_specimen(specimen: Specimen, body: str) -> None:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY")  # the key, not a role's
    }
    provider = TencentLegacyProvider.from_settings(
        load_settings(environ), environ=environ, body="multipart" if body == "multipart" else "json"
    )
    image = prepare(specimen.image, provider.limits)
    answer = provider.recognize(ImageInput(image=image))
    items = {item["item"]: item["itemstring"] for item in answer.raw["data"]["items"]}
    assert items["护照号码"] == document_number(specimen)
