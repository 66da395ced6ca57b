"""The README's per-vendor field tables list every field each mapper reads: read from the
mappers' own tables and calls, so a field mapped but not documented fails here."""

from __future__ import annotations

import re

import pytest

from passport_ocr.mapping import huawei, tencent_legacy, textract
from tests.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### What each vendor answers") :]
MAPPERS = REPO / "shared" / "passport_ocr" / "mapping"
#: `reader.text("Key")`, `.date(...)`, ...: the keys a FieldReader-based mapper reads.
_READS = re.compile(r"\.(?:text|raw|date|sex|object)\(\s*\"(\w+)\"")
#: Envelope keys, not fields: the answer's wrapper, request ids, error bodies.
ENVELOPE = {"Response", "RequestId", "Error", "Code", "result", "error_code", "Confidence"}


def table(title: str) -> str:
    start = SECTION.index(f"**{title}")
    end = SECTION.find("\n**", start + 1)
    return SECTION[start : end if end != -1 else None]


def read_keys(module: str) -> set[str]:
    source = (MAPPERS / f"{module}.py").read_text(encoding="utf-8")
    return set(_READS.findall(source)) - ENVELOPE


@pytest.mark.parametrize(
    ("module", "title"),
    [
        ("huawei", "Huawei `RecognizePassport`"),
        ("tencent", "Tencent `PassportOCR`"),
        ("tencent_mlid", "Tencent `MLIDPassportOCR`"),
    ],
)
def test_every_key_a_mapper_reads_is_in_its_table(module: str, title: str) -> None:
    documented = table(title)
    missing = sorted(
        key
        for key in read_keys(module)
        if f"`{key}" not in documented
        and f".{key}`" not in documented
        and f", .{key}" not in documented
    )
    assert not missing, f"{title}: {missing}"


def test_huawei_fields_are_all_in_its_table() -> None:
    documented = table("Huawei `RecognizePassport`")
    for key in (*huawei.FIELD_NAMES, "machine_code", "machine_code2", "local_language"):
        assert f"`{key}" in documented or f".{key}`" in documented, key


def test_legacy_labels_are_all_in_its_table() -> None:
    documented = table("Tencent legacy")
    for label in (*tencent_legacy.LABELS, *tencent_legacy.MRZ_LABELS):
        assert f"`{label}`" in documented, label


def test_textract_fields_are_all_in_its_table() -> None:
    documented = table("Amazon Textract")
    for name in (*textract.RECORD_FIELDS, "MIDDLE_NAME", "ID_TYPE"):
        assert f"`{name}`" in documented, name
