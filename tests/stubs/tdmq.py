"""TDMQ for CMQ `PublishCmqMsg` on loopback, behind the TC3 check of `tencent.py`.

Checks the signature (service `tdmq`), action, version, region and security token with
`verify_tc3`, then the topic and the topic's `max_msg_size`. Errors come as Tencent sends
them: HTTP 200 with `Response.Error` (the codes for an unknown topic and an oversize
message are this stub's, not TDMQ's). Policy mode (`policy` set): `name/tdmq:PublishCmqMsg`
on `qcs::tdmq:<region>:uin/<owner_uin>:cmqtopic/<topic>` must be granted, or the answer is
Tencent's `AuthFailure.UnauthorizedOperation` (platforms.md 7, common error codes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.stubs.policy import Denials, Policy, tdmq_requirements
from tests.stubs.server import RecordedRequest, StubResponse
from tests.stubs.tencent import json_params, tencent_error, tencent_json, unauthorized, verify_tc3

TDMQ_VERSION = "2020-02-17"


@dataclass
class TdmqStub:
    secrets: dict[str, str]  # SecretId -> SecretKey
    #: topic name -> its max_msg_size in bytes
    topics: dict[str, int]
    #: SecretId -> the token its requests must carry (None: a permanent key, no token)
    tokens: dict[str, str | None] = field(default_factory=dict)
    regions: frozenset[str] = frozenset({"ap-guangzhou", "ap-shanghai", "ap-beijing"})
    published: list[dict[str, Any]] = field(default_factory=list)
    policy: Policy | None = None
    owner_uin: str = "100000000001"
    denials: Denials = field(default_factory=Denials)

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one early return per rule)
        problem = verify_tc3(
            request,
            self.secrets.get,
            "tdmq",
            token_for_id=self.tokens.get,
            version=TDMQ_VERSION,
            actions={"PublishCmqMsg"},
            regions=self.regions,
            region_required=True,
        )
        if problem is not None:
            return tencent_error(problem)
        params = json_params(request)
        if isinstance(params, StubResponse):
            return params
        topic = params.get("TopicName")
        content = params.get("MsgContent")
        tags = params.get("MsgTag", [])
        if not isinstance(topic, str) or not isinstance(content, str):
            return tencent_error("MissingParameter")
        if topic not in self.topics:
            return tencent_error("ResourceNotFound.Stub", "topic not found")
        region = request.header("X-TC-Region") or ""
        refused = self.denials.check(self.policy, tdmq_requirements(region, self.owner_uin, topic))
        if refused is not None:
            return unauthorized(*refused)
        if len(content.encode()) > self.topics[topic]:
            return tencent_error("InvalidParameterValue.Stub", "message exceeds max_msg_size")
        if not isinstance(tags, list) or any(not isinstance(t, str) or len(t) > 64 for t in tags):
            return tencent_error("InvalidParameterValue", "MsgTag: strings of up to 64 chars")
        self.published.append(params)
        return tencent_json({"Result": True, "MsgId": str(uuid.uuid4())})
