"""What `read_mrz` returns: the decoded fields and the reading with its findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from passport_ocr.record import Finding, Mrz


@dataclass(frozen=True)
class NameParts:
    surname: str
    given_names: str
    #: The name field is full to its last position: the name may have been cut.
    possibly_truncated: bool


@dataclass(frozen=True)
class MrzFields:
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date_raw: str
    birth_date: date | None
    expiry_date_raw: str
    expiry_date: date | None
    sex: Literal["M", "F", "X"] | None  # '<' (unspecified) -> "X"
    #: TD3/TD2/MRV optional data (TD3: personal number); TD1: line-1 optional data.
    optional_data: str
    #: TD1 line-2 optional data; None for the other formats.
    optional_data_2: str | None
    #: FRA_ID only: the issue year and month as printed (YYMM) and as YYYY-MM (None when
    #: they are no month); the ICAO formats carry no issue date.
    issue_month_raw: str | None = None
    issue_month: str | None = None


@dataclass(frozen=True)
class MrzReading:
    mrz: Mrz
    fields: MrzFields
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return self.mrz.valid

    def finding_codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def to_json(self) -> dict[str, Any]:
        """Exactly what `passport-ocr mrz` prints."""
        fields: dict[str, Any] = {
            "document_code": self.fields.document_code,
            "issuing_state": self.fields.issuing_state,
            "surname": self.fields.surname,
            "given_names": self.fields.given_names,
            "document_number": self.fields.document_number,
            "nationality": self.fields.nationality,
            "birth_date": _date_json(self.fields.birth_date_raw, self.fields.birth_date),
            "expiry_date": _date_json(self.fields.expiry_date_raw, self.fields.expiry_date),
            "sex": self.fields.sex,
            "optional_data": self.fields.optional_data,
        }
        if self.fields.optional_data_2 is not None:
            fields["optional_data_2"] = self.fields.optional_data_2
        if self.fields.issue_month_raw is not None:
            fields["issue_month"] = {
                "raw": self.fields.issue_month_raw,
                "iso": self.fields.issue_month,
            }
        return {
            "format": self.mrz.format.value,
            "fields": fields,
            "check_digits": {check.field: check.valid for check in self.mrz.check_digits},
            "valid": self.mrz.valid,
            "valid_strict": self.mrz.valid_strict,
            "repairs": [sub.model_dump(mode="json") for sub in self.mrz.substitutions],
            "findings": [finding.model_dump(mode="json") for finding in self.findings],
        }


def _date_json(raw: str, resolved: date | None) -> dict[str, str | None]:
    return {"raw": raw, "iso": resolved.isoformat() if resolved else None}
