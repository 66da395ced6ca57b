"""A handler's cold start loads the configured vendor's client and nothing of the others:
no other provider module, no mapper (each is imported at its first answer), no other
vendor's SDK. Measured in a fresh interpreter per case, as the platform starts one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
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


def loaded_at_init(
    cloud: str,
    vendor: str,
    *,
    after: str = LIST,
    extra_path: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> Any:
    """What `after` prints (as JSON) once the handler's init has run: by default, the
    names of the loaded modules, as a set. `extra_path` goes after the code's folders."""
    handler_dir = REPO / "functions" / cloud
    path = [str(handler_dir), str(REPO / "shared"), *extra_path]
    script = f"import json, sys; sys.path[:0] = {path!r}\n{BEGIN[cloud]}\n{after}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        **ENV,
        "PASSPORT_OCR_TOPIC": TOPICS[cloud],
        "PASSPORT_OCR_PROVIDER": vendor,
        **(extra_env or {}),
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


#: A pydantic plugin (an entry point in the `pydantic` group, pydantic 2.14.4
#: `pydantic/plugin/_loader.py:40`) whose module records that pydantic looked it up.
PLUGIN_PROBE = {
    "probe_plugin-1.0.dist-info/METADATA": (
        "Metadata-Version: 2.1\nName: probe-plugin\nVersion: 1.0\n"
    ),
    "probe_plugin-1.0.dist-info/entry_points.txt": "[pydantic]\nprobe = probe_plugin:plugin\n",
    "probe_plugin.py": (
        "import sys\n"
        "sys.modules['probe_plugin_loaded'] = sys\n"
        "class Probe:  # PydanticPluginProtocol: no handler for any validation\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = Probe()\n"
    ),
}
PROBE_LOADED = "import json, sys\nprint(json.dumps('probe_plugin_loaded' in sys.modules))"


@pytest.mark.parametrize(
    ("cloud", "vendor"),
    [("huaweicloud", "huawei"), ("tencentcloud", "tencent"), ("aws", "textract")],
)
def test_the_cold_start_skips_pydantic_plugin_discovery_unless_told_otherwise(
    cloud: str, vendor: str, tmp_path: Path
) -> None:
    for name, text in PLUGIN_PROBE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    site = (str(tmp_path),)

    assert loaded_at_init(cloud, vendor, after=PROBE_LOADED, extra_path=site) is False
    # The operator's own setting wins: an empty value lets pydantic load its plugins.
    told = {"PYDANTIC_DISABLE_PLUGINS": ""}
    assert loaded_at_init(cloud, vendor, after=PROBE_LOADED, extra_path=site, extra_env=told)
