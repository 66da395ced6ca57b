"""Shared by the event tests: the realistic events in tests/data/events and tricky keys."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).parent / "data" / "events"

#: Keys that break naive decoding: spaces, '+', '%', percent-lookalikes, unicode, deep paths.
TRICKY_KEYS = [
    "uploads/plain.jpg",
    "uploads/with space.jpg",
    "uploads/plus+sign.jpg",
    "uploads/100% real.jpg",
    "uploads/%41 is not A.jpg",
    "uploads/a+b c%20d.jpg",
    "uploads/张三 护照.jpg",
    "uploads/Ünïcödé/Élodie O'Brien (2).png",
    "uploads/a/b/c/d/e/f/g/h/deep.jpeg",
    "uploads/emoji 🛂 #1; x=y&z.jpg",
]


def load(name: str) -> dict[str, Any]:
    with (EVENTS / name).open(encoding="utf-8") as handle:
        event: dict[str, Any] = json.load(handle)
    return event


def copy_of(event: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(event)
