"""Huawei CSMS (DEW) `ShowSecretVersion` on loopback, behind the APIG AK/SK check of `huawei.py`.

Route: GET /v1/{project_id}/secrets/{secret_name}/versions/{version_id}, `latest` naming the
newest version; answer `{"version": {"version_metadata": {...}, "secret_string": ...}}`
(huaweicloudsdkcsms 3.1.219, v1/csms_client.py:2312-2315 and v1/model/version.py:17-27).
A bad signature or token gets APIG's own 401; an unknown project, secret or version a 404
(the error codes for those are this stub's, not CSMS's). Policy mode (`policy` set):
`csms:secretVersion:get` on `csms:<region>:<project>:secret:<name>` must be granted, or the
answer is a 403 in IAM's words (the resource form is this stub's; see infra/huaweicloud).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import unquote

from tests.stubs.huawei import apig_error, apig_refusal
from tests.stubs.policy import Denials, Policy, Requirement
from tests.stubs.server import RecordedRequest, StubResponse

CSMS_GET_VERSION = "csms:secretVersion:get"
_SHOW = re.compile(r"^/v1/(?P<project>[^/]+)/secrets/(?P<name>[^/]+)/versions/(?P<version>[^/]+)$")


def csms_requirements(region: str, project: str, name: str) -> list[Requirement]:
    return [(CSMS_GET_VERSION, f"csms:{region}:{project}:secret:{name}")]


@dataclass
class CsmsStub:
    secrets: dict[str, str]  # AK -> SK
    project_id: str
    #: secret name -> the values of its versions v1, v2, ... (oldest first)
    values: dict[str, list[str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    region: str = "cn-north-4"
    policy: Policy | None = None
    denials: Denials = field(default_factory=Denials)
    #: (secret name, version id asked for) of every answered read, in order.
    reads: list[tuple[str, str]] = field(default_factory=list)

    def rotate(self, name: str, value: str) -> None:
        """A new version (CreateSecretVersion): it becomes `latest`."""
        self.values.setdefault(name, []).append(value)

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one per rule)
        _, refused_by_gateway = apig_refusal(request, self.secrets, self.tokens)
        if refused_by_gateway is not None:
            return refused_by_gateway
        match = _SHOW.match(request.path)
        if request.method != "GET" or match is None:
            return apig_error(404, "APIG.0101", "The API does not exist or has not been published")
        name, version = unquote(match["name"]), unquote(match["version"])
        if match["project"] != self.project_id:
            return apig_error(404, "CSMS.STUB.ProjectNotFound", "project not found")
        refused = self.denials.check(
            self.policy, csms_requirements(self.region, self.project_id, name)
        )
        if refused is not None:
            return apig_error(
                403, "CSMS.STUB.Forbidden", f"Policy doesn't allow {refused[0]} to be performed."
            )
        versions = self.values.get(name)
        if not versions:
            return apig_error(404, "CSMS.STUB.SecretNotFound", "secret not found")
        if version == "latest":
            number = len(versions)
        elif re.fullmatch(r"v\d+", version) and 1 <= int(version[1:]) <= len(versions):
            number = int(version[1:])
        else:
            return apig_error(404, "CSMS.STUB.VersionNotFound", "secret version not found")
        self.reads.append((name, version))
        metadata = {
            "id": f"v{number}",
            "create_time": int(time.time()),
            "kms_key_id": str(uuid.uuid4()),
            "secret_name": name,
            "version_stages": ["SYSCURRENT"] if number == len(versions) else [],
        }
        body = {"version": {"version_metadata": metadata, "secret_string": versions[number - 1]}}
        return StubResponse.json(200, json.dumps(body), **{"X-Request-Id": uuid.uuid4().hex})
