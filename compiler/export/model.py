"""What every exported form shares: tensor names, opset, the node builder, the layer table,
and the one finalisation of a model (layer functions, metadata, seal, checker)."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from ...ir.graph import DEPTH, GADGET, SHAPE, layer_name, stage_of_layer
from ..allocate import size, width
from ..driver import Compiled
from ..modelfile import DOMAIN, LayerRow, model_metadata, seal
from .functions import group_layers

OPSET = 17
IR_VERSION = 8


class Builder:
    """A growing list of ONNX nodes and the initializers they read (shared by value)."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: dict[str, onnx.TensorProto] = {}
        self.count = 0

    def const(self, array, dtype=np.float32, hint: str = "c") -> str:
        """The name of an initializer holding `array` (one per distinct value and type)."""
        a = np.array(array, dtype=dtype, order="C")  # keeps 0-d arrays 0-d
        digest = hashlib.sha1(a.tobytes() + str((a.shape, a.dtype)).encode()).hexdigest()[:12]
        name = f"{hint}.{digest}"
        if name not in self.inits:
            self.inits[name] = numpy_helper.from_array(a, name)
        return name

    def op(self, kind: str, inputs: list[str], prefix: str, **attrs) -> str:
        """Append one node named under `prefix`; returns its (only) output."""
        self.count += 1
        out = f"{prefix}/{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out, **attrs))
        return out

    def node(self, kind: str, inputs: list[str], output: str, name: str, **attrs) -> None:
        """Append one node writing a named output (a graph or body output)."""
        self.nodes.append(helper.make_node(kind, inputs, [output], name=name, **attrs))


def layer_table(compiled: Compiled) -> list[LayerRow]:
    """One row per layer: index, name, stage, widths and neurons by gadget kind."""
    g, layers = compiled.graph.g, compiled.layers
    rows = []
    for t in range(1, DEPTH + 1):
        kinds: Counter = Counter()
        for name in layers[t]:
            kinds[g.nodes[name][GADGET]] += size(g.nodes[name][SHAPE])
        rows.append(
            LayerRow(
                index=t,
                name=layer_name(t),
                stage=stage_of_layer(t),
                inputs=width(compiled.graph, layers[t - 1]),
                outputs=width(compiled.graph, layers[t]),
                neurons=dict(sorted(kinds.items())),
            )
        )
    return rows


def layer_doc(row: LayerRow) -> str:
    """One line describing a layer (a row of `layer_table`)."""
    parts = ", ".join(f"{n} {k}" for k, n in row.neurons.items())
    return f"layer {row.index} ({row.stage}): {row.outputs} neurons: {parts}"


def state_info(name: str, state_size: int) -> onnx.ValueInfoProto:
    """A (batch, S) float32 state tensor."""
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", state_size])


def group_into_layers(b: Builder, table: list[LayerRow], used: set[str]):
    """b's nodes with each layer's run replaced by a call, and the layer functions."""
    docs = {row.name: layer_doc(row) for row in table}
    return group_layers(b.nodes, set(b.inits), used, OPSET, docs)


def finish_model(
    b: Builder,
    compiled: Compiled,
    form: str,
    inputs,
    outputs,
    doc: str,
    image: list[int] | None,
    table: list[LayerRow],
    functions: Sequence[onnx.FunctionProto] = (),
) -> onnx.ModelProto:
    """The checked model of `b`'s nodes: each layer a local function, the metadata set, sealed."""
    nodes, own = group_into_layers(b, table, {o.name for o in outputs})
    graph = helper.make_graph(
        nodes,
        f"loopmlp_{form}",
        inputs,
        outputs,
        initializer=list(b.inits.values()),
        doc_string=doc,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(DOMAIN, 1)],
        producer_name="loopmlp",
        ir_version=IR_VERSION,
        functions=[*functions, *own],
    )
    helper.set_model_props(
        model, model_metadata(compiled.machine, form, table, list(compiled.bound.per_layer), image)
    )
    seal(model)
    onnx.checker.check_model(model, full_check=True)
    return model
