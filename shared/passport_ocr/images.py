"""Image preflight: sniff, check and (only when needed) convert an upload for a provider.

Contract (filled in by the Providers issue): `prepare(data, limits)` returns a
`PreparedImage` the provider can send as is, or raises `ImageError` before any vendor call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from passport_ocr.record import Finding


@dataclass(frozen=True)
class ImageLimits:
    """What one provider accepts, from its documentation."""

    provider: str
    formats: frozenset[str]  # Pillow format names: JPEG, PNG, BMP, TIFF, ...
    max_encoded_bytes: int  # the limit on what goes over the wire (base64 or body)
    base64: bool  # True: the limit applies to the base64 text (4/3 of the bytes)
    min_side: int
    max_side: int


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    format: str  # Pillow format name of `data`
    width: int
    height: int
    findings: tuple[Finding, ...] = field(default=())  # what preflight changed, if anything
