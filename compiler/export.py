"""export: the compiled network as an ONNX model (dense form: one Gemm + Relu per layer)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from ..ir.graph import DEPTH, GADGET, SHAPE, layer_name, stage_of_layer
from .allocate import size, width
from .driver import Compiled
from .emit import dense_layer
from .functions import group_layers
from .modelfile import DOMAIN, STATE_IN, STATE_OUT, model_metadata, seal

OPSET = 17
IR_VERSION = 8


def layer_table(compiled: Compiled) -> list[dict]:
    """One row per layer: index, name, stage, widths and neurons by gadget kind."""
    g, layers = compiled.graph.g, compiled.layers
    rows = []
    for t in range(1, DEPTH + 1):
        kinds = Counter()
        for name in layers[t]:
            kinds[g.nodes[name][GADGET]] += size(g.nodes[name][SHAPE])
        rows.append({
            "index": t, "name": layer_name(t), "stage": stage_of_layer(t),
            "inputs": width(compiled.graph, layers[t - 1]), "outputs": width(compiled.graph, layers[t]),
            "neurons": dict(sorted(kinds.items())),
        })
    return rows


def _doc(row: dict) -> str:
    parts = ", ".join(f"{n} {k}" for k, n in row["neurons"].items())
    return f"layer {row['index']} ({row['stage']}): {row['outputs']} neurons: {parts}"


def export_dense(compiled: Compiled, image: list[int] | None = None) -> onnx.ModelProto:
    """23 x (Gemm + Relu): the paper's object, one weight matrix per layer."""
    table = layer_table(compiled)
    state_size = width(compiled.graph, compiled.layers[0])
    nodes, inits = [], []
    h = STATE_IN
    for row in table:
        t, name = row["index"], row["name"]
        w, b = dense_layer(compiled.graph, compiled.layers, t)
        inits += [numpy_helper.from_array(w.astype(np.float32), f"{name}.weight"),
                  numpy_helper.from_array(b.astype(np.float32), f"{name}.bias")]
        out = STATE_OUT if t == DEPTH else name
        nodes.append(helper.make_node("Gemm", [h, f"{name}.weight", f"{name}.bias"], [f"{name}.pre"],
                                      name=f"{name}/gemm", transB=1, doc_string=_doc(row)))
        nodes.append(helper.make_node("Relu", [f"{name}.pre"], [out], name=f"{name}/relu"))
        h = out
    docs = {row["name"]: _doc(row) for row in table}
    nodes, functions = group_layers(nodes, {i.name for i in inits}, {STATE_OUT}, OPSET, docs)
    graph = helper.make_graph(
        nodes, "loopmlp_dense",
        [helper.make_tensor_value_info(STATE_IN, TensorProto.FLOAT, ["batch", state_size])],
        [helper.make_tensor_value_info(STATE_OUT, TensorProto.FLOAT, ["batch", state_size])],
        initializer=inits,
        doc_string=f"One SUBLEQ step of {compiled.machine.describe()} as a 23-layer ReLU MLP",
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(DOMAIN, 1)],
                              producer_name="loopmlp", ir_version=IR_VERSION, functions=functions)
    meta = model_metadata(compiled.machine, "dense", table, list(compiled.bound.per_layer), image)
    helper.set_model_props(model, meta)
    seal(model)
    onnx.checker.check_model(model, full_check=True)
    return model
