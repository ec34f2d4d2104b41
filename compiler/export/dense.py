"""export (dense form): one Gemm + Relu per layer, the paper's object."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import numpy_helper

from ...ir.graph import DEPTH
from ..allocate import width
from ..driver import Compiled
from ..modelfile import STATE_IN, STATE_OUT
from .model import Builder, finish_model, layer_doc, layer_table, state_info
from .weights import dense_layer


def export_dense(compiled: Compiled, image: list[int] | None = None) -> onnx.ModelProto:
    """23 x (Gemm + Relu): one weight matrix per layer."""
    table = layer_table(compiled)
    b = Builder()
    h = STATE_IN
    for row in table:
        t, name = row.index, row.name
        w, bias = dense_layer(compiled.graph, compiled.layers, t)
        for array, role in ((w, "weight"), (bias, "bias")):
            b.inits[f"{name}.{role}"] = numpy_helper.from_array(
                array.astype(np.float32), f"{name}.{role}"
            )
        out = STATE_OUT if t == DEPTH else name
        b.node(
            "Gemm",
            [h, f"{name}.weight", f"{name}.bias"],
            f"{name}.pre",
            f"{name}/gemm",
            transB=1,
            doc_string=layer_doc(row),
        )
        b.node("Relu", [f"{name}.pre"], out, f"{name}/relu")
        h = out
    state_size = width(compiled.graph, compiled.layers[0])
    return finish_model(
        b,
        compiled,
        "dense",
        [state_info(STATE_IN, state_size)],
        [state_info(STATE_OUT, state_size)],
        f"One SUBLEQ step of {compiled.machine.describe()} as a 23-layer ReLU MLP",
        image,
        table,
    )
