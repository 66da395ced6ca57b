"""The French national identity card of 1988-2021 (FRA_ID): its own layout and checks.

The vectors are cheminfo/mrz's (MIT), copied into tests/data/french_id_vectors.json with
their repository, path, commit and lines; the layout they follow is cited in
`passport_ocr.mrz.french_id`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from passport_ocr.mapping import to_record
from passport_ocr.mrz import MrzReading, check_digit, detect_format, read_mrz
from passport_ocr.record import MrzFormat, Provenance, Severity, Status
from tests import paths
from tests.mrz_builder import Doc, td2

TODAY = date(2026, 11, 21)
DATA: dict[str, Any] = json.loads(
    (paths.TEST_DATA / "french_id_vectors.json").read_text(encoding="utf-8")
)
VECTORS: dict[str, dict[str, Any]] = {vector["name"]: vector for vector in DATA["vectors"]}
TEST_NAME = VECTORS["valid"]["lines"]
BERTHIER = VECTORS["valid_no_administrative_code"]["lines"]


def read(lines: Any, *, repair: bool = True) -> MrzReading:
    return read_mrz(lines, repair=repair, today=TODAY)


def codes(reading: MrzReading) -> list[str]:
    return reading.finding_codes()


def with_char(lines: list[str], line: int, pos: int, char: str) -> list[str]:
    changed = list(lines)
    changed[line] = changed[line][:pos] + char + changed[line][pos + 1 :]
    return changed


# --- parsing, against cheminfo/mrz's own assertions --------------------------------------


@pytest.mark.parametrize("name", ["valid", "valid_no_administrative_code"])
def test_cheminfo_vectors_parse_as_cheminfo_asserts(name: str) -> None:
    vector = VECTORS[name]
    expected = vector["fields"]
    reading = read(vector["lines"], repair=False)
    fields = reading.fields
    assert reading.mrz.format is MrzFormat.FRA_ID
    assert fields.document_code == expected["documentCode"]
    assert fields.issuing_state == expected["issuingState"]
    assert fields.surname == expected["lastName"]
    assert fields.given_names == expected["firstName"]
    assert fields.optional_data == expected["administrativeCode"]
    # cheminfo's result-level document number: issue date + department + sequence.
    assert fields.document_number == vector["document_number"]
    assert fields.document_number == (
        expected["issueDate"] + expected["administrativeCode2"] + expected["documentNumber"]
    )
    assert fields.issue_month_raw == expected["issueDate"]
    assert fields.birth_date_raw == expected["birthDate"]
    assert fields.sex == {"female": "F", "male": "M"}[expected["sex"]]
    assert reading.mrz.valid is vector["valid"]
    assert reading.mrz.valid_strict is vector["valid"]
    assert {check.field for check in reading.mrz.check_digits} == {
        "document_number",
        "birth_date",
        "composite",
    }


def test_the_card_carries_no_expiry_and_is_marked_not_icao() -> None:
    reading = read(BERTHIER)
    fields = reading.fields
    assert fields.expiry_date is None and fields.expiry_date_raw == ""
    assert fields.nationality == "FRA"  # issued to French citizens only (see french_read)
    assert fields.birth_date == date(1965, 12, 6)
    assert fields.issue_month == "1994-09"
    not_icao = [f for f in reading.findings if f.code == "mrz.not_icao"]
    assert len(not_icao) == 1 and not_icao[0].severity is Severity.INFO
    assert "not an ICAO" in not_icao[0].message
    (no_expiry,) = [f for f in reading.findings if f.code == "mrz.no_expiry"]
    assert no_expiry.field == "expiry_date" and no_expiry.severity is Severity.INFO
    # Nothing else: no date_invalid for the missing expiry, no error or warning at all.
    assert all(f.severity is Severity.INFO for f in reading.findings)
    assert reading.to_json()["fields"]["issue_month"] == {"raw": "9409", "iso": "1994-09"}


@pytest.mark.parametrize(
    ("line", "pos", "failing"),
    [
        (1, 12, {"document_number", "composite"}),  # the number's check digit
        (1, 33, {"birth_date", "composite"}),  # the birth date's check digit
        (1, 35, {"composite"}),  # the composite itself
        (0, 10, {"composite"}),  # a surname letter: only the composite covers line 1
    ],
)
def test_a_wrong_check_digit_is_invalid_with_the_icao_finding_codes(
    line: int, pos: int, failing: set[str]
) -> None:
    original = BERTHIER[line][pos]
    wrong = "Z" if original.isalpha() else str((int(original) + 1) % 10)
    reading = read(with_char(BERTHIER, line, pos, wrong), repair=False)
    assert reading.mrz.format is MrzFormat.FRA_ID
    assert not reading.mrz.valid and not reading.mrz.valid_strict
    assert {f.field for f in reading.findings if f.code == "mrz.check_digit"} == failing
    assert {c.field for c in reading.mrz.check_digits if not c.valid} == failing


def test_cheminfo_autocorrect_vector_is_repaired_at_the_same_places() -> None:
    vector = VECTORS["autocorrect"]
    reading = read(vector["lines"])
    assert list(reading.mrz.lines) == VECTORS[vector["corrected_to"]]["lines"]
    assert sorted([sub.line, sub.position] for sub in reading.mrz.substitutions) == sorted(
        vector["corrections"]
    )
    assert reading.mrz.valid
    assert "mrz.repaired" in codes(reading)


# --- look-alike repairs under the card's classes -----------------------------------------


@pytest.mark.parametrize(
    ("pos", "letter", "field"),
    [
        (2, "O", "document_number"),  # issue month YYMM [0:4]
        (8, "O", "document_number"),  # sequence number [7:12]
        (12, "A", "document_number"),  # its check digit [12]
        (28, "S", "birth_date"),  # birth date [27:33]
        (33, "B", "birth_date"),  # its check digit [33]
        (35, "A", "composite"),  # composite [35]
    ],
)
def test_letters_in_the_cards_digit_places_are_repaired(pos: int, letter: str, field: str) -> None:
    from passport_ocr.mrz.lookalikes import DIGIT_FOR_LETTER

    assert BERTHIER[1][pos] in DIGIT_FOR_LETTER[letter]  # the letter is the digit's look-alike
    misread = with_char(BERTHIER, 1, pos, letter)
    assert not read(misread, repair=False).mrz.valid
    reading = read(misread)
    assert reading.mrz.format is MrzFormat.FRA_ID
    assert list(reading.mrz.lines) == BERTHIER
    (sub,) = reading.mrz.substitutions
    assert (sub.line, sub.position, sub.reason, sub.field) == (1, pos, "character_class", field)
    assert reading.mrz.valid


def test_a_department_letter_out_of_step_is_repaired_by_the_check_digit_and_flagged() -> None:
    # The department is letters or digits (`GVA`, `923`), so a Z there breaks no class: only
    # the check digit can choose its look-alike 2, as the ICAO path does for a document
    # number, and then it cannot vouch for it.
    misread = with_char(BERTHIER, 1, 5, "Z")
    assert read(misread, repair=False).finding_codes().count("mrz.check_digit") == 2
    reading = read(misread)
    assert list(reading.mrz.lines) == BERTHIER
    (sub,) = reading.mrz.substitutions
    assert (sub.position, sub.reason, sub.field) == (5, "check_digit", "document_number")
    assert "mrz.charset" not in codes(reading)
    assert "document_number" in [
        f.field for f in reading.findings if f.code == "mrz.check_digit_blind"
    ]
    assert reading.mrz.valid


def test_a_consulates_letters_are_taken_as_read() -> None:
    reading = read(TEST_NAME)
    assert reading.fields.document_number[4:7] == "GVA"
    assert reading.mrz.substitutions == () and reading.mrz.valid


def test_digits_in_the_names_become_letters() -> None:
    misread = with_char(with_char(BERTHIER, 0, 6, "3"), 1, 14, "0")  # BERTHIER -> B3RTHIER
    reading = read(misread)
    assert reading.fields.given_names == "CORINNE"
    assert [(s.line, s.position, s.field) for s in reading.mrz.substitutions] == [
        (1, 14, "given_names")
    ]
    assert "mrz.charset" in codes(reading)  # 3 has no letter look-alike: left, and flagged
    assert not reading.mrz.valid


# --- detection: FRA_ID against TD2 of the same size ---------------------------------------


def test_the_card_is_detected_and_a_genuine_french_td2_is_not() -> None:
    assert detect_format(TEST_NAME) is MrzFormat.FRA_ID
    assert detect_format(BERTHIER) is MrzFormat.FRA_ID
    residence = td2(
        Doc("I", "FRA", ("MARTIN",), ("LEA",), "X4RTBPFW4", "MAR", "900101", "F", "301231")
    )
    assert residence[0].startswith("I<FRA")
    assert detect_format(residence) is MrzFormat.TD2
    assert read(residence).mrz.valid


def test_an_id_coded_td2_whose_td2_checks_agree_stays_td2() -> None:
    lines = td2(
        Doc("ID", "FRA", ("MARTIN",), ("LEA",), "X4RTBPFW4", "FRA", "900101", "F", "301231")
    )
    assert lines[0].startswith("IDFRA")
    assert detect_format(lines) is MrzFormat.TD2
    assert read(lines).mrz.valid


def test_a_misread_card_is_still_the_card() -> None:
    # A broken check digit makes neither layout agree; the card's classes fit better.
    misread = with_char(BERTHIER, 1, 30, "7")
    assert detect_format(misread) is MrzFormat.FRA_ID
    assert detect_format(with_char(BERTHIER, 0, 0, "1")) is MrzFormat.FRA_ID  # 1 for I


def test_card_check_digits_are_icao_7_3_1() -> None:
    number = BERTHIER[1][:12]
    assert check_digit(number) == BERTHIER[1][12]
    assert check_digit(BERTHIER[0] + BERTHIER[1][:35]) == BERTHIER[1][35]


# --- vendor text: a vendor's MRZ lines of the card read as FRA_ID -------------------------


def _huawei_answer(lines: list[str]) -> dict[str, Any]:
    return {
        "result": {
            "country_code": "FRA",
            "surname": "BERTHIER",
            "given_name": "CORINNE",
            "passport_number": "940992310285",
            "date_of_birth": "1965-12-06",
            "sex": "F",
            "machine_code": lines[0],
            "machine_code2": lines[1],
            "extra_info": {},
        }
    }


def test_a_huawei_answer_with_the_cards_mrz_is_read_as_fra_id() -> None:
    record = to_record("huawei", _huawei_answer(BERTHIER), today=TODAY)
    assert record.mrz is not None and record.mrz.format is MrzFormat.FRA_ID
    assert record.mrz.valid_strict
    assert record.status is Status.VALID, record.finding_codes()
    assert record.document_number == "940992310285"
    # Huawei's GENERAL fields are its own parse of the same lines (`vendor_mrz`): they agree.
    assert record.provenance["document_number"] is Provenance.MRZ
    assert "vendor.mrz_parse_differs" not in record.finding_codes()
    assert (record.nationality, record.issuing_state) == ("FRA", "FRA")
    assert record.expiry_date is None and record.issue_date is None
    assert record.issue_month == "1994-09"
    assert record.provenance["issue_month"] is Provenance.MRZ
    assert "mrz.not_icao" in record.finding_codes()
    assert "document.expired" not in record.finding_codes()


def test_a_huawei_answer_with_a_misread_card_is_invalid() -> None:
    record = to_record("huawei", _huawei_answer(with_char(BERTHIER, 1, 12, "7")), today=TODAY)
    assert record.mrz is not None and record.mrz.format is MrzFormat.FRA_ID
    assert record.status is Status.INVALID
    assert "mrz.check_digit" in record.finding_codes()


def test_a_tencent_answer_with_the_cards_mrz_is_read_as_fra_id() -> None:
    raw = {
        "Response": {
            "FamilyName": "BERTHIER",
            "FirstName": "CORINNE",
            "Sex": "F",
            "BirthDate": "1965-12-06",
            "Country": "FRA",
            "PassportNo": "940992310285",
            "CodeSet": BERTHIER[0],
            "CodeCrc": BERTHIER[1],
            "RequestId": "test",
        }
    }
    record = to_record("tencent", raw, today=TODAY)
    assert record.mrz is not None and record.mrz.format is MrzFormat.FRA_ID
    assert record.mrz.valid
    assert record.status is Status.VALID, record.finding_codes()
    assert record.document_number == "940992310285"
    assert record.provenance["surname"] is Provenance.MRZ_AND_PRINTED


def test_prose_opening_like_the_card_is_no_mrz() -> None:
    from passport_ocr.errors import MrzError

    prose = ["IDFRANCE IS A REGION OF THE COUNTRY", "AND THIS LINE IS PROSE OF THIRTY SIX"]
    with pytest.raises(MrzError, match="no MRZ found"):
        read([line.replace(" ", "<").ljust(36, "<") for line in prose])


def test_the_card_structure_rules() -> None:
    from passport_ocr.mrz.french_id import structure_misses

    assert structure_misses(BERTHIER) == []
    no_digits = [BERTHIER[0], "ABCDEFGHIJKLMCORINNE<<<<<<<ABCDEFGHI"]
    assert structure_misses(no_digits) == ["digits"]


def test_the_cards_fixed_prefix_needs_no_confidence_but_its_names_do() -> None:
    from passport_ocr.draft import Draft
    from passport_ocr.record import Source
    from passport_ocr.validation import build_record

    doubt = {"issuing_state": 0.3, "document_code": 0.3, "surname": 0.3}
    draft = Draft(
        source=Source(vendor="local", api="test"), mrz_lines=tuple(BERTHIER), confidence=doubt
    )
    record = build_record(draft, today=TODAY)
    low = {f.field for f in record.findings if f.code == "field.low_confidence"}
    # IDFRA is what made this zone the card: code and state cannot be other.
    assert low == {"surname"}


def with_issue_month(yymm: str) -> list[str]:
    """BERTHIER's card with another issue month, its check digits recomputed."""
    number = yymm + BERTHIER[1][4:12]
    line2 = number + check_digit(number) + BERTHIER[1][13:35]
    return [BERTHIER[0], line2 + check_digit(BERTHIER[0] + line2)]


