"""MLIDPassportOCR's printed page of a mainland passport: bilingual values split into the
field and `local`, the holder's signature, and the deprecated alarm fields."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from passport_ocr.mapping import to_record
from passport_ocr.mapping.common import split_bilingual
from passport_ocr.publishing.payload import mask_record
from tests import paths

PAGE: dict[str, Any] = json.loads(
    (paths.TEST_DATA / "vendor" / "tencent_mlid_chn_page.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("value", "split"),
    [
        ("上海/SHANGHAI", ("SHANGHAI", "上海")),
        ("中国/CHINESE", ("CHINESE", "中国")),
        ("SHANGHAI/上海", ("SHANGHAI", "上海")),
        (" 北京 / BEIJING ", ("BEIJING", "北京")),
        ("EXIT & ENTRY ADMINISTRATION, PRC", ("EXIT & ENTRY ADMINISTRATION, PRC", None)),
        ("A/B", ("A/B", None)),  # both Latin: not two scripts
        ("上海/北京", ("上海/北京", None)),
        ("a/b/c", ("a/b/c", None)),
        ("上海/", ("上海/", None)),
        (None, (None, None)),
    ],
)
def test_split_bilingual(value: str | None, split: tuple[str | None, str | None]) -> None:
    assert split_bilingual(value) == split


def test_bilingual_values_fill_the_field_and_local() -> None:
    record = to_record("tencent-mlid", PAGE)
    assert record.nationality == "CHN"  # was dropped as vendor.unknown_country
    assert "vendor.unknown_country" not in record.finding_codes()
    assert (record.place_of_birth, record.place_of_issue) == ("SHANGHAI", "SHANGHAI")
    assert record.issuing_authority == "EXIT & ENTRY ADMINISTRATION, PRC"
    assert record.local is not None
    assert record.local.model_dump(exclude_none=True) == {
        "language": "zh",
        "name": "张三",
        "nationality": "中国",
        "place_of_birth": "上海",
        "place_of_issue": "上海",
        "issuing_authority": "中华人民共和国出入境管理局",
    }


def test_the_signature_is_mapped_where_present_and_masked_away() -> None:
    signed = copy.deepcopy(PAGE)
    signed["Response"]["PassportRecognizeInfos"]["Signature"] = "张三"
    record = to_record("tencent-mlid", signed)
    assert record.signature == "张三"
    assert mask_record(record).signature is None
    assert to_record("tencent-mlid", PAGE).signature is None  # "" is no signature


def test_passport_ocr_signature_is_mapped_too() -> None:
    sample = json.loads((paths.VENDOR_SAMPLES / "tencent_passport.json").read_text("utf-8"))
    sample["Response"]["Signature"] = "张三"
    assert to_record("tencent", sample).signature == "张三"
