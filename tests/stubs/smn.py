"""Huawei SMN `publish_message` on loopback, behind the APIG AK/SK check of `huawei.py`.

Route: POST /v2/{project_id}/notifications/topics/{topic_urn}/publish, body
`{subject, message, message_attributes, ...}`; answer `{request_id, message_id}`.
A bad signature gets APIG's own 401; an unknown project or topic a 404; a message over
the 256 KB limit a 400 (the error codes for those two are this stub's, not SMN's).
Policy mode (`policy` set): `smn:topic:publish` on `smn:<region>:<project>:topic:<name>` must
be granted, or the answer is a 403 in IAM's words ("Policy doesn't allow ... to be performed.";
the error code is this stub's).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tests.stubs.huawei import apig_error, apig_refusal
from tests.stubs.policy import Denials, Policy, smn_requirements
from tests.stubs.server import RecordedRequest, StubResponse

SMN_MESSAGE_LIMIT = 256 * 1024
_PUBLISH = re.compile(r"^/v2/(?P<project>[^/]+)/notifications/topics/(?P<urn>[^/]+)/publish$")


@dataclass
class SmnStub:
    secrets: dict[str, str]  # AK -> SK
    project_id: str
    topics: set[str]
    #: AK -> the security token its requests must carry (temporary credentials).
    tokens: dict[str, str] = field(default_factory=dict)
    published: list[dict[str, Any]] = field(default_factory=list)
    policy: Policy | None = None
    denials: Denials = field(default_factory=Denials)

    def __call__(self, request: RecordedRequest) -> StubResponse:  # noqa: PLR0911 (one early return per rule)
        _, refused_by_gateway = apig_refusal(request, self.secrets, self.tokens)
        if refused_by_gateway is not None:
            return refused_by_gateway
        match = _PUBLISH.match(request.path)
        if request.method != "POST" or match is None:
            return apig_error(404, "APIG.0101", "The API does not exist or has not been published")
        urn = unquote(match["urn"])
        if match["project"] != self.project_id or urn not in self.topics:
            return apig_error(404, "SMN.STUB.TopicNotFound", "topic not found")
        _service, region, project, topic = urn.split(":", 4)[1:]
        refused = self.denials.check(self.policy, smn_requirements(region, project, topic))
        if refused is not None:
            return apig_error(
                403, "SMN.STUB.Forbidden", f"Policy doesn't allow {refused[0]} to be performed."
            )
        try:
            body = json.loads(request.body)
        except ValueError:
            return apig_error(400, "SMN.STUB.BadBody", "body is not JSON")
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str) or not message:
            return apig_error(400, "SMN.STUB.BadBody", "message is required")
        if len(message.encode()) > SMN_MESSAGE_LIMIT:
            return apig_error(400, "SMN.STUB.TooLarge", "message exceeds 256 KB")
        self.published.append({"topic_urn": urn, **body})
        answer = {"request_id": uuid.uuid4().hex, "message_id": uuid.uuid4().hex}
        return StubResponse.json(200, json.dumps(answer))
