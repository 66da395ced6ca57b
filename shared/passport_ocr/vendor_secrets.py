"""Another cloud's OCR keys from the function's own cloud's secret store.

A Lambda calling Tencent OCR, or a FunctionGraph function calling Tencent, holds a
long-lived key pair of the other cloud. It is kept in a secret (`PASSPORT_OCR_VENDOR_SECRET`),
not in the function's environment: read once per container, cached, and read again when
the vendor refuses the key (the secret may have been rotated since). Plain environment
variables stay the fallback when no secret is set.

The secret's value is a JSON object with the vendor's two key names (`Vendor.secret_fields`
in `vendors.py`), e.g. `{"secret_id": "AKID...", "secret_key": "..."}` for Tencent and
`{"ak": "...", "sk": "..."}` for Huawei; other fields are ignored.

Each cloud's store is an adapter beside its platform module (`platforms/<cloud>_secrets.py`)
that answers the secret's current text; this module knows no cloud. Nothing here logs or
shows a value: `repr()` names the secret's kind only, errors name the fields expected.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from passport_ocr.credentials import Credentials
from passport_ocr.errors import ProviderCategory, ProviderError, SecretError
from passport_ocr.events.base import ObjectRef
from passport_ocr.providers.base import ImageInput, OcrProvider, VendorAnswer

log = logging.getLogger(__name__)

#: After a re-read found the same key, further auth failures within this many seconds do
#: not read the store again (a wrong key refused for a burst of uploads costs one read).
DEFAULT_UNCHANGED_COOLDOWN_SECONDS = 30.0


class SecretSource(Protocol):
    """One secret in one store: its current value as text, read anew on every call."""

    #: What the secret is, for logs and errors: the store's kind, never a value.
    kind: str

    def read(self) -> str:
        """The secret's current text; a `SecretError` when it cannot be had."""
        ...


#: Builds the source for a secret reference (an ARN, a secret name): a platform's adapter.
SecretOpener = Callable[[str], SecretSource]


def parse_key_pair(text: str, fields: tuple[str, str], kind: str) -> Credentials:
    """The key pair in a secret's JSON text, under the vendor's two field names."""
    access_name, secret_name = fields
    expected = f'a JSON object {{"{access_name}": ..., "{secret_name}": ...}}'
    try:
        value: Any = json.loads(text)
    except (TypeError, ValueError):
        raise SecretError(f"the {kind} does not hold {expected}", reason="malformed") from None
    if not isinstance(value, Mapping):
        raise SecretError(f"the {kind} does not hold {expected}", reason="malformed")
    access_key, secret_key = value.get(access_name), value.get(secret_name)
    if not (
        isinstance(access_key, str)
        and access_key.strip()
        and isinstance(secret_key, str)
        and secret_key.strip()
    ):
        raise SecretError(f"the {kind} does not hold {expected}", reason="malformed")
    return Credentials(access_key.strip(), secret_key.strip())


class SecretCredentials:
    """A `CredentialsProvider` over one secret: read at the first call, then cached.

    `refresh(used)` reads it again after the vendor refused `used`, at most once per
    failure: it answers whether retrying can help (the key changed). When another thread
    already replaced `used`, it answers True without reading; when a re-read found the same
    key less than `unchanged_cooldown` seconds ago, False without reading.
    """

    def __init__(
        self,
        source: SecretSource,
        fields: tuple[str, str],
        *,
        unchanged_cooldown: float = DEFAULT_UNCHANGED_COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._source = source
        self._fields = fields
        self._cooldown = unchanged_cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._current: Credentials | None = None
        self._unchanged_at: float | None = None
        #: How many times the store was read (for logs and tests).
        self.reads = 0

    @property
    def kind(self) -> str:
        return self._source.kind

    def __repr__(self) -> str:
        return f"SecretCredentials({self._source.kind}, reads={self.reads})"

    def __call__(self) -> Credentials:
        current = self._current
        if current is not None:
            return current
        with self._lock:
            if self._current is None:
                self._current = self._read()
            return self._current

    def refresh(self, used: Credentials | None) -> bool:
        """Read the secret again after `used` was refused; True when the key is new."""
        with self._lock:
            if self._current is not None and self._current != used:
                return True  # replaced since `used` was handed out
            now = self._clock()
            if self._unchanged_at is not None and now - self._unchanged_at < self._cooldown:
                return False
            fresh = self._read()
            changed = fresh != self._current
            self._current = fresh
            self._unchanged_at = None if changed else now
        log.info(
            "vendor key read again from its secret after an authentication failure",
            extra={"secret_store": self._source.kind, "key_changed": changed},
        )
        return changed

    def _read(self) -> Credentials:
        self.reads += 1
        return parse_key_pair(self._source.read(), self._fields, self._source.kind)


class RefreshOnAuthFailure:
    """An `OcrProvider` whose key comes from a secret: when the vendor refuses the key
    (`ProviderCategory.CREDENTIALS`), the secret is read again and, if it now holds another
    key, the page is sent once more. Never more than once per page: a second refusal is
    raised as it is."""

    def __init__(self, inner: OcrProvider, keys: SecretCredentials) -> None:
        self.inner = inner
        self.keys = keys
        self.name = inner.name
        self.limits = inner.limits
        self.accepts_url = inner.accepts_url

    def __getattr__(self, name: str) -> Any:
        # Vendor-specific attributes (endpoints, mode) read through to the vendor's client.
        return getattr(self.inner, name)

    @property
    def rate_limits(self) -> Mapping[str, float]:
        return self.inner.rate_limits

    def can_fetch(self, ref: ObjectRef) -> bool:
        return self.inner.can_fetch(ref)

    def warm_up(self) -> None:
        self.inner.warm_up()

    def recognize(self, image: ImageInput, *, deadline: float | None = None) -> VendorAnswer:
        used = self.keys()
        try:
            return self.inner.recognize(image, deadline=deadline)
        except ProviderError as error:
            if error.category is not ProviderCategory.CREDENTIALS or not self.keys.refresh(used):
                raise
            log.info("ocr sent again with the key now in the secret", extra=error.log_fields())
        return self.inner.recognize(image, deadline=deadline)
