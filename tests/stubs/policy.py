"""Policy mode for the vendor stubs: "is action X on resource Y allowed" by the policy the
Terraform declares for the function's identity.

- `Policy`: statements (effect, actions, resources) and the vendor's evaluation rule: an
  explicit deny wins, otherwise some allow must match; `*` in an action or resource matches any
  run of characters; a statement without a resource applies to every resource.
- `huawei_agency_policy` / `tencent_role_policy`: read `infra/huaweicloud` / `infra/tencentcloud`
  with python-hcl2 (through `tests/infra/infra_hcl.py`), evaluate the few expressions the IAM
  files use (`var.*`, `local.*`, resource attributes, `jsonencode(...)`) for given variable
  values, and merge every policy attached to the function's agency / execution role.
- `*_requirements`: what each stub needs granted for one request (an action and the resource
  in the vendor's own syntax).

Vendor rules, and where they are written down:

- Huawei IAM policy syntax (`Version` 1.1, `Effect`/`Action`/`Resource`; Deny beats Allow;
  `obs:*:*` wildcards): https://support.huaweicloud.com/en-us/devg-obs/obs_06_0053.html and
  https://docs.otc.t-systems.com/object-storage-service/umn/ (obs_03_0121, custom policies).
- OBS resources `obs:*:*:bucket:<bucket>` and `obs:*:*:object:<bucket>/<key>`:
  https://support.huaweicloud.com/intl/en-us/usermanual-obs/obs_03_0154.html
- OBS object actions: `obs:object:GetObject` reads an object's content and metadata,
  `obs:object:GetObjectVersion` those of a specific version, `obs:object:PutObject` uploads:
  https://docs.otc.t-systems.com/object-storage-service/api-ref/iam_policies_and_supported_actions/object_actions.html
- Uploading or downloading an object under SSE-KMS also needs KMS actions. Huawei's own OBS
  documents name four (`OBS_SSE_KMS_ACTIONS` below: what this stub requires); Open Telekom
  Cloud's OBS guide obs_03_0421 lists six as its "minimum required set", adding
  `kms:cmk:generate` and `kms:cmk:crypto`, which Huawei's do not name.
- SMN publish is `smn:topic:publish` on `smn:<region>:<project>:topic:<name>` (the form the
  project's iam.tf uses; SMN's action table: support.huaweicloud.com usermanual-permissions
  iam_11_0093). Huawei OCR: the OCR action list names only (un)subscription actions, and says
  calls have no resource-level scope (https://docs.otc.t-systems.com/optical-character-recognition/api-ref/permissions_policies_and_supported_actions.html);
  this stub names the passport call `ocr:passport:recognize` [inferred], so that only a grant
  on the OCR service (`ocr:*:*`, as iam.tf gives) or that exact action allows it.
- Tencent CAM policy syntax (`version` 2.0, lower-case `effect`/`action`/`resource`,
  actions `name/<service>:<Api>`, case-sensitive) and COS resources
  `qcs::cos:<region>:uid/<appid>:<bucket-appid>/<key>`:
  https://www.tencentcloud.com/document/product/436/30580 . A versioned read is still
  `name/cos:GetObject` (the version is a condition key, `cos:versionid`, on that action):
  https://intl.cloud.tencent.com/document/product/436/46206 ; HEAD is `name/cos:HeadObject`
  (CAM's COS action table, https://tencentcloud.com/document/product/598/57092).
- TDMQ for CMQ topics: `qcs::tdmq:<region>:uin/<uin>:cmqtopic/<TopicName>`
  (https://cloud.tencent.com/document/product/598/98179). Tencent OCR is operation-level
  (`resource: *`): `name/ocr:MLIDPassportOCR`, `name/ocr:PassportOCR`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tests.infra.infra_hcl import Module, load_module

INFRA = Path(__file__).resolve().parents[2] / "infra"

#: The KMS actions reading and writing objects under SSE-KMS need: Huawei's OBS Product
#: Introduction, "Permissions Required for OBS Console Operations", Table 6-3 (issue 26,
#: 2024-02-28) names kms:cmk:get, kms:cmk:list, kms:dek:create and kms:dek:crypto (and
#: kms:cmk:create, for creating keys in the console). Open Telekom Cloud's OBS guide
#: (obs_03_0421) also lists kms:cmk:generate and kms:cmk:crypto: not required here, as the
#: vendor's own document does not.
OBS_SSE_KMS_ACTIONS = (
    "kms:dek:crypto",
    "kms:dek:create",
    "kms:cmk:get",
    "kms:cmk:list",
)
HUAWEI_OCR_PASSPORT_ACTION = "ocr:passport:recognize"

Requirement = tuple[str, str]  # (action, resource)


# -- evaluation ---------------------------------------------------------------------------------


@cache
def _pattern(text: str, ignore_case: bool) -> re.Pattern[str]:
    body = ".*".join(re.escape(part) for part in text.split("*"))
    return re.compile(body, re.IGNORECASE if ignore_case else 0)


def _huawei_resource_key(resource: str) -> str:
    """Huawei writes the service and type segments in either case (`OBS:*:*:object:...`, docs
    obs_06_0053); the object name after them is case-sensitive."""
    head, sep, rest = resource.partition(":object:")
    if not sep:
        head, sep, rest = resource.rpartition(":")
    return head.lower() + sep.lower() + rest


@dataclass(frozen=True)
class Statement:
    effect: str  # "allow" or "deny"
    actions: tuple[str, ...]
    resources: tuple[str, ...] | None  # None: every resource

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Statement:
        lower = {k.lower(): v for k, v in raw.items()}
        actions = lower.get("action", [])
        resources = lower.get("resource")
        return cls(
            effect=str(lower.get("effect", "")).lower(),
            actions=tuple([actions] if isinstance(actions, str) else actions),
            resources=None
            if resources is None
            else tuple([resources] if isinstance(resources, str) else resources),
        )


@dataclass(frozen=True)
class Policy:
    """The statements granted to one identity; `vendor` picks the matching rules."""

    vendor: str  # "huawei" or "tencent"
    statements: tuple[Statement, ...]

    def _matches(self, statement: Statement, action: str, resource: str) -> bool:
        huawei = self.vendor == "huawei"
        if not any(_pattern(a, huawei).fullmatch(action) for a in statement.actions):
            return False
        if statement.resources is None:
            return True
        if huawei:
            wanted = _huawei_resource_key(resource)
            return any(
                _pattern(_huawei_resource_key(r), False).fullmatch(wanted)
                for r in statement.resources
            )
        return any(_pattern(r, False).fullmatch(resource) for r in statement.resources)

    def allows(self, action: str, resource: str) -> bool:
        matching = [s for s in self.statements if self._matches(s, action, resource)]
        if any(s.effect == "deny" for s in matching):
            return False
        return any(s.effect == "allow" for s in matching)

    def missing(self, requirements: Iterable[Requirement]) -> Requirement | None:
        """The first requirement this policy does not allow, or None."""
        for action, resource in requirements:
            if not self.allows(action, resource):
                return action, resource
        return None

    def actions(self) -> set[str]:
        return {a for s in self.statements if s.effect == "allow" for a in s.actions}

    def without(self, action: str) -> Policy:
        """This policy with one action removed from every statement (for tests that prove a
        missing permission is noticed)."""
        statements = tuple(
            Statement(s.effect, tuple(a for a in s.actions if a != action), s.resources)
            for s in self.statements
        )
        if statements == self.statements:
            raise ValueError(f"{action} is granted by no statement")
        return Policy(self.vendor, statements)


@dataclass
class Denials:
    """What a stub refused, for assertions: (action, resource) in order."""

    items: list[Requirement] = field(default_factory=list)

    def check(
        self, policy: Policy | None, requirements: Iterable[Requirement]
    ) -> Requirement | None:
        if policy is None:
            return None
        missing = policy.missing(requirements)
        if missing is not None:
            self.items.append(missing)
        return missing


# -- what each request needs --------------------------------------------------------------------


def obs_requirements(
    method: str, bucket: str, key: str, query: Mapping[str, str], *, kms_key: str | None
) -> list[Requirement]:
    """OBS: GET/HEAD of an object -> GetObject, or GetObjectVersion with `versionId`; PUT ->
    PutObject; GET of the bucket -> ListBucket. Reads and writes of object data in an SSE-KMS
    bucket (`kms_key` set) also need the KMS actions."""
    if not key:
        return [("obs:bucket:ListBucket", f"obs:*:*:bucket:{bucket}")]
    resource = f"obs:*:*:object:{bucket}/{key}"
    if method == "PUT":
        needed = [("obs:object:PutObject", resource)]
    elif method == "DELETE":
        return [("obs:object:DeleteObject", resource)]
    elif query.get("versionId"):
        needed = [("obs:object:GetObjectVersion", resource)]
    else:
        needed = [("obs:object:GetObject", resource)]
    if kms_key is not None and method in ("GET", "PUT"):
        needed += [(action, kms_key) for action in OBS_SSE_KMS_ACTIONS]
    return needed


def cos_requirements(
    method: str, region: str, appid: str, bucket: str, key: str, *, sse_kms: bool = False
) -> list[Requirement]:
    """COS (CAM): GET -> GetObject (versioned or not), HEAD -> HeadObject, PUT -> PutObject,
    GET of the bucket -> GetBucket. With SSE-KMS, KMS's data-key actions as well."""
    base = f"qcs::cos:{region}:uid/{appid}:{bucket}"
    if not key:
        return [("name/cos:GetBucket", f"{base}/*")]
    api = {"PUT": "PutObject", "HEAD": "HeadObject", "DELETE": "DeleteObject"}.get(
        method, "GetObject"
    )
    needed = [(f"name/cos:{api}", f"{base}/{key}")]
    if sse_kms and method in ("GET", "PUT"):
        kms = "name/kms:GenerateDataKey" if method == "PUT" else "name/kms:Decrypt"
        needed.append((kms, f"qcs::kms:{region}:uin/*:key/*"))
    return needed


