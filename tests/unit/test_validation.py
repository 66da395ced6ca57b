"""build_record: MRZ/printed merge, cross-checks, masked values, regrading, status."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from passport_ocr.draft import Draft, PageFields
from passport_ocr.record import (
    DocumentKind,
    Finding,
    PassportRecord,
    Provenance,
    Severity,
    Source,
    Status,
)
from passport_ocr.validation import build_record, decide_status, document_kind, names_agree

TODAY = date(2026, 11, 21)
# A Utopia passport (specimen state) with correct check digits; the optional-data
# check digit is '<' (lenient only).
LINES = (
    "P<UTOSORENSEN<<LINNEA<MARIA<<<<<<<<<<<<<<<<<",
    "X47K2096R4UTO8803148F3309210<<<<<<<<<<<<<<<6",
)
PRINTED = PageFields(
    document_code="P",
    issuing_state="UTO",
    document_number="X47K2096R",
    surname="SORENSEN",
    given_names="LINNEA MARIA",
    nationality="UTOPIAN",
    sex="F",
    birth_date=date(1988, 3, 14),
    expiry_date=date(2033, 9, 21),
    issue_date=date(2023, 9, 22),
    place_of_birth="ZENITH",
)
SOURCE = Source(vendor="local", api="test")


def draft(printed: PageFields = PRINTED, lines: tuple[str, ...] = LINES, **kw: object) -> Draft:
    return Draft(source=SOURCE, printed=printed, mrz_lines=lines, **kw)  # type: ignore[arg-type]


def by_code(record: PassportRecord, code: str) -> list[Finding]:
    return [finding for finding in record.findings if finding.code == code]


def test_agreeing_page_and_mrz_is_valid() -> None:
    record = build_record(draft(), today=TODAY)
    assert record.status is Status.VALID
    assert record.status_rule == "all_checks_passed"
    assert all(f.severity is Severity.INFO for f in record.findings)
    for name in ("document_number", "surname", "given_names", "birth_date", "nationality", "sex"):
        assert record.provenance[name] is Provenance.MRZ_AND_PRINTED
    assert record.provenance["place_of_birth"] is Provenance.PRINTED
    assert record.place_of_birth == "ZENITH"
    # The blind spot (G/6-like pairs) in the number is covered by the printed page.
    (blind,) = by_code(record, "mrz.check_digit_blind")
    assert blind.severity is Severity.INFO


def test_a_printed_date_that_disagrees_is_an_error_and_the_verified_mrz_value_wins() -> None:
    record = build_record(draft(replace(PRINTED, birth_date=date(1988, 3, 15))), today=TODAY)
    assert record.status is Status.INVALID
    assert record.status_rule == "cross_check.mismatch"
    assert [(f.field, f.severity) for f in by_code(record, "cross_check.mismatch")] == [
        ("birth_date", Severity.ERROR)
    ]
    assert record.birth_date == date(1988, 3, 14)
    assert record.provenance["birth_date"] is Provenance.MRZ


def test_a_substitution_no_check_digit_catches_is_caught_by_the_printed_page() -> None:
    # K (20) -> A (10) at a weight-1 position keeps the check digit: the MRZ alone says valid.
    lines = (LINES[0], LINES[1][:3] + "A" + LINES[1][4:])
    record = build_record(draft(lines=lines), today=TODAY)
    assert record.mrz is not None
    assert record.mrz.valid is True
    assert [f.field for f in by_code(record, "cross_check.mismatch")] == ["document_number"]
    assert record.status is Status.INVALID


def test_a_failing_check_digit_keeps_the_printed_value() -> None:
    lines = (LINES[0], "X47K2096S" + LINES[1][9:])  # R -> S: the check digit now fails
    record = build_record(draft(lines=lines), today=TODAY)
    assert ("mrz.check_digit", "document_number") in [(f.code, f.field) for f in record.findings]
    assert record.document_number == "X47K2096R"
    assert record.provenance["document_number"] is Provenance.PRINTED
    assert record.status is Status.INVALID


@pytest.mark.parametrize(
    ("field", "value"),
    [("sex", "M"), ("nationality", "FRA"), ("surname", "SVENSSON"), ("issuing_state", "D")],
)
def test_each_disagreement_is_reported_on_its_field(field: str, value: object) -> None:
    record = build_record(draft(replace(PRINTED, **{field: value})), today=TODAY)
    assert [f.field for f in by_code(record, "cross_check.mismatch")] == [field]
    assert record.status is Status.INVALID


def test_names_are_compared_transliteration_tolerantly() -> None:
    printed = replace(PRINTED, surname="Sørensen", given_names="Linnéa-María")
    record = build_record(draft(printed), today=TODAY)
    assert by_code(record, "cross_check.mismatch") == []
    assert record.surname == "SORENSEN"  # the MRZ (ICAO) form


@pytest.mark.parametrize(
    ("printed", "mrz", "truncated", "agree"),
    [
        ("MÜLLER", "MUELLER", False, True),
        ("MÜLLER", "MULLER", False, True),
        ("SØRENSEN", "SOERENSEN", False, True),
        ("O'NEIL-SMITH", "ONEIL SMITH", False, True),
        ("STRAẞE", "STRASSE", False, True),
        ("张三", "ZHANG SAN", False, True),  # cannot be compared
        ("ZHAOMIN DESALEGN", "ZHAOMIN<DESALEGN", False, True),
        ("ANNA MARIA", "ANNA", False, False),
        ("ANNA MARIA KRISTINA", "ANNA MARIA KRIS", True, True),
        ("ANNA MARIA KRISTINA", "ANNA MARIA KRIS", False, False),
        ("QI", "Q1", False, False),
    ],
)
def test_names_agree(printed: str, mrz: str, truncated: bool, agree: bool) -> None:
    assert names_agree(printed, mrz, truncated=truncated) is agree


def test_a_confident_unrepaired_look_alike_stays_a_note() -> None:
    # Nothing doubts the value: the check digit repaired nothing and the reader was sure.
    record = build_record(draft(PageFields(), confidence={"document_number": 0.99}), today=TODAY)
    (blind,) = by_code(record, "mrz.check_digit_blind")
    assert blind.severity is Severity.INFO
    assert record.status is Status.VALID
    assert set(record.provenance.values()) == {Provenance.MRZ}


def test_a_doubtful_read_of_a_look_alike_needs_review() -> None:
    record = build_record(draft(PageFields(), confidence={"document_number": 0.62}), today=TODAY)
    (blind,) = by_code(record, "mrz.check_digit_blind")
    assert blind.severity is Severity.WARNING
    assert record.status is Status.NEEDS_REVIEW
    assert record.status_rule == "mrz.check_digit_blind"


def test_a_repair_the_check_digit_chose_needs_review_without_a_printed_page() -> None:
    # '0' read as 'O' between digits: the check digit picks the repair, and so cannot vouch
    # for the field any more.
    misread = (LINES[0], LINES[1].replace("X47K2096R", "X47K2O96R"))
    record = build_record(draft(PageFields(), lines=misread), today=TODAY)
    assert record.document_number == "X47K2096R"
    assert any(s.reason == "check_digit" for s in record.mrz.substitutions)  # type: ignore[union-attr]
    (blind,) = by_code(record, "mrz.check_digit_blind")
    assert blind.severity is Severity.WARNING
    assert record.status is Status.NEEDS_REVIEW


def test_the_printed_page_confirms_a_repaired_value() -> None:
    misread = (LINES[0], LINES[1].replace("X47K2096R", "X47K2O96R"))
    record = build_record(draft(lines=misread), today=TODAY)
    (blind,) = by_code(record, "mrz.check_digit_blind")
    assert blind.severity is Severity.INFO
    assert record.provenance["document_number"] is Provenance.MRZ_AND_PRINTED


def test_no_mrz_means_review_and_vendor_parsed_fields_do_not_count_as_verified() -> None:
    vendor = PageFields(document_number="X47K2096R", surname="SORENSEN")
    record = build_record(draft(PageFields(), lines=(), vendor_mrz=vendor), today=TODAY)
    assert record.status is Status.NEEDS_REVIEW
    assert record.status_rule == "mrz.absent"
    assert record.document_number == "X47K2096R"
    assert record.provenance["document_number"] is Provenance.MRZ
    assert record.mrz is None


def test_an_unusable_mrz_falls_back_to_the_page_with_a_warning() -> None:
    record = build_record(draft(lines=("NOT AN MRZ",)), today=TODAY)
    (finding,) = by_code(record, "mrz.unreadable")
    assert finding.severity is Severity.WARNING
    assert record.mrz is None
    assert record.document_number == "X47K2096R"
    assert record.provenance["document_number"] is Provenance.PRINTED
    assert record.status is Status.NEEDS_REVIEW


def test_masked_numbers_are_a_warning_not_a_mismatch() -> None:
    printed = replace(PRINTED, document_number="X47K2XXXX")
    record = build_record(draft(printed), today=TODAY)
    assert by_code(record, "cross_check.mismatch") == []
    (masked,) = by_code(record, "vendor.masked_value")
    assert (masked.field, masked.severity) == ("document_number", Severity.WARNING)
    assert record.status is Status.NEEDS_REVIEW


def test_expired_documents_are_flagged() -> None:
    record = build_record(draft(), today=date(2034, 1, 1))
    (expired,) = by_code(record, "document.expired")
    assert expired.severity is Severity.WARNING
    assert record.status is Status.NEEDS_REVIEW


def test_vendor_and_caller_findings_count_towards_the_status() -> None:
    vendor = Finding(code="vendor.warning.blur", severity=Severity.WARNING, message="blurred")
    extra = Finding(code="image.converted", severity=Severity.INFO, message="PNG to JPEG")
    record = build_record(draft(findings=(vendor,)), today=TODAY, extra_findings=(extra,))
    assert record.findings[-2:] == (vendor, extra)
    assert record.status_rule == "vendor.warning.blur"


def test_unknown_printed_country_is_noted_and_not_used() -> None:
    record = build_record(draft(replace(PRINTED, nationality="ATLANTEAN")), today=TODAY)
    assert [f.field for f in by_code(record, "vendor.unknown_country")] == ["nationality"]
    assert record.nationality == "UTO"
    assert record.provenance["nationality"] is Provenance.MRZ


def test_finding_messages_carry_no_personal_data() -> None:
    printed = replace(
        PRINTED, birth_date=date(1988, 3, 15), surname="SVENSSON", document_number="X47K2XXXX"
    )
    record = build_record(draft(printed), today=date(2040, 1, 1))
    personal = ("SORENSEN", "SVENSSON", "LINNEA", "X47K2", "1988", "880314", "330921")
    for finding in record.findings:
        assert not any(value in finding.message for value in personal), finding


@pytest.mark.parametrize(
    ("code", "state", "national", "kind"),
    [
        ("P", "UTO", None, DocumentKind.ORDINARY),
        ("PP", "UTO", None, DocumentKind.ORDINARY),
        ("PD", "UTO", None, DocumentKind.DIPLOMATIC),
        ("PS", "UTO", None, DocumentKind.SERVICE),
        ("PO", "UTO", None, DocumentKind.SERVICE),
        ("PO", "CHN", None, DocumentKind.ORDINARY),
        ("PZ", "UTO", None, DocumentKind.OTHER),
        ("I", "UTO", None, DocumentKind.IDENTITY_CARD),
        ("V", "UTO", None, DocumentKind.VISA),
        (None, None, None, DocumentKind.UNKNOWN),
        (None, "CHN", DocumentKind.DIPLOMATIC, DocumentKind.DIPLOMATIC),
        ("PO", "CHN", DocumentKind.SERVICE, DocumentKind.SERVICE),
        ("PD", "UTO", DocumentKind.ORDINARY, DocumentKind.ORDINARY),
    ],
)
def test_document_kind(
    code: str | None, state: str | None, national: DocumentKind | None, kind: DocumentKind
) -> None:
    assert document_kind(code, state, printed_kind=national) is kind


def test_decide_status() -> None:
    info = Finding(code="a", severity=Severity.INFO, message="m")
    warning = Finding(code="b", severity=Severity.WARNING, message="m")
    error = Finding(code="c", severity=Severity.ERROR, message="m")
    assert decide_status([]) == (Status.VALID, "all_checks_passed")
    assert decide_status([info]) == (Status.VALID, "all_checks_passed")
    assert decide_status([info, warning]) == (Status.NEEDS_REVIEW, "b")
    assert decide_status([warning, error, info]) == (Status.INVALID, "c")


def test_a_printed_national_type_letter_sets_the_kind_only_without_an_mrz() -> None:
    # The mapper knows its vendor's letters (Huawei's W is diplomatic) and says so.
    diplomatic = replace(
        draft(replace(PRINTED, document_code="W"), lines=()), printed_kind=DocumentKind.DIPLOMATIC
    )
    assert build_record(diplomatic, today=TODAY).document_kind is DocumentKind.DIPLOMATIC
    # With an MRZ, its ICAO code (P<) decides.
    with_mrz = replace(diplomatic, mrz_lines=draft(PRINTED).mrz_lines)
    assert build_record(with_mrz, today=TODAY).document_kind is DocumentKind.ORDINARY


def test_validation_does_not_guess_a_vendors_national_letters() -> None:
    unexplained = draft(replace(PRINTED, document_code="W"), lines=())
    assert build_record(unexplained, today=TODAY).document_kind is DocumentKind.OTHER


def test_an_unprotected_field_read_with_low_confidence_needs_review() -> None:
    # Names have no check digit: the offline engine once read LINDQVIST as LIND9VIST and
    # forced the 9 to a letter. Its low confidence is the only evidence, and it must count.
    record = build_record(
        draft(PageFields(), confidence={"surname": 0.27, "document_number": 0.99}), today=TODAY
    )
    (low,) = by_code(record, "field.low_confidence")
    assert (low.field, low.severity) == ("surname", Severity.WARNING)
    assert record.status is Status.NEEDS_REVIEW


def test_the_printed_page_vouches_for_a_low_confidence_field() -> None:
    record = build_record(draft(confidence={"surname": 0.27}), today=TODAY)
    assert by_code(record, "field.low_confidence") == []
    assert record.provenance["surname"] is Provenance.MRZ_AND_PRINTED
