"""The AnalyzeID mapper: documented shape to `Draft`, and a typed error for anything else."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from passport_ocr.errors import MappingError
from passport_ocr.mapping import to_record
from passport_ocr.mapping.textract import mrz_lines, to_draft
from passport_ocr.record import Status
from tests.handler_helpers import MRZ, SPECIMEN, textract_answer

TODAY = date(2026, 1, 15)


def fields(answer: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = answer["IdentityDocuments"][0]["IdentityDocumentFields"]
    return found


def field(answer: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(f for f in fields(answer) if f["Type"]["Text"] == kind)


def test_the_page_fields_the_mrz_lines_and_the_confidences() -> None:
    draft = to_draft(textract_answer(), request_id="r-1", today=TODAY)
    assert draft.mrz_lines == tuple(MRZ)
    printed = draft.printed
    assert (printed.surname, printed.given_names) == ("VESTERGAARD", "SIGRID AMALIE")
    assert printed.document_number == SPECIMEN.document_number
    assert (printed.birth_date, printed.expiry_date, printed.issue_date) == (
        date(1987, 3, 14),
        date(2034, 9, 21),
        date(2024, 9, 22),
    )
    assert printed.place_of_birth == "UTOPIA CITY"
    assert draft.vendor_mrz.present() == {}  # Textract does not parse the MRZ itself
    assert draft.confidence["surname"] == pytest.approx(0.975)  # 97.5 / 100, not clamped
    assert draft.source.vendor == "textract" and draft.source.request_id == "r-1"


def test_the_record_passes_the_mrz_vs_page_cross_checks() -> None:
    record = to_record("textract", textract_answer(), today=TODAY)
    assert record.status == Status.VALID, record.finding_codes()


def test_a_page_that_disagrees_with_the_mrz_is_found_out() -> None:
    answer = textract_answer()
    field(answer, "DOCUMENT_NUMBER")["ValueDetection"]["Text"] = "VX4412871"
    record = to_record("textract", answer, today=TODAY)
    assert record.status != Status.VALID
    assert any("document_number" in (f.field or "") for f in record.findings)


def test_dates_fall_back_to_the_printed_text_and_misreads_become_findings() -> None:
    answer = textract_answer()
    del field(answer, "DATE_OF_BIRTH")["ValueDetection"]["NormalizedValue"]
    field(answer, "DATE_OF_ISSUE")["ValueDetection"] = {"Text": "3? SEP 20X4", "Confidence": 40}
    draft = to_draft(answer, today=TODAY)
    assert draft.printed.birth_date == date(1987, 3, 14)  # "14 MAR 1987"
    assert draft.printed.issue_date is None
    assert [f.code for f in draft.findings] == ["vendor.unreadable_value"]


def test_the_documentation_s_lowercase_names_and_empty_values() -> None:
    answer = textract_answer()
    for item in fields(answer):
        item["Type"]["Text"] = item["Type"]["Text"].lower().replace("_", " ")
    field(answer, "middle name")["ValueDetection"]["Text"] = ""
    draft = to_draft(answer, today=TODAY)
    assert draft.printed.given_names == "SIGRID"
    assert draft.mrz_lines == tuple(MRZ)


def test_another_id_type_is_a_warning() -> None:
    answer = textract_answer()
    field(answer, "ID_TYPE")["ValueDetection"]["Text"] = "DRIVER LICENSE FRONT"
    codes = [f.code for f in to_draft(answer, today=TODAY).findings]
    assert codes == ["vendor.warning.not_a_passport"]


def test_mrz_code_lines_split_on_any_newline() -> None:
    assert mrz_lines("A<<\r\nB<<\n\n") == ("A<<", "B<<")
    assert mrz_lines(None) == ()


def _set(path: str, value: Any) -> dict[str, Any]:
    answer = textract_answer()
    target: Any = answer
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return answer


FIRST = "IdentityDocuments.0.IdentityDocumentFields.0"


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        ([], "answer"),
        (_set("IdentityDocuments", KeyError), "IdentityDocuments"),
        (_set("IdentityDocuments", []), "IdentityDocuments"),
        (_set("IdentityDocuments", {"a": 1}), "IdentityDocuments"),
        (_set("IdentityDocuments.0", "x"), "IdentityDocuments[0]"),
        (_set("IdentityDocuments.0.IdentityDocumentFields", None), "IdentityDocumentFields"),
        (_set(f"{FIRST}", 7), "IdentityDocumentFields[0]"),
        (_set(f"{FIRST}.Type", KeyError), "IdentityDocumentFields[0].Type"),
        (_set(f"{FIRST}.Type.Text", 3), "IdentityDocumentFields[0].Type.Text"),
        (_set(f"{FIRST}.ValueDetection", KeyError), "ValueDetection"),
        (_set(f"{FIRST}.ValueDetection.Text", ["x"]), "ValueDetection.Text"),
        (_set(f"{FIRST}.ValueDetection.Confidence", "high"), "ValueDetection.Confidence"),
        (_set(f"{FIRST}.ValueDetection.Confidence", 100.5), "ValueDetection.Confidence"),
        (_set(f"{FIRST}.ValueDetection.Confidence", -1), "ValueDetection.Confidence"),
        (_set(f"{FIRST}.ValueDetection.NormalizedValue", "2020"), "NormalizedValue"),
    ],
)
def test_malformed_answers_are_mapping_errors_naming_the_field(answer: Any, named: str) -> None:
    with pytest.raises(MappingError) as caught:
        to_draft(copy.deepcopy(answer), today=TODAY)
    assert named in caught.value.field