def smn_requirements(region: str, project: str, topic: str) -> list[Requirement]:
    return [("smn:topic:publish", f"smn:{region}:{project}:topic:{topic}")]


def huawei_ocr_requirements(region: str, project: str) -> list[Requirement]:
    return [(HUAWEI_OCR_PASSPORT_ACTION, f"ocr:{region}:{project}:passport:*")]


def tdmq_requirements(region: str, uin: str, topic: str) -> list[Requirement]:
    return [("name/tdmq:PublishCmqMsg", f"qcs::tdmq:{region}:uin/{uin}:cmqtopic/{topic}")]


def tencent_ocr_requirements(action: str, region: str, uin: str) -> list[Requirement]:
    return [(f"name/ocr:{action}", f"qcs::ocr:{region}:uin/{uin}:*")]


# -- reading the policies out of Terraform ------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_JSONENCODE = re.compile(r"^jsonencode\((?P<inner>.+)\)$", re.DOTALL)
_META = {"__is_block__", "__comments__", "__inline_comments__"}


@dataclass
class Evaluator:
    """Evaluates the expressions of one module's IAM files for given variable values.

    `known` supplies what Terraform only learns at apply time (data sources, computed ids),
    keyed by the reference text, e.g. `data.tencentcloud_user_info.current.app_id`."""

    module: Module
    variables: Mapping[str, Any] = field(default_factory=dict)
    known: Mapping[str, Any] = field(default_factory=dict)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            whole = _INTERPOLATION.fullmatch(value)
            if whole:
                return self.expression(whole[1])
            return _INTERPOLATION.sub(lambda m: str(self.expression(m[1])), value)
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items() if k not in _META}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def expression(self, text: str) -> Any:  # noqa: PLR0911 (one return per expression kind)
        text = text.strip()
        if text in self.known:
            return self.known[text]
        encoded = _JSONENCODE.match(text)
        if encoded:
            return self.expression(encoded["inner"])  # kept as a structure, not JSON text
        if text == "[]":
            return []
        if text.startswith('"') and text.endswith('"'):
            return text[1:-1]
        concat = _CONCAT.match(text)
        if concat:
            return [
                item for part in _split_top(concat["args"], ",") for item in self.expression(part)
            ]
        if "?" in text:  # `condition ? a : b`, the condition an equality of two values
            condition, _, branches = text.partition("?")
            when_true, when_false = _split_top(branches, ":")
            left, equals, right = condition.partition("==")
            if not equals:
                raise ValueError(f"condition not supported by the policy reader: {condition}")
            chosen = self.expression(left) == self.expression(right)
            return self.expression(when_true if chosen else when_false)
        parts = text.split(".")
        if parts[0] == "var" and len(parts) == 2:
            if parts[1] in self.variables:
                return self.variables[parts[1]]
            return self.value(self.module.variables[parts[1]]["default"])
        if parts[0] == "local" and len(parts) == 2:
            return self.value(self.module.locals[parts[1]])
        if len(parts) == 3 and (parts[0], parts[1]) in self.module.resources:
            body = self.module.resources[(parts[0], parts[1])]
            if parts[2] not in body:
                raise KeyError(f"{text}: computed at apply time; pass it in `known`")
            return self.value(body[parts[2]])
        raise ValueError(f"expression not supported by the policy reader: {text}")


