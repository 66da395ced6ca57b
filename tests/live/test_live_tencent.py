"""Live: Tencent Cloud OCR (MLIDPassportOCR / PassportOCR) with a synthetic specimen page.

Runs only with credentials in the environment, never in CI without them:
- `TENCENTCLOUD_SECRET_ID` + `TENCENTCLOUD_SECRET_KEY` (a long-lived API key), or
  `TENCENTCLOUD_SECRETID` + `TENCENTCLOUD_SECRETKEY` [+ `TENCENTCLOUD_SESSIONTOKEN`]
  (temporary credentials, as SCF provides them);
- optional: `PASSPORT_OCR_TENCENT_REGION` (default ap-guangzhou), `PASSPORT_OCR_TENCENT_ENDPOINT`
  (default ocr.tencentcloudapi.com; ocr.intl.tencentcloudapi.com for the international site).

Each call is billed. The page is synthetic (a fictitious holder of Utopia, `UTO`): the
vendor may read it, or refuse it as not a passport; both prove that signing, credentials,
endpoint and error mapping work. Anything else (credentials, subscription, a bad request)
fails the test.
"""

from __future__ import annotations

import os

import pytest

from passport_ocr.config import load_settings
from passport_ocr.credentials import tencent_credentials_from_env
from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError
from passport_ocr.images import prepare
from passport_ocr.providers.base import ImageInput
from passport_ocr.providers.tencent import TencentOcrProvider
from passport_ocr.vendors import VENDORS

pytestmark = pytest.mark.live


def _have_credentials() -> bool:
    try:
        tencent_credentials_from_env()
    except ConfigError:
        return False
    return True


requires_credentials = pytest.mark.skipif(
    not _have_credentials(), reason="no Tencent Cloud credentials in the environment"
)


@requires_credentials
@pytest.mark.parametrize("mode", ["international", "auto"])
def test_live_tencent_reads_or_refuses_a_specimen(mode: str) -> None:
    from passport_ocr.mapping import to_record
    from passport_ocr.tools.specimens import generate_specimen

    settings = load_settings({**os.environ, "PASSPORT_OCR_TENCENT_MODE": mode})
    tencent = TencentOcrProvider.from_settings(settings)
    specimen = generate_specimen(seed=7, jpeg_quality=90)
    image = prepare(specimen.image, VENDORS["tencent"].limits)
    try:
        answer = tencent.recognize(ImageInput(image=image))
    except ProviderError as error:
        assert error.category is ProviderCategory.NOT_A_PASSPORT, error.log_fields()
        assert error.request_id
        return
    assert answer.request_id
    record = to_record(answer.format, answer.raw, request_id=answer.request_id)
    assert record.source.vendor == "tencent"
    assert record.mrz is not None
    assert record.mrz.lines_read
