"""Logging for the functions: one JSON line per record, and a last guard for personal data.

The code logs object ids (hashes), vendor codes and timings, never names, numbers, dates
or MRZ text: that is the rule, and the tests prove it. `PersonalDataFilter` is the safety
net under it, for log lines we do not write (vendor SDKs), installed on every handler that
writes out of the process:
- below WARNING, only our own loggers get through. The SDKs' debug lines carry request and
  response bodies (the image, the vendor's answer with names and birth dates), and that is
  true whatever level an operator sets (`LOG_LEVEL=DEBUG` must not leak a passport);
- third-party warnings and errors get through with their text withheld: SDKs log error
  bodies that echo the object key (keys often hold a name) or the request;
- what does get through has anything shaped like an MRZ line or a base64 image blanked.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import datetime, timezone
from typing import Any

# An MRZ line or fragment: 20+ characters of A-Z, 0-9 and '<' with at least one '<<'.
_MRZ_LIKE = re.compile(r"[A-Z0-9<]*<<[A-Z0-9<]*")
_MRZ_MIN = 20
# A long base64 run (an image, or a request body echoed by an SDK).
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def redact(text: str) -> str:
    def mrz(match: re.Match[str]) -> str:
        token = match.group(0)
        return "[redacted-mrz]" if len(token) >= _MRZ_MIN else token

    return _BASE64_RUN.sub("[redacted-base64]", _MRZ_LIKE.sub(mrz, text))


#: Our own loggers: the only ones whose text leaves the process (see the module doc).
OWN_LOGGERS = ("passport_ocr",)
THIRD_PARTY_WITHHELD = "[third-party log message withheld: it may echo request data]"


def _is_own(name: str, own: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in own)


class PersonalDataFilter(logging.Filter):
    """Drop third-party records below WARNING; blank MRZ-shaped text and base64 runs."""

    def __init__(self, own: tuple[str, ...] = OWN_LOGGERS) -> None:
        super().__init__()
        self.own = own

    def filter(self, record: logging.LogRecord) -> bool:
        if not _is_own(record.name, self.own):
            if record.levelno < logging.WARNING:
                return False
            record.msg, record.args = THIRD_PARTY_WITHHELD, None
            return True
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...extra fields}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (key, value) for key, value in vars(record).items() if key not in _STANDARD_ATTRS
        )
        if record.exc_info:
            # The exception type and our typed message, not a traceback with local values.
            entry["exception"] = f"{record.exc_info[0].__name__ if record.exc_info[0] else ''}"
        return redact(json.dumps(entry, default=str, ensure_ascii=False))


def guard_handlers(handlers: list[logging.Handler], own: tuple[str, ...] = OWN_LOGGERS) -> None:
    """Put a `PersonalDataFilter` on each handler (once): filters on a handler see every
    record it writes, including those propagated from SDK loggers."""
    for handler in handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter(own))


def adopt_sdk_logger(name: str) -> None:
    """Route a vendor SDK logger that does not propagate through the root handlers.

    Huawei's SDK clients log to `HuaweiCloud-SDK-<Client>` with `propagate = False` and no
    handler unless asked for one: their warnings would reach stderr through Python's
    last-resort handler, as plain text and past every filter. Propagating, they get the
    function's JSON format and the personal-data guard like any other record.
    """
    logger = logging.getLogger(name)
    if not logger.handlers:
        logger.propagate = True


def configure_logging(level: str | None = None) -> None:
    """JSON lines on stdout for FunctionGraph and SCF (both collect stdout), once."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    guard_handlers([handler])
    # Replaces the runtime's plain-text handler: one JSON line per record, not two lines.
    root.handlers = [handler]
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))
