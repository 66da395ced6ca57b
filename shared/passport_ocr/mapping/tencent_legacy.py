"""The legacy Tencent image API (`sdkservice.image.myqcloud.com/ocr/passport`) -> `Draft`.

The legacy passport API document (Tencent Cloud 智能图像, product 864):
`{"code": 0, "message": "OK", "data": {"session_id", "items": [...]}}`, one item
per field, labelled in Chinese (`item`), with the text (`itemstring`), a confidence
(`itemconf`) and a box (`itemcoord`, not needed here). Dates are YYMMDD. `code != 0` is a
vendor error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from passport_ocr.draft import Draft, PageFields
from passport_ocr.errors import MappingError
from passport_ocr.mapping.common import (
    FieldReader,
    confidence_from,
    require_object,
    text,
)
from passport_ocr.record import Finding, Source

VENDOR: Final = "tencent-legacy"
API: Final = "ocr/passport"

#: Item label -> record field (the MRZ lines are handled apart).
LABELS: Final = {
    "类别": "document_code",
    "签发国": "issuing_state",
    "护照号码": "document_number",
    "英文姓": "surname",
    "英文名": "given_names",
    "国籍英文": "nationality",
    "性别英文": "sex",
    "出生日期": "birth_date",
    "有效期至": "expiry_date",
    "签发日期": "issue_date",
    "出生地英文": "place_of_birth",
    "签发地英文": "place_of_issue",
    "签发机关": "issuing_authority",
}
MRZ_LABELS: Final = ("机读码1", "机读码2")


def to_draft(raw: object, *, request_id: str | None = None, today: date | None = None) -> Draft:
    body = require_object(raw, vendor=VENDOR, field="$")
    code = body.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        raise MappingError(VENDOR, "code", "missing or not an integer")
    if code != 0:
        raise MappingError(VENDOR, "code", f"the answer is an error (code {code})")
    data = require_object(body.get("data"), vendor=VENDOR, field="data")
    strings, confidence = _items(data.get("items"))

    findings: list[Finding] = []
    # Read the label -> string table like any other vendor object, so the same typed
    # readers (and error messages naming the label) apply.
    fields = FieldReader(VENDOR, strings, "data.items", findings, today)
    printed = PageFields(
        document_code=fields.text("类别"),
        issuing_state=fields.text("签发国"),
        document_number=fields.text("护照号码"),
        surname=fields.text("英文姓"),
        given_names=fields.text("英文名"),
        nationality=fields.text("国籍英文"),
        sex=fields.sex("性别英文"),
        birth_date=fields.date("出生日期"),
        expiry_date=fields.date("有效期至", "expiry"),
        issue_date=fields.date("签发日期"),
        place_of_birth=fields.text("出生地英文"),
        place_of_issue=fields.text("签发地英文"),
        issuing_authority=fields.text("签发机关"),
    )
    mrz_lines = tuple(line for line in (fields.raw(label) for label in MRZ_LABELS) if line)
    if not printed.present() and not mrz_lines:
        raise MappingError(VENDOR, "data.items", "empty: nothing was recognised")
    session = text(data.get("session_id"), vendor=VENDOR, field="data.session_id")
    return Draft(
        source=Source(vendor=VENDOR, api=API, request_id=request_id or session),
        printed=printed,
        mrz_lines=mrz_lines,
        confidence=confidence,
        findings=tuple(findings),
    )


def _items(value: object) -> tuple[dict[str, Any], dict[str, float]]:
    """The items as label -> string and record field -> confidence; the first of a label wins."""
    if not isinstance(value, list):
        raise MappingError(VENDOR, "data.items", "missing or not a list")
    strings: dict[str, Any] = {}
    confidence: dict[str, float] = {}
    for index, entry in enumerate(value):
        item: Mapping[str, Any] = require_object(entry, vendor=VENDOR, field=f"data.items[{index}]")
        label = text(item.get("item"), vendor=VENDOR, field=f"data.items[{index}].item")
        if label is None or label in strings:
            continue
        # Type-checked when read, by a reader that names the label.
        strings[label] = item.get("itemstring")
        score = confidence_from(
            item.get("itemconf"), vendor=VENDOR, field=f"data.items[{index}].itemconf"
        )
        if score is not None and label in LABELS:
            confidence[LABELS[label]] = score
    return strings, confidence
