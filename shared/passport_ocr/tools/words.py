"""Counts in words, for what the command line prints: "1 object", "2 objects"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and the noun in the number it needs: `counted(1, "file")` is "1 file",
    `counted(1500, "file")` "1,500 files"; irregular plurals are given (`"batch", "batches"`).
    """
    word = noun if count == 1 else (plural or f"{noun}s")
    return f"{count:,} {word}"