def test_an_issue_month_that_is_no_month_is_an_invalid_date() -> None:
    reading = read(with_issue_month("9413"), repair=False)
    assert all(check.valid for check in reading.mrz.check_digits)
    assert reading.fields.issue_month is None
    assert [f.field for f in reading.findings if f.code == "mrz.date_invalid"] == ["issue_month"]
    assert not reading.mrz.valid


def test_an_issue_month_before_the_birth_month_is_a_warning() -> None:
    reading = read(with_issue_month("6511"), repair=False)  # born December 1965
    assert reading.fields.issue_month == "1965-11"  # the past-date rule: not 2065
    assert reading.mrz.valid  # a warning, not an error: the checks all agree
    (finding,) = [f for f in reading.findings if f.code == "mrz.date_implausible"]
    assert finding.field == "issue_month" and finding.severity is Severity.WARNING


def test_a_card_record_satisfies_the_published_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from passport_ocr.schema import record_json_schema

    record = to_record("huawei", _huawei_answer(BERTHIER), today=TODAY).model_dump(mode="json")
    validator = jsonschema.Draft202012Validator(record_json_schema())
    validator.validate(record)
    assert record["mrz"]["format"] == "FRA_ID" and record["issue_month"] == "1994-09"
    assert not validator.is_valid(record | {"issue_month": "1994-13"})
