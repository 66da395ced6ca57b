"""A handler's cold start loads the configured vendor's client and nothing of the others:
no other provider module, no mapper (each is imported at its first answer), no other
vendor's SDK. Measured in a fresh interpreter per case, as the platform starts one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from passport_ocr.clouds import CLOUDS
from passport_ocr.vendors import VENDORS
from tests.paths import REPO

#: Settings and credentials to assemble the clients; nothing is called.
ENV = {
    "PASSPORT_OCR_HUAWEI_PROJECT_ID": "0123456789abcdef0123456789abcdef",
    "HUAWEICLOUD_SDK_AK": "ak",
    "HUAWEICLOUD_SDK_SK": "sk",
    "TENCENTCLOUD_SECRETID": "AKIDtest",
    "TENCENTCLOUD_SECRETKEY": "sk",
    "PASSPORT_OCR_TENCENT_LEGACY_APP_ID": "1250000000",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "POWERTOOLS_METRICS_NAMESPACE": "test",
}
TOPICS = {
    "huaweicloud": "urn:smn:cn-north-4:0123456789abcdef0123456789abcdef:passport-results",
    "tencentcloud": "passport-results",
    "aws": "arn:aws:sns:us-east-1:123456789012:passport-results",
}
BEGIN = {
    "huaweicloud": "import index; index.runtime.begin(None)",
    "tencentcloud": "import index; index.runtime.begin({'tencentcloud_region': 'ap-guangzhou'})",
    "aws": "import app; app.runtime.runtime.begin(None)",
}
#: Each vendor's SDK, by its top-level module.
SDK_ROOTS = {
    "huawei": ("huaweicloudsdkocr",),
    "tencent": ("tencentcloud.ocr",),
    "tencent-legacy": (),  # plain HTTPS with requests
    "textract": (),  # boto3, which Lambda has anyway
}
CASES = [
    ("huaweicloud", "huawei"),
    ("tencentcloud", "tencent"),
    ("tencentcloud", "tencent-legacy"),
    ("aws", "textract"),
    ("aws", "tencent"),
]

LIST = """
import json, sys
print(json.dumps(sorted(sys.modules)))
"""


def loaded_at_init(cloud: str, vendor: str, *, after: str = LIST) -> Any:
    """What `after` prints (as JSON) once the handler's init has run: by default, the
    names of the loaded modules, as a set."""
    handler_dir = REPO / "functions" / cloud
    script = (
        f"import json, sys; sys.path[:0] = [{str(handler_dir)!r}, {str(REPO / 'shared')!r}]\n"
        f"{BEGIN[cloud]}\n{after}"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        **ENV,
        "PASSPORT_OCR_TOPIC": TOPICS[cloud],
        "PASSPORT_OCR_PROVIDER": vendor,
    }
    done = subprocess.run(
        [sys.executable, "-I", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=handler_dir,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    printed = json.loads(done.stdout.strip().splitlines()[-1])
    return set(printed) if after is LIST else printed


def test_every_cloud_and_vendor_is_a_case() -> None:
    assert {cloud for cloud, _ in CASES} == {name for name, c in CLOUDS.items() if c.handler}
    assert {vendor for _, vendor in CASES} == set(SDK_ROOTS)


@pytest.mark.parametrize(("cloud", "vendor"), CASES)
def test_only_the_configured_vendor_is_loaded_at_init(cloud: str, vendor: str) -> None:
    modules = loaded_at_init(cloud, vendor)
    own_client = VENDORS[vendor].client.partition(":")[0]  # type: ignore[index]
    providers = {m for m in modules if m.startswith("passport_ocr.providers.")}
    generic = {f"passport_ocr.providers.{name}" for name in ("base", "common", "factory")}
    assert providers == generic | {own_client}
    mappers = {m for m in modules if m.startswith("passport_ocr.mapping.")}
    assert mappers == set(), "mappers load at the first answer"
    for other, roots in SDK_ROOTS.items():
        if other == vendor:
            continue
        for root in roots:
            if root.startswith("tencentcloud") and vendor.startswith("tencent"):
                continue
            assert not any(m == root or m.startswith(root + ".") for m in modules), (other, root)
