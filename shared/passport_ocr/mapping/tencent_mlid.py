"""Tencent Cloud OCR MLIDPassportOCR (HK/Macao/Taiwan and foreign passports) -> `Draft`.

Tencent API reference (https://www.tencentcloud.com/document/api/1005/34682) and the SDK
models: the top-level fields (`ID`, `Surname`, `DateOfBirth`
YYYYMMDD, ...) are the vendor's own parse of the MRZ, so they go to `Draft.vendor_mrz`;
`PassportRecognizeInfos` is the printed page (dates as printed, "11 Apr 1990");
`CodeSet` / `CodeCrc` are the MRZ lines. Mainland passports print places, authority and
nationality in two scripts (`上海/SHANGHAI`, `中国/CHINESE`): the Latin part is the field,
the Chinese part goes to `local`, as Huawei gives them. `Signature` (the holder's signature,
mainland passports only) becomes the record's `signature`.

What the current SDK says of the alarm and confidence fields (tencentcloud-sdk-python-ocr
3.1.193, tencentcloud/ocr/v20181119/models.py, MLIDPassportOCRResponse):
- `Warn` is deprecated and always an empty list (line 16262);
- `WarnCardInfos` works only on the international site; the mainland site always answers
  an empty list (line 16284). Its codes become `vendor.warning.<name>` findings;
- `AdvancedInfo` is deprecated and always "1" (line 16267); older answers carried per-field
  confidences in it as a JSON string, read when present.
So a mainland-site answer never carries photocopy or recapture warnings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from passport_ocr.draft import Draft, PageFields, has_non_latin
from passport_ocr.mapping.common import (
    FieldReader,
    int_list,
    split_bilingual,
)
from passport_ocr.mapping.tencent import request_id_of, unwrap
from passport_ocr.mapping.tencent_auto import merge_passport_ocr
from passport_ocr.record import Finding, LocalLanguage, Severity, Source

VENDOR: Final = "tencent"
API: Final = "MLIDPassportOCR"

#: Tencent's alarm codes (`WarnCardInfos`, models.py line 16284: -9101..-9104, -9107..-9109;
#: -9105 and -9106 are from the API reference's earlier list, kept for older answers).
WARNINGS: Final[Mapping[int, tuple[str, Severity, str]]] = {
    -9101: ("incomplete_border", Severity.WARNING, "the document's border is not complete"),
    -9102: ("photocopy", Severity.WARNING, "the image looks like a photocopy"),
    -9103: ("recapture", Severity.WARNING, "the image looks like a photo of a screen or print"),
    -9104: ("ps_edited", Severity.WARNING, "the image looks digitally edited"),
    -9105: ("covered", Severity.WARNING, "part of the document is covered"),
    -9106: ("covered", Severity.WARNING, "part of the document is covered"),
    -9107: ("reflection", Severity.WARNING, "glare or reflection on the document"),
    -9108: ("blur", Severity.WARNING, "the image is blurred"),
    -9109: ("alerts_not_enabled", Severity.INFO, "the vendor's alarm checks are not enabled"),
}

#: Tencent's field names (in `AdvancedInfo`) -> record field names.
CONFIDENCE_FIELDS: Final = {
    "Type": "document_code",
    "IssuingCountry": "issuing_state",
    "ID": "document_number",
    "PassportID": "document_number",
    "Surname": "surname",
    "GivenName": "given_names",
    "Nationality": "nationality",
    "Sex": "sex",
    "DateOfBirth": "birth_date",
    "DateOfExpiration": "expiry_date",
    "DateOfIssuance": "issue_date",
}


def to_draft(raw: object, *, request_id: str | None = None, today: date | None = None) -> Draft:
    findings: list[Finding] = []
    answer = FieldReader(VENDOR, unwrap(raw, vendor=VENDOR), "Response", findings, today)
    mrz_lines = tuple(line for line in (answer.raw("CodeSet"), answer.raw("CodeCrc")) if line)
    vendor_mrz = PageFields(
        document_code=answer.text("Type"),
        issuing_state=answer.text("IssuingCountry"),
        document_number=answer.text("ID"),
        surname=answer.text("Surname"),
        given_names=answer.text("GivenName"),
        nationality=answer.text("Nationality"),
        sex=answer.sex("Sex"),
        birth_date=answer.date("DateOfBirth"),
        expiry_date=answer.date("DateOfExpiration", "expiry"),
    )
    page = answer.object("PassportRecognizeInfos")
    bilingual = {
        name: split_bilingual(page.text(key))
        for name, key in (
            ("nationality", "Nationality"),
            ("place_of_birth", "BirthPlace"),
            ("place_of_issue", "IssuePlace"),
            ("issuing_authority", "IssuingAuthority"),
        )
    }
    printed = PageFields(
        document_code=page.text("Type"),
        issuing_state=page.text("IssuingCountry"),
        document_number=page.text("PassportID"),
        surname=page.text("Surname"),
        given_names=page.text("GivenName"),
        nationality=bilingual["nationality"][0],
        sex=page.sex("Sex"),
        birth_date=page.date("DateOfBirth"),
        expiry_date=page.date("DateOfExpiration", "expiry"),
        issue_date=page.date("DateOfIssuance"),
        place_of_birth=bilingual["place_of_birth"][0],
        place_of_issue=bilingual["place_of_issue"][0],
        issuing_authority=bilingual["issuing_authority"][0],
    )
    codes = tuple(
        code
        for key in ("Warn", "WarnCardInfos")
        for code in int_list(answer.source.get(key), vendor=VENDOR, field=f"Response.{key}")
    )
    findings.extend(warning_findings(codes))
    printed_name = page.text("Name")
    draft = Draft(
        source=Source(vendor=VENDOR, api=API, request_id=request_id_of(answer, request_id)),
        printed=printed,
        vendor_mrz=vendor_mrz,
        mrz_lines=mrz_lines,
        # The printed `Name` is the name in the local script for mainland passports.
        local=_local(
            printed_name,
            printed.issuing_state,
            {name: local for name, (_, local) in bilingual.items() if local},
        ),
        signature=page.text("Signature"),
        confidence=advanced_confidence(answer.source.get("AdvancedInfo")),
        findings=tuple(findings),
    )
    # The provider's `auto` mode may carry a PassportOCR answer too (providers/tencent.py).
    return merge_passport_ocr(draft, raw, today=today)


def _local(
    printed_name: str | None, issuing_state: str | None, fields: Mapping[str, str]
) -> LocalLanguage | None:
    """The printed `Name` when it is in a non-Latin script, and the local halves of the
    bilingual values (mainland Chinese passports)."""
    name = printed_name if has_non_latin(printed_name) else None
    if name is None and not fields:
        return None
    language = "zh" if issuing_state == "CHN" else None
    return LocalLanguage(language=language, name=name, **fields)


def warning_findings(codes: tuple[int, ...]) -> list[Finding]:
    """One finding per distinct alarm code, in the order the vendor gave them."""
    findings: list[Finding] = []
    for code in dict.fromkeys(codes):
        name, severity, message = WARNINGS.get(
            code,
            ("unknown", Severity.WARNING, f"an alarm code this product does not know ({code})"),
        )
        findings.append(
            Finding(
                code=f"vendor.warning.{name}",
                severity=severity,
                message=f"{message} (Tencent alarm {code})",
            )
        )
    return findings


def advanced_confidence(value: object) -> dict[str, float]:
    """Per-field confidences from the deprecated `AdvancedInfo` JSON string, if it has any.

    It is documented as deprecated and now fixed to "1", so anything unexpected in it is
    ignored rather than rejected. The MRZ-parse scores win; the printed page's fill gaps.
    """
    if not isinstance(value, str):
        return {}
    try:
        info = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(info, dict):
        return {}
    scores = _scores(info.get("PassportRecognizeInfos"))
    scores.update(_scores(info))
    return scores


def _scores(info: Any) -> dict[str, float]:
    if not isinstance(info, dict):
        return {}
    scores: dict[str, float] = {}
    for key, record_field in CONFIDENCE_FIELDS.items():
        entry = info.get(key)
        raw = entry.get("Confidence") if isinstance(entry, dict) else None
        try:
            score = (
                float(raw)
                if isinstance(raw, str | int | float) and not isinstance(raw, bool)
                else None
            )
        except ValueError:
            score = None
        if score is not None and 0.0 <= score <= 1.0:
            scores[record_field] = score
    return scores
