"""Tencent Cloud Secrets Manager (SSM) `GetSecretValue` on loopback, behind the TC3 check of
`tencent.py` (service `ssm`, version 2019-09-23, region required).

Request `{"SecretName", "VersionId"}`, answer `{"SecretName", "VersionId", "SecretString",
"SecretBinary"}` under `Response` (tencentcloud-sdk-python-ssm 3.1.194,
tencentcloud/ssm/v20190923/models.py:2480-2498 and 2563-2587). An unknown secret or version
is `ResourceNotFound.SecretNotExist` (errorcodes.py). Policy mode (`policy` set):
`name/ssm:GetSecretValue` on the secret (`ssm_requirements`) must be granted, or the answer
is Tencent's `AuthFailure.UnauthorizedOperation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.stubs.policy import Denials, Policy, Requirement
from tests.stubs.server import RecordedRequest, StubResponse
from tests.stubs.tencent import json_params, tencent_error, tencent_json, unauthorized, verify_tc3

SSM_VERSION = "2019-09-23"


def ssm_requirements(region: str, uin: str, creator: str, name: str) -> list[Requirement]:
    """One secret: `qcs::ssm:$region:uin/$uin:secret/creatorUin/$creatorUin/$secretName`
    (https://www.tencentcloud.com/document/product/1078/38612, GetSecretValue is resource-level)."""
    resource = f"qcs::ssm:{region}:uin/{uin}:secret/creatorUin/{creator}/{name}"
    return [("name/ssm:GetSecretValue", resource)]


@dataclass
class SsmStub:
    keys: dict[str, str]  # SecretId -> SecretKey
    #: SecretId -> the token its requests must carry (None: a permanent key, no token)
    tokens: dict[str, str | None] = field(default_factory=dict)
    #: (secret name, version id) -> the secret's text
    values: dict[tuple[str, str], str] = field(default_factory=dict)
    regions: frozenset[str] = frozenset({"ap-guangzhou", "ap-shanghai", "ap-beijing"})
    policy: Policy | None = None
    owner_uin: str = "100000000001"
    #: The account that created the secrets (a sub-account's uin, or the owner's).
    creator_uin: str = "100000000002"
    denials: Denials = field(default_factory=Denials)
    #: (secret name, version id) of every answered read, in order.
    reads: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, request: RecordedRequest) -> StubResponse:
        problem = verify_tc3(
            request,
            self.keys.get,
            "ssm",
            token_for_id=self.tokens.get,
            version=SSM_VERSION,
            actions={"GetSecretValue"},
            regions=self.regions,
            region_required=True,
        )
        if problem is not None:
            return tencent_error(problem)
        params = json_params(request)
        if isinstance(params, StubResponse):
            return params
        name, version = params.get("SecretName"), params.get("VersionId")
        if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
            return tencent_error("MissingParameter")
        region = request.header("X-TC-Region") or ""
        refused = self.denials.check(
            self.policy, ssm_requirements(region, self.owner_uin, self.creator_uin, name)
        )
        if refused is not None:
            return unauthorized(*refused)
        value = self.values.get((name, version))
        if value is None:
            return tencent_error("ResourceNotFound.SecretNotExist", "secret not found")
        self.reads.append((name, version))
        return tencent_json(
            {"SecretName": name, "VersionId": version, "SecretString": value, "SecretBinary": ""}
        )
