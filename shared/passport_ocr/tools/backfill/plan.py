"""What a backfill hands off: the listing, less what has a result or was handed off before.

Resumable: a state file (JSON) records the source, the last key listed and every key handed
off; a rerun skips those keys. An object already has a result when the stack's results key
for it (`publishing.payload.results_key`: `<prefix><key>.<object id>.json`, or
`<prefix><object id>.json` when keys are hidden) exists in the results bucket.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from passport_ocr.errors import ConfigError, StorageError
from passport_ocr.events.base import ObjectRef
from passport_ocr.publishing.payload import results_key
from passport_ocr.tools.batch.sources import Listed, Source, selected


@dataclass
class BackfillState:
    """Saved after every hand-off, so a stopped run continues where it was."""

    path: Path | None
    source: str
    last_listed: str | None = None
    handed_off: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path | None, source: str) -> BackfillState:
        if path is None or not path.exists():
            return cls(path, source)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            saved_source, keys = doc["source"], doc["handed_off"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ConfigError(f"{path} is not a backfill state file") from error
        if saved_source != source:
            raise ConfigError(f"{path} records a backfill of another source: use a new file")
        last = doc.get("last_listed")
        return cls(path, source, last if isinstance(last, str) else None, set(keys))

    def save(self) -> None:
        if self.path is None:
            return
        doc = {"source": self.source, "last_listed": self.last_listed,
               "handed_off": sorted(self.handed_off)}  # fmt: skip
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)  # atomic: a crash never leaves half a file


@dataclass
class Counts:
    listed: int = 0
    not_selected: int = 0
    already_done: int = 0
    handed_off_before: int = 0
    to_hand_off: int = 0


def result_exists(store_head: Callable[[ObjectRef], object]) -> Callable[[ObjectRef], bool]:
    """`head` of the results object: not found is False, any other failure is raised."""

    def exists(ref: ObjectRef) -> bool:
        try:
            store_head(ref)
        except StorageError as error:
            if error.code == "storage.not_found":
                return False
            raise
        return True

    return exists


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
        state.last_listed = item.key
        relative = item.key[len(source.prefix) :].lstrip("/")
        if (results_prefix and item.key.startswith(results_prefix)) or not selected(relative, []):
            counts.not_selected += 1
            continue
        if item.key in state.handed_off:
            counts.handed_off_before += 1
            continue
        etag = item.etag.strip('"') if item.etag else None  # as the trigger events give it
        ref = ObjectRef(cloud=source.cloud, region=region, bucket=source.bucket, key=item.key,
                        size=item.size, etag=etag)  # fmt: skip
        result = ObjectRef(cloud=source.cloud, region=region,
                           bucket=results_bucket or source.bucket,
                           key=results_key(ref, results_prefix, hide_key=hide_key))  # fmt: skip
        if has_result(result):
            counts.already_done += 1
            continue
        counts.to_hand_off += 1
        yield ref
