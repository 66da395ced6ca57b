"""Tencent Cloud OCR PassportOCR (API 3.0, mainland Chinese passports) answers -> `Draft`.

PassportOCR's API document (Tencent Cloud OCR, Version 2018-11-19): the printed-page
fields (`PassportNo`, `BirthDate` YYYYMMDD, ...), the Chinese
`Name`, and the two MRZ lines as `CodeSet` / `CodeCrc`. The answer is accepted wrapped in
`{"Response": {...}}` (the HTTP body) or bare (the SDK's `to_json_string()`); an `Error`
object inside is a vendor error, not a passport.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from passport_ocr.draft import Draft, PageFields
from passport_ocr.errors import MappingError
from passport_ocr.mapping.common import FieldReader, require_object, text
from passport_ocr.record import Finding, LocalLanguage, Source

VENDOR: Final = "tencent"
API: Final = "PassportOCR"

#: Keys that carry no passport data: an answer with nothing else is empty.
ENVELOPE_KEYS: Final = frozenset({"RequestId", "Error", "Response"})


def unwrap(raw: object, *, vendor: str = VENDOR) -> Mapping[str, Any]:
    """The inner answer object of a Tencent API 3.0 response, or MappingError.

    Shared by the PassportOCR and MLIDPassportOCR mappers.
    """
    body = require_object(raw, vendor=vendor, field="$")
    if "Response" in body:
        body = require_object(body["Response"], vendor=vendor, field="Response")
    if body.get("Error") is not None:
        error = require_object(body["Error"], vendor=vendor, field="Response.Error")
        code = text(error.get("Code"), vendor=vendor, field="Response.Error.Code") or "unknown"
        raise MappingError(vendor, "Response.Error", f"the answer is an error ({code})")
    if not any(
        value not in (None, "", [], {}) for key, value in body.items() if key not in ENVELOPE_KEYS
    ):
        raise MappingError(vendor, "Response", "empty: nothing was recognised")
    return body


def request_id_of(answer: FieldReader, given: str | None) -> str | None:
    return given if given is not None else answer.text("RequestId")


def to_draft(raw: object, *, request_id: str | None = None, today: date | None = None) -> Draft:
    findings: list[Finding] = []
    answer = FieldReader(VENDOR, unwrap(raw), "Response", findings, today)
    mrz_lines = tuple(line for line in (answer.raw("CodeSet"), answer.raw("CodeCrc")) if line)
    printed = PageFields(
        issuing_state=answer.text("Country"),
        document_number=answer.text("PassportNo"),
        surname=answer.text("FamilyName"),
        given_names=answer.text("FirstName"),
        nationality=answer.text("Nationality"),
        sex=answer.sex("Sex"),
        birth_date=answer.date("BirthDate"),
        expiry_date=answer.date("ExpiryDate", "expiry"),
        issue_date=answer.date("IssueDate"),
        place_of_birth=answer.text("BirthPlace"),
        place_of_issue=answer.text("IssuePlace"),
    )
    name = answer.text("Name")
    return Draft(
        source=Source(vendor=VENDOR, api=API, request_id=request_id_of(answer, request_id)),
        printed=printed,
        mrz_lines=mrz_lines,
        # PassportOCR reads mainland Chinese passports only: `Name` is the Chinese name.
        local=LocalLanguage(language="zh", name=name) if name else None,
        # The holder's signature (PassportOCRResponse.Signature, models.py 3.1.193 line 20607).
        signature=answer.text("Signature"),
        findings=tuple(findings),
    )
