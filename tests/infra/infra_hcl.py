"""Offline checks of a Terraform module, on what python-hcl2 parses (no provider download).

- `load_module`: every `.tf` file of a directory, merged into one `Module`.
- `unresolved_references`: `var.x`, `local.x`, `data.t.n` and `<provider>_type.name` uses that
  name nothing declared in the module.
- `missing_arguments`: resources lacking an argument their provider requires.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

PROVIDER_PREFIXES = ("aws_", "huaweicloud_", "tencentcloud_")

_OPTIONS = hcl2.SerializationOptions(
    strip_string_quotes=True, with_comments=False, explicit_blocks=True
)
_META_KEYS = {"__is_block__", "__comments__", "__inline_comments__"}

_REFERENCE = re.compile(
    r"(?<![\w.])(?:"
    r"(?P<kind>var|local)\.(?P<name>\w+)"
    r"|data\.(?P<data_type>\w+)\.(?P<data_name>\w+)"
    r"|(?P<res_type>(?:" + "|".join(PROVIDER_PREFIXES) + r")\w+)\.(?P<res_name>[A-Za-z_]\w*)"
    r")"
)


@dataclass
class Module:
    """The declarations of one Terraform module (one directory)."""

    resources: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    data: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    other: dict[str, list[Any]] = field(default_factory=dict)

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The resources of one type, by name."""
        return {
            name: body for (kind, name), body in self.resources.items() if kind == resource_type
        }


def parse_tf(text: str) -> dict[str, Any]:
    """Parse HCL text; string literals come back without their quotes."""
    parsed: dict[str, Any] = hcl2.loads(text, serialization_options=_OPTIONS)
    return parsed


def load_module(directory: Path) -> Module:
    """Merge every `.tf` file of `directory` (raises on a file python-hcl2 cannot parse)."""
    files = sorted(directory.glob("*.tf"))
    if not files:
        raise FileNotFoundError(f"no .tf files in {directory}")
    module = Module()
    for path in files:
        add_to_module(module, parse_tf(path.read_text(encoding="utf-8")))
    return module


def add_to_module(module: Module, parsed: Mapping[str, Any]) -> None:
    for kind, blocks in parsed.items():
        for block in blocks:
            if kind == "resource":
                module.resources.update(_typed(block))
            elif kind == "data":
                module.data.update(_typed(block))
            elif kind == "variable":
                module.variables.update(_named(block))
            elif kind == "output":
                module.outputs.update(_named(block))
            elif kind == "locals":
                module.locals.update({k: v for k, v in block.items() if k not in _META_KEYS})
            else:
                module.other.setdefault(kind, []).append(block)


def _typed(block: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (type_name, name): body
        for type_name, by_name in block.items()
        if type_name not in _META_KEYS
        for name, body in by_name.items()
        if name not in _META_KEYS
    }


def _named(block: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in block.items() if name not in _META_KEYS}


def strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed value, keys excluded."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in _META_KEYS:
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def interpolations(text: str) -> Iterator[str]:
    """The expressions inside `${...}` of a string (nested braces included)."""
    start = text.find("${")
    while start != -1:
        depth, index = 0, start + 1
        while index < len(text):
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        yield text[start + 2 : index]
        start = text.find("${", index)


def references(value: Any) -> set[str]:
    """Every reference to a declaration, as `var.x`, `local.x`, `data.t.n` or `type.name`."""
    found: set[str] = set()
    for text in strings(value):
        for expression in interpolations(text):
            for match in _REFERENCE.finditer(expression):
                if match["kind"]:
                    found.add(f"{match['kind']}.{match['name']}")
                elif match["data_type"]:
                    found.add(f"data.{match['data_type']}.{match['data_name']}")
                else:
                    found.add(f"{match['res_type']}.{match['res_name']}")
    return found


def declared(module: Module) -> set[str]:
    names = {f"var.{name}" for name in module.variables}
    names |= {f"local.{name}" for name in module.locals}
    names |= {f"data.{kind}.{name}" for kind, name in module.data}
    names |= {f"{kind}.{name}" for kind, name in module.resources}
    return names


def unresolved_references(module: Module) -> set[str]:
    everything = [
        module.resources,
        module.data,
        module.variables,
        module.locals,
        module.outputs,
        module.other,
    ]
    used: set[str] = set()
    for part in everything:
        used |= references(list(part.values()))
    return used - declared(module)


def arguments(body: Mapping[str, Any]) -> set[str]:
    """Argument and block names set in a resource body, dynamic blocks included."""
    names = {key for key in body if key not in _META_KEYS and key != "dynamic"}
    for dynamic in body.get("dynamic", []):
        names |= {key for key in dynamic if key not in _META_KEYS}
    return names


def missing_arguments(
    module: Module, required: Mapping[str, frozenset[str]]
) -> dict[str, set[str]]:
    """`type.name` -> required arguments it lacks; a type absent from `required` is reported
    as `{"<no entry in the required-arguments table>"}` so that the table grows with the code."""
    missing: dict[str, set[str]] = {}
    for (kind, name), body in module.resources.items():
        if kind not in required:
            missing[f"{kind}.{name}"] = {"<no entry in the required-arguments table>"}
            continue
        lacking = set(required[kind]) - arguments(body)
        if lacking:
            missing[f"{kind}.{name}"] = lacking
    return missing


def blocks(body: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    """The nested blocks called `name` in a body (static ones)."""
    value = body.get(name, [])
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


_META_ARGUMENTS = {"count", "for_each", "depends_on", "lifecycle", "provider"}
_ATTRIBUTE = re.compile(
    r"(?<![\w.])((?:data\.)?(?:" + "|".join(PROVIDER_PREFIXES) + r")\w+)\.[A-Za-z_]\w*\.(\w+)"
)


def argument_paths(body: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Every argument and block set in a body as a dotted path (`rule.expiration.days`),
    the contents of dynamic blocks included, Terraform's meta-arguments left out."""
    found: set[str] = set()
    for key, value in body.items():
        if key in _META_KEYS or key in _META_ARGUMENTS:
            continue
        if key == "dynamic":
            for dynamic in value:
                for name, spec in dynamic.items():
                    if name in _META_KEYS:
                        continue
                    found.add(prefix + name)
                    for content in spec.get("content", []):
                        found |= argument_paths(content, f"{prefix}{name}.")
            continue
        found.add(prefix + key)
        if (
            isinstance(value, list)
            and value
            and all(isinstance(item, dict) and item.get("__is_block__") for item in value)
        ):
            for item in value:
                found |= argument_paths(item, f"{prefix}{key}.")
    return found


def attributes_read(module: Module) -> dict[str, set[str]]:
    """`type` (or `data.type`) -> attributes the module reads from it (`x.name.attr`)."""
    found: dict[str, set[str]] = {}
    everything = [module.resources, module.data, module.locals, module.outputs]
    for text in strings([list(part.values()) for part in everything]):
        for expression in interpolations(text):
            for kind, attribute in _ATTRIBUTE.findall(expression):
                found.setdefault(kind, set()).add(attribute)
    return found
