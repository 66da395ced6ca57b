"""One descriptor per vendor and per cloud: every table that repeats them is derived from them.

The last tests here are the checklist of README "Adding a vendor or a cloud": they list the
files that may name a vendor or a cloud. A new vendor is its client, its mapper, its line in
`vendors.py` (and the two Literals the type checker needs), its stub and its tests; a new
cloud is its adapters (events, storage, topic, platform, handler) and its line in `clouds.py`.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from typing import get_args

import pytest

from passport_ocr import config, record
from passport_ocr.clouds import BY_SCHEME, CLOUDS, FUNCTION_CLOUDS, CloudName, FunctionCloud
from passport_ocr.events import EventPlatform
from passport_ocr.events.base import Cloud
from passport_ocr.mapping import MODULES
from passport_ocr.tools import event_samples, invocation
from passport_ocr.tools.backfill import handoff
from passport_ocr.tools.bundle import SPECS
from passport_ocr.tools.cli import normalize, process, recognize
from passport_ocr.vendors import (
    FORMAT_VENDOR,
    MAPPERS,
    VENDORS,
    AnswerFormat,
    VendorName,
    cloud_vendors,
)
from tests import paths

PACKAGE = paths.REPO / "shared" / "passport_ocr"


# -- the Literals the type checker needs equal the registries ----------------------------------


def test_the_literals_are_the_registry_keys() -> None:
    assert set(get_args(VendorName)) == set(VENDORS)
    assert set(get_args(config.ProviderName)) == set(VENDORS)
    record_vendor = record.Source.model_fields["vendor"].annotation
    assert set(get_args(record_vendor)) == set(VENDORS)
    assert set(get_args(AnswerFormat)) == set(MAPPERS)
    assert set(get_args(CloudName)) == set(CLOUDS) == set(get_args(Cloud))
    assert set(get_args(FunctionCloud)) == set(FUNCTION_CLOUDS) == set(get_args(EventPlatform))


# -- each descriptor points at code that exists and does what it says --------------------------


@pytest.mark.parametrize("name", sorted(VENDORS))
def test_each_vendor_names_a_client_with_the_provider_protocol(name: str) -> None:
    vendor = VENDORS[name]  # type: ignore[index]
    module_name, _, class_name = vendor.client.partition(":")
    client = getattr(importlib.import_module(module_name), class_name)
    for member in ("from_settings", "recognize", "can_fetch", "warm_up", "rate_limits"):
        assert hasattr(client, member), f"{vendor.client} lacks {member}"
    assert client.name == name
    assert vendor.limits.provider == name
    assert vendor.confidence_scale in (1.0, 100.0)
    assert vendor.home_cloud is None or vendor.home_cloud in CLOUDS


@pytest.mark.parametrize("fmt", sorted(MAPPERS))
def test_each_answer_format_has_a_mapper(fmt: str) -> None:
    mapper = importlib.import_module(MAPPERS[fmt])  # type: ignore[index]
    assert inspect.isfunction(mapper.to_draft)
    assert MODULES[fmt] == MAPPERS[fmt]  # type: ignore[index]


@pytest.mark.parametrize("name", sorted(CLOUDS))
def test_each_cloud_names_its_store_parser_and_handler(name: str) -> None:
    cloud = CLOUDS[name]  # type: ignore[index]
    assert cloud.default_vendor in VENDORS
    module_name, _, class_name = cloud.store.partition(":")
    store = getattr(importlib.import_module(module_name), class_name)
    assert store.cloud == name
    assert BY_SCHEME[cloud.storage_scheme] == name
    if cloud.handler is None:
        assert cloud.event_parser is None and name not in FUNCTION_CLOUDS
        return
    handler_file, entry = cloud.handler
    source = (paths.REPO / "functions" / handler_file).read_text(encoding="utf-8")
    assert f"def {entry}(" in source
    assert cloud.event_parser is not None
    assert callable(importlib.import_module(cloud.event_parser).parse)
    assert cloud.key_encoded is not None and cloud.python is not None


def test_every_extra_a_descriptor_names_exists() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extras = project["project"]["optional-dependencies"]
    for item in (*VENDORS.values(), *CLOUDS.values()):
        assert not item.extra or item.extra in extras, item.name


# -- the tables that used to repeat them are derived ------------------------------------------


def test_settings_defaults_and_choices_come_from_the_registries() -> None:
    assert {n: c.default_vendor for n, c in CLOUDS.items()} == config.DEFAULT_PROVIDER
    description = config.Settings.model_fields["provider"].description or ""
    assert all(name in description for name in VENDORS)


def test_command_line_choices_and_defaults_come_from_the_registries() -> None:
    assert set(recognize.PROVIDERS) == set(VENDORS)
    assert recognize.PROVIDERS[0] == "local"
    assert {n: v.default_workers for n, v in VENDORS.items()} == process.DEFAULT_WORKERS
    assert set(normalize.VENDORS) == {f for f, v in FORMAT_VENDOR.items() if v != "local"}
    assert set(cloud_vendors()) == set(VENDORS) - {"local"}


def test_tools_have_one_entry_per_function_cloud() -> None:
    assert set(SPECS) == set(FUNCTION_CLOUDS)
    assert set(invocation.HANDLERS) == set(FUNCTION_CLOUDS)
    assert set(invocation.CONTEXTS) == set(FUNCTION_CLOUDS)
    assert set(event_samples.SHAPES) == set(FUNCTION_CLOUDS)
    assert set(handoff.SENDERS) == set(FUNCTION_CLOUDS)
    for name, spec in SPECS.items():
        cloud = CLOUDS[name]  # type: ignore[index]
        assert cloud.handler is not None
        assert spec.python == cloud.python
        assert spec.handler_dir == f"functions/{Path(cloud.handler[0]).parent}"


# -- which files may name a vendor or a cloud ------------------------------------------------


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _sources() -> list[Path]:
    return sorted([*PACKAGE.rglob("*.py"), *(paths.REPO / "functions").rglob("*.py")])


def files_naming(name: str) -> set[str]:
    """The library's and the handlers' files with `name` as a string constant."""
    return {
        path.relative_to(paths.REPO).as_posix()
        for path in _sources()
        if name in _string_constants(path)
    }


def _module_file(dotted: str) -> str:
    return "shared/" + dotted.partition(":")[0].replace(".", "/") + ".py"


#: Files that hold every vendor: the registry and the record's Literal.
VENDOR_REGISTRY = {"shared/passport_ocr/vendors.py", "shared/passport_ocr/record.py"}


@pytest.mark.parametrize("name", sorted(set(VENDORS) - {"local"}))
def test_a_cloud_vendor_is_named_only_by_its_client_its_mappers_and_the_registries(
    name: str,
) -> None:
    vendor = VENDORS[name]  # type: ignore[index]
    own = {_module_file(vendor.client), *(_module_file(m) for m in vendor.mappers.values())}
    # Its home cloud's descriptor names it as that cloud's default, when it is.
    home = (
        {"shared/passport_ocr/clouds.py"}
        if name in {c.default_vendor for c in CLOUDS.values()}
        else set()
    )
    assert files_naming(name) <= VENDOR_REGISTRY | own | home


@pytest.mark.parametrize("name", sorted(FUNCTION_CLOUDS))
def test_a_cloud_is_named_only_by_its_adapters_and_the_registries(name: str) -> None:
    cloud = CLOUDS[name]
    assert cloud.event_parser is not None and cloud.handler is not None
    adapters = {
        _module_file(cloud.store),
        _module_file(cloud.event_parser),
        f"shared/passport_ocr/platforms/{name}.py",
        f"functions/{cloud.handler[0]}",
    }
    registries = {
        "shared/passport_ocr/clouds.py",
        "shared/passport_ocr/vendors.py",  # a vendor's home cloud
        "shared/passport_ocr/publishing/base.py",  # the topic's size limit, by name
    }
    # The tools that hold one entry per cloud (the test above checks they have all).
    tools = {
        "shared/passport_ocr/tools/bundle.py",
        "shared/passport_ocr/tools/event_samples.py",
        "shared/passport_ocr/tools/invocation.py",
        "shared/passport_ocr/tools/demo.py",
        "shared/passport_ocr/tools/backfill/handoff.py",
        # The `aws s3control create-job` command it prints: an S3 feature, for `aws` only.
        "shared/passport_ocr/tools/backfill/batch_operations.py",
    }
    # An adapter may have parts of its own: `events/aws_batch.py` beside `events/aws.py`.
    parts = {
        path
        for path in files_naming(name)
        if any(path.startswith(adapter.removesuffix(".py") + "_") for adapter in adapters)
    }
    assert files_naming(name) - parts <= adapters | registries | tools
