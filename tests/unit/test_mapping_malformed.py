"""Malformed vendor JSON of every kind raises MappingError naming the vendor and field."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passport_ocr.errors import MappingError
from passport_ocr.mapping import to_record
from passport_ocr.record import PassportRecord, Severity
from tests import paths

SAMPLES = paths.VENDOR_SAMPLES
TODAY = date(2026, 11, 21)
FORMATS = {
    "huawei": "huawei_general.json",
    "tencent": "tencent_passport.json",
    "tencent-mlid": "tencent_mlid.json",
    "tencent-legacy": "tencent_legacy.json",
}


def sample(fmt: str) -> Any:
    return json.loads((SAMPLES / FORMATS[fmt]).read_text(encoding="utf-8"))


def edited(fmt: str, path: tuple[Any, ...], value: Any, *, delete: bool = False) -> Any:
    raw = copy.deepcopy(sample(fmt))
    target = raw
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


def legacy_item(label: str, key: str, value: Any) -> Any:
    raw = copy.deepcopy(sample("tencent-legacy"))
    for item in raw["data"]["items"]:
        if item["item"] == label:
            item[key] = value
    return raw


MALFORMED: list[tuple[str, Any, str, str]] = [
    # (format, raw answer, vendor named, field named)
    ("huawei", [], "huawei", "$"),
    ("huawei", "result", "huawei", "$"),
    ("huawei", None, "huawei", "$"),
    ("huawei", {}, "huawei", "result"),
    ("huawei", {"result": {}}, "huawei", "result"),
    ("huawei", {"result": []}, "huawei", "result"),
    (
        "huawei",
        {"error_code": "AIS.0105", "error_msg": "recognition failed"},
        "huawei",
        "error_code",
    ),
    (
        "huawei",
        edited("huawei", ("result", "passport_number"), 123),
        "huawei",
        "result.passport_number",
    ),
    (
        "huawei",
        edited("huawei", ("result", "machine_code"), ["P<"]),
        "huawei",
        "result.machine_code",
    ),
    (
        "huawei",
        edited("huawei", ("result", "date_of_birth"), 19850918),
        "huawei",
        "result.date_of_birth",
    ),
    ("huawei", edited("huawei", ("result", "confidence"), "high"), "huawei", "result.confidence"),
    (
        "huawei",
        edited("huawei", ("result", "confidence", "sex"), "0.9"),
        "huawei",
        "result.confidence.sex",
    ),
    ("huawei", edited("huawei", ("result", "extra_info"), [1]), "huawei", "result.extra_info"),
    ("huawei", edited("huawei", ("result", "sex"), True), "huawei", "result.sex"),
    (
        "tencent",
        {
            "Response": {
                "Error": {"Code": "FailedOperation.OcrFailed", "Message": "x"},
                "RequestId": "r",
            }
        },
        "tencent",
        "Response.Error",
    ),
    ("tencent", {"Response": {"RequestId": "r"}}, "tencent", "Response"),
    ("tencent", {"Response": "nope"}, "tencent", "Response"),
    ("tencent", {"Response": {"Error": "boom"}}, "tencent", "Response.Error"),
    (
        "tencent",
        edited("tencent", ("Response", "PassportNo"), {"x": 1}),
        "tencent",
        "Response.PassportNo",
    ),
    ("tencent", edited("tencent", ("Response", "CodeCrc"), 7), "tencent", "Response.CodeCrc"),
    (
        "tencent",
        edited("tencent", ("Response", "BirthDate"), 19920922),
        "tencent",
        "Response.BirthDate",
    ),
    (
        "tencent-mlid",
        edited("tencent-mlid", ("Response", "Warn"), "-9102"),
        "tencent",
        "Response.Warn",
    ),
    (
        "tencent-mlid",
        edited("tencent-mlid", ("Response", "WarnCardInfos"), [True]),
        "tencent",
        "Response.WarnCardInfos",
    ),
    (
        "tencent-mlid",
        edited("tencent-mlid", ("Response", "PassportRecognizeInfos"), "x"),
        "tencent",
        "Response.PassportRecognizeInfos",
    ),
    ("tencent-mlid", edited("tencent-mlid", ("Response", "ID"), 1.5), "tencent", "Response.ID"),
    ("tencent-legacy", {"code": -9020, "message": "passport ocr failed"}, "tencent-legacy", "code"),
    ("tencent-legacy", {"code": "0", "data": {"items": []}}, "tencent-legacy", "code"),
    ("tencent-legacy", {"message": "OK"}, "tencent-legacy", "code"),
    ("tencent-legacy", {"code": 0, "message": "OK"}, "tencent-legacy", "data"),
    ("tencent-legacy", {"code": 0, "data": {"items": {}}}, "tencent-legacy", "data.items"),
    ("tencent-legacy", {"code": 0, "data": {"items": []}}, "tencent-legacy", "data.items"),
    (
        "tencent-legacy",
        {"code": 0, "data": {"items": ["护照号码"]}},
        "tencent-legacy",
        "data.items[0]",
    ),
    (
        "tencent-legacy",
        legacy_item("护照号码", "itemstring", 38325238),
        "tencent-legacy",
        "data.items.护照号码",
    ),
    ("tencent-legacy", legacy_item("护照号码", "item", None), "tencent-legacy", "data.items"),
    (
        "tencent-legacy",
        legacy_item("英文姓", "itemconf", "high"),
        "tencent-legacy",
        "data.items[13].itemconf",
    ),
    (
        "tencent-legacy",
        legacy_item("机读码2", "itemstring", ["G38"]),
        "tencent-legacy",
        "data.items.机读码2",
    ),
]


@pytest.mark.parametrize(("fmt", "raw", "vendor", "field"), MALFORMED)
def test_malformed_answer_names_vendor_and_field(
    fmt: str, raw: Any, vendor: str, field: str
) -> None:
    try:
        record = to_record(fmt, raw, today=TODAY)
    except MappingError as error:
        assert error.vendor == vendor
        assert error.field == field
        assert vendor in str(error)
        return
    # Only one case above is not an error: a missing label drops that field.
    assert field == "data.items"
    assert record.document_number is not None  # taken from the MRZ instead
    assert record.provenance["document_number"].value == "mrz"


def test_unknown_format_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="unknown answer format"):
        to_record("acme", {}, today=TODAY)


@pytest.mark.parametrize(
    ("fmt", "path", "value", "field"),
    [
        ("huawei", ("result", "date_of_birth"), "1985-13-45", "result.date_of_birth"),
        ("huawei", ("result", "sex"), "Q", "result.sex"),
        ("tencent", ("Response", "ExpiryDate"), "2020/0819", "Response.ExpiryDate"),
        (
            "tencent-mlid",
            ("Response", "PassportRecognizeInfos", "DateOfIssuance"),
            "31 Feb 2023",
            "Response.PassportRecognizeInfos.DateOfIssuance",
        ),
    ],
)
def test_an_unreadable_value_is_a_finding_not_a_rejection(
    fmt: str, path: tuple[str, ...], value: str, field: str
) -> None:
    record = to_record(fmt, edited(fmt, path, value), today=TODAY)
    unreadable = [f for f in record.findings if f.code == "vendor.unreadable_value"]
    assert [(f.field, f.severity) for f in unreadable] == [(field, Severity.WARNING)]
    assert value not in unreadable[0].message  # values may be personal: never in messages


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _answers_near(fmt: str) -> st.SearchStrategy[Any]:
    """The sample with one key replaced by a random JSON value, or random JSON outright."""
    base = sample(fmt)
    inner = base.get("Response", base.get("result", base.get("data", base)))
    keys = sorted(inner)

    def replace_one(key: str, value: Any) -> Any:
        raw = copy.deepcopy(base)
        target = raw.get("Response", raw.get("result", raw.get("data", raw)))
        target[key] = value
        return raw

    return st.one_of(JSON_VALUES, st.builds(replace_one, st.sampled_from(keys), JSON_VALUES))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_json_yields_a_record_or_a_mapping_error(fmt: str, data: st.DataObject) -> None:
    raw = data.draw(_answers_near(fmt))
    try:
        record = to_record(fmt, raw, today=TODAY)
    except MappingError as error:
        assert error.vendor in ("huawei", "tencent", "tencent-legacy")
        assert error.field
    else:
        assert isinstance(record, PassportRecord)


MRZ_KEYS = {
    "huawei": ("result", "machine_code2"),
    "tencent": ("Response", "CodeCrc"),
    "tencent-mlid": ("Response", "CodeSet"),
    "tencent-legacy": None,
}


@pytest.mark.parametrize("fmt", ["huawei", "tencent", "tencent-mlid"])
@settings(max_examples=150, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=50),
    junk=st.text(alphabet="<0123456789ABCXYZ ox-|\n\t", max_size=4),
    cut=st.booleans(),
)
def test_garbled_mrz_lines_never_escape_as_other_errors(
    fmt: str, position: int, junk: str, cut: bool
) -> None:
    path = MRZ_KEYS[fmt]
    assert path is not None
    line = sample(fmt)[path[0]][path[1]]
    garbled = line[:position] + junk + ("" if cut else line[position + len(junk) :])
    try:
        record = to_record(fmt, edited(fmt, path, garbled), today=TODAY)
    except MappingError:
        return
    assert record.status.value in ("valid", "needs_review", "invalid")


def test_a_format_whose_mapper_is_not_installed_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from passport_ocr import mapping

    monkeypatch.setitem(mapping.MODULES, "local", "passport_ocr.mapping.not_shipped")  # type: ignore[index]
    with pytest.raises(MappingError, match="not installed"):
        to_record("local", {}, today=TODAY)
