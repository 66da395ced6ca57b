"""Checks the operator configures (`passport_ocr/policy.py`), and issue-date plausibility:
on their own, and through the pipeline from the settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from passport_ocr.config import load_settings
from passport_ocr.errors import ConfigError
from passport_ocr.policy import DocumentPolicy, issue_date_findings
from passport_ocr.record import Severity, Status
from tests.unit.test_pipeline import IMAGE, CannedProvider, pipeline, ref

TODAY = date(2026, 11, 21)
BIRTH, EXPIRY = date(1987, 3, 14), date(2034, 9, 21)  # the specimen the canned provider reads


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "scans" / "uploads").mkdir(parents=True)
    (tmp_path / "scans" / "uploads" / "page.jpg").write_bytes(IMAGE)
    return tmp_path


def codes(policy: DocumentPolicy, **values: object) -> list[str]:
    return [f.code for f in policy.findings(values, TODAY)]


def test_by_default_only_an_expired_document_is_flagged_and_as_a_warning() -> None:
    policy = DocumentPolicy()
    assert codes(policy, birth_date=BIRTH, expiry_date=EXPIRY) == []
    (expired,) = policy.findings({"expiry_date": date(2026, 11, 20)}, TODAY)
    assert (expired.code, expired.severity) == ("document.expired", Severity.WARNING)
    assert codes(policy, expiry_date=TODAY) == []  # valid through its expiry day


def test_expired_can_weigh_as_an_error() -> None:
    (expired,) = DocumentPolicy(expired_severity="error").findings(
        {"expiry_date": date(2020, 1, 1)}, TODAY
    )
    assert expired.severity == Severity.ERROR


@pytest.mark.parametrize(
    ("expiry", "short"),
    [
        (date(2027, 5, 22), False),  # 182 days left: exactly the minimum
        (date(2027, 5, 21), True),  # 181 days
        (TODAY, True),
    ],
)
def test_six_month_rule(expiry: date, short: bool) -> None:
    policy = DocumentPolicy(min_validity_days=182)
    assert ("policy.validity_short" in codes(policy, expiry_date=expiry)) is short


def test_an_expired_document_is_expired_not_also_short() -> None:
    policy = DocumentPolicy(min_validity_days=182)
    assert codes(policy, expiry_date=date(2026, 1, 1)) == ["document.expired"]


def test_validity_and_age_are_checked_at_the_check_date_when_given() -> None:
    travel = date(2034, 6, 1)
    policy = DocumentPolicy(min_validity_days=182, check_date=travel)
    assert codes(policy, expiry_date=EXPIRY) == ["policy.validity_short"]  # 112 days then
    adult = DocumentPolicy(min_age_years=18, check_date=date(2026, 3, 14))
    assert codes(adult, birth_date=date(2008, 3, 14)) == []  # 18 on that very day
    assert codes(adult, birth_date=date(2008, 3, 15)) == ["policy.under_age"]


def test_a_leap_day_birthday_is_reached_on_the_first_of_march() -> None:
    policy = DocumentPolicy(min_age_years=18)
    born = date(2008, 2, 29)
    assert codes(policy, birth_date=born) == []
    at_feb_28 = DocumentPolicy(min_age_years=18, check_date=date(2026, 2, 28))
    assert codes(at_feb_28, birth_date=born) == ["policy.under_age"]
    at_mar_1 = DocumentPolicy(min_age_years=18, check_date=date(2026, 3, 1))
    assert codes(at_mar_1, birth_date=born) == []


def test_policy_findings_weigh_as_configured() -> None:
    (finding,) = DocumentPolicy(min_age_years=21, severity="error").findings(
        {"birth_date": date(2010, 1, 1)}, TODAY
    )
    assert finding.severity == Severity.ERROR


@pytest.mark.parametrize(
    ("issue", "why"),
    [
        (date(2027, 1, 1), "is in the future"),
        (date(1980, 1, 1), "is before the holder's birth date"),
        (EXPIRY, "is not before the expiry date"),
    ],
)
def test_an_issue_date_no_document_can_have(issue: date, why: str) -> None:
    (finding,) = issue_date_findings(issue, birth=BIRTH, expiry=EXPIRY, today=TODAY)
    assert finding.code == "document.issue_date_implausible"
    assert finding.severity == Severity.WARNING and why in finding.message
    assert issue_date_findings(date(2024, 9, 22), birth=BIRTH, expiry=EXPIRY, today=TODAY) == []
    assert issue_date_findings(None, birth=BIRTH, expiry=EXPIRY, today=TODAY) == []


def test_the_settings_reach_the_record(root: Path) -> None:
    built, _ = pipeline(
        root,
        CannedProvider(),
        image_transfer="bytes",
        min_validity_days=183,
        check_date=date(2034, 6, 1),
        policy_severity="error",
    )
    outcome = built.process(ref())
    assert outcome.record is not None
    assert outcome.record.status == Status.INVALID
    assert outcome.record.status_rule == "policy.validity_short"


def test_without_settings_the_same_record_is_valid(root: Path) -> None:
    built, _ = pipeline(root, CannedProvider(), image_transfer="bytes")
    outcome = built.process(ref())
    assert outcome.record is not None and outcome.record.status == Status.VALID


def test_bad_policy_settings_are_named() -> None:
    with pytest.raises(ConfigError, match="PASSPORT_OCR_MIN_VALIDITY_DAYS"):
        load_settings({"PASSPORT_OCR_MIN_VALIDITY_DAYS": "-1"})
    with pytest.raises(ConfigError, match="PASSPORT_OCR_CHECK_DATE"):
        load_settings({"PASSPORT_OCR_CHECK_DATE": "next tuesday"})
    assert load_settings({"PASSPORT_OCR_CHECK_DATE": "2027-01-31"}).check_date == date(2027, 1, 31)
