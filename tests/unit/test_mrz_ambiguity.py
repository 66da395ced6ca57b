"""Readings whose check digits pass but do not single out the truth.

Found by the offline-engine benchmark (seed 7): the personal number `AOYSTDYRZOHCX5` was
read as `A0YSTDYRZ0HCX5`. Each O->0 changes the weighted sum by 24 x weight; at weights 3
and 7 the two changes add up to 240 and cancel modulo 10, in the field's check digit and
in the composite alike. A record must never call such a reading valid on the MRZ alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from passport_ocr.draft import Draft, PageFields
from passport_ocr.mrz import read_mrz
from passport_ocr.record import Severity, Source, Status
from passport_ocr.validation import build_record
from tests.mrz_builder import Doc, td3

TODAY = date(2026, 11, 21)
TRUTH = Doc(
    document_code="P",
    issuing_state="UTO",
    surnames=("HALVORSEN",),
    given_names=("INGRID",),
    document_number="123456789",
    nationality="UTO",
    birth="880314",
    sex="F",
    expiry="330921",
    optional_data="AOYSTDYRZOHCX5",
)


def misread(lines: list[str]) -> list[str]:
    return [lines[0], lines[1].replace("AOYSTDYRZOHCX5", "A0YSTDYRZ0HCX5")]


def test_cancelling_confusions_pass_every_check_digit() -> None:
    # The premise: the misread is invisible to the check digits themselves.
    reading = read_mrz(misread(td3(TRUTH)), today=TODAY)
    assert reading.mrz.valid
    assert reading.fields.optional_data == "A0YSTDYRZ0HCX5"


def test_the_misread_is_reported_ambiguous() -> None:
    reading = read_mrz(misread(td3(TRUTH)), today=TODAY)
    (finding,) = [f for f in reading.findings if f.code == "mrz.ambiguous_reading"]
    assert (finding.field, finding.severity) == ("optional_data", Severity.WARNING)


def test_the_class_consistent_truth_is_not_flagged() -> None:
    # Its O's are letters between letters: nothing is out of step, so no OCR confusion is
    # suspected, and a reading that passes its check digits needs no review.
    reading = read_mrz(td3(TRUTH), today=TODAY)
    assert reading.mrz.valid
    assert "mrz.ambiguous_reading" not in reading.finding_codes()


def test_an_mrz_only_record_of_it_is_not_valid() -> None:
    draft = Draft(source=Source(vendor="local", api="test"), mrz_lines=tuple(misread(td3(TRUTH))))
    record = build_record(draft, today=TODAY)
    assert record.status is Status.NEEDS_REVIEW
    assert "mrz.ambiguous_reading" in record.finding_codes()


def test_the_printed_page_settles_it() -> None:
    # The printed personal number is the truth; the MRZ was misread: they disagree.
    printed = PageFields(personal_number="AOYSTDYRZOHCX5")
    lines = tuple(misread(td3(TRUTH)))
    draft = Draft(source=Source(vendor="local", api="test"), printed=printed, mrz_lines=lines)
    record = build_record(draft, today=TODAY)
    assert record.status is not Status.VALID
    # And a printed page that states the MRZ's value settles the ambiguity.
    agreeing = PageFields(personal_number="A0YSTDYRZ0HCX5")
    draft = Draft(source=Source(vendor="local", api="test"), printed=agreeing, mrz_lines=lines)
    record = build_record(draft, today=TODAY)
    (finding,) = [f for f in record.findings if f.code == "mrz.ambiguous_reading"]
    assert finding.severity is Severity.INFO


def test_homogeneous_fields_are_not_ambiguous() -> None:
    # No character breaks its neighbours' class: nothing for OCR confusions to hide behind.
    plain = Doc(**{**TRUTH.__dict__, "optional_data": "ZE184226B"})
    assert "mrz.ambiguous_reading" not in read_mrz(td3(plain), today=TODAY).finding_codes()


# Found by the engine work on dev seed 5: two O/0 slips at letter/digit boundaries, where
# neither character sits between two of the other class.
BOUNDARY_TRUTH = Doc(
    document_code="P",
    issuing_state="UTO",
    surnames=("MARTINEZ",),
    given_names=("ELENA",),
    document_number="OAH7OQDL",
    nationality="UTO",
    birth="910203",
    sex="F",
    expiry="310405",
    optional_data="",
)


def boundary_misread(lines: list[str]) -> list[str]:
    return [lines[0], lines[1].replace("OAH7OQDL", "0AH70QDL", 1)]


def test_o_zero_slips_at_class_boundaries_are_reported_ambiguous() -> None:
    reading = read_mrz(boundary_misread(td3(BOUNDARY_TRUTH)), today=TODAY)
    assert reading.mrz.valid  # the check digits cannot see it
    assert reading.fields.document_number == "0AH70QDL"
    (finding,) = [f for f in reading.findings if f.code == "mrz.ambiguous_reading"]
    assert finding.field == "document_number"


def test_zeros_inside_a_digit_run_are_not_suspects() -> None:
    doc = replace(BOUNDARY_TRUTH, document_number="200300400")
    reading = read_mrz(td3(doc), today=TODAY)
    assert reading.mrz.valid
    assert "mrz.ambiguous_reading" not in reading.finding_codes()


def test_a_single_boundary_zero_has_no_valid_alternative() -> None:
    # O and 0 differ by 24: one swap moves the sum by 4 x weight, never 0 modulo 10.
    doc = replace(BOUNDARY_TRUTH, document_number="L0898902C")
    reading = read_mrz(td3(doc), today=TODAY)
    assert reading.mrz.valid
    assert "mrz.ambiguous_reading" not in reading.finding_codes()


# Found on a development seed of the offline engine: G read as 6 in an all-digit reading.
# G and 6 weigh the same, so every check digit passes; only the reader's doubt can tell.
LOOK_ALIKE_TRUTH = replace(BOUNDARY_TRUTH, document_number="4G006166")


def look_alike_misread() -> tuple[str, ...]:
    lines = td3(LOOK_ALIKE_TRUTH)
    return (lines[0], lines[1].replace("4G006166", "46006166", 1))


def look_alike_record(confidence: float, printed: PageFields | None = None) -> Status:
    draft = Draft(
        source=Source(vendor="local", api="test"),
        printed=printed or PageFields(),
        mrz_lines=look_alike_misread(),
        confidence={"document_number": confidence},
    )
    record = build_record(draft, today=TODAY)
    assert read_mrz(list(look_alike_misread()), today=TODAY).mrz.valid  # invisible to digits
    return record.status


def test_a_doubtful_look_alike_in_an_all_digit_number_needs_review() -> None:
    assert look_alike_record(0.902) is Status.NEEDS_REVIEW


def test_a_confident_reading_of_the_same_number_stays_valid() -> None:
    assert look_alike_record(0.99) is Status.VALID


def test_the_printed_page_vouches_for_a_doubtful_look_alike() -> None:
    assert look_alike_record(0.902, PageFields(document_number="46006166")) is Status.VALID
