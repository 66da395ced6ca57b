"""Every OCR vendor, one descriptor each: the one place a vendor's identity is written.

Settings' choices, the mappers' dispatch, the transfer rule, the command line's choices and
defaults, the batch runner's pace and the tests' parametrisation all read this table; adding
a vendor is its client, its mapper, one line here, its stub and its tests
(`tests/unit/test_registries.py` lists the files).

Import-light on purpose (no SDK, no Pillow): a function imports a vendor's client and mapper
only when that vendor is configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from passport_ocr.clouds import CloudName
from passport_ocr.images import ImageLimits

VendorName = Literal["huawei", "tencent", "tencent-legacy", "textract", "local"]
#: The answer formats the mappers read: a vendor may answer in more than one.
AnswerFormat = Literal["huawei", "tencent", "tencent-mlid", "tencent-legacy", "textract", "local"]
#: How a vendor can be handed an image: the bytes, a URL it downloads, or a reference to an
#: object in its own cloud's store that it reads itself.
ImageKind = Literal["bytes", "url", "object"]

_MB: Final = 1024 * 1024


@dataclass(frozen=True)
class Vendor:
    """What the rest of the project may know about one OCR vendor."""

    name: VendorName
    title: str
    #: The vendor's API reference, for readers and for the citations in tests.
    document: str
    #: The cloud whose object store the vendor can read from in-region; None: none.
    home_cloud: CloudName | None
    #: The answer formats it produces, each with the module whose `to_draft` maps it.
    mappers: Mapping[AnswerFormat, str]
    #: `module:Class` of its client; the class has `from_settings` (or `installed`).
    client: str
    #: The documented image limits with the default options (a provider may narrow them from
    #: settings: Huawei's longest side, the legacy API's body kind).
    limits: ImageLimits
    takes: frozenset[ImageKind]
    #: Requests per second per API at the vendor's default quota; empty: none documented.
    rate_limits: Mapping[str, float] = field(default_factory=dict)
    #: Objects in parallel for `passport-ocr process` by default.
    default_workers: int = 4
    #: What a confidence of "certain" is in the vendor's answers (1.0 or 100.0).
    confidence_scale: float = 1.0
    #: The `pip install 'passport-ocr-functions[EXTRA]'` that brings its SDK.
    extra: str = ""
    #: Whether it accepts the function role's temporary credentials (with a token); False:
    #: long-lived keys from the environment only.
    temporary_credentials: bool = True
    #: The two field names of its key pair in a secret's JSON value (access key, secret
    #: key), for a function of another cloud (`PASSPORT_OCR_VENDOR_SECRET`); None: its keys
    #: cannot come from a secret.
    secret_fields: tuple[str, str] | None = None
    #: Whether it can give the holder's portrait (`PASSPORT_OCR_PORTRAIT=store`).
    portrait: bool = False
    #: Where it lists its prices (`passport-ocr backfill` names it: no price is known offline).
    pricing: str = ""
    #: Whether its calls are charged at all (the offline engine's are not).
    charged: bool = True
    #: What its documents say is charged, each with the address that says it: the dry run
    #: of `passport-ocr backfill` prints them beside the cost.
    billing_rules: tuple[str, ...] = ()
    #: What its client needs in another cloud's function bundle (`passport-ocr package
    #: --with-vendor`): the packages its own cloud's bundle carries for it. Empty: it
    #: cannot go into a function bundle.
    bundle_packages: tuple[str, ...] = ()


VENDORS: Final[Mapping[VendorName, Vendor]] = {
    "huawei": Vendor(
        name="huawei",
        pricing="https://www.huaweicloud.com/pricing.html#/ocr",
        billing_rules=(
            "only successful calls (HTTP 2xx) are charged "
            "(https://support.huaweicloud.com/intl/en-us/price-ocr/ocr_12_0007.html)",
        ),
        title="Huawei Cloud OCR RecognizePassport",
        document="https://apiexplorer.developer.huaweicloud.com/apiexplorer/doc?product=OCR&api=RecognizePassport",
        home_cloud="huaweicloud",
        mappers={"huawei": "passport_ocr.mapping.huawei"},
        client="passport_ocr.providers.huawei:HuaweiOcrProvider",
        # base64 <= 10 MB; sides 15..4096 px (8192 in the 2025 documents: a setting).
        limits=ImageLimits(
            provider="huawei",
            formats=frozenset({"JPEG", "PNG", "BMP", "TIFF"}),
            max_encoded_bytes=10 * _MB,
            base64=True,
            min_side=15,
            max_side=4096,
        ),
        takes=frozenset({"bytes", "url"}),
        extra="huaweicloud",
        bundle_packages=("huaweicloudsdkocr>=3.1.100",),
        # The names Huawei's console and SDKs give the pair (BasicCredentials(ak, sk)).
        secret_fields=("ak", "sk"),
    ),
    "tencent": Vendor(
        name="tencent",
        pricing="https://cloud.tencent.com/document/product/866/17619",
        billing_rules=(
            "on the international site, 1,000 free calls a month per API once the service is "
            "activated (https://www.tencentcloud.com/document/product/1005/37267)",
            "on the international site, prices are per call and tiered by the month's calls: "
            "once a tier is reached, all the month's calls are billed at its price "
            "(https://www.tencentcloud.com/document/product/1005/36165)",
            "most failed calls are free, a few error codes are charged, e.g. "
            "FailedOperation.EmptyImageError, never sent: the function rejects an empty "
            "upload itself (https://cloud.tencent.com/document/product/866/45470)",
        ),
        title="Tencent Cloud OCR MLIDPassportOCR / PassportOCR",
        document="https://cloud.tencent.com/document/api/866/37657",
        home_cloud="tencentcloud",
        mappers={
            "tencent": "passport_ocr.mapping.tencent",
            "tencent-mlid": "passport_ocr.mapping.tencent_mlid",
        },
        client="passport_ocr.providers.tencent:TencentOcrProvider",
        # base64 <= 7 MB, PNG/JPG/JPEG/BMP. Sides are not documented for passports;
        # 20..10000 px is Tencent OCR's usual statement (kept lenient).
        limits=ImageLimits(
            provider="tencent",
            formats=frozenset({"JPEG", "PNG", "BMP"}),
            max_encoded_bytes=7 * _MB,
            base64=True,
            min_side=20,
            max_side=10000,
            # PassportOCR ImageBase64/ImageUrl: "分辨率建议500*800以上" (500x800 px or more
            # recommended), https://cloud.tencent.com/document/api/866/37657.
            recommended_sides=(500, 800),
        ),
        takes=frozenset({"bytes", "url"}),
        # The default request quotas of the two actions (API documents, "Request rate").
        rate_limits={"PassportOCR": 10.0, "MLIDPassportOCR": 5.0},
        extra="tencentcloud",
        bundle_packages=(
            "tencentcloud-sdk-python-common>=3.0.1100",
            "tencentcloud-sdk-python-ocr>=3.0.1100",
        ),
        # MLIDPassportOCR `RetImage` -> `Image`; PassportOCR `CropPortrait` ->
        # `PortraitImageInfo.PortraitImage` (tencentcloud-sdk-python-ocr 3.1.193 models.py
        # lines 16184, 16265, 20513, 20619, 21700).
        portrait=True,
        # The names of Tencent's API key pair (SecretId, SecretKey).
        secret_fields=("secret_id", "secret_key"),
    ),
    "tencent-legacy": Vendor(
        name="tencent-legacy",
        title="Tencent image service passport OCR (legacy)",
        document="https://cloud.tencent.com/document/product/864/17712",
        home_cloud="tencentcloud",
        mappers={"tencent-legacy": "passport_ocr.mapping.tencent_legacy"},
        client="passport_ocr.providers.tencent_legacy:TencentLegacyProvider",
        # The whole body <= 6 MB, no GIF; a multipart body, less room for its boundaries,
        # part headers and the app_id field. Formats and sides are not documented: those of
        # Tencent's other OCR APIs.
        limits=ImageLimits(
            provider="tencent-legacy",
            formats=frozenset({"JPEG", "PNG", "BMP"}),
            max_encoded_bytes=6 * _MB - 2048,
            base64=False,
            min_side=15,
            max_side=4096,
        ),
        takes=frozenset({"bytes", "url"}),
        extra="tencentcloud",
        bundle_packages=("requests>=2.31",),
        # Its signature has no token field: a role's temporary key is refused.
        temporary_credentials=False,
        secret_fields=("secret_id", "secret_key"),
    ),
    "textract": Vendor(
        name="textract",
        pricing="https://aws.amazon.com/textract/pricing/",
        title="Amazon Textract AnalyzeID",
        document="https://docs.aws.amazon.com/textract/latest/dg/API_AnalyzeID.html",
        home_cloud="aws",
        mappers={"textract": "passport_ocr.mapping.textract"},
        client="passport_ocr.providers.textract:TextractProvider",
        # botocore's service model (textract/2018-06-27/service-2.json, shape `Document`):
        # a document as `Bytes` or as an `S3Object` is at most 5 MB, and `Bytes` must be
        # PNG or JPEG. (PDF/TIFF are named for S3 objects by a shape every operation shares,
        # not for AnalyzeID: kept out.) The SDK base64-encodes the bytes itself; the limit
        # is on the document. Sides: "<= 10000 pixels on all sides" (Set Quotas,
        # https://docs.aws.amazon.com/textract/latest/dg/limits-document.html); no minimum
        # is documented (15 px, as Huawei's).
        limits=ImageLimits(
            provider="textract",
            formats=frozenset({"JPEG", "PNG"}),
            max_encoded_bytes=5 * _MB,
            base64=False,
            min_side=15,
            max_side=10_000,
        ),
        # Bytes, or the S3 object it reads itself with the caller's permissions, in the
        # same region (service-2.json, shape `S3Object`). No URL.
        takes=frozenset({"bytes", "object"}),
        # The default AnalyzeID TPS quota is region-specific and only published in Service
        # Quotas (https://docs.aws.amazon.com/textract/latest/dg/limits-quotas-explained.html):
        # no number is written here that the documents do not state.
        rate_limits={},
        # `ValueDetection.Confidence` is a `Percent`, 0..100 (service-2.json, shape `Percent`).
        confidence_scale=100.0,
        extra="aws",
        # The function builds its clients with botocore (Lambda's runtime provides it).
        bundle_packages=("botocore>=1.34",),
    ),
    "local": Vendor(
        name="local",
        title="The embedded offline MRZ engine",
        document="https://www.icao.int/publications/pages/publication.aspx?docnum=9303",
        home_cloud=None,
        charged=False,
        mappers={"local": "passport_ocr.mapping.local"},
        client="passport_ocr.tools.ocr.provider:LocalOcrProvider",
        # Reads raw bytes; bigger images only cost time, not accuracy.
        limits=ImageLimits(
            provider="local",
            formats=frozenset({"JPEG", "PNG", "BMP", "TIFF", "WEBP"}),
            max_encoded_bytes=25 * _MB,
            base64=False,
            min_side=64,
            max_side=10_000,
        ),
        takes=frozenset({"bytes"}),
        # One engine per process, two cores on a laptop's share of the work.
        default_workers=2,
        extra="local",
        # Cut from the page by the MRZ's position (tools/ocr/portrait.py): TD3 and TD2.
        portrait=True,
    ),
}

#: Answer format -> the module that maps it, derived from the vendors.
MAPPERS: Final[Mapping[AnswerFormat, str]] = {
    fmt: module for vendor in VENDORS.values() for fmt, module in vendor.mappers.items()
}
#: Answer format -> the vendor that produces it.
FORMAT_VENDOR: Final[Mapping[AnswerFormat, VendorName]] = {
    fmt: vendor.name for vendor in VENDORS.values() for fmt in vendor.mappers
}


def vendor(name: str) -> Vendor:
    """The descriptor of `name`; KeyError names the known vendors."""
    try:
        return VENDORS[name]  # type: ignore[index]
    except KeyError:
        raise KeyError(f"unknown OCR vendor {name!r} (known: {', '.join(VENDORS)})") from None


def cloud_vendors() -> tuple[VendorName, ...]:
    """The vendors reached over the network (every one but the offline engine)."""
    return tuple(name for name, item in VENDORS.items() if item.home_cloud is not None)
