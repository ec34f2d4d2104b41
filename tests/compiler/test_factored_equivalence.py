"""The factored form's blocks, materialised layer by layer, are exactly the dense weights."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from loopmlp.compiler.driver import compile_machine
from loopmlp.compiler.export import export_factored, factored, stages
from loopmlp.compiler.export.factored import LayerEmitter
from loopmlp.compiler.export.model import IR_VERSION, OPSET, Builder, layer_table
from loopmlp.compiler.export.stages import Value
from loopmlp.compiler.export.weights import dense_layer
from loopmlp.ir.graph import DEPTH, SHAPE, layer_name
from loopmlp.ir.machine import Machine


def materialise(compiled, t: int) -> tuple[np.ndarray, np.ndarray]:
    """W_t and b_t of the factored layer t: its ONNX ops, run alone on unit vectors. Each
    node's entries are in the order its tensor holds them, which is the dense form's order."""
    g = compiled.graph.g
    b = Builder()
    emitter = LayerEmitter(b, compiled, layer_table(compiled))
    inputs, sizes = [], []
    for name in compiled.layers[t - 1]:
        shape, swapped = g.nodes[name][SHAPE], emitter.swapped(name)
        held = shape[::-1] if swapped else shape
        inputs.append(
            helper.make_tensor_value_info(f"in:{name}", TensorProto.FLOAT, ["batch", *held])
        )
        sizes.append(int(np.prod(shape, dtype=np.int64)))
        emitter.values[name] = Value(f"in:{name}", shape, swapped)
        if t > 1:
            emitter.relu_outputs.add(name)  # as in the whole model: layer t-1 is ReLU outputs
    emitter.layer(t)
    pieces = []
    for name in compiled.layers[t]:
        tensor, start, shape, _ = emitter.pre[name]
        n = int(np.prod(shape, dtype=np.int64))
        if start is None:
            pieces.append(b.op("Reshape", [tensor, b.const([0, -1], np.int64, "shape")], "probe"))
        else:
            pieces.append(
                b.op(
                    "Slice",
                    [
                        tensor,
                        b.const([start], np.int64, "start"),
                        b.const([start + n], np.int64, "end"),
                        b.const([1], np.int64, "axes"),
                    ],
                    "probe",
                )
            )
    b.nodes.append(helper.make_node("Concat", pieces, ["pre"], axis=1))
    graph = helper.make_graph(
        b.nodes,
        "layer",
        inputs,
        [helper.make_tensor_value_info("pre", TensorProto.FLOAT, ["batch", None])],
        initializer=list(b.inits.values()),
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION
    )
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    width = sum(sizes)
    probes = np.vstack([np.eye(width), np.zeros((1, width))]).astype(np.float32)
    feeds, col = {}, 0
    for inp, n in zip(inputs, sizes, strict=True):
        shape = [d.dim_value for d in inp.type.tensor_type.shape.dim[1:]]
        feeds[inp.name] = probes[:, col : col + n].reshape(len(probes), *shape)
        col += n
    pre = session.run(["pre"], feeds)[0].astype(np.int64)
    bias = pre[-1]
    return (pre[:-1] - bias).T, bias


@pytest.mark.parametrize(
    "machine",
    [Machine(4, 16), Machine(8, 16), Machine(6, 32, io=False), Machine(16, 16)],
    ids=lambda m: m.describe(),
)
def test_factored_blocks_materialise_to_the_dense_weights(machine):
    compiled = compile_machine(machine)
    for t in range(1, DEPTH + 1):
        w, b = materialise(compiled, t)
        dense_w, dense_b = dense_layer(compiled.graph, compiled.layers, t)
        assert np.array_equal(w, dense_w), f"layer {t} weights"
        assert np.array_equal(b, dense_b), f"layer {t} bias"


def test_address_matches_as_outer_sums_materialise_to_the_dense_weights(monkeypatch):
    """The outer-sum form of the address matches (used from OUTER_SUM_MIN words), forced on
    a small machine so the dense weights can be materialised."""
    monkeypatch.setattr(factored, "OUTER_SUM_MIN", 16)
    monkeypatch.setattr(factored, "BLOCK_ROWS", 16)  # (else pc's match joins layer 1's block)
    compiled = compile_machine(Machine(6, 64))
    used = 0
    for t in (1, 3):  # the layers of the address matches
        w, b = materialise(compiled, t)
        dense_w, dense_b = dense_layer(compiled.graph, compiled.layers, t)
        assert np.array_equal(w, dense_w) and np.array_equal(b, dense_b), f"layer {t}"
    model = export_factored(compiled)
    for f in model.functions:
        used += sum("outer sum" in node.doc_string for node in f.node)
    assert used == 3  # pc, A and B


def test_long_rotations_as_slices_materialise_to_the_dense_weights(monkeypatch):
    """The one-hots of pc+1 and pc+2 as slices of one extended copy (used from
    ROTATION_SLICES_MIN words), forced on a small machine; a reach too short for them takes
    two slices and a concat."""
    for reach in (stages.ROTATION_REACH, 1):
        monkeypatch.setattr(stages, "ROTATION_SLICES_MIN", 16)
        monkeypatch.setattr(stages, "ROTATION_REACH", reach)
        compiled = compile_machine(Machine(6, 32))
        w, b = materialise(compiled, 2)  # the layer of the fetch reads
        dense_w, dense_b = dense_layer(compiled.graph, compiled.layers, 2)
        assert np.array_equal(w, dense_w) and np.array_equal(b, dense_b), f"reach {reach}"
        (layer,) = [f for f in export_factored(compiled).functions if f.name == layer_name(2)]
        ops = [node.op_type for node in layer.node]
        assert "Gather" not in ops
        assert ops.count("Concat") == (1 if reach > 1 else 2) + 1  # (+1: the dense block's)


def test_sums_along_the_word_axis_as_gemms_materialise_to_the_dense_weights(monkeypatch):
    """The reads' sums over the words as a Gemm with ones (used from GEMM_SUM_MIN words),
    forced on a small machine."""
    monkeypatch.setattr(stages, "GEMM_SUM_MIN", 16)
    compiled = compile_machine(Machine(6, 32))
    for t in range(1, DEPTH + 1):
        w, b = materialise(compiled, t)
        dense_w, dense_b = dense_layer(compiled.graph, compiled.layers, t)
        assert np.array_equal(w, dense_w) and np.array_equal(b, dense_b), f"layer {t}"
    ops = [node.op_type for f in export_factored(compiled).functions for node in f.node]
    assert ops.count("Gemm") == 5 and "ReduceSum" not in ops  # the reads of A, B, C, *A, *B
