"""Huawei Cloud OCR RecognizePassport (v2) answers -> `Draft`.

Two documented shapes share one `result` object
(https://support.huaweicloud.com/api-ocr/ocr_03_0106.html):
- CHN (full-field): 13 printed-page fields, `extra_info.local_language` (Chinese),
  `confidence`. No MRZ lines.
- GENERAL / foreign: `machine_code` and `machine_code2` (the MRZ lines) and 7 fields the
  service extracts *from those lines*; they go to `Draft.vendor_mrz`, never to `printed`,
  because they cannot confirm the MRZ they were read from.
Errors arrive as `{"error_code", "error_msg"}` (HTTP 400).

A CHN answer has no MRZ, so nothing could verify it. The provider then reads the page a
second time with `country_code=GENERAL` ("选择护照机器码识别": MRZ recognition, API
reference above) and carries that answer under `MRZ_READ_KEY`; its MRZ lines and MRZ parse
complete the CHN draft, and the shared validation checks them against the printed page. A
second read that failed or found no MRZ costs an `info` finding, never the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Final

from passport_ocr.draft import Draft, PageFields
from passport_ocr.errors import MappingError
from passport_ocr.mapping.common import (
    FieldReader,
    require_object,
    text,
)
from passport_ocr.record import DocumentKind, Finding, LocalLanguage, Severity, Source

VENDOR: Final = "huawei"
API: Final = "RecognizePassport"
#: Where the provider puts the second (GENERAL) answer beside the CHN one.
MRZ_READ_KEY: Final = "passport_ocr_mrz_read"

#: `passport_type` letters, Huawei's national ones (mainland passports only): P ordinary,
#: W diplomatic (外交), G service (公务), per https://support.huaweicloud.com/api-ocr/ocr_03_0106.html.
PASSPORT_TYPE_KINDS: Final[Mapping[str, DocumentKind]] = {
    "P": DocumentKind.ORDINARY,
    "W": DocumentKind.DIPLOMATIC,
    "G": DocumentKind.SERVICE,
}

#: Huawei's field names -> record field names (for `confidence`).
FIELD_NAMES: Final = {
    "passport_type": "document_code",
    "country_code": "issuing_state",
    "passport_number": "document_number",
    "nationality": "nationality",
    "surname": "surname",
    "given_name": "given_names",
    "sex": "sex",
    "date_of_birth": "birth_date",
    "date_of_expiry": "expiry_date",
    "date_of_issue": "issue_date",
    "place_of_birth": "place_of_birth",
    "place_of_issue": "place_of_issue",
    "issuing_authority": "issuing_authority",
}

#: The fields the GENERAL answer extracts from the MRZ (Huawei API reference, above).
MRZ_DERIVED: Final = frozenset(
    {
        "country_code",
        "surname",
        "given_name",
        "passport_number",
        "date_of_birth",
        "sex",
        "date_of_expiry",
    }
)

_LOCAL_KEYS: Final = (
    "name",
    "surname",
    "given_name",
    "sex",
    "nationality",
    "place_of_birth",
    "place_of_issue",
    "issuing_authority",
)


def to_draft(raw: object, *, request_id: str | None = None, today: date | None = None) -> Draft:
    draft = _answer_draft(raw, request_id=request_id, today=today)
    second = raw.get(MRZ_READ_KEY) if isinstance(raw, Mapping) else None
    return draft if second is None else with_mrz_read(draft, second, today=today)


def with_mrz_read(draft: Draft, second: object, *, today: date | None = None) -> Draft:
    """The CHN `draft` completed with the MRZ of the GENERAL answer `second`."""
    if draft.mrz_lines:
        return draft
    try:
        general = _answer_draft(second, request_id=None, today=today)
    except MappingError:
        general = None
    if general is None or not general.mrz_lines:
        return draft.with_findings(
            [
                Finding(
                    code="vendor.supplement_unavailable",
                    severity=Severity.INFO,
                    message="the second read for the MRZ (country_code GENERAL) gave no MRZ",
                )
            ]
        )
    return replace(draft, mrz_lines=general.mrz_lines, vendor_mrz=general.vendor_mrz)


def _answer_draft(raw: object, *, request_id: str | None, today: date | None) -> Draft:
    body = require_object(raw, vendor=VENDOR, field="$")
    if "error_code" in body or "error_msg" in body:
        code = text(body.get("error_code"), vendor=VENDOR, field="error_code") or "unknown"
        raise MappingError(VENDOR, "error_code", f"the answer is an error body ({code})")
    if "result" not in body:
        raise MappingError(VENDOR, "result", "missing")
    result_object = require_object(body["result"], vendor=VENDOR, field="result")
    if not result_object:
        raise MappingError(VENDOR, "result", "empty: nothing was recognised")
    if not (set(result_object) & (set(FIELD_NAMES) | {"machine_code", "machine_code2"})):
        # Not an answer of the documented shape (an API change, a proxy's JSON): never an
        # empty record that would pass for a read passport.
        raise MappingError(VENDOR, "result", "none of the documented passport fields")

    findings: list[Finding] = []
    result = FieldReader(VENDOR, body, "", findings, today).object("result")
    mrz_lines = tuple(
        line for line in (result.raw("machine_code"), result.raw("machine_code2")) if line
    )
    if mrz_lines:
        vendor_mrz = _fields(result, MRZ_DERIVED)
        printed = _fields(result, frozenset(FIELD_NAMES) - MRZ_DERIVED)
    else:
        vendor_mrz = PageFields()
        printed = _fields(result, frozenset(FIELD_NAMES))

    return Draft(
        source=Source(vendor=VENDOR, api=API, request_id=request_id),
        printed=printed,
        vendor_mrz=vendor_mrz,
        mrz_lines=mrz_lines,
        local=_local_language(result, vendor_mrz.issuing_state or printed.issuing_state),
        confidence=_confidence(result.object("confidence")),
        findings=tuple(findings),
        printed_kind=PASSPORT_TYPE_KINDS.get((printed.document_code or "").upper()),
    )


def _fields(result: FieldReader, keys: frozenset[str]) -> PageFields:
    """The record fields among `keys` (Huawei names), read from `result`."""

    def get(key: str) -> str | None:
        return result.text(key) if key in keys else None

    return PageFields(
        document_code=get("passport_type"),
        issuing_state=get("country_code"),
        document_number=get("passport_number"),
        surname=get("surname"),
        given_names=get("given_name"),
        nationality=get("nationality"),
        sex=result.sex("sex") if "sex" in keys else None,
        birth_date=result.date("date_of_birth") if "date_of_birth" in keys else None,
        expiry_date=result.date("date_of_expiry", "expiry") if "date_of_expiry" in keys else None,
        issue_date=result.date("date_of_issue") if "date_of_issue" in keys else None,
        place_of_birth=get("place_of_birth"),
        place_of_issue=get("place_of_issue"),
        issuing_authority=get("issuing_authority"),
    )


def _local_language(result: FieldReader, issuing_state: str | None) -> LocalLanguage | None:
    local = result.object("extra_info").object("local_language")
    values = {key: local.text(key) for key in _LOCAL_KEYS}
    if not any(values.values()):
        return None
    # Huawei fills local_language only for mainland Chinese passports (its API reference).
    language = "zh" if issuing_state in (None, "CHN") else None
    return LocalLanguage(
        language=language,
        name=values["name"],
        surname=values["surname"],
        given_names=values["given_name"],
        sex=values["sex"],
        nationality=values["nationality"],
        place_of_birth=values["place_of_birth"],
        place_of_issue=values["place_of_issue"],
        issuing_authority=values["issuing_authority"],
    )


def _confidence(given: FieldReader) -> dict[str, float]:
    scores = {record: given.confidence(key) for key, record in FIELD_NAMES.items()}
    return {record: score for record, score in scores.items() if score is not None}
