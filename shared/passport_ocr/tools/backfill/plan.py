"""What a backfill hands off: the listing, less what has a result or was handed off before.

Resumable: a state file records the source and every key handed off; a rerun skips those
keys. An object already has a result when the stack's results key
for it (`publishing.payload.results_key`: `<prefix><key>.<object id>.json`, or
`<prefix><object id>.json` when keys are hidden) is in the results bucket's listing of that prefix.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from passport_ocr.errors import ConfigError
from passport_ocr.events.base import ObjectRef
from passport_ocr.publishing.payload import results_key
from passport_ocr.tools.batch.sources import Listed, Source, listed_ref, selected


@dataclass
class BackfillState:
    """An append-only JSONL file: a header naming the source, then one line per key handed
    off, written as it happens (O(1) per hand-off, however big the bucket); a rerun skips
    those keys. A line cut short by a crash is ignored (its object is handed off again, a
    duplicate the function's idempotency absorbs)."""

    path: Path | None
    source: str
    handed_off: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path | None, source: str) -> BackfillState:
        if path is None or not path.exists():
            return cls(path, source)
        docs = list(_json_lines(path))
        header = docs[0] if docs else None
        if not isinstance(header, dict) or "source" not in header:
            raise ConfigError(f"{path} is not a backfill state file")
        if header["source"] != source:
            raise ConfigError(f"{path} records a backfill of another source: use a new file")
        keys = {doc["key"] for doc in docs[1:] if isinstance(doc, dict) and "key" in doc}
        return cls(path, source, keys)

    def record(self, keys: Iterable[str]) -> None:
        """Note keys as handed off, on disk at once."""
        keys = list(keys)
        self.handed_off.update(keys)
        if self.path is None:
            return
        fresh = not self.path.exists()
        with self.path.open("a", encoding="utf-8") as file:
            if fresh:
                file.write(json.dumps({"source": self.source}, ensure_ascii=False) + "\n")
            file.writelines(json.dumps({"key": key}, ensure_ascii=False) + "\n" for key in keys)


def _json_lines(path: Path) -> Iterator[object]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} cannot be read as a backfill state file") from error
    for line in lines:
        try:
            yield json.loads(line)
        except ValueError:
            continue  # cut short by a crash


@dataclass
class Counts:
    listed: int = 0
    not_selected: int = 0
    already_done: int = 0
    handed_off_before: int = 0
    to_hand_off: int = 0
    #: Of those to hand off, the empty objects: the function rejects them (image.empty)
    #: before any OCR call, so they cost no call.
    empty: int = 0


def listed_results(listing: Iterable[Listed]) -> Callable[[ObjectRef], bool]:
    """Whether a result exists, from one listing of the results prefix (a thousand keys a
    call) instead of a HEAD per object."""
    keys = {item.key for item in listing}
    return lambda ref: ref.key in keys


def pending(
    source: Source,
    listing: Iterable[Listed],
    *,
    state: BackfillState,
    counts: Counts,
    has_result: Callable[[ObjectRef], bool],
    results_prefix: str,
    results_bucket: str | None = None,
    hide_key: bool = False,
    region: str | None = None,
) -> Iterator[ObjectRef]:
    """The objects to hand off, lazily, counting every decision in `counts`."""
    for item in listing:
        counts.listed += 1
        relative = item.key[len(source.prefix) :].lstrip("/")
        if (results_prefix and item.key.startswith(results_prefix)) or not selected(relative, []):
            counts.not_selected += 1
            continue
        if item.key in state.handed_off:
            counts.handed_off_before += 1
            continue
        ref = listed_ref(source, item, region=region)
        result = ObjectRef(cloud=source.cloud, region=region,
                           bucket=results_bucket or source.bucket,
                           key=results_key(ref, results_prefix, hide_key=hide_key))  # fmt: skip
        if has_result(result):
            counts.already_done += 1
            continue
        counts.to_hand_off += 1
        counts.empty += item.size == 0
        yield ref
