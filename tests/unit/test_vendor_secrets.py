"""SecretCredentials and RefreshOnAuthFailure: read once, cached, re-read once per refusal."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from passport_ocr.config import Settings
from passport_ocr.credentials import Credentials
from passport_ocr.errors import ConfigError, ProviderCategory, ProviderError, SecretError
from passport_ocr.images import ImageLimits
from passport_ocr.platforms.aws_secrets import parse_arn
from passport_ocr.providers.base import ImageInput, VendorAnswer
from passport_ocr.providers.factory import build_provider
from passport_ocr.vendor_secrets import (
    RefreshOnAuthFailure,
    SecretCredentials,
    parse_key_pair,
)
from passport_ocr.vendors import VENDORS

FIELDS = ("secret_id", "secret_key")
KEY = "a-very-secret-key-value"


@dataclass
class FakeSource:
    values: list[str]
    kind: str = "test secret"
    reads: int = 0

    def read(self) -> str:
        self.reads += 1
        return self.values[min(self.reads, len(self.values)) - 1]


def pair(secret_id: str, secret_key: str = KEY) -> str:
    return json.dumps({"secret_id": secret_id, "secret_key": secret_key})


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_secret_is_read_once_and_cached() -> None:
    source = FakeSource([pair("AKID1")])
    keys = SecretCredentials(source, FIELDS)
    assert keys() == keys() == Credentials("AKID1", KEY)
    assert source.reads == keys.reads == 1


def test_concurrent_first_calls_read_once() -> None:
    source = FakeSource([pair("AKID1")])
    keys = SecretCredentials(source, FIELDS)
    threads = [threading.Thread(target=keys) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert source.reads == 1


def test_refresh_reads_again_and_says_whether_the_key_changed() -> None:
    clock = Clock()
    source = FakeSource([pair("AKID1"), pair("AKID2")])
    keys = SecretCredentials(source, FIELDS, clock=clock)
    used = keys()
    assert keys.refresh(used) is True
    assert keys().access_key == "AKID2"
    # A thread still holding the old key: already replaced, no read.
    assert keys.refresh(used) is True
    assert source.reads == 2


def test_an_unchanged_key_is_not_read_again_within_the_cool_down() -> None:
    clock = Clock()
    source = FakeSource([pair("AKID1")])
    keys = SecretCredentials(source, FIELDS, unchanged_cooldown=30, clock=clock)
    used = keys()
    assert keys.refresh(used) is False
    assert keys.refresh(used) is False
    assert source.reads == 2
    clock.now += 31
    assert keys.refresh(used) is False
    assert source.reads == 3


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps([KEY]),
        json.dumps({"SecretId": "AKID", "SecretKey": KEY}),
        json.dumps({"secret_id": "AKID", "secret_key": ""}),
        json.dumps({"secret_id": "AKID", "secret_key": 12}),
    ],
)
def test_a_value_that_is_not_the_pair_names_the_fields_never_the_value(text: str) -> None:
    with pytest.raises(SecretError) as raised:
        parse_key_pair(text, FIELDS, "test secret")
    assert raised.value.code == "secret.malformed"
    assert '{"secret_id": ..., "secret_key": ...}' in str(raised.value)
    assert KEY not in str(raised.value)


def test_reprs_show_no_value() -> None:
    keys = SecretCredentials(FakeSource([pair("AKID1")]), FIELDS)
    assert KEY not in repr(keys) + repr(keys())


@dataclass
class FakeProvider:
    """Refuses every key but `good`."""

    keys: SecretCredentials
    good: str
    name: str = "tencent"
    limits: ImageLimits = VENDORS["tencent"].limits
    accepts_url: bool = True
    calls: list[str] = field(default_factory=list)
    rate_limits: dict[str, float] = field(default_factory=dict)

    def can_fetch(self, ref: Any) -> bool:
        return False

    def warm_up(self) -> None:
        pass

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        used = self.keys().access_key
        self.calls.append(used)
        if used != self.good:
            raise ProviderError(
                "refused",
                vendor="tencent",
                category=ProviderCategory.CREDENTIALS,
                retryable=False,
                vendor_code="AuthFailure.SecretIdNotFound",
            )
        return VendorAnswer("tencent-mlid", {"Response": {}})


IMAGE = ImageInput(url="https://example.invalid/x.jpg")


def test_a_refused_key_is_replaced_by_the_rotated_one_and_sent_again_once() -> None:
    keys = SecretCredentials(FakeSource([pair("AKID1"), pair("AKID2")]), FIELDS)
    inner = FakeProvider(keys, good="AKID2")
    provider = RefreshOnAuthFailure(inner, keys)
    assert provider.recognize(IMAGE).format == "tencent-mlid"
    assert inner.calls == ["AKID1", "AKID2"]


def test_a_key_refused_twice_is_raised_not_looped() -> None:
    keys = SecretCredentials(FakeSource([pair("AKID1"), pair("AKID2")]), FIELDS)
    inner = FakeProvider(keys, good="never")
    with pytest.raises(ProviderError):
        RefreshOnAuthFailure(inner, keys).recognize(IMAGE)
    assert inner.calls == ["AKID1", "AKID2"]
    assert keys.reads == 2


def test_other_vendor_errors_do_not_read_the_secret() -> None:
    keys = SecretCredentials(FakeSource([pair("AKID1")]), FIELDS)

    class Throttled(FakeProvider):
        def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
            raise ProviderError(
                "slow", vendor="tencent", category=ProviderCategory.THROTTLED, retryable=True
            )

    with pytest.raises(ProviderError):
        RefreshOnAuthFailure(Throttled(keys, good="AKID1"), keys).recognize(IMAGE)
    assert keys.reads == 1


def test_the_wrapper_reads_through_to_the_vendors_client() -> None:
    keys = SecretCredentials(FakeSource([pair("AKID1")]), FIELDS)
    provider = RefreshOnAuthFailure(FakeProvider(keys, good="AKID1"), keys)
    assert provider.name == "tencent" and provider.good == "AKID1"


# -- the factory ---------------------------------------------------------------------------------


def opener(values: list[str]) -> Any:
    return lambda reference: FakeSource(values)


def test_another_clouds_vendor_gets_its_key_from_the_secret() -> None:
    settings = Settings(provider="tencent", vendor_secret="arn:...")
    provider = build_provider(settings, "aws", secrets=opener([pair("AKID1")]))
    assert isinstance(provider, RefreshOnAuthFailure)
    assert provider.keys() == Credentials("AKID1", KEY)


def test_without_a_secret_the_environment_stays_the_fallback() -> None:
    provider = build_provider(Settings(provider="tencent"), "aws", secrets=opener([]), environ={})
    assert not isinstance(provider, RefreshOnAuthFailure)


def test_the_platforms_own_vendor_keeps_the_role_credentials(
    caplog: pytest.LogCaptureFixture,
) -> None:
    role = Credentials("AKIDrole", "role-key", "token")
    settings = Settings(provider="tencent", vendor_secret="name")
    provider = build_provider(
        settings, "tencentcloud", credentials=lambda: role, secrets=opener([pair("X")])
    )
    assert not isinstance(provider, RefreshOnAuthFailure)
    assert "PASSPORT_OCR_VENDOR_SECRET ignored" in caplog.text


def test_the_legacy_api_on_its_own_cloud_takes_the_long_lived_key_from_the_secret() -> None:
    role = Credentials("AKIDrole", "role-key", "token")
    settings = Settings(provider="tencent-legacy", vendor_secret="name", tencent_legacy_app_id="1")
    provider = build_provider(
        settings, "tencentcloud", credentials=lambda: role, secrets=opener([pair("AKIDlong")])
    )
    assert isinstance(provider, RefreshOnAuthFailure)
    assert provider.keys().access_key == "AKIDlong"


def test_a_secret_for_a_vendor_without_key_fields_or_a_platform_without_a_store() -> None:
    with pytest.raises(ConfigError, match="takes no key pair"):
        build_provider(
            Settings(provider="textract", vendor_secret="x"), "huaweicloud", secrets=opener([])
        )
    with pytest.raises(ConfigError, match="reads no secret store"):
        build_provider(Settings(provider="tencent", vendor_secret="x"), "local")


@pytest.mark.parametrize(
    ("arn", "service"),
    [
        (
            "arn:aws:secretsmanager:eu-central-1:123456789012:secret:ocr/tencent-AbCdEf",
            "secretsmanager",
        ),
        ("arn:aws:ssm:eu-central-1:123456789012:parameter/ocr/tencent", "ssm"),
        ("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/key", "ssm"),
    ],
)
def test_the_arn_chooses_the_store(arn: str, service: str) -> None:
    assert parse_arn(arn).service == service


@pytest.mark.parametrize(
    "arn",
    [
        "ocr/tencent",
        "arn:aws:secretsmanager:eu-central-1:123456789012:parameter/x",
        "arn:aws:ssm:eu-central-1:123456789012:secret:x",
        "arn:aws:s3:::bucket",
    ],
)
def test_anything_else_is_a_config_error(arn: str) -> None:
    with pytest.raises(ConfigError, match="PASSPORT_OCR_VENDOR_SECRET"):
        parse_arn(arn)
