"""A handler's cold start loads what every upload needs, not what only a rare path does:
S3 Batch Operations' job reader, the kept answers' DynamoDB table (idempotency only) and
boto3 on Lambda; and no product module compiles a regex for a rare path at import (Tencent's CJK
class took 2 ms of SCF's init on Python 3.10). Measured in a fresh interpreter per case."""

from __future__ import annotations

import pytest

from passport_ocr.platforms.aws import _may_be_batch_job
from passport_ocr.providers.tencent import has_cjk
from tests.integration.test_vendor_loaded_only_when_configured import loaded_at_init

#: Modules only a path that is off by default needs, by cloud.
RARE = {
    # boto3 and s3transfer too: the product builds its clients with botocore
    # (`passport_ocr.aws_clients`); only Powertools' idempotency layer imports boto3.
    "aws": (
        "passport_ocr.events.aws_batch",
        "passport_ocr.platforms.aws_answers",
        "boto3",
        "s3transfer",
    ),
}

#: Printed after the init: the patterns product modules hold at module level.
PATTERNS = """
import re, sys
held = sorted(
    value.pattern if isinstance(value.pattern, str) else value.pattern.decode('latin-1')
    for name, module in list(sys.modules.items()) if name.startswith('passport_ocr')
    for value in vars(module).values() if isinstance(value, re.Pattern)
)
print(json.dumps(held))
"""


@pytest.mark.parametrize(("cloud", "modules"), sorted(RARE.items()))
def test_rare_paths_are_not_loaded_at_init(cloud: str, modules: tuple[str, ...]) -> None:
    loaded = loaded_at_init(cloud, "textract")
    assert {"passport_ocr.platforms.aws", "passport_ocr.events"} <= loaded  # the init ran
    assert not loaded & set(modules)


def test_an_s3_batch_operations_job_still_loads_its_reader() -> None:
    assert _may_be_batch_job({"invocationSchemaVersion": "2.0", "tasks": []})
    assert not _may_be_batch_job({"Records": []})
    assert not _may_be_batch_job("not an event")


def test_no_cjk_regex_is_compiled_at_the_scf_init() -> None:
    patterns = loaded_at_init("tencentcloud", "tencent", after=PATTERNS)
    assert patterns, "the product's module-level patterns were listed"
    assert not [p for p in patterns if "\u3400" in p or "\\u3400" in p]


def test_has_cjk_is_the_range_the_regex_was() -> None:
    assert has_cjk("李小龙") and has_cjk("A\u3400") and has_cjk("\u9fff")
    assert not has_cjk("LI XIAOLONG") and not has_cjk("\u33ff\ua000") and not has_cjk("")
