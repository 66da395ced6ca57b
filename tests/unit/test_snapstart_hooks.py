"""SnapStart restore hooks of the Lambda handler (`platforms/aws.py`: `after_restore`,
`register_snapstart_hooks`), with the handler module imported as Lambda imports it.

Lambda's runtime hooks module, `snapshot_restore_py`, ships in the Python managed runtimes
only. Where a test needs it, a stand-in with the same registry behaviour is put in
`sys.modules` (a double of the runtime, not of the code under test): `register_after_restore`
appends `(func, args, kwargs)` and returns `func`, and the runtime calls each entry in order
after a restore (provider_facts.SNAP_START "hooks_module" and "hooks_runner").
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from passport_ocr.platforms import aws
from tests.handler_helpers import import_handler
from tests.infra.provider_facts import SNAP_START

pytestmark = pytest.mark.usefixtures("restore_logging")

HOOKS_MODULE = SNAP_START["hooks_module"][0]
ENV = {
    "PASSPORT_OCR_TOPIC": "arn:aws:sns:eu-central-1:123456789012:passport-results",
    "PASSPORT_OCR_PROVIDER": "textract",
    "PASSPORT_OCR_IDEMPOTENCY_TABLE": "passport-ocr-idempotency",
    "AWS_DEFAULT_REGION": "eu-central-1",
    "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # AWS docs' example
    "POWERTOOLS_METRICS_NAMESPACE": "PassportOcrTest",
}

Registered = list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]]


def hooks_runtime(monkeypatch: pytest.MonkeyPatch) -> Registered:
    """Install the stand-in `snapshot_restore_py`; return its after-restore registry."""
    registry: Registered = []
    module = ModuleType(HOOKS_MODULE)

    def register_after_restore(
        func: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Callable[..., Any]:
        registry.append((func, args, kwargs))
        return func

    module.register_after_restore = register_after_restore  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, HOOKS_MODULE, module)
    return registry


def restore(registry: Registered) -> None:
    """What the runtime does after restoring a snapshot: each hook, in registration order."""
    for func, args, kwargs in registry:
        func(*args, **kwargs)


def test_the_handler_registers_its_restore_hook_at_init(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = hooks_runtime(monkeypatch)
    module = import_handler("aws", ENV, monkeypatch)
    assert registry == [(aws.after_restore, (module.runtime,), {})]


def test_without_the_hooks_module_registration_does_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, HOOKS_MODULE, None)  # `import` raises ImportError
    module = import_handler("aws", ENV, monkeypatch)  # the handler still imports
    assert aws.register_snapstart_hooks(module.runtime) is False


def test_a_restore_rebuilds_the_pipeline_and_the_idempotency_layer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = hooks_runtime(monkeypatch)
    module = import_handler("aws", ENV, monkeypatch)
    lambda_runtime: aws.LambdaRuntime = module.runtime
    first = lambda_runtime.runtime.begin(None)
    assert lambda_runtime.runtime.begin(None) is first  # cached for the container's life
    idempotency = lambda_runtime.idempotency
    assert idempotency is not None

    restore(registry)

    rebuilt = lambda_runtime.runtime.begin(None)
    assert rebuilt is not first
    assert rebuilt.store is not first.store and rebuilt.topic is not first.topic
    assert rebuilt.answers is not None and rebuilt.answers is not first.answers
    # A new persistence layer (its DynamoDB client is built with it) and config.
    assert lambda_runtime.idempotency is not None
    assert lambda_runtime.idempotency is not idempotency
    assert lambda_runtime.idempotency.config is not idempotency.config
    assert lambda_runtime.runtime.begin(None) is rebuilt  # and cached again


def test_each_restored_environment_draws_its_own_random_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = hooks_runtime(monkeypatch)
    import_handler("aws", ENV, monkeypatch)
    snapshot = random.getstate()  # what every environment restored from one snapshot holds
    try:
        draws = []
        for _ in range(2):
            random.setstate(snapshot)
            restore(registry)
            draws.append([random.getrandbits(64) for _ in range(4)])
        random.setstate(snapshot)
        unrestored = [random.getrandbits(64) for _ in range(4)]
    finally:
        random.seed()
    assert draws[0] != draws[1]
    assert unrestored not in draws


def test_a_restore_drops_the_sessions_that_hold_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import boto3

    from passport_ocr import aws_clients

    registry = hooks_runtime(monkeypatch)
    import_handler("aws", ENV, monkeypatch)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", boto3.session.Session())
    aws_clients.aws_client("sns", region_name="us-east-1")
    before = aws_clients._session
    restore(registry)
    assert boto3.DEFAULT_SESSION is None
    aws_clients.aws_client("sns", region_name="us-east-1")
    assert before is not None and aws_clients._session is not before
