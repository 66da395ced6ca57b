"""Counts printed by the command line agree with their number."""

from __future__ import annotations

import pytest

from passport_ocr.tools.words import counted


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 files"), (1, "1 file"), (2, "2 files"), (1500, "1,500 files")],
)
def test_one_is_singular_and_every_other_count_plural(count: int, expected: str) -> None:
    assert counted(count, "file") == expected


def test_an_irregular_plural_is_given() -> None:
    assert counted(1, "batch", "batches") == "1 batch"
    assert counted(3, "batch", "batches") == "3 batches"
