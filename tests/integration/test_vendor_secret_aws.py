"""Issue 12 section 3 on Lambda: Tencent OCR's key pair from Secrets Manager or SSM.

The Lambda (`functions/aws/app.py`, imported as Lambda does) calls the Tencent OCR stub,
which checks every TC3 signature; its key pair is only in the secret (moto's server, reached
through `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL_SSM`), and the environment's
Tencent variables hold a key the stub does not know, so a page read proves where the key
came from. Rotating the secret and the old key together makes the stub refuse the cached
key (`AuthFailure.SecretIdNotFound`): the function reads the secret again and succeeds.
"""

from __future__ import annotations

import json
import logging
import uuid
from types import ModuleType
from typing import Any

import pytest

from passport_ocr.platforms.common import InvocationFailedError
from passport_ocr.vendor_secrets import RefreshOnAuthFailure, SecretCredentials
from tests.conftest import TENCENT_ID, TENCENT_KEY, AwsStack
from tests.handler_helpers import LambdaContext, import_handler
from tests.integration.test_handler_aws import direct_s3_event

pytestmark = pytest.mark.usefixtures("restore_logging")

#: What the environment offers as a fallback: unknown to the stub, so never the one used.
ENV_ID, ENV_KEY = "AKIDenvironmentFallback", "environment-fallback-key"
ROTATED_ID, ROTATED_KEY = "AKIDrotated0002", "rotated-tencent-secret-key"
#: moto's default account.
ACCOUNT = "123456789012"


def tencent_pair(secret_id: str, secret_key: str) -> str:
    """The documented value: the vendor's field names (`Vendor.secret_fields`)."""
    return json.dumps({"secret_id": secret_id, "secret_key": secret_key})


def lambda_with_secret(
    stack: AwsStack, monkeypatch: pytest.MonkeyPatch, arn: str, **extra: str
) -> ModuleType:
    env = stack.env(
        idempotency=False,
        TENCENTCLOUD_SECRET_ID=ENV_ID,
        TENCENTCLOUD_SECRET_KEY=ENV_KEY,
        AWS_ENDPOINT_URL_SECRETS_MANAGER=stack.moto.url,
        AWS_ENDPOINT_URL_SSM=stack.moto.url,
        PASSPORT_OCR_VENDOR_SECRET=arn,
        PASSPORT_OCR_OCR_MAX_ATTEMPTS="1",
        **extra,
    )
    return import_handler("aws", env, monkeypatch)


def invoke(stack: AwsStack, module: ModuleType) -> dict[str, Any]:
    key = f"uploads/{uuid.uuid4().hex}.jpg"
    etag = stack.put(key)["ETag"].strip('"')
    answer: dict[str, Any] = module.lambda_handler(
        direct_s3_event(stack, key, etag), LambdaContext()
    )
    return answer


def secret_keys(module: ModuleType) -> SecretCredentials:
    provider = module.runtime.runtime._pipeline.provider
    assert isinstance(provider, RefreshOnAuthFailure)
    return provider.keys


def rotate_vendor_key(stack: AwsStack) -> None:
    """The vendor now knows only the new key (the old one was deleted after rotation)."""
    stack.ocr.keys.clear()
    stack.ocr.keys[ROTATED_ID] = ROTATED_KEY