_CONCAT = re.compile(r"^concat\((?P<args>.*)\)$", re.DOTALL)


def _split_top(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside brackets, parentheses and strings."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and char == separator:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


def _reference(expression: Any) -> tuple[str, str]:
    """`${type.name.attr}` -> (type, name)."""
    match = re.fullmatch(r"\$\{(\w+)\.(\w+)\.\w+\}", str(expression))
    if match is None:
        raise ValueError(f"not a resource reference: {expression}")
    return match[1], match[2]


def huawei_agency_policy(
    variables: Mapping[str, Any], directory: Path = INFRA / "huaweicloud"
) -> tuple[Policy, set[str]]:
    """The merged policy of every role the function's agency holds (domain and project
    roles), and the SSE-KMS buckets (names) of the module."""
    module = load_module(directory)
    evaluate = Evaluator(module, variables)
    (function,) = module.of_type("huaweicloud_fgs_function").values()
    agencies = {
        evaluate.value(body["name"]): body
        for body in module.of_type("huaweicloud_identity_agency").values()
    }
    agency = agencies[evaluate.value(function["agency"])]
    if evaluate.value(agency["delegated_service_name"]) != "op_svc_cff":
        raise ValueError("the function's agency does not delegate to FunctionGraph")
    role_names = list(evaluate.value(agency.get("domain_roles", [])))
    for block in agency.get("project_role", []):
        role_names += evaluate.value(block["roles"])
    roles = {
        evaluate.value(body["name"]): body
        for body in module.of_type("huaweicloud_identity_role").values()
    }
    statements: list[Statement] = []
    for name in role_names:
        document = evaluate.value(roles[name]["policy"])
        if isinstance(document, str):
            document = json.loads(document)
        statements += [Statement.parse(s) for s in document["Statement"]]
    kms_buckets = {
        evaluate.value(body["bucket"])
        for body in module.of_type("huaweicloud_obs_bucket").values()
        if body.get("encryption") and str(evaluate.value(body.get("sse_algorithm", ""))) == "kms"
    }
    return Policy("huawei", tuple(statements)), kms_buckets


def tencent_role_policy(
    variables: Mapping[str, Any],
    known: Mapping[str, Any],
    directory: Path = INFRA / "tencentcloud",
) -> tuple[Policy, set[str]]:
    """The merged policy of every CAM policy attached to the role the SCF function runs as,
    and the SSE-KMS buckets of the module."""
    module = load_module(directory)
    evaluate = Evaluator(module, variables, known)
    (function,) = module.of_type("tencentcloud_scf_function").values()
    role_name = evaluate.value(function["role"])
    (role_key,) = [
        name
        for name, body in module.of_type("tencentcloud_cam_role").items()
        if evaluate.value(body["name"]) == role_name
    ]
    assume = evaluate.value(module.resources[("tencentcloud_cam_role", role_key)]["document"])
    services = [s.get("principal", {}).get("service", []) for s in assume["statement"]]
    if not any("scf.qcloud.com" in s for s in services):
        raise ValueError("the function's role cannot be assumed by SCF")
    statements: list[Statement] = []
    for attachment in module.of_type("tencentcloud_cam_role_policy_attachment").values():
        if _reference(attachment["role_id"]) != ("tencentcloud_cam_role", role_key):
            continue
        document = evaluate.value(module.resources[_reference(attachment["policy_id"])]["document"])
        statements += [Statement.parse(s) for s in document["statement"]]
    kms_buckets = {
        evaluate.value(body["bucket"])
        for body in module.of_type("tencentcloud_cos_bucket").values()
        if str(evaluate.value(body.get("encryption_algorithm", ""))).upper() == "KMS"
    }
    return Policy("tencent", tuple(statements)), kms_buckets
