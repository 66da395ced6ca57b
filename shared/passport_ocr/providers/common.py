"""The skeleton every vendor client shares: its error table, and its clients per thread.

A vendor module writes only its call and its table; `call_with_retries` (providers.base)
is the one retry loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from passport_ocr.errors import ProviderCategory

Code = TypeVar("Code", str, int)
Client = TypeVar("Client")

#: (category, retryable): what one vendor code or HTTP status means.
Meaning = tuple[ProviderCategory, bool]


class Classification(NamedTuple):
    category: ProviderCategory
    retryable: bool
    #: False: neither the code nor the status is in the table (the caller logs the code).
    known: bool


_SERVER_ERROR: Meaning = (ProviderCategory.VENDOR_UNAVAILABLE, True)
_UNKNOWN = Classification(ProviderCategory.UNKNOWN, False, False)


@dataclass(frozen=True)
class ErrorTable(Generic[Code]):
    """A vendor's documented error codes and HTTP statuses, and the order they are read in:
    the code; its family (the part before the first dot: codes newer than the table); the
    status (any 5xx is the vendor's side); codes whose meaning depends on the status; else
    unknown, never retried (do not repeat what the vendor refused)."""

    codes: Mapping[Code, Meaning]
    families: Mapping[str, Meaning] = field(default_factory=dict)
    statuses: Mapping[int, Meaning] = field(default_factory=dict)
    #: Codes read by their status first, with this meaning when the status says nothing.
    status_dependent: Mapping[Code, Meaning] = field(default_factory=dict)

    def classify(self, code: Code | None, http_status: int | None = None) -> Classification:
        if code is not None and code in self.codes:
            return Classification(*self.codes[code], True)
        family = str(code).split(".", 1)[0] if isinstance(code, str) and "." in code else None
        if family is not None and family in self.families:
            return Classification(*self.families[family], True)
        by_status = self._by_status(http_status)
        if by_status is not None:
            # A code that only repeats the status, or none at all, adds nothing to log.
            known = code is None or code in self.status_dependent or str(code) == str(http_status)
            return Classification(*by_status, known)
        if code is not None and code in self.status_dependent:
            return Classification(*self.status_dependent[code], True)
        return _UNKNOWN

    def _by_status(self, http_status: int | None) -> Meaning | None:
        if http_status is None:
            return None
        if http_status in self.statuses:
            return self.statuses[http_status]
        return _SERVER_ERROR if http_status >= 500 else None


class ThreadLocalClients(Generic[Client]):
    """One SDK client per thread and key: the SDKs keep per-call state on the client
    (credentials, timeouts, a connection pool), so threads must not share one."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, key: Hashable, build: Callable[[], Client]) -> Client:
        clients: dict[Hashable, Client] | None = getattr(self._local, "clients", None)
        if clients is None:
            clients = self._local.clients = {}
        client = clients.get(key)
        if client is None:
            client = clients[key] = build()
        return client
