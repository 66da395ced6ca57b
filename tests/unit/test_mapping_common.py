"""The Draft helpers: text, dates in every vendor format, sex words, confidences."""

from __future__ import annotations

from datetime import date

import pytest

from passport_ocr.draft import has_non_latin
from passport_ocr.errors import MappingError
from passport_ocr.mapping.common import (
    FieldReader,
    UnreadableValueError,
    confidence_from,
    date_from,
    int_list,
    sex_from,
    text,
)
from passport_ocr.mrz.dates import resolve_two_digit_year
from passport_ocr.record import Finding, Severity

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1990-12-12", date(1990, 12, 12)),
        ("19920922", date(1992, 9, 22)),
        ("870704", date(1987, 7, 4)),
        ("1990/12/01", date(1990, 12, 1)),
        ("1990.1.2", date(1990, 1, 2)),
        ("1990年12月12日", date(1990, 12, 12)),
        ("11 Apr 1990", date(1990, 4, 11)),
        ("11 APR/AVR 1990", date(1990, 4, 11)),
        ("12 DEC/DÉC 1990", date(1990, 12, 12)),
        ("12 12月/DEC 1990", date(1990, 12, 12)),
        ("01-JAN-2001", date(2001, 1, 1)),
        ("  1990-12-12 ", date(1990, 12, 12)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_date_formats(raw: str | None, expected: date | None) -> None:
    assert date_from(raw, vendor="v", field="f", today=TODAY) == expected


@pytest.mark.parametrize(
    "raw", ["1990-13-01", "19900230", "31 Feb 2023", "12 XYZ 1990", "tomorrow", "90-1-1"]
)
def test_unreadable_dates(raw: str) -> None:
    with pytest.raises(UnreadableValueError) as caught:
        date_from(raw, vendor="v", field="f", today=TODAY)
    assert (caught.value.vendor, caught.value.field) == ("v", "f")


@pytest.mark.parametrize("raw", [19900101, 1990.5, ["1990-01-01"], {"y": 1990}, True])
def test_dates_of_the_wrong_type_are_shape_errors(raw: object) -> None:
    with pytest.raises(MappingError) as caught:
        date_from(raw, vendor="v", field="f")
    assert not isinstance(caught.value, UnreadableValueError)


@pytest.mark.parametrize(
    ("yymmdd", "kind", "expected"),
    [
        ("870704", "past", date(1987, 7, 4)),
        ("261121", "past", date(2026, 11, 21)),  # today is not the future
        ("261122", "past", date(1926, 11, 22)),  # tomorrow is: previous century
        ("050101", "past", date(2005, 1, 1)),
        ("200105", "expiry", date(2020, 1, 5)),
        ("460101", "expiry", date(2046, 1, 1)),  # 20 years ahead: still this century
        ("470101", "expiry", date(1947, 1, 1)),
        ("990101", "expiry", date(1999, 1, 1)),
    ],
)
def test_two_digit_years(yymmdd: str, kind: str, expected: date) -> None:
    assert date_from(yymmdd, vendor="v", field="f", kind=kind, today=TODAY) == expected  # type: ignore[arg-type]


def test_expiry_window_across_a_century_boundary() -> None:
    assert resolve_two_digit_year(5, 1, 1, "expiry", date(2095, 6, 1)) == 2105
    assert resolve_two_digit_year(90, 1, 1, "expiry", date(2095, 6, 1)) == 2090


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("F", "F"),
        ("f", "F"),
        ("FEMALE", "F"),
        ("Female", "F"),
        ("女", "F"),
        ("女/F", "F"),
        ("M", "M"),
        ("MALE", "M"),
        ("男", "M"),
        ("男 / M", "M"),
        ("X", "X"),
        ("<", "X"),
        (None, None),
        ("", None),
    ],
)
def test_sex_words(raw: str | None, expected: str | None) -> None:
    assert sex_from(raw, vendor="v", field="f") == expected


@pytest.mark.parametrize("raw", ["Q", "女/M", "FM", "unknown"])
def test_unreadable_sex(raw: str) -> None:
    with pytest.raises(UnreadableValueError):
        sex_from(raw, vendor="v", field="f")


def test_text_collapses_whitespace_and_rejects_other_types() -> None:
    assert text("  ZHAOMIN   DESALEGN ", vendor="v", field="f") == "ZHAOMIN DESALEGN"
    assert text("", vendor="v", field="f") is None
    with pytest.raises(MappingError, match="expected a string, got a number"):
        text(7, vendor="v", field="f")


@pytest.mark.parametrize(
    ("raw", "expected"), [(0.5, 0.5), (1, 1.0), (1.2, 1.0), (-0.1, 0.0), (None, None)]
)
def test_confidence_is_clamped(raw: float | None, expected: float | None) -> None:
    assert confidence_from(raw, vendor="v", field="f") == expected


@pytest.mark.parametrize("raw", ["0.9", True, float("nan"), [0.9]])
def test_bad_confidences(raw: object) -> None:
    with pytest.raises(MappingError):
        confidence_from(raw, vendor="v", field="f")


def test_int_list() -> None:
    assert int_list([-9102, -9108], vendor="v", field="f") == (-9102, -9108)
    assert int_list(None, vendor="v", field="f") == ()
    for bad in ([1.5], [True], "x", {"a": 1}):
        with pytest.raises(MappingError):
            int_list(bad, vendor="v", field="f")


def test_field_reader_turns_unreadable_values_into_findings() -> None:
    findings: list[Finding] = []
    reader = FieldReader("v", {"d": "1990-02-30", "s": "F", "n": {"x": "1"}}, "Response", findings)
    assert reader.date("d") is None
    assert reader.sex("s") == "F"
    assert reader.object("n").text("x") == "1"
    assert reader.object("missing").text("x") is None
    assert [(f.code, f.field, f.severity) for f in findings] == [
        ("vendor.unreadable_value", "Response.d", Severity.WARNING)
    ]
    assert "1990" not in findings[0].message
    with pytest.raises(MappingError, match=r"Response\.n"):
        reader.text("n")


def test_has_non_latin() -> None:
    assert has_non_latin("张三")
    assert not has_non_latin("ZHANG SAN")
    assert not has_non_latin("MÜLLER")
    assert not has_non_latin(None)
