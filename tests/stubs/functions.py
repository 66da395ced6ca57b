"""Stubs of the two function-invocation APIs that backfill hands objects to.

- FunctionGraph `POST /v2/{project_id}/fgs/functions/{function_urn}/invocations-async`
  (huaweicloudsdkfunctiongraph 3.1.219, v2/functiongraph_client.py `async_invoke_function`),
  behind APIG's SDK-HMAC-SHA256 check, answered 202 with a `request_id`.
- SCF `Invoke`, version 2018-04-16 (tencentcloud-sdk-python-scf 3.1.100,
  scf/v20180416/models.py `InvokeRequest`), behind TC3-HMAC-SHA256.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from tests.stubs.huawei import apig_refusal
from tests.stubs.server import RecordedRequest, StubResponse
from tests.stubs.tencent import json_params, tencent_error, tencent_json, verify_tc3

Handler = Callable[[RecordedRequest], StubResponse]


def functiongraph_async_invoke(
    project: str, urn: str, access_key: str, secret_key: str, token: str | None = None
) -> Handler:
    """FunctionGraph's asynchronous invoke of `urn`: signature (and token) checked first."""
    tokens = {access_key: token} if token is not None else {}

    def handle(request: RecordedRequest) -> StubResponse:
        _, refusal = apig_refusal(request, {access_key: secret_key}, tokens)
        if refusal is not None:
            return refusal
        expected = f"/v2/{project}/fgs/functions/{urn}/invocations-async"
        if request.method != "POST" or unquote(request.path) != expected:
            return StubResponse.json(404, '{"error_code": "FSS.0404", "error_msg": "not found"}')
        return StubResponse.json(202, '{"request_id": "4a8f"}')

    return handle


def scf_invoke(secret_id: str, secret_key: str, token: str | None = None) -> Handler:
    """SCF `Invoke`: TC3 signature (and session token) checked, then a request id."""
    token_for_id = {secret_id: token}.get if token is not None else None

    def handle(request: RecordedRequest) -> StubResponse:
        problem = verify_tc3(request, {secret_id: secret_key}.get, "scf", version="2018-04-16",
                             token_for_id=token_for_id, actions={"Invoke"},
                             region_required=True)  # fmt: skip
        if problem is not None:
            return tencent_error(problem)
        params = json_params(request)
        if isinstance(params, StubResponse):
            return params
        return tencent_json({"Result": {"FunctionRequestId": "r-1", "InvokeResult": 0}})

    return handle
