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
from passport_ocr.vendors import FORMAT_VENDOR, MAPPERS, AnswerFormat

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
    """The draft of one answer; MappingError when the answer states none of the fields its
    format documents (another vendor's answer, an API change): never an empty record that
    would pass for a read passport."""
    draft = draft_maker(fmt)(raw, request_id=request_id, today=today)
    if information(draft) == 0:
        raise MappingError(
            FORMAT_VENDOR.get(fmt, str(fmt)),  # type: ignore[arg-type]
            "$",
            f"none of the fields the {fmt} format documents: another vendor's answer?",
        )
    return draft


def information(draft: Draft) -> int:
    """How much an answer said: MRZ lines, and fields stated by the page or the MRZ parse."""
    local = draft.local.model_dump(exclude_none=True) if draft.local is not None else {}
    local.pop("language", None)
    return (
        len(draft.mrz_lines)
        + len(draft.printed.present())
        + len(draft.vendor_mrz.present())
        + len(local)
    )


def detect_format(raw: Mapping[str, Any] | object) -> str:
    """The answer format whose mapper reads the most out of `raw`; MappingError when none
    reads anything or two read as much (then the format must be named)."""
    said: dict[str, int] = {}
    for fmt in MODULES:
        try:
            said[fmt] = information(draft_maker(fmt)(raw))
        except MappingError:
            continue
    best = max(said.values(), default=0)
    leaders = sorted(fmt for fmt, amount in said.items() if amount == best)
    if best == 0:
        raise MappingError("auto", "$", f"not an answer of any known format ({', '.join(MODULES)})")
    if len(leaders) > 1:
        raise MappingError("auto", "$", f"reads as {' and '.join(leaders)} alike: name the format")
    return leaders[0]


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


__all__: Final = [
    "MODULES",
    "Draft",
    "detect_format",
    "draft_maker",
    "information",
    "to_draft",
    "to_record",
]
