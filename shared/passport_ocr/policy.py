"""Checks on the document the operator configures, and the issue date's plausibility.

The MRZ checks say whether a reading is right; these say whether the document suits the
operator's purpose: still valid long enough (many border authorities want six months left),
a holder old enough on a given day, an expired document flagged as strongly as they want.
All are findings with codes of their own, so consumers can route on them:

- `document.expired` (expiry date passed; warning unless `expired_severity` says error);
- `policy.validity_short` (fewer than `min_validity_days` left at the check date);
- `policy.under_age` (younger than `min_age_years` at the check date);
- `document.issue_date_implausible` (issued in the future, before the holder's birth, or not
  before its own expiry: a misread more likely than a document; always on, a warning).

Pure: no clock but the dates it is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from passport_ocr.mrz.dates import years_between
from passport_ocr.record import Finding, Severity

PolicySeverity = Literal["warning", "error"]


@dataclass(frozen=True)
class DocumentPolicy:
    """What the operator asks of a document. The defaults ask nothing beyond the expiry."""

    min_validity_days: int | None = None
    min_age_years: int | None = None
    #: The day the validity and age checks are made for (a travel date); None: the day the
    #: upload is processed.
    check_date: date | None = None
    #: How much the policy findings weigh: warning sends a record to review, error makes it
    #: invalid.
    severity: PolicySeverity = "warning"
    expired_severity: PolicySeverity = "warning"

    def findings(self, values: Mapping[str, object], today: date) -> list[Finding]:
        """The findings for a record's merged values (`birth_date`, `expiry_date`,
        `issue_date`, each a date when known)."""
        birth, expiry, issue = (_date(values.get(name)) for name in _DATES)
        on = self.check_date or today
        return [
            *self._expiry(expiry, today),
            *self._validity(expiry, on),
            *self._age(birth, on),
            *issue_date_findings(issue, birth=birth, expiry=expiry, today=today),
        ]

    def _expiry(self, expiry: date | None, today: date) -> list[Finding]:
        if expiry is None or expiry >= today:
            return []
        return [
            Finding(
                code="document.expired",
                field="expiry_date",
                severity=Severity(self.expired_severity),
                message="the document's expiry date has passed",
            )
        ]

    def _validity(self, expiry: date | None, on: date) -> list[Finding]:
        if self.min_validity_days is None or expiry is None or expiry < on:
            return []  # an expired document has its own finding
        if expiry - on >= timedelta(days=self.min_validity_days):
            return []
        return [
            Finding(
                code="policy.validity_short",
                field="expiry_date",
                severity=Severity(self.severity),
                message=f"less than the required {self.min_validity_days} days of validity "
                "left at the check date",
            )
        ]

    def _age(self, birth: date | None, on: date) -> list[Finding]:
        if self.min_age_years is None or birth is None:
            return []
        if years_between(birth, on) >= self.min_age_years:
            return []
        return [
            Finding(
                code="policy.under_age",
                field="birth_date",
                severity=Severity(self.severity),
                message=f"the holder is younger than the required {self.min_age_years} years "
                "at the check date",
            )
        ]


_DATES = ("birth_date", "expiry_date", "issue_date")


def issue_date_findings(
    issue: date | None, *, birth: date | None, expiry: date | None, today: date
) -> list[Finding]:
    """An issue date no document can have: after today, before the birth, not before the
    expiry."""
    if issue is None:
        return []
    reasons = []
    if issue > today:
        reasons.append("is in the future")
    if birth is not None and issue < birth:
        reasons.append("is before the holder's birth date")
    if expiry is not None and issue >= expiry:
        reasons.append("is not before the expiry date")
    if not reasons:
        return []
    return [
        Finding(
            code="document.issue_date_implausible",
            field="issue_date",
            severity=Severity.WARNING,
            message=f"the issue date {' and '.join(reasons)}",
        )
    ]


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None
