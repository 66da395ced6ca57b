"""A realistic record (the ICAO 9303 specimen) and small fakes for the publishing tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from passport_ocr.events.base import ObjectRef
from passport_ocr.record import (
    CheckDigit,
    DocumentKind,
    Finding,
    LocalLanguage,
    Mrz,
    MrzFormat,
    PassportRecord,
    Severity,
    Source,
    Status,
    Substitution,
)

MRZ_LINES = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
NOW = datetime(2026, 11, 21, 12, 30, 5, 123456, tzinfo=timezone.utc)
#: Personal values that must never appear where they are not allowed.
PERSONAL = ["ERIKSSON", "ANNA MARIA", "L898902C3", "ZE184226B", "安娜", "埃里克松", *MRZ_LINES]


def specimen_record(*, findings: int = 1) -> PassportRecord:
    return PassportRecord(
        document_code="P",
        document_kind=DocumentKind.ORDINARY,
        issuing_state="UTO",
        document_number="L898902C3",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        nationality="UTO",
        sex="F",
        birth_date=date(1974, 8, 12),
        expiry_date=date(2012, 4, 15),
        personal_number="ZE184226B",
        local=LocalLanguage(
            language="zh", name="埃里克松 安娜", surname="埃里克松", given_names="安娜",
            place_of_birth="乌托邦",
        ),
        mrz=Mrz(
            format=MrzFormat.TD3,
            lines_read=MRZ_LINES,
            lines=MRZ_LINES,
            check_digits=(
                CheckDigit(field="document_number", found="6", computed="6", valid=True,
                           valid_strict=True),
            ),
            valid=True,
            valid_strict=True,
            substitutions=(
                Substitution(line=1, position=3, original="O", replacement="0",
                             field="document_number", reason="check_digit"),
            ),
        ),
        confidence={"document_number": 0.99},
        findings=tuple(
            Finding(code=f"doc.expired.{n}", field="expiry_date", severity=Severity.WARNING,
                    message="the document expired before the upload")
            for n in range(findings)
        ),
        status=Status.NEEDS_REVIEW,
        status_rule="doc.expired.0" if findings else "all_checks_passed",
        source=Source(vendor="huawei", api="RecognizePassport", request_id="req-1"),
    )  # fmt: skip


def object_ref(**changes: Any) -> ObjectRef:
    values: dict[str, Any] = {
        "cloud": "huaweicloud",
        "region": "cn-north-4",
        "bucket": "passport-scans",
        "key": "uploads/2026/李 四 scan.jpg",
        "size": 1482311,
        "etag": "9b2cf535f27731c974343645a3985328",
        "version_id": "G001118F2A3B4C5DFFFFB3C4D5",
    }
    return ObjectRef(**(values | changes))


class MemoryStore:
    """Records every `put_json` (the storage helpers' real stores have the same signature)."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, str], dict[str, Any]] = {}

    def put_json(self, bucket: str, key: str, doc: Mapping[str, Any]) -> None:
        self.docs[(bucket, key)] = dict(doc)