def test_secrets_manager_key_read_once_then_again_after_rotation(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    secrets = stack.moto.client("secretsmanager")
    arn = secrets.create_secret(
        Name=f"passport-ocr/tencent-{uuid.uuid4().hex[:8]}",
        SecretString=tencent_pair(TENCENT_ID, TENCENT_KEY),
    )["ARN"]
    module = lambda_with_secret(stack, monkeypatch, arn)

    assert invoke(stack, module)["recognized"] == 1
    assert invoke(stack, module)["recognized"] == 1
    keys = secret_keys(module)
    assert keys.reads == 1  # once per container, not per upload
    assert len(stack.ocr_server.requests) == 2

    secrets.put_secret_value(SecretId=arn, SecretString=tencent_pair(ROTATED_ID, ROTATED_KEY))
    rotate_vendor_key(stack)
    assert invoke(stack, module)["recognized"] == 1
    assert keys.reads == 2
    # The cached key refused once, the rotated one accepted.
    assert len(stack.ocr_server.requests) == 4
    assert [call[0] for call in stack.ocr.calls] == ["MLIDPassportOCR"] * 3
    assert invoke(stack, module)["recognized"] == 1
    assert keys.reads == 2


def test_ssm_securestring_parameter_key_and_its_rotation(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    ssm = stack.moto.client("ssm")
    name = f"/passport-ocr/tencent-{uuid.uuid4().hex[:8]}"
    ssm.put_parameter(Name=name, Type="SecureString", Value=tencent_pair(TENCENT_ID, TENCENT_KEY))
    arn = f"arn:aws:ssm:{stack.moto.region}:{ACCOUNT}:parameter{name}"
    module = lambda_with_secret(stack, monkeypatch, arn)

    assert invoke(stack, module)["recognized"] == 1
    ssm.put_parameter(
        Name=name,
        Type="SecureString",
        Value=tencent_pair(ROTATED_ID, ROTATED_KEY),
        Overwrite=True,
    )
    rotate_vendor_key(stack)
    assert invoke(stack, module)["recognized"] == 1
    assert secret_keys(module).reads == 2


def test_a_refused_key_that_the_secret_still_holds_is_read_again_once_not_in_a_loop(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    secrets = stack.moto.client("secretsmanager")
    arn = secrets.create_secret(
        Name=f"passport-ocr/stale-{uuid.uuid4().hex[:8]}",
        SecretString=tencent_pair("AKIDnotKnownToTencent", "stale-key"),
    )["ARN"]
    module = lambda_with_secret(stack, monkeypatch, arn)

    with pytest.raises(InvocationFailedError, match=r"provider\.credentials"):
        invoke(stack, module)
    keys = secret_keys(module)
    assert keys.reads == 2  # the first read, and one more after the refusal
    assert len(stack.ocr_server.requests) == 1  # the same key is not sent again
    with pytest.raises(InvocationFailedError):
        invoke(stack, module)
    assert keys.reads == 2  # read again only after the cool-down
    assert len(stack.ocr_server.requests) == 2


def test_a_secret_the_role_cannot_have_fails_the_upload_for_the_operator(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = aws_stack
    missing = f"arn:aws:secretsmanager:{stack.moto.region}:{ACCOUNT}:secret:absent-AbCdEf"
    module = lambda_with_secret(stack, monkeypatch, missing)
    with pytest.raises(InvocationFailedError, match=r"secret\.not_found"):
        invoke(stack, module)
    assert stack.ocr_server.requests == []
    assert stack.moto.drain(stack.events_queue_url, at_least=0) == []  # nothing rejected


def test_a_secret_that_is_not_a_key_pair_never_shows_its_value(
    aws_stack: AwsStack, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    stack = aws_stack
    secrets = stack.moto.client("secretsmanager")
    value = json.dumps({"SecretId": TENCENT_ID, "SecretKey": TENCENT_KEY})  # not the names
    name = f"passport-ocr/{uuid.uuid4().hex[:8]}"
    arn = secrets.create_secret(Name=name, SecretString=value)["ARN"]
    module = lambda_with_secret(stack, monkeypatch, arn, LOG_LEVEL="DEBUG")
    logging.getLogger("botocore").setLevel(logging.DEBUG)  # it logs response bodies
    capfd.readouterr()
    with pytest.raises(InvocationFailedError, match=r"secret\.malformed") as failed:
        invoke(stack, module)
    out, err = capfd.readouterr()
    assert "secret.malformed" in out
    keys = secret_keys(module)
    for text in (out, err, str(failed.value), repr(keys)):
        assert TENCENT_KEY not in text
