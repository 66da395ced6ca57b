"""The vendors' own sample answers, verbatim, produce the expected records.

The samples carry real defects (a wrong check digit, OCR confusions, a masked number,
spaces inside an MRZ line); the records must report them as findings, not hide them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from passport_ocr.mapping import to_record
from passport_ocr.record import (
    DocumentKind,
    PassportRecord,
    Provenance,
    Severity,
    Status,
    Substitution,
)
from tests import paths

SAMPLES = paths.VENDOR_SAMPLES
TODAY = date(2026, 11, 21)


def load(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


def severities(record: PassportRecord) -> dict[tuple[str, str | None], Severity]:
    return {(finding.code, finding.field): finding.severity for finding in record.findings}


@pytest.mark.parametrize(
    ("letter", "kind"),
    [("W", DocumentKind.DIPLOMATIC), ("G", DocumentKind.SERVICE), ("P", DocumentKind.ORDINARY)],
)
def test_huawei_national_passport_type_letters(letter: str, kind: DocumentKind) -> None:
    answer = load("huawei_chn.json")
    answer["result"]["passport_type"] = letter
    assert to_record("huawei", answer, today=TODAY).document_kind is kind


def test_huawei_chinese_full_field_answer() -> None:
    record = to_record("huawei", load("huawei_chn.json"), today=TODAY, request_id="req-1")

    assert record.document_code == "P"
    assert record.document_kind is DocumentKind.ORDINARY
    assert record.issuing_state == "CHN"
    assert record.nationality == "CHN"  # "CHINESE" in the answer
    assert record.document_number == "ED999XXXX"
    assert (record.surname, record.given_names, record.sex) == ("ZHANG", "SAN", "F")
    assert record.birth_date == date(1990, 12, 12)
    assert record.expiry_date == date(2020, 7, 8)
    assert record.issue_date == date(2010, 7, 9)
    assert (record.place_of_birth, record.place_of_issue) == ("HUNAN", "GUANGDONG")
    assert record.issuing_authority == "MPS Exit & Entry Administration"  # kept as given
    assert record.local is not None
    assert record.local.language == "zh"
    assert record.local.name == "张三"
    assert record.local.sex == "女"
    assert record.local.nationality == "中国"
    assert record.local.place_of_birth == "湖南"
    assert record.local.issuing_authority == "xxx出入境管理局"
    assert record.confidence["document_number"] == pytest.approx(0.9997)
    assert record.confidence["given_names"] == pytest.approx(0.9729)
    assert record.mrz is None
    assert set(record.provenance.values()) == {Provenance.PRINTED}

    # No MRZ: nothing verifies the page, so a person must look.
    assert record.status is Status.NEEDS_REVIEW
    assert record.status_rule == "mrz.absent"
    assert severities(record) == {
        ("mrz.absent", "mrz"): Severity.WARNING,
        ("vendor.masked_value", "document_number"): Severity.WARNING,
        ("document.expired", "expiry_date"): Severity.WARNING,
    }
    assert record.source.model_dump() == {
        "vendor": "huawei",
        "api": "RecognizePassport",
        "request_id": "req-1",
    }


def test_huawei_general_answer_cleans_spaces_and_reports_the_masked_number() -> None:
    record = to_record("huawei", load("huawei_general.json"), today=TODAY)

    assert record.mrz is not None
    assert record.mrz.lines[0] == "P<ETFHUZHAO<<ZHAOMIN<DESALEGN<<<<<<<<<<<<<<<"
    assert record.mrz.lines_read[0] == "P<ETFHUZHAO<< ZHAOMIN <DESALEGN<<<<<<<<<<<<<<<"
    removed = [(sub.line, sub.original) for sub in record.mrz.substitutions]
    assert removed == [(0, " "), (0, " ")]
    assert (record.surname, record.given_names) == ("HUZHAO", "ZHAOMIN DESALEGN")
    assert record.document_number == "EP435XXXX"
    assert record.birth_date == date(1985, 9, 18)
    assert record.expiry_date == date(2022, 1, 15)
    assert record.sex == "M"
    # The 7 fields are Huawei's own parse of the MRZ: they cannot confirm it.
    assert record.provenance["document_number"] is Provenance.MRZ
    assert record.provenance["surname"] is Provenance.MRZ

    found = severities(record)
    assert found[("vendor.masked_value", "document_number")] is Severity.WARNING
    # The check digits fail only because of the mask: reported, but not an error.
    assert found[("mrz.check_digit", "document_number")] is Severity.INFO
    assert found[("mrz.check_digit", "composite")] is Severity.INFO
    assert found[("mrz.cleaned", None)] is Severity.INFO
    assert found[("mrz.unknown_state", "issuing_state")] is Severity.WARNING  # ETF
    assert "cross_check.mismatch" not in record.finding_codes()
    assert record.status is Status.NEEDS_REVIEW


def test_huawei_error_body_is_a_mapping_error() -> None:
    from passport_ocr.errors import MappingError

    with pytest.raises(MappingError) as caught:
        to_record("huawei", load("huawei_error.json"), today=TODAY)
    assert caught.value.vendor == "huawei"
    assert caught.value.field == "error_code"
    assert "AIS.0103" in caught.value.message


def test_tencent_passport_sample_has_a_wrong_document_number_check_digit() -> None:
    record = to_record("tencent", load("tencent_passport.json"), today=TODAY)

    assert record.status is Status.INVALID
    assert record.status_rule == "mrz.check_digit"
    errors = [(f.code, f.field) for f in record.findings if f.severity is Severity.ERROR]
    assert errors == [("mrz.check_digit", "document_number"), ("mrz.check_digit", "composite")]
    assert record.mrz is not None
    verdicts = {check.field: (check.found, check.computed) for check in record.mrz.check_digits}
    assert verdicts["document_number"] == ("5", "6")
    assert record.mrz.valid is False

    assert record.document_code == "PO"
    assert record.document_kind is DocumentKind.ORDINARY  # China's PO is ordinary
    assert record.document_number == "G12345678"
    assert (record.surname, record.given_names, record.sex) == ("ZHANG", "SAN", "M")
    assert record.birth_date == date(1992, 9, 22)
    assert record.expiry_date == date(2020, 8, 19)
    assert record.issue_date == date(2010, 8, 20)
    assert record.place_of_birth == "SHANGHAI"
    assert record.local is not None
    assert record.local.name == "张三"
    assert record.provenance["birth_date"] is Provenance.MRZ_AND_PRINTED
    assert record.provenance["issue_date"] is Provenance.PRINTED
    assert record.source.request_id == "39cce0fc-77b1-4271-82ae-9f0bf1036906"
    # G/6 in the number: the printed page confirms it, so the blind spot is only info.
    assert severities(record)[("mrz.check_digit_blind", "document_number")] is Severity.INFO


def test_tencent_legacy_sample_repairs_line_one_and_records_it() -> None:
    record = to_record("tencent-legacy", load("tencent_legacy.json"), today=TODAY)

    assert record.mrz is not None
    assert record.mrz.lines_read[0].startswith("P0CHNWANG<<Q1<")
    assert record.mrz.lines[0].startswith("POCHNWANG<<QI<")
    assert set(record.mrz.substitutions) == {
        Substitution(
            line=0,
            position=1,
            original="0",
            replacement="O",
            field="document_code",
            reason="character_class",
        ),
        Substitution(
            line=0,
            position=12,
            original="1",
            replacement="I",
            field="names",
            reason="character_class",
        ),
    }
    # Printed 'QI' and the repaired MRZ agree, so there is no mismatch.
    assert record.given_names == "QI"
    assert record.provenance["given_names"] is Provenance.MRZ_AND_PRINTED
    assert "cross_check.mismatch" not in record.finding_codes()
    assert {"mrz.repaired"} <= set(record.finding_codes())
    assert record.document_number == "G38325238"
    assert record.birth_date == date(1987, 7, 4)  # 870704
    assert record.issue_date == date(2010, 1, 6)  # 100106
    assert record.expiry_date == date(2020, 1, 5)  # 200105
    assert record.issuing_authority == "MinistryofPublicSecuritys"
    assert record.confidence["sex"] == pytest.approx(0.9556748270988464)
    assert record.source.vendor == "tencent-legacy"
    assert record.source.request_id == "10000011588781056"
    assert record.status is Status.NEEDS_REVIEW
    assert record.status_rule == "document.expired"


def test_tencent_legacy_without_repair_would_be_a_name_mismatch() -> None:
    # The same answer, with printed given name and MRZ disagreeing beyond repair.
    raw = load("tencent_legacy.json")
    for item in raw["data"]["items"]:
        if item["item"] == "英文名":
            item["itemstring"] = "QIANG"
    record = to_record("tencent-legacy", raw, today=TODAY)
    mismatches = [f for f in record.findings if f.code == "cross_check.mismatch"]
    assert [(f.field, f.severity) for f in mismatches] == [("given_names", Severity.ERROR)]
    assert record.given_names == "QI"  # the MRZ value, with the mismatch reported
    assert record.status is Status.INVALID
    assert record.status_rule == "cross_check.mismatch"


def test_tencent_mlid_sample() -> None:
    record = to_record("tencent-mlid", load("tencent_mlid.json"), today=TODAY)

    assert record.source.api == "MLIDPassportOCR"
    assert record.issuing_state == record.nationality == "UTO"
    assert record.document_number == "X47K2096R"
    assert (record.surname, record.given_names) == ("SORENSEN", "LINNEA MARIA")
    assert record.birth_date == date(1988, 3, 14)
    assert record.expiry_date == date(2033, 9, 21)
    assert record.issue_date == date(2023, 9, 22)  # "22 Sep 2023" on the printed page
    assert record.provenance["document_number"] is Provenance.MRZ_AND_PRINTED
    assert record.provenance["nationality"] is Provenance.MRZ_AND_PRINTED  # "UTOPIAN"
    assert record.confidence["document_number"] == pytest.approx(0.9962)
    assert record.confidence["issue_date"] == pytest.approx(0.9943)
    assert record.mrz is not None
    assert record.mrz.valid is True
    assert record.status is Status.NEEDS_REVIEW
    assert record.status_rule == "vendor.warning.photocopy"
    codes = record.finding_codes()
    assert "vendor.warning.blur" in codes
    assert "document.expired" not in codes


def test_tencent_auto_answer_fills_printed_gaps_from_passport_ocr() -> None:
    # The Tencent provider's auto mode sends MLIDPassportOCR with PassportOCR alongside.
    raw = load("tencent_mlid.json")
    raw["PassportOCR"] = {"Response": {"BirthPlace": "ZENITH", "Name": "索伦森", "RequestId": "r2"}}
    record = to_record("tencent-mlid", raw, today=TODAY)
    assert record.place_of_birth == "ZENITH"
    assert record.provenance["place_of_birth"] is Provenance.PRINTED
    assert record.local is not None
    assert record.local.name == "索伦森"
    assert record.source.api == "MLIDPassportOCR+PassportOCR"
    assert record.source.request_id == "5f0c2a8e-3b1d-4c7a-9e26-0d8b4f1a7c53"

    raw["PassportOCR"] = {"Response": {"Error": {"Code": "FailedOperation.OcrFailed"}}}
    record = to_record("tencent-mlid", raw, today=TODAY)
    assert "vendor.supplement_unavailable" in record.finding_codes()
    assert record.status_rule == "vendor.warning.photocopy"
