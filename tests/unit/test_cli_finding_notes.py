"""The table's NOTES column shows each finding's severity: an info note is no warning."""

from __future__ import annotations

from passport_ocr.record import Finding, Severity
from passport_ocr.tools.cli.recognize import finding_notes, records_table


def _record(*findings: Finding) -> dict[str, object]:
    return {"findings": [finding.model_dump(mode="json") for finding in findings]}


def test_severity_is_shown_most_serious_first() -> None:
    record = _record(
        Finding(code="image.below_recommended_size", severity=Severity.INFO, message="small"),
        Finding(code="mrz.check_digit", severity=Severity.ERROR, message="fails"),
        Finding(code="document.expired", severity=Severity.WARNING, message="expired"),
    )
    codes = ["image.below_recommended_size", "mrz.check_digit", "document.expired"]
    assert finding_notes(record, codes) == (
        "mrz.check_digit (error), document.expired (warning), image.below_recommended_size (info)"
    )


def test_a_code_seen_twice_is_shown_once_at_its_worst_severity() -> None:
    record = _record(
        Finding(code="mrz.repaired", severity=Severity.INFO, message="a"),
        Finding(code="mrz.repaired", severity=Severity.WARNING, message="b"),
    )
    assert finding_notes(record, ["mrz.repaired", "mrz.repaired"]) == "mrz.repaired (warning)"


def test_codes_without_a_record_are_shown_as_they_are() -> None:
    assert finding_notes({}, ["vendor.unknown_country"]) == "vendor.unknown_country"


def test_the_table_carries_the_severity() -> None:
    record = _record(Finding(code="image.small", severity=Severity.INFO, message="small"))
    document = {
        "source": "a.jpg",
        "outcome": "recognized",
        "status": "valid",
        "findings": ["image.small"],
        "record": record,
        "error": None,
    }
    assert "image.small (info)" in records_table([document])
