"""Issue 14: the offline engine on an int8 copy of its model (`PASSPORT_OCR_LOCAL_PRECISION=
int8`), built on this machine from generated pages and cached (`tools/ocr/quantize.py`).

One real build per test session (about 40 s on one core): the tests below read generated
pages with it and check the file the recipe wrote. The recipe's choices were measured on
real photos in `bench/local_engine.py` (the README's engine section), never here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("onnx")

import onnx
from onnx import TensorProto, helper, numpy_helper

from passport_ocr.config import load_settings
from passport_ocr.errors import ConfigError
from passport_ocr.tools.cli import main
from passport_ocr.tools.ocr import quantize
from passport_ocr.tools.ocr.engine import MrzEngine
from passport_ocr.tools.ocr.provider import LocalOcrProvider
from passport_ocr.tools.ocr.quantize import Int8ModelError, int8_model_path, quantizable_nodes
from passport_ocr.tools.ocr.recognize import Recognizer
from passport_ocr.tools.specimens import degraded_set

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("int8-cache")


@pytest.fixture(scope="module")
def int8(cache: Path) -> Recognizer:
    """The int8 recogniser, its model built once into `cache` by the real recipe."""
    recognizer = Recognizer(threads=1, precision="int8", cache=cache)
    recognizer.warm_up()
    return recognizer


@pytest.fixture(scope="module")
def float_engine() -> MrzEngine:
    return MrzEngine(Recognizer(threads=1, backend="onnxruntime"))


def _toy_model() -> onnx.ModelProto:
    """A Conv, a MatMul with a weight and an attention-like MatMul of two activations."""
    rng = np.random.default_rng(0)
    conv = numpy_helper.from_array(rng.normal(size=(2, 1, 1, 1)).astype(np.float32), "k")
    weight = numpy_helper.from_array(rng.normal(size=(3, 3)).astype(np.float32), "w")
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["x", "k"], ["c"], name="conv"),
            helper.make_node("MatMul", ["c", "w"], ["projected"], name="weighted"),
            helper.make_node("MatMul", ["projected", "projected_t"], ["scores"], name="attention"),
        ],
        "toy",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 3, 3]),
            helper.make_tensor_value_info("projected_t", TensorProto.FLOAT, [1, 2, 3, 3]),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 2, 3, 3])],
        initializer=[conv, weight],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def test_the_recipe_quantises_convolutions_and_weighted_matmuls_only() -> None:
    assert quantizable_nodes(_toy_model()) == ["conv", "weighted"]


def test_the_cache_key_follows_the_float_model_and_the_recipe(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = int8_model_path(b"model one", cache)
    assert first.parent == cache and first.name.startswith("rec-int8-")
    assert int8_model_path(b"model one", cache) == first
    assert int8_model_path(b"model two", cache) != first
    monkeypatch.setattr(quantize, "RECIPE_VERSION", quantize.RECIPE_VERSION + 1)
    assert int8_model_path(b"model one", cache) != first


def test_the_int8_model_is_built_once_and_found_afterwards(int8: Recognizer, cache: Path) -> None:
    model = int8.int8_model
    assert model is not None and model.built
    assert int8.runtime == "onnxruntime-int8"
    assert model.path.parent == cache and model.crops == quantize.MAX_CALIBRATION_CROPS
    again = Recognizer(threads=1, precision="int8", cache=cache)
    again.warm_up()
    assert again.int8_model is not None
    assert (again.int8_model.path, again.int8_model.built) == (model.path, False)
    assert not list(cache.glob(".*partial"))  # written by rename: no leftovers


def test_the_file_holds_int8_weights_and_float_attention(int8: Recognizer) -> None:
    assert int8.int8_model is not None
    model = onnx.load(str(int8.int8_model.path))
    produced_by = {out: node for node in model.graph.node for out in node.output}
    int8_weights = [
        tensor
        for tensor in model.graph.initializer
        if tensor.data_type == TensorProto.INT8 and len(tensor.dims) > 1
    ]
    assert len(int8_weights) > 50  # every convolution's and weighted MatMul's weight
    matmuls = [node for node in model.graph.node if node.op_type == "MatMul"]
    dequantized = [
        sum(produced_by.get(name) is not None and produced_by[name].op_type ==
            "DequantizeLinear" for name in node.input)
        for node in matmuls
    ]  # fmt: skip
    # Weighted MatMuls read both inputs through DequantizeLinear; the four attention
    # MatMuls (two activations) neither.
    assert dequantized.count(0) == 4 and dequantized.count(2) == len(matmuls) - 4
    # A quarter of the float file, or less (int8 weights).
    assert int8.int8_model.size_bytes < 5_000_000


def test_int8_reads_generated_pages_as_the_float_model_does(
    int8: Recognizer, float_engine: MrzEngine
) -> None:
    engine = MrzEngine(int8)
    for page in degraded_set(4, seed=31):
        quantized, original = engine.read(page.image), float_engine.read(page.image)
        assert quantized.reading is not None and original.reading is not None
        assert tuple(quantized.reading.lines) == page.mrz_lines == tuple(original.reading.lines)


def test_the_setting_runs_the_provider_on_the_int8_model(int8: Recognizer, cache: Path) -> None:
    settings = load_settings(
        {"PASSPORT_OCR_LOCAL_PRECISION": "int8", "PASSPORT_OCR_CACHE_DIR": str(cache)}
    )
    provider = LocalOcrProvider.from_settings(settings)
    page = degraded_set(1, seed=32)[0]
    answer = provider.recognize_bytes(page.image)
    recognizer = provider.engine.recognizer
    assert recognizer.runtime == "onnxruntime-int8" and recognizer.int8_model is not None
    assert not recognizer.int8_model.built  # found where the fixture built it
    assert tuple(line["text"] for line in answer.raw["lines"]) == page.mrz_lines


def test_engine_prepare_prints_the_model_it_found(
    int8: Recognizer, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["engine", "prepare", "--cache-dir", str(cache)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert int8.int8_model is not None
    assert report["path"] == str(int8.int8_model.path) and report["built"] is False
    assert report["runtime"] == "onnxruntime-int8"
    assert report["size_bytes"] == int8.int8_model.size_bytes


def test_a_damaged_cached_model_is_a_clear_error(int8: Recognizer, tmp_path: Path) -> None:
    assert int8.int8_model is not None
    damaged = tmp_path / int8.int8_model.path.name
    damaged.write_bytes(int8.int8_model.path.read_bytes()[:1000])
    with pytest.raises(Int8ModelError, match="prepare --rebuild"):
        Recognizer(threads=1, precision="int8", cache=tmp_path).warm_up()
    provider = LocalOcrProvider(precision="int8", cache=tmp_path)
    with pytest.raises(ConfigError, match="PASSPORT_OCR_LOCAL_PRECISION=int8"):
        provider.recognize_bytes(degraded_set(1, seed=33)[0].image)


def test_engine_prepare_refuses_a_damaged_model_in_one_line(
    int8: Recognizer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert int8.int8_model is not None
    (tmp_path / int8.int8_model.path.name).write_bytes(b"not a model")
    assert main(["engine", "prepare", "--cache-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "prepare --rebuild" in captured.err


def test_int8_without_the_onnx_package_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # `import onnx` raises ImportError
    with pytest.raises(Int8ModelError, match="needs the `onnx` package"):
        Recognizer(threads=1, precision="int8", cache=tmp_path).warm_up()
    assert not list(tmp_path.iterdir())  # nothing half-built


def test_a_cache_that_cannot_be_written_is_refused_before_calibrating(tmp_path: Path) -> None:
    in_the_way = tmp_path / "cache"
    in_the_way.write_text("a file where the cache folder should be")
    with pytest.raises(Int8ModelError, match="cannot create the model cache"):
        Recognizer(threads=1, precision="int8", cache=in_the_way / "models").warm_up()


def test_int8_is_an_onnxruntime_model() -> None:
    with pytest.raises(ValueError, match="onnxruntime, not OpenVINO"):
        Recognizer(backend="openvino", precision="int8")


def test_engine_prepare_rebuild_replaces_a_damaged_model(
    int8: Recognizer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert int8.int8_model is not None
    damaged = tmp_path / int8.int8_model.path.name
    damaged.write_bytes(b"not a model")
    assert main(["engine", "prepare", "--cache-dir", str(tmp_path), "--rebuild"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["built"] is True and report["path"] == str(damaged)
    # The same recipe on the same float model and onnxruntime: the same bytes.
    assert damaged.read_bytes() == int8.int8_model.path.read_bytes()
