"""The recogniser's output layer cut to the glyphs an MRZ can hold, on onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("rapidocr")
pytest.importorskip("onnx")

import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

from passport_ocr.tools.ocr import recognize
from passport_ocr.tools.ocr.engine import MrzEngine
from passport_ocr.tools.ocr.recognize import (
    Recognizer,
    model_vocabulary,
    narrow_onnx_output,
    output_columns,
)
from passport_ocr.tools.specimens import generate_specimen

_WIDTH = 6  # the toy model's vocabulary


def _last_layer(
    width: int = _WIDTH, seed: int = 0
) -> tuple[onnx.ModelProto, np.ndarray, np.ndarray]:
    """A toy recogniser head: (1, frames, 4) features -> MatMul -> Add -> Softmax."""
    rng = np.random.default_rng(seed)
    weight = rng.normal(size=(4, width)).astype(np.float32)
    bias = rng.normal(size=width).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["x", "w"], ["logits"]),
            helper.make_node("Add", ["logits", "b"], ["scores"]),
            helper.make_node("Softmax", ["scores"], ["probs"], axis=2),
        ],
        "head",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, "frames", 4])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, "frames", width])],
        initializer=[numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model, weight, bias


def _run(model: onnx.ModelProto, features: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return np.asarray(session.run(None, {"x": features})[0])


def test_narrowed_head_is_the_softmax_over_the_kept_columns() -> None:
    model, weight, bias = _last_layer()
    keep = [0, 2, 5]
    assert narrow_onnx_output(model, _WIDTH, keep)
    features = np.random.default_rng(1).normal(size=(1, 7, 4)).astype(np.float32)
    logits = features @ weight[:, keep] + bias[keep]
    expected = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    probs = _run(model, features)
    assert probs.shape == (1, 7, len(keep))
    np.testing.assert_allclose(probs, expected, rtol=1e-5, atol=1e-6)
    assert model.graph.output[0].type.tensor_type.shape.dim[-1].dim_value == len(keep)


def test_a_head_of_another_width_is_left_untouched() -> None:
    model, _, _ = _last_layer(width=_WIDTH + 1)
    before = model.SerializeToString()
    assert not narrow_onnx_output(model, _WIDTH, [0, 1])
    assert model.SerializeToString() == before


def test_a_model_without_the_bias_is_left_untouched() -> None:
    model, _, _ = _last_layer()
    del model.graph.node[1]  # no Add: the MatMul feeds the softmax
    model.graph.node[1].input[0] = "logits"
    before = model.SerializeToString()
    assert not narrow_onnx_output(model, _WIDTH, [0, 1])
    assert model.SerializeToString() == before


def test_dropped_columns_are_cjk_and_hangul_only() -> None:
    vocabulary = model_vocabulary("A\n0\n<\n一\n中\n한\né")
    assert vocabulary[0] == "blank" and vocabulary[-1] == " "
    kept = [vocabulary[index] for index in output_columns(vocabulary)]
    assert kept == ["blank", "A", "0", "<", "一", "é", " "]  # `一` reads as a filler


def _reads_the_page(recognizer: Recognizer, seed: int) -> bool:
    page = generate_specimen(seed)
    result = MrzEngine(recognizer).read(page.image)
    return result.reading is not None and tuple(result.reading.lines) == page.mrz_lines


def test_onnxruntime_runs_the_narrowed_model_and_reads_a_line() -> None:
    plain = Recognizer(threads=1, backend="onnxruntime")
    plain.warm_up()
    assert plain.runtime == "onnxruntime"
    full = [*plain._engine._load_rec_model().postprocess_op.character]
    assert list(plain._vocabulary) == [full[index] for index in output_columns(full)]
    assert _reads_the_page(plain, 203)


def test_onnxruntime_and_openvino_share_one_vocabulary() -> None:
    pytest.importorskip("openvino")
    plain, fast = Recognizer(backend="onnxruntime"), Recognizer(backend="openvino")
    plain.warm_up()
    fast.warm_up()
    assert list(plain._vocabulary) == list(fast._vocabulary)


def test_onnxruntime_keeps_the_full_model_when_the_head_is_not_as_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another model whose head the edit does not recognise: rapidocr's session as shipped.
    monkeypatch.setattr(recognize, "narrow_onnx_output", lambda *_: False)
    plain = Recognizer(threads=1, backend="onnxruntime")
    plain.warm_up()
    assert plain.runtime == "onnxruntime-full"
    assert len(plain._vocabulary) > 18_000
    assert _reads_the_page(plain, 203)


def test_a_head_whose_output_width_is_not_declared_is_left_untouched() -> None:
    model, _, _ = _last_layer()
    del model.graph.output[0].type.tensor_type.shape.dim[:]  # a rank the graph leaves open
    before = model.SerializeToString()
    assert not narrow_onnx_output(model, _WIDTH, [0, 1])
    assert model.SerializeToString() == before
