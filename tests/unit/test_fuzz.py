"""Bounded fuzzing: whatever bytes, events, vendor answers or MRZ text arrive, only the
documented typed errors come out (issue 13).

hypothesis, not atheris: it runs inside the ordinary pytest run on every Python the project
supports, shrinks a failure to a minimal input, and with `derandomize` the same examples run
on every CI run (atheris needs a native build and its own runner). Seeds: the image corpus in
`tests/data/fuzz` (written by its `make_corpus.py`), the trigger events of
`tests/data/events`, the vendors' sample answers and the MRZ vectors. Crashes found so far are
regression cases in `test_images_hostile.py` (cut multi-frame files) and the event and
mapper tests.
"""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passport_ocr.errors import EventError, ImageError, MappingError, MrzError
from passport_ocr.events import parse_event
from passport_ocr.images import prepare
from passport_ocr.mapping import to_record
from passport_ocr.mrz import read_mrz
from passport_ocr.vendors import VENDORS
from tests import paths

#: Pillow warns of the EXIF of cut TIFFs before it fails: the outcome is what is tested.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")

FUZZ = settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEEDS = {path.name: path.read_bytes() for path in sorted((paths.TEST_DATA / "fuzz").iterdir())}
IMAGES = {name: data for name, data in SEEDS.items() if not name.endswith(".py")}
EVENTS = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((paths.TEST_DATA / "events").glob("*.json"))
}
SAMPLES = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(paths.VENDOR_SAMPLES.glob("*.json"))
}
SAMPLE_FORMATS = {
    "huawei_chn": "huawei",
    "huawei_general": "huawei",
    "tencent_passport": "tencent",
    "tencent_mlid": "tencent-mlid",
    "tencent_legacy": "tencent-legacy",
}


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(IMAGES[draw(st.sampled_from(sorted(IMAGES)))])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "flip", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "cut":
            data = data[:at]
        elif kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            del data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


@FUZZ
@given(mutated_bytes())
def test_preflight_only_ever_refuses_with_an_image_error(data: bytes) -> None:
    for name in ("huawei", "tencent", "textract"):
        with contextlib.suppress(ImageError):
            prepare(data, VENDORS[name].limits)  # type: ignore[index]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copied = copy.deepcopy(document)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return copied


@st.composite
def mutated_document(draw: st.DrawFn, documents: dict[str, Any]) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(documents)))
    document = documents[name]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(document)))
        document = _replaced(document, path, draw(JSON))
    return name, document


def _platform(event_file: str) -> str:
    return next(
        cloud for cloud in ("huaweicloud", "tencentcloud", "aws") if event_file.startswith(cloud)
    )


@FUZZ
@given(mutated_document(EVENTS))
def test_event_parsing_only_ever_refuses_with_an_event_error(case: tuple[str, Any]) -> None:
    name, event = case
    with contextlib.suppress(EventError):
        parse_event(_platform(name), event)  # type: ignore[arg-type]


@FUZZ
@given(mutated_document({k: v for k, v in SAMPLES.items() if k in SAMPLE_FORMATS}))
def test_mapping_only_ever_refuses_with_a_mapping_error(case: tuple[str, Any]) -> None:
    name, answer = case
    with contextlib.suppress(MappingError):
        to_record(SAMPLE_FORMATS[name], answer)


VECTOR_LINES = [
    vector["lines"]
    for vector in json.loads((paths.TEST_DATA / "mrz_vectors.json").read_text())
    if isinstance(vector.get("lines"), list)
]
MRZ_TEXT = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<\n ", max_size=100),
    st.sampled_from(VECTOR_LINES).flatmap(
        lambda lines: st.lists(
            st.sampled_from(lines).map(lambda line: line[: len(line) // 2])
            | st.sampled_from(lines),
            min_size=1,
            max_size=4,
        )
    ),
)


@FUZZ
@given(MRZ_TEXT)
def test_the_mrz_reader_only_ever_refuses_with_an_mrz_error(text: str | list[str]) -> None:
    with contextlib.suppress(MrzError):
        read_mrz(text)
