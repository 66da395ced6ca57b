"""The error policy as one table: each fault an upload can meet, and how the upload ends.

`recognized` (a record was published), `rejected` (a `rejected` event: the input can never
succeed) or `raised` (the platform retries, then keeps the upload at its failure destination
for replay: transient faults and the operator's mistakes). The README's table is generated
from this one (`python -m passport_ocr.faults`), and `tests/integration/test_fault_matrix.py`
injects every fault on every platform in every payload mode and checks the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Outcome = Literal["recognized", "rejected", "raised"]
Where = Literal["-", "OCR", "storage read", "storage write", "topic"]
PayloadMode = Literal["full", "masked", "reference"]
ALL_MODES: Final[frozenset[PayloadMode]] = frozenset({"full", "masked", "reference"})


@dataclass(frozen=True)
class Fault:
    name: str
    where: Where
    outcome: Outcome
    why: str
    #: The payload modes in which the fault is met at all; in the others it is not, and the
    #: upload is recognized (only `reference` writes the record to the results bucket).
    modes: frozenset[PayloadMode] = ALL_MODES

    def expected(self, mode: PayloadMode) -> Outcome:
        return self.outcome if mode in self.modes else "recognized"


FAULTS: Final[tuple[Fault, ...]] = (
    Fault("none", "-", "recognized", "a readable passport page"),
    Fault("throttled", "OCR", "raised", "retried in the call, then by the platform"),
    Fault("server error (5xx)", "OCR", "raised", "the vendor's side; transient"),
    Fault("timeout", "OCR", "raised", "no answer within the OCR timeout"),
    Fault("connection dropped", "OCR", "raised", "closed without an answer"),
    Fault("200, not JSON", "OCR", "raised", "a gateway page, not an answer: transient"),
    Fault(
        "JSON of the wrong shape",
        "OCR",
        "rejected",
        "`mapping.malformed`: an answer without the documented fields",
    ),
    Fault("image unusable", "OCR", "rejected", "the vendor's verdict on this image"),
    Fault("no passport", "OCR", "rejected", "the vendor found no passport"),
    Fault("credentials refused", "OCR", "raised", "the operator's: the upload is kept"),
    Fault("service not subscribed", "OCR", "raised", "the operator's: the upload is kept"),
    Fault("quota or arrears", "OCR", "raised", "the operator's: the upload is kept"),
    Fault(
        "deployment misconfigured",
        "OCR",
        "raised",
        "wrong region, endpoint, project or app id: the operator's",
    ),
    Fault("upload gone (404)", "storage read", "rejected", "deleted before it was read"),
    Fault("read denied (403)", "storage read", "raised", "the role's permissions: the operator's"),
    Fault("store unavailable (5xx)", "storage read", "raised", "transient"),
    Fault(
        "results write refused (4xx)",
        "storage write",
        "raised",
        "no results bucket, key too long: the operator's; the record is not lost",
        modes=frozenset({"reference"}),
    ),
    Fault(
        "results write denied (403)",
        "storage write",
        "raised",
        "the role's permissions: the operator's",
        modes=frozenset({"reference"}),
    ),
    Fault("topic down", "topic", "raised", "nothing is published; the retry publishes"),
)
BY_NAME: Final = {fault.name: fault for fault in FAULTS}


def readme_table() -> str:
    """The README's table of the error policy, generated from `FAULTS`."""
    rows = ["| fault | where | outcome | why |", "|---|---|---|---|"]
    for fault in FAULTS:
        outcome = f"`{fault.outcome}`"
        if fault.modes != ALL_MODES:
            modes = ", ".join(sorted(fault.modes))
            outcome += f" ({modes} payloads; otherwise not met)"
        rows.append(f"| {fault.name} | {fault.where} | {outcome} | {fault.why} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m passport_ocr.faults: print the README table
    print(readme_table())  # noqa: T201
