"""The URL-or-bytes rule (`choose_transfer`), case by case."""

from __future__ import annotations

import pytest

from passport_ocr.config import Settings
from passport_ocr.credentials import Credentials
from passport_ocr.events.base import Cloud, ObjectRef
from passport_ocr.providers.huawei import HuaweiOcrProvider, HuaweiOptions
from passport_ocr.providers.tencent import TencentOcrProvider
from passport_ocr.providers.textract import TextractProvider
from passport_ocr.storage.base import WRITE, choose_transfer, error_for_status
from passport_ocr.tools.ocr.provider import LocalOcrProvider

MB = 1024 * 1024


#: The real providers (built offline: no call is made): the rule asks them.
KEYS = Credentials("AK", "SK")
HUAWEI = HuaweiOcrProvider(HuaweiOptions(project_id="p", region="cn-north-4"), KEYS)
TENCENT = TencentOcrProvider(KEYS, region="ap-guangzhou")


def ref(
    cloud: Cloud = "huaweicloud",
    region: str | None = "cn-north-4",
    key: str = "uploads/p.jpg",
    size: int | None = 2 * MB,
) -> ObjectRef:
    return ObjectRef(cloud=cloud, region=region, bucket="b", key=key, size=size)


def test_same_cloud_same_region_compliant_jpeg_goes_by_url() -> None:
    assert choose_transfer(ref(), HUAWEI, Settings()) == "url"
    tencent_ref = ref("tencentcloud", "ap-guangzhou")
    assert choose_transfer(tencent_ref, TENCENT, Settings()) == "url"


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (ref(region="ap-southeast-1"), "another region"),
        (ref(region=None), "region unknown"),
        (ref(cloud="aws", region="cn-north-4"), "another cloud"),
        (ref(key="uploads/p.webp"), "format needs conversion"),
        (ref(key="uploads/p.JPG.gif"), "format needs conversion"),
        (ref(key="uploads/noext"), "format unknown"),
        (ref(size=None), "size unknown"),
        (ref(size=8 * MB), "over 10 MB once base64-encoded"),
    ],
)
def test_anything_uncertain_goes_as_bytes(upload: ObjectRef, reason: str) -> None:
    assert choose_transfer(upload, HUAWEI, Settings()) == "bytes", reason


def test_limits_are_the_providers_tiff_is_fine_for_huawei_not_for_tencent() -> None:
    assert choose_transfer(ref(key="a.tiff"), HUAWEI, Settings()) == "url"
    tencent_tiff = ref("tencentcloud", "ap-guangzhou", key="a.tiff")
    assert choose_transfer(tencent_tiff, TENCENT, Settings()) == "bytes"


def test_tencent_international_endpoint_never_gets_a_url() -> None:
    intl = TencentOcrProvider(KEYS, region="ap-guangzhou", endpoint="ocr.intl.tencentcloudapi.com")
    for mode in ("auto", "url"):
        upload = ref("tencentcloud", "ap-guangzhou")
        assert choose_transfer(upload, intl, Settings(image_transfer=mode)) == "bytes"


def test_provider_that_cannot_fetch_urls_gets_bytes_even_when_forced() -> None:
    offline = LocalOcrProvider()
    forced = Settings(image_transfer="url")
    assert choose_transfer(ref(cloud="local"), offline, forced) == "bytes"


def test_settings_force_either_mode() -> None:
    assert choose_transfer(ref(), HUAWEI, Settings(image_transfer="bytes")) == "bytes"
    other_region = ref(region="ap-southeast-1", key="a.webp")
    assert choose_transfer(other_region, HUAWEI, Settings(image_transfer="url")) == "url"


def test_huawei_custom_endpoint_region_is_read_from_the_endpoint() -> None:
    options = HuaweiOptions(project_id="p", endpoint="https://ocr.ae-ad-1.g42cloud.com")
    g42 = HuaweiOcrProvider(options, KEYS)
    assert choose_transfer(ref(region="ae-ad-1"), g42, Settings()) == "url"
    assert choose_transfer(ref(region="cn-north-4"), g42, Settings()) == "bytes"


# -- what a refused write means ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code"),
    [(404, "NoSuchBucket"), (400, "KeyTooLongError"), (400, "InvalidBucketName"), (409, None)],
)
def test_a_refused_result_write_is_the_operators_to_fix_never_a_rejection(
    status: int, code: str | None
) -> None:
    # S3's documented 4xx answers to PutObject (moto does not enforce key length: 400
    # KeyTooLongError is taken from the S3 error-code list, not from a run).
    error = error_for_status(status, WRITE, "result", code)
    assert (error.code, error.permanent, error.operator) == ("storage.write_refused", False, True)


@pytest.mark.parametrize("status", [500, 503, 429, None])
def test_a_write_that_may_succeed_later_stays_transient(status: int | None) -> None:
    error = error_for_status(status, WRITE, "result")
    assert (error.code, error.permanent, error.operator) == ("storage.unavailable", False, False)


def test_a_missing_upload_is_still_a_permanent_not_found() -> None:
    error = error_for_status(404, "get", "abc")
    assert (error.code, error.permanent) == ("storage.not_found", True)


# -- object mode: the vendor reads the object itself (Textract and S3) ------------------------

TEXTRACT = TextractProvider(region="eu-central-1")


def s3_ref(**changes: object) -> ObjectRef:
    values: dict[str, object] = {
        "cloud": "aws",
        "region": "eu-central-1",
        "bucket": "b",
        "key": "uploads/p.jpg",
        "size": 2 * MB,
    }
    return ObjectRef.model_validate(values | changes)


def test_an_s3_upload_in_textract_s_region_goes_as_an_object_reference() -> None:
    assert choose_transfer(s3_ref(), TEXTRACT, Settings()) == "object"
    assert choose_transfer(s3_ref(key="uploads/p.png"), TEXTRACT, Settings()) == "object"


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (s3_ref(region="us-east-1"), "Textract reads only its own region's buckets"),
        (s3_ref(region=None), "region unknown"),
        (s3_ref(key="uploads/p.webp"), "WEBP needs conversion"),
        (s3_ref(key="uploads/p.tiff"), "TIFF is not documented for AnalyzeID"),
        (s3_ref(size=6 * MB), "over the 5 MB document limit"),
        (s3_ref(size=None), "size unknown"),
        (ref("tencentcloud", "eu-central-1"), "another cloud's store"),
    ],
)
def test_an_uncertain_s3_upload_goes_as_bytes(upload: ObjectRef, reason: str) -> None:
    assert choose_transfer(upload, TEXTRACT, Settings()) == "bytes", reason


def test_the_settings_force_bytes_or_trust_the_operator() -> None:
    assert choose_transfer(s3_ref(), TEXTRACT, Settings(image_transfer="bytes")) == "bytes"
    # `url`: by reference whatever the size and suffix, in the kind the vendor takes.
    webp = s3_ref(key="uploads/p.webp", region="us-east-1")
    assert choose_transfer(webp, TEXTRACT, Settings(image_transfer="url")) == "object"
    # Never a URL to a vendor that takes none, never an object to one that takes none.
    assert choose_transfer(s3_ref(), HUAWEI, Settings(image_transfer="url")) == "bytes"
    tencent_ref = ref("tencentcloud", "ap-guangzhou")
    assert choose_transfer(tencent_ref, TENCENT, Settings(image_transfer="url")) == "url"
