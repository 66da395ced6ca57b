"""The README documents every setting, exactly as the code defines it."""

from passport_ocr.config import settings_table
from tests import paths

README = paths.REPO / "README.md"


def test_readme_settings_table_matches_the_settings_model() -> None:
    assert settings_table() in README.read_text(encoding="utf-8"), (
        "README's settings table is stale: paste the output of `python -m passport_ocr.config`"
    )


def test_readme_error_policy_table_is_the_fault_table() -> None:
    from passport_ocr.faults import readme_table

    assert readme_table() in README.read_text(encoding="utf-8"), (
        "README's error policy table is stale: paste the output of `python -m passport_ocr.faults`"
    )
