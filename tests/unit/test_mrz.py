"""The ICAO 9303 MRZ engine against public vectors, the vendor seed samples, and the rules."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from passport_ocr.errors import MrzError
from passport_ocr.mapping.common import date_from
from passport_ocr.mrz import (
    MrzReading,
    char_value,
    check_digit,
    clean_lines,
    detect_format,
    parse_names,
    read_mrz,
)
from passport_ocr.record import MrzFormat, Severity
from tests import paths
from tests.mrz_builder import Doc, mrv, td1, td2, td3

TODAY = date(2026, 11, 21)
VECTORS: list[dict[str, Any]] = json.loads(
    (paths.TEST_DATA / "mrz_vectors.json").read_text(encoding="utf-8")
)


def vectors(*kinds: str) -> list[Any]:
    return [pytest.param(v, id=v["id"]) for v in VECTORS if v["kind"] in kinds]


def by_id(vector_id: str) -> dict[str, Any]:
    return next(v for v in VECTORS if v["id"] == vector_id)


def read(lines: Any, *, repair: bool = True, today: date = TODAY) -> MrzReading:
    return read_mrz(lines, repair=repair, today=today)


def codes(reading: MrzReading) -> list[str]:
    return reading.finding_codes()


def findings_for(reading: MrzReading, code: str) -> list[str | None]:
    return [f.field for f in reading.findings if f.code == code]


UTOPIA = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


# --- check digits ------------------------------------------------------------------------


@pytest.mark.parametrize("vector", vectors("check_digit"))
def test_check_digit_matches_icao_worked_examples(vector: dict[str, Any]) -> None:
    assert check_digit(vector["expected"]["input"]) == vector["expected"]["check_digit"]


def test_char_values_follow_icao() -> None:
    assert [char_value(c) for c in "0<9AZ"] == [0, 0, 9, 10, 35]


@pytest.mark.parametrize("bad", ["a", "é", " ", "-", "", "AB"])
def test_char_value_rejects_characters_outside_the_alphabet(bad: str) -> None:
    with pytest.raises(MrzError, match="alphabet"):
        char_value(bad)


def test_check_digit_rejects_bad_characters_with_a_typed_error() -> None:
    with pytest.raises(MrzError):
        check_digit("AB-12")


# --- the public vectors --------------------------------------------------------------------


def assert_fields(
    reading: MrzReading, expected: dict[str, Any], *, leading_fillers: bool = True
) -> None:
    """`leading_fillers=False`: optional data compared without its leading fillers, where the
    expectation comes from a source that strips them (ICAO 9303 says nothing of the text form:
    the vectors of Arg0s1080/mrz keep them, as this parser does; the photos' ground truth
    strips them)."""
    fields = reading.fields

    def optional_text(value: str | None) -> str | None:
        return value if leading_fillers or value is None else value.lstrip("<")

    plain = (
        "document_code",
        "issuing_state",
        "surname",
        "given_names",
        "document_number",
        "nationality",
        "sex",
    )
    for key in plain:
        if key in expected:
            assert getattr(fields, key) == expected[key], key
    if "birth_date" in expected:
        assert fields.birth_date_raw == expected["birth_date"]
    if "expiry_date" in expected:
        assert fields.expiry_date_raw == expected["expiry_date"]
    optional = expected.get("optional_data", expected.get("optional_data_1"))
    if optional is not None:
        assert optional_text(fields.optional_data) == optional
    if "optional_data_2" in expected:
        assert optional_text(fields.optional_data_2) == expected["optional_data_2"]
    if "check_digits_valid" in expected:
        verdicts = {check.field: check.valid for check in reading.mrz.check_digits}
        assert verdicts == expected["check_digits_valid"]


@pytest.mark.parametrize("vector", vectors("full_mrz"))
def test_full_vectors_parse_as_published_without_repair(vector: dict[str, Any]) -> None:
    reading = read(vector["lines"], repair=False)
    assert reading.mrz.format.value == vector["format"]
    assert_fields(reading, vector["expected"])
    assert reading.mrz.valid is vector["valid"]
    assert reading.mrz.lines == tuple(vector["lines"])
    assert reading.mrz.substitutions == ()


# Vectors where repair legitimately changes the reading (each pinned by its own test below).
REPAIRABLE = {"v055", "v102", "v108"}


@pytest.mark.parametrize(
    "vector", [p for p in vectors("full_mrz") if p.values[0]["id"] not in REPAIRABLE]
)
def test_repair_leaves_clean_vectors_alone(vector: dict[str, Any]) -> None:
    reading = read(vector["lines"])
    assert reading.mrz.substitutions == ()
    assert reading.mrz.valid is vector["valid"]
    assert_fields(reading, vector["expected"])


@pytest.mark.parametrize("vector", vectors("full_mrz"))
def test_failed_check_digits_are_error_findings(vector: dict[str, Any]) -> None:
    reading = read(vector["lines"], repair=False)
    failed = sorted(c.field for c in reading.mrz.check_digits if not c.valid)
    assert sorted(f for f in findings_for(reading, "mrz.check_digit") if f) == failed
    for finding in reading.findings:
        if finding.code == "mrz.check_digit":
            assert finding.severity is Severity.ERROR


@pytest.mark.parametrize("vector", vectors("ocr_noisy"))
def test_noisy_ocr_repairs_to_the_published_lines(vector: dict[str, Any]) -> None:
    expected = vector["expected"]["after_ocr_correction_equals_lines"]
    reading = read(vector["lines"])
    assert list(reading.mrz.lines) == expected
    assert reading.mrz.valid is True
    assert reading.mrz.lines_read == tuple(vector["lines"])
    assert "mrz.cleaned" in codes(reading)
    assert "mrz.repaired" in codes(reading)
    # The same text without repair is not valid: the repair did the work, and said so.
    assert read(vector["lines"], repair=False).mrz.valid is False
    for sub in reading.mrz.substitutions:
        if sub.reason in {"glyph", "length", "filler"}:  # cleaning: the line as read
            if sub.original:
                assert reading.mrz.lines_read[sub.line][sub.position] == sub.original
        else:  # repair: the cleaned line
            assert reading.mrz.lines[sub.line][sub.position] == sub.replacement


def test_vendor_raw_huawei_sample_loses_its_spaces_but_stays_invalid() -> None:
    vector = by_id("v109")
    reading = read(vector["lines"])
    assert list(reading.mrz.lines) == vector["expected"]["after_space_removal"]
    verdicts = {c.field: c.valid for c in reading.mrz.check_digits}
    assert verdicts["document_number"] is vector["expected"]["document_number_check_valid"]
    assert verdicts["composite"] is vector["expected"]["composite_valid"]
    assert reading.mrz.valid is False
    # The masked XXXX number is reported, never repaired into validity.
    assert reading.fields.document_number == "EP435XXXX"
    assert not [s for s in reading.mrz.substitutions if s.line == 1]
    removed = [s for s in reading.mrz.substitutions if s.original == " "]
    assert [(s.line, s.replacement, s.reason) for s in removed] == [(0, "", "length")] * 2


@pytest.mark.parametrize("vector", vectors("malformed", "non_icao"))
def test_malformed_vectors_are_rejected_with_a_reason(vector: dict[str, Any]) -> None:
    with pytest.raises(MrzError) as raised:
        read(vector["lines"])
    assert "MRZ" in str(raised.value)
    assert raised.value.code == "mrz.unusable"


@pytest.mark.parametrize("vector", vectors("partial_line"))
def test_a_lone_lower_line_is_not_a_whole_mrz_but_its_digits_check(
    vector: dict[str, Any],
) -> None:
    (line,) = vector["lines"]
    with pytest.raises(MrzError, match="2 or 3 lines"):
        read([line])
    composite = check_digit(line[0:10] + line[13:20] + line[21:43])
    assert composite == vector["expected"]["composite_check_digit"] == line[43]
    assert check_digit(line[0:9]) == line[9]
    assert line[0:9].rstrip("<") == vector["expected"]["document_number"]


@pytest.mark.parametrize("vector", vectors("name_line"))
def test_name_fields_split_and_flag_truncation(vector: dict[str, Any]) -> None:
    (line,) = vector["lines"]
    field = line if vector["format"] == "TD1" else line[5:]
    names = parse_names(field)
    assert names.surname == vector["expected"]["surname"]
    assert names.given_names == vector["expected"]["given_names"]
    assert names.possibly_truncated is vector["expected"]["possible_truncation_flag"]


# --- vectors that repair changes, pinned one by one ---------------------------------------


def test_o_for_zero_in_a_document_number_is_repaired_by_its_check_digit() -> None:
    reading = read(by_id("v102")["lines"])
    assert reading.fields.document_number == "L898902C3"
    assert reading.mrz.lines == tuple(UTOPIA)
    assert reading.mrz.valid is True
    (sub,) = reading.mrz.substitutions
    assert (sub.line, sub.position, sub.original, sub.replacement) == (1, 5, "O", "0")
    assert (sub.field, sub.reason) == ("document_number", "check_digit")
    assert "document_number" in findings_for(reading, "mrz.repaired")
    # The repaired 0 is one of a blind pair (U/0): the MRZ alone cannot vouch for it.
    assert "document_number" in findings_for(reading, "mrz.check_digit_blind")


def test_letter_in_a_date_is_not_forced_when_the_check_digit_disagrees() -> None:
    reading = read(by_id("v104")["lines"])
    assert reading.fields.birth_date_raw == "O40812"
    assert reading.fields.birth_date is None
    assert reading.mrz.valid is False
    assert reading.mrz.substitutions == ()
    assert "birth_date" in findings_for(reading, "mrz.charset")
    assert "birth_date" in findings_for(reading, "mrz.date_invalid")


def test_two_for_z_in_the_personal_number_is_detected_not_guessed() -> None:
    reading = read(by_id("v103")["lines"])
    assert reading.mrz.valid is False
    assert reading.fields.optional_data == "2E184226B"
    assert findings_for(reading, "mrz.check_digit") == ["optional_data", "composite"]


def test_deliberately_bad_td1_stays_invalid_after_repair() -> None:
    reading = read(by_id("v055")["lines"])
    assert reading.mrz.valid is False
    assert set(findings_for(reading, "mrz.check_digit")) == {
        "document_number",
        "birth_date",
        "expiry_date",
        "composite",
    }
    # Digits in the name line are letters by class; nothing else could be proved.
    assert {s.field for s in reading.mrz.substitutions} == {"names"}
    assert {s.reason for s in reading.mrz.substitutions} == {"character_class"}
    assert reading.fields.sex == "X"
    assert set(findings_for(reading, "mrz.date_invalid")) == {"birth_date", "expiry_date"}


# --- the vendor seed samples ---------------------------------------------------------------


def test_tencent_sample_wrong_document_check_digit_is_reported_not_repaired() -> None:
    reading = read(
        [
            "POCHNZHANG<<SAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
            "G123456785CHN9209220M200819219203100<<<<<<60",
        ]
    )
    assert reading.mrz.valid is False
    assert reading.mrz.substitutions == ()
    assert reading.fields.document_number == "G12345678"
    (doc_check,) = [c for c in reading.mrz.check_digits if c.field == "document_number"]
    assert (doc_check.found, doc_check.computed, doc_check.valid) == ("5", "6", False)
    assert findings_for(reading, "mrz.check_digit") == ["document_number", "composite"]
    assert reading.fields.document_code == "PO"
    assert reading.fields.birth_date == date(1992, 9, 22)
    assert reading.fields.expiry_date == date(2020, 8, 19)


def test_legacy_sample_digits_in_line_one_are_class_repaired() -> None:
    lines = [
        "P0CHNWANG<<Q1<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "G383252382CHN8707040F200105619206501<<<<<<24",
    ]
    raw = read(lines, repair=False)
    assert raw.mrz.valid is False
    assert set(findings_for(raw, "mrz.charset")) == {"document_code", "names"}

    reading = read(lines)
    assert reading.fields.document_code == "PO"
    assert (reading.fields.surname, reading.fields.given_names) == ("WANG", "QI")
    assert reading.mrz.valid is True
    subs = [
        (s.line, s.position, s.original, s.replacement, s.reason) for s in reading.mrz.substitutions
    ]
    assert subs == [
        (0, 1, "0", "O", "character_class"),
        (0, 12, "1", "I", "character_class"),
    ]
    assert set(findings_for(reading, "mrz.repaired")) == {"document_code", "names"}
    assert reading.mrz.lines_read == tuple(lines)


def test_huawei_sample_as_one_string_with_newline() -> None:
    text = (
        "P<ETFHUZHAO<< ZHAOMIN <DESALEGN<<<<<<<<<<<<<<<\n"
        "EP435XXXX7ETF8509185M2201155<<<<<<<<<<<<<<08"
    )
    reading = read(text)
    assert (reading.fields.surname, reading.fields.given_names) == ("HUZHAO", "ZHAOMIN DESALEGN")
    assert reading.fields.birth_date == date(1985, 9, 18)
    assert reading.fields.expiry_date == date(2022, 1, 15)
    assert "issuing_state" in findings_for(reading, "mrz.unknown_state")  # ETF is no ICAO code


# --- lenient and strict --------------------------------------------------------------------


def test_filler_check_digit_of_an_empty_personal_number_is_strictly_valid() -> None:
    # ICAO 9303-4 §4.2.2 (TD3 line 2, position 43): the personal number's check digit
    # "may be 0 or <" when the field is empty, so `<` conforms.
    reading = read(by_id("v011")["lines"])
    assert (reading.mrz.valid, reading.mrz.valid_strict) == (True, True)
    (check,) = [c for c in reading.mrz.check_digits if c.field == "optional_data"]
    assert (check.found, check.computed, check.valid, check.valid_strict) == ("<", "0", True, True)
    assert "mrz.lenient_only" not in codes(reading)


def test_zero_check_digit_of_an_empty_personal_number_is_strictly_valid() -> None:
    reading = read(by_id("v010")["lines"])
    assert (reading.mrz.valid, reading.mrz.valid_strict) == (True, True)
    assert "mrz.lenient_only" not in codes(reading)


def test_filler_check_digit_of_a_filled_personal_number_is_invalid_both_ways() -> None:
    doc = Doc("P", "UTO", ("A",), ("B",), "L898902C3", "UTO", "740812", "F", "300101", "ZE184226B")
    lines = td3(doc)
    lines[1] = lines[1][:42] + "<" + lines[1][43:]
    reading = read(lines, repair=False)
    (check,) = [c for c in reading.mrz.check_digits if c.field == "optional_data"]
    assert (check.valid, check.valid_strict) == (False, False)
    assert (reading.mrz.valid, reading.mrz.valid_strict) == (False, False)


def td1_doc(number: str) -> Doc:
    return Doc("I", "UTO", ("ERIKSSON",), ("ANNA", "MARIA"), number, "UTO", "740812", "F", "120415")


def with_filler_included_check(lines: list[str]) -> list[str]:
    """A long number whose check digit was computed over `head<tail` (seen on real cards),
    the composite recomputed to match (ICAO 9303-5/-6 §4.2.2 composite positions)."""
    if len(lines) == 3:  # TD1: number at line 1 positions 6-14, the tail from 16
        text, head, tail = lines[0], 5, 15
    else:  # TD2: number at line 2 positions 1-9, the tail from 29
        text, head, tail = lines[1], 0, 28
    at = text.index("<", tail) - 1  # the check digit ends the tail's run
    data = text[head : head + 9] + "<" + text[tail:at]
    text = text[:at] + check_digit(data) + text[at + 1 :]
    if len(lines) == 3:
        lower = lines[1]
        composite = check_digit(text[5:30] + lower[0:7] + lower[8:15] + lower[18:29])
        return [text, lower[:29] + composite, lines[2]]
    composite = check_digit(text[0:10] + text[13:20] + text[21:35])
    return [lines[0], text[:35] + composite]


def test_td1_long_document_number_is_strictly_valid() -> None:
    # ICAO 9303-5 §4.2.2 note j: the number's last characters, then its check digit, open
    # the optional data; position 15 holds `<`. That is the standard, not a tolerance.
    lines = td1(td1_doc("D23145890734"))
    assert lines[0][14] == "<"
    reading = read(lines)
    assert reading.fields.document_number == "D23145890734"
    assert (reading.mrz.valid, reading.mrz.valid_strict) == (True, True)
    (check,) = [c for c in reading.mrz.check_digits if c.field == "document_number"]
    assert (check.valid, check.valid_strict) == (True, True)
    assert check.computed == check_digit("D23145890734")
    assert reading.fields.optional_data == ""
    assert "mrz.lenient_only" not in codes(reading)


def test_td1_long_document_number_with_a_wrong_check_digit_fails() -> None:
    lines = td1(td1_doc("D23145890734"))
    good = lines[0][18]
    lines[0] = lines[0][:18] + str((int(good) + 1) % 10) + lines[0][19:]
    reading = read(lines, repair=False)
    assert reading.mrz.valid is False
    assert "document_number" in findings_for(reading, "mrz.check_digit")


def td2_doc(number: str, optional: str = "") -> Doc:
    return Doc(
        "I",
        "UTO",
        ("ERIKSSON",),
        ("ANNA", "MARIA"),
        number,
        "UTO",
        "340712",
        "M",
        "950712",
        optional,
    )


def td2_long(number: str, optional: str = "") -> list[str]:
    """A TD2 whose number runs on per ICAO 9303-6 §4.2.2 note j (the builder writes 9)."""
    lines = td2(td2_doc(number[:9], optional))
    tail = number[9:] + check_digit(number) + "<"
    lower = number[:9] + "<" + lines[1][10:28] + (tail + optional).ljust(7, "<")
    upper = lower[0:10] + lower[13:20] + lower[21:35]
    return [lines[0], lower + check_digit(upper)]


def test_td2_long_document_number_as_in_icao_9303_6_note_j() -> None:
    lines = td2_long("D23145890734")
    assert lines[1] == "D23145890<UTO3407127M95071227349<<<8"  # the brief's line 2
    reading = read(lines)
    assert reading.mrz.format is MrzFormat.TD2
    assert reading.fields.document_number == "D23145890734"
    assert reading.fields.optional_data == ""
    assert (reading.mrz.valid, reading.mrz.valid_strict) == (True, True)
    (check,) = [c for c in reading.mrz.check_digits if c.field == "document_number"]
    assert (check.found, check.computed) == ("9", check_digit("D23145890734"))
    assert reading.mrz.substitutions == ()


def test_td2_long_document_number_keeps_the_optional_data_after_it() -> None:
    reading = read(td2_long("D23145890734", "AB"))
    assert (reading.fields.document_number, reading.fields.optional_data) == ("D23145890734", "AB")
    assert reading.mrz.valid_strict is True


def test_td2_long_document_number_with_a_wrong_check_digit_fails() -> None:
    lines = td2_long("D23145890734")
    lines[1] = lines[1][:31] + "0" + lines[1][32:]
    reading = read(lines, repair=False)
    assert (reading.mrz.valid, reading.mrz.valid_strict) == (False, False)
    assert "document_number" in findings_for(reading, "mrz.check_digit")


@pytest.mark.parametrize(
    "lines",
    [
        # 735, not 734: with 734 both ways of computing give the same digit.
        pytest.param(td1(td1_doc("D23145890735")), id="TD1"),
        pytest.param(td2_long("D23145890735"), id="TD2"),
    ],
)
def test_long_number_check_digit_over_the_filler_is_lenient_only(lines: list[str]) -> None:
    # The reader's own tolerance, beyond ICAO: the `<` after the ninth character included.
    assert read(lines).mrz.valid_strict is True
    changed = with_filler_included_check(lines)
    assert changed != lines
    reading = read(changed, repair=False)
    (check,) = [c for c in reading.mrz.check_digits if c.field == "document_number"]
    assert (check.valid, check.valid_strict) == (True, False)
    assert "mrz.lenient_only" in codes(reading)


# --- formats -------------------------------------------------------------------------------


def sample_doc(code: str = "P") -> Doc:
    return Doc(
        code, "UTO", ("ERIKSSON",), ("ANNA", "MARIA"), "L898902C3", "UTO", "740812", "F", "120415"
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (td3(sample_doc("P")), MrzFormat.TD3),
        (mrv(sample_doc("V"), 44), MrzFormat.MRVA),
        (td2(sample_doc("I")), MrzFormat.TD2),
        (mrv(sample_doc("V"), 36), MrzFormat.MRVB),
        (td1(sample_doc("I")), MrzFormat.TD1),
        (td1(sample_doc("A")), MrzFormat.TD1),
        (td1(sample_doc("C")), MrzFormat.TD1),
    ],
)
def test_detect_format(lines: list[str], expected: MrzFormat) -> None:
    assert detect_format(lines) is expected


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["X" * 44, "1" * 44], "starts with P"),
        (["P" * 44], "2 or 3 lines"),
        (["P" * 44] * 4, "2 or 3 lines"),
        (["P" * 44, "1" * 40], "44"),
        (["P" * 30, "1" * 30, "A" * 30], "TD1"),
        (["I" * 30, "1" * 29, "A" * 30], "30"),
        (["Q" * 36, "1" * 36], "2x36"),
    ],
)
def test_detect_format_rejects_lookalikes_with_a_reason(lines: list[str], reason: str) -> None:
    with pytest.raises(MrzError, match=reason):
        detect_format(lines)


def test_french_national_id_is_read_by_its_own_rules_not_as_td2() -> None:
    # Once rejected as "not ICAO"; now its own format (tests/unit/test_mrz_french_id.py).
    reading = read("IDFRADOUEL<<<<<<<<<<<<<<<<<<<<932013\n0506932020438CHRISTIANE<<NI2906209F3")
    assert reading.mrz.format is MrzFormat.FRA_ID
    assert reading.mrz.valid
    assert "mrz.not_icao" in codes(reading)


@pytest.mark.parametrize("bad", [None, 42, b"P<UTO", [1, 2], "", "   \n  ", []])
def test_unusable_input_is_a_typed_error(bad: Any) -> None:
    with pytest.raises(MrzError):
        read_mrz(bad)


def test_detect_format_wants_lines_not_a_string() -> None:
    with pytest.raises(MrzError, match="sequence of lines"):
        detect_format("P<UTO")


# --- cleaning ------------------------------------------------------------------------------


def test_lower_case_and_spaces_are_cleaned() -> None:
    read_as = " p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<< "
    lines, subs = clean_lines([read_as, UTOPIA[1]])
    assert lines == UTOPIA
    glyphs = [s for s in subs if s.reason == "glyph"]
    assert len(glyphs) == len("PUTOERIKSSONANNAMARIA")
    # Positions index the line as read.
    assert all(read_as[s.position] == s.original for s in subs)
    assert [(s.position, s.replacement) for s in subs if s.reason == "length"] == [
        (0, ""),
        (len(read_as) - 1, ""),
    ]


def test_full_width_and_cyrillic_lookalikes_are_cleaned() -> None:
    read_as = UTOPIA[0].replace("ERIKSSON", "ЕRIKSSОN").replace("UTO", "ＵＴＯ", 1)
    lines, subs = clean_lines([read_as, UTOPIA[1]])
    assert lines == UTOPIA
    assert [(s.position, s.reason) for s in subs] == [
        (2, "glyph"),
        (3, "glyph"),
        (4, "glyph"),
        (5, "glyph"),
        (11, "glyph"),
    ]


def test_one_string_with_lines_joined_by_a_space_is_split() -> None:
    lines, _ = clean_lines(" ".join(UTOPIA))
    assert lines == UTOPIA


def test_filler_glyphs_become_fillers() -> None:
    lines, subs = clean_lines([UTOPIA[0].replace("<<<<<<", "«<«<", 1), UTOPIA[1]])
    assert lines == UTOPIA
    assert "glyph" in {s.reason for s in subs}


def test_stray_characters_are_dropped_and_recorded() -> None:
    noisy = UTOPIA[1][:20] + "." + UTOPIA[1][20:]
    lines, subs = clean_lines([UTOPIA[0], noisy])
    assert lines == UTOPIA
    assert [(s.line, s.original, s.replacement) for s in subs] == [(1, ".", "")]


def test_a_doubled_filler_is_dropped_where_the_check_digits_agree() -> None:
    # PDF text extraction doubled a filler inside the personal number (cf. vector v030).
    line = "L898902C36UTO7408122F2504155184226<<<<<<<<18"
    doubled = line[:34] + "<" + line[34:]
    lines, subs = clean_lines(["P<UTOIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<", doubled])
    assert lines[1] == line
    assert [s.reason for s in subs] == ["length"]
    assert read(lines).mrz.valid is True


def test_a_line_one_filler_short_is_padded() -> None:
    lines, subs = clean_lines([UTOPIA[0][:-1], UTOPIA[1]])
    assert lines == UTOPIA
    assert [(s.line, s.replacement, s.reason) for s in subs] == [(0, "<", "filler")]


def test_a_lower_line_missing_a_filler_gets_it_back_where_digits_agree() -> None:
    short = UTOPIA[1][:38] + UTOPIA[1][39:]
    lines, subs = clean_lines([UTOPIA[0], short])
    assert lines == UTOPIA
    assert [s.reason for s in subs] == ["filler"]


def test_spaces_standing_for_fillers_become_fillers() -> None:
    spaced = UTOPIA[1].replace("<<<<<", "     ")
    reading = read([UTOPIA[0], spaced])
    assert reading.mrz.lines == tuple(UTOPIA)
    assert {s.reason for s in reading.mrz.substitutions} == {"filler"}


def test_trailing_junk_after_the_name_line_is_cut() -> None:
    lines, subs = clean_lines([UTOPIA[0] + "EXTRA", UTOPIA[1]])
    assert lines == UTOPIA
    assert [s.original for s in subs] == list("EXTRA")


# --- repair --------------------------------------------------------------------------------


def with_char(line: str, pos: int, char: str) -> str:
    return line[:pos] + char + line[pos + 1 :]


def test_filler_read_as_x_in_the_personal_number_is_repaired() -> None:
    doc = Doc("P", "UTO", ("A",), ("B",), "12345678", "UTO", "740812", "F", "300101", "12345")
    lines = td3(doc)
    broken = [lines[0], with_char(lines[1], 35, "X")]
    reading = read(broken)
    assert list(reading.mrz.lines) == lines
    (sub,) = reading.mrz.substitutions
    assert (sub.original, sub.replacement, sub.reason, sub.field) == (
        "X",
        "<",
        "check_digit",
        "optional_data",
    )


def test_filler_read_as_k_is_check_digit_blind_and_flagged() -> None:
    # K=20 and < =0: every check digit agrees either way, so nothing proves a repair.
    doc = Doc("P", "UTO", ("A",), ("B",), "12345678", "UTO", "740812", "F", "300101", "12345")
    lines = td3(doc)
    reading = read([lines[0], with_char(lines[1], 35, "K")])
    assert reading.mrz.valid is True
    assert reading.mrz.substitutions == ()
    assert "optional_data" in findings_for(reading, "mrz.check_digit_blind")


def test_letters_in_dates_and_check_digits_are_class_repaired() -> None:
    lines = td3(sample_doc())
    broken = with_char(
        with_char(lines[1], 13, "I"), 19, "Z"
    )  # birth 740812 -> I40812, check 2 -> Z
    broken = with_char(broken, 13, "T")
    reading = read([lines[0], broken])
    assert list(reading.mrz.lines) == lines
    assert {s.reason for s in reading.mrz.substitutions} == {"character_class"}
    assert findings_for(reading, "mrz.repaired") == ["birth_date"]


def test_two_repairs_that_both_validate_change_nothing() -> None:
    # O (between 2 and 4, weight 1) and T (between 6 and 8, weight 7) are both repair
    # candidates, and O->0 and T->7 shift the sum by the same amount modulo 10.
    read_as = "12O456T89"
    truth = read_as.replace("O", "0")
    assert check_digit(truth) == check_digit(read_as.replace("T", "7")) != check_digit(read_as)
    lines = td3(Doc("P", "UTO", ("A",), ("B",), truth, "UTO", "740812", "F", "300101"))
    lines[1] = read_as + lines[1][9:]
    reading = read(lines)
    assert reading.fields.document_number == read_as
    assert not [s for s in reading.mrz.substitutions if s.field == "document_number"]
    assert "document_number" in findings_for(reading, "mrz.ambiguous_repair")
    assert reading.mrz.valid is False
    # With one candidate only, the check digit proves the repair.
    lines = td3(Doc("P", "UTO", ("A",), ("B",), "120456789", "UTO", "740812", "F", "300101"))
    lines[1] = "12O456789" + lines[1][9:]
    reading = read(lines)
    assert reading.fields.document_number == "120456789"
    assert reading.mrz.valid is True


def test_blind_spot_g_for_6_is_flagged_not_verified() -> None:
    reading = read(by_id("v105")["lines"])
    assert reading.mrz.valid is True  # every check digit agrees: that is the blind spot
    assert "document_number" in findings_for(reading, "mrz.check_digit_blind")
    (finding,) = [
        f
        for f in reading.findings
        if f.code == "mrz.check_digit_blind" and f.field == "document_number"
    ]
    assert finding.severity is Severity.INFO


def test_homogeneous_numbers_are_not_flagged_blind() -> None:
    reading = read(by_id("v106")["lines"])  # 340020013: digits only
    assert "document_number" not in findings_for(reading, "mrz.check_digit_blind")


def test_state_digit_is_repaired_only_into_a_known_code() -> None:
    lines = td3(Doc("P", "CHN", ("WANG",), ("QI",), "G38325238", "CHN", "870704", "F", "300105"))
    reading = read([with_char(lines[0], 2, "C").replace("CHN", "CH1", 1), lines[1]])
    # CH1 -> CHI / CHL: CHL (Chile) is the only known code.
    assert reading.fields.issuing_state == "CHL"
    reading = read([lines[0].replace("CHN", "0TO", 1), lines[1]])
    assert reading.fields.issuing_state == "0TO"  # OTO, DTO, QTO: none known, left alone
    assert "issuing_state" in findings_for(reading, "mrz.charset")
    assert "issuing_state" in findings_for(reading, "mrz.unknown_state")


def test_filler_lookalike_alone_in_the_name_tail_becomes_a_filler() -> None:
    line = UTOPIA[0][:40] + "K" + UTOPIA[0][41:]
    reading = read([line, UTOPIA[1]])
    assert reading.mrz.lines == tuple(UTOPIA)
    assert [s.reason for s in reading.mrz.substitutions] == ["filler"]


# --- dates ---------------------------------------------------------------------------------


def dated(birth: str, expiry: str) -> list[str]:
    return td3(Doc("P", "UTO", ("A",), ("B",), "L898902C3", "UTO", birth, "F", expiry))


def test_birth_takes_the_most_recent_past_century() -> None:
    reading = read(dated("261121", "300101"))
    assert reading.fields.birth_date == date(2026, 11, 21)
    reading = read(dated("261122", "300101"))
    assert reading.fields.birth_date == date(1926, 11, 22)


def test_birth_century_ambiguity_is_reported() -> None:
    reading = read(dated("110101", "300101"))  # 2011 or 1911 (the Czech specimen's trap)
    assert reading.fields.birth_date == date(2011, 1, 1)
    assert "birth_date" in findings_for(reading, "mrz.date_ambiguous")
    assert "mrz.date_ambiguous" not in codes(read(dated("740812", "300101")))


def test_expiry_resolves_at_most_twenty_years_ahead_of_today() -> None:
    assert read(dated("740812", "961210")).fields.expiry_date == date(1996, 12, 10)
    assert read(dated("740812", "461231")).fields.expiry_date == date(2046, 12, 31)
    # No passport is valid for 21 years or more: an old, expired document instead.
    assert read(dated("740812", "470101")).fields.expiry_date == date(1947, 1, 1)
    assert read(dated("740812", "751231")).fields.expiry_date == date(1975, 12, 31)


@pytest.mark.parametrize("yymmdd", ["460101", "470101", "500724", "751231", "761231", "990101"])
def test_mrz_and_printed_page_resolve_the_same_expiry_to_the_same_date(yymmdd: str) -> None:
    # One rule for both sources: "47" used to be 2047 in the MRZ and 1947 on the page.
    from_mrz = read(dated("740812", yymmdd)).fields.expiry_date
    from_page = date_from(yymmdd, vendor="v", field="f", kind="expiry", today=TODAY)
    assert from_mrz == from_page


@pytest.mark.parametrize("yymmdd", ["261121", "261122", "740812", "050101", "991231"])
def test_mrz_and_printed_page_resolve_the_same_birth_date(yymmdd: str) -> None:
    from_mrz = read(dated(yymmdd, "300101")).fields.birth_date
    assert from_mrz == date_from(yymmdd, vendor="v", field="f", kind="past", today=TODAY)


def test_impossible_dates_are_errors_and_invalidate() -> None:
    reading = read(dated("740230", "300101"))
    assert reading.fields.birth_date is None
    assert reading.fields.birth_date_raw == "740230"
    assert all(c.valid for c in reading.mrz.check_digits)
    assert reading.mrz.valid is False
    (finding,) = [f for f in reading.findings if f.code == "mrz.date_invalid"]
    assert (finding.field, finding.severity) == ("birth_date", Severity.ERROR)


def test_implausible_dates_are_warnings() -> None:
    far = read(dated("740812", "600101"))  # a typo for 2060: no passport lasts 34 years
    assert far.fields.expiry_date == date(1960, 1, 1)  # so it reads as before the birth
    assert "birth_date" in findings_for(far, "mrz.date_implausible")
    after = read(dated("050101", "000101"))  # born 2005, expired 2000
    assert "birth_date" in findings_for(after, "mrz.date_implausible")
    assert far.mrz.valid is True  # plausibility is a warning, not a check-digit failure


def test_two_digit_birth_years_never_resolve_beyond_a_century() -> None:
    # The most recent past century: ages 0..99 only, so age > 120 cannot come from the MRZ;
    # the other reading is what gets reported, while it is still a possible age.
    for raw, today, resolved, ambiguous in [
        ("050101", date(2126, 6, 1), date(2105, 1, 1), False),  # 2005 would be 121
        ("050101", date(2104, 6, 1), date(2005, 1, 1), False),  # 1905 would be 199
        ("050101", date(2024, 6, 1), date(2005, 1, 1), True),  # 1905 would be 119
        ("890101", date(2010, 6, 1), date(1989, 1, 1), False),
    ]:
        reading = read(dated(raw, "300101"), today=today)
        assert reading.fields.birth_date == resolved
        assert ("birth_date" in findings_for(reading, "mrz.date_ambiguous")) is ambiguous
        assert "birth_date" not in findings_for(reading, "mrz.date_implausible")


def test_sex_unspecified_is_x() -> None:
    lines = td3(Doc("P", "UTO", ("A",), ("B",), "L898902C3", "UTO", "740812", "<", "300101"))
    assert read(lines).fields.sex == "X"


# --- names and states ----------------------------------------------------------------------


def test_single_name_passport_parses() -> None:
    lines = td3(Doc("P", "IND", ("RAMESH",), (), "L898902C3", "IND", "740812", "M", "300101"))
    reading = read(lines)
    assert (reading.fields.surname, reading.fields.given_names) == ("RAMESH", "")
    assert reading.mrz.valid is True
    lines = td3(Doc("P", "IND", (), ("RAMESH",), "L898902C3", "IND", "740812", "M", "300101"))
    assert lines[0].startswith("P<IND<<RAMESH")
    reading = read(lines)
    assert (reading.fields.surname, reading.fields.given_names) == ("", "RAMESH")


def test_full_name_field_is_flagged_as_possibly_truncated() -> None:
    reading = read(["P<UTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K", UTOPIA[1]])
    (finding,) = [f for f in reading.findings if f.code == "mrz.name_truncated"]
    assert finding.severity is Severity.WARNING
    assert "mrz.name_truncated" not in codes(read(UTOPIA))


def test_states_unknown_specimen_and_special() -> None:
    reading = read(UTOPIA)
    assert set(findings_for(reading, "mrz.specimen_state")) == {"issuing_state", "nationality"}
    german = td3(
        Doc("P", "D", ("MUSTERMANN",), ("ERIKA",), "C01X00T47", "D", "640812", "F", "300101")
    )
    reading = read(german)
    assert (reading.fields.issuing_state, reading.fields.nationality) == ("D", "D")
    assert "mrz.unknown_state" not in codes(reading)
    stateless = td3(Doc("P", "GBD", ("A",), ("B",), "123456789", "XXA", "640812", "F", "300101"))
    assert "mrz.unknown_state" not in codes(read(stateless))
    unknown = td3(Doc("P", "QQQ", ("A",), ("B",), "123456789", "QQQ", "640812", "F", "300101"))
    reading = read(unknown)
    assert set(findings_for(reading, "mrz.unknown_state")) == {"issuing_state", "nationality"}
    assert reading.mrz.valid is True  # a code-list miss is a warning, not a broken MRZ


# --- output --------------------------------------------------------------------------------


def test_to_json_has_exactly_the_cli_shape() -> None:
    data = read(UTOPIA).to_json()
    assert set(data) == {
        "format",
        "fields",
        "check_digits",
        "valid",
        "valid_strict",
        "repairs",
        "findings",
    }
    assert data["format"] == "TD3"
    assert data["fields"]["birth_date"] == {"raw": "740812", "iso": "1974-08-12"}
    assert data["fields"]["expiry_date"] == {"raw": "120415", "iso": "2012-04-15"}
    assert data["check_digits"] == {
        "document_number": True,
        "birth_date": True,
        "expiry_date": True,
        "optional_data": True,
        "composite": True,
    }
    assert "optional_data_2" not in data["fields"]
    assert json.loads(json.dumps(data)) == data
    td1_data = read(by_id("v036")["lines"]).to_json()
    assert td1_data["fields"]["optional_data_2"] == ""


def test_repairs_in_json_name_line_position_and_reason() -> None:
    data = read(by_id("v102")["lines"]).to_json()
    assert data["repairs"] == [
        {
            "line": 1,
            "position": 5,
            "original": "O",
            "replacement": "0",
            "field": "document_number",
            "reason": "check_digit",
        }
    ]


def personal_values(vector: dict[str, Any]) -> list[str]:
    expected = vector["expected"]
    values = [
        expected.get(k, "") for k in ("surname", "given_names", "document_number", "birth_date")
    ]
    return [v for v in values if isinstance(v, str) and len(v) >= 3]


@pytest.mark.parametrize("vector", vectors("full_mrz", "ocr_noisy", "vendor_raw"))
def test_finding_messages_never_quote_personal_data(vector: dict[str, Any]) -> None:
    for repair in (False, True):
        reading = read(vector["lines"], repair=repair)
        for finding in reading.findings:
            for value in personal_values(vector):
                assert value not in finding.message
            for line in reading.mrz.lines:
                assert line not in finding.message


# --- the specimen images' ground truth (reference data outside the repository) -------------

GROUND_TRUTH = paths.REFERENCE_IMAGES


def _ground_truth() -> list[dict[str, Any]]:
    truth_file = GROUND_TRUTH / "ground_truth.json"
    if not truth_file.is_file():
        return []
    images: list[dict[str, Any]] = json.loads(truth_file.read_text(encoding="utf-8"))["images"]
    return [image for image in images if image.get("mrz_lines")]


#: Formats the parser does not know yet: strict, so support makes these pass and the mark
#: must go (the French card, issue 14, is now FRA_ID).
_UNSUPPORTED_FORMATS: dict[str, str] = {}
#: The ground truth's names for formats where they differ from `MrzFormat` values.
_GROUND_TRUTH_FORMATS = {"FRA-ID": MrzFormat.FRA_ID.value}


def _ground_truth_params() -> list[Any]:
    return [
        pytest.param(
            image,
            id=image["file"],
            marks=[pytest.mark.xfail(strict=True, reason=_UNSUPPORTED_FORMATS[image["format"]])]
            if image["format"] in _UNSUPPORTED_FORMATS
            else [],
        )
        for image in _ground_truth()
    ] or [pytest.param(None, id="absent")]


@pytest.mark.parametrize("image", _ground_truth_params())
def test_specimen_ground_truth_mrz_lines_parse_as_recorded(image: dict[str, Any] | None) -> None:
    if image is None:
        pytest.skip("reference images (../shared/data/images) are not present")
    reading = read(image["mrz_lines"], repair=False)
    expected_format = _GROUND_TRUTH_FORMATS.get(image["format"], image["format"])
    assert reading.mrz.format.value == expected_format, image["file"]
    expected = {**image["fields"], "check_digits_valid": image["check_digits_valid"]}
    assert_fields(reading, expected, leading_fillers=False)
    assert reading.mrz.valid is image["valid"], image["file"]
    # Repair must not touch a zone that is already right.
    assert read(image["mrz_lines"]).mrz.substitutions == (), image["file"]


@pytest.mark.parametrize(
    "lines",
    [
        td3(Doc("P", "UTO", ("A",), ("B",), "L898902C3", "UTO", "740812", "F", "300101")),
        td1(Doc("I", "UTO", ("A",), ("B",), "D23145890", "UTO", "740812", "F", "300101")),
        td2(Doc("I", "UTO", ("A",), ("B",), "D23145890", "UTO", "740812", "F", "300101")),
        mrv(Doc("V", "UTO", ("A",), ("B",), "L898902C3", "UTO", "740812", "F", "300101"), 44),
        mrv(Doc("V", "UTO", ("A",), ("B",), "L898902C3", "UTO", "740812", "F", "300101"), 36),
    ],
)
def test_the_offline_engine_uses_the_same_format_rule_and_layout(lines: list[str]) -> None:
    from passport_ocr.mrz.layouts import LAYOUTS
    from passport_ocr.tools.ocr.layout import choose_layout

    fmt = detect_format(lines)
    engine = choose_layout([len(line) for line in lines], lines[0][0])
    assert engine.format == fmt.value
    assert engine.lengths == (LAYOUTS[fmt].line_length,) * LAYOUTS[fmt].line_count
