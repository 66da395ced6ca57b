"""Pure mappers from each vendor answer format to `PassportRecord`.

Each vendor module (`huawei`, `tencent`, `tencent_mlid`, `tencent_legacy`, and `local`
for the offline engine) has `to_draft(raw, *, request_id, today) -> Draft`; the checking
that makes a record out of a draft is shared (`passport_ocr.validation`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final, Protocol, cast

from passport_ocr.draft import Draft
from passport_ocr.errors import MappingError
from passport_ocr.policy import DocumentPolicy
from passport_ocr.record import Finding, PassportRecord
from passport_ocr.validation import DEFAULT_POLICY, build_record
from passport_ocr.vendors import MAPPERS, AnswerFormat

VendorFormat = AnswerFormat
#: Answer format -> the module that maps it (imported on first use), from the vendors.
MODULES: Final[Mapping[str, str]] = {str(fmt): module for fmt, module in MAPPERS.items()}


class _DraftMaker(Protocol):
    def __call__(
        self, raw: object, *, request_id: str | None = None, today: date | None = None
    ) -> Draft: ...


def draft_maker(fmt: VendorFormat | str) -> _DraftMaker:
    """The `to_draft` function for an answer format; MappingError for an unknown one."""
    module_name = MODULES.get(fmt)
    if module_name is None:
        known = ", ".join(MODULES)
        raise MappingError(str(fmt), "format", f"unknown answer format (known: {known})")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name != module_name:
            raise
        raise MappingError(
            str(fmt), "format", f"the mapper for this format is not installed ({module_name})"
        ) from None
    return cast(_DraftMaker, module.to_draft)


def to_draft(
    fmt: VendorFormat | str,
    raw: Mapping[str, Any] | object,
    *,
    today: date | None = None,
    request_id: str | None = None,
) -> Draft:
    return draft_maker(fmt)(raw, request_id=request_id, today=today)


def to_record(
    fmt: VendorFormat | str,
    raw: Mapping[str, Any] | object,
    *,
    today: date | None = None,
    request_id: str | None = None,
    extra_findings: Sequence[Finding] = (),
    policy: DocumentPolicy = DEFAULT_POLICY,
) -> PassportRecord:
    """Map one raw vendor answer to a checked record. Pure: no I/O, no clock but `today`.

    Raises `MappingError` (naming the vendor and the field) for anything that is not an
    answer of the documented shape, including vendor error bodies.
    """
    draft = to_draft(fmt, raw, today=today, request_id=request_id)
    return build_record(draft, today=today, extra_findings=extra_findings, policy=policy)


__all__: Final = ["MODULES", "Draft", "draft_maker", "to_draft", "to_record"]
