"""Each of the 23 layers as an ONNX model-local function, so a viewer shows the layers in order.

A layer's nodes (named `<layer>/...` by the exports) become the body of a function named
after the layer; the graph calls it once. Its inputs are the activations it reads and the
weights (initializers) it uses, its outputs the activations later nodes read. ONNX Runtime
inlines the functions when it loads the model, so they cost nothing at run time.
"""

from __future__ import annotations

import onnx
from onnx import helper

from ...ir.graph import DEPTH, layer_name
from ..modelfile import DOMAIN

LAYER_NAMES = [layer_name(t) for t in range(1, DEPTH + 1)]


def group_layers(
    nodes: list[onnx.NodeProto],
    initializers: set[str],
    outputs_used: set[str],
    opset: int,
    docs: dict[str, str],
) -> tuple[list[onnx.NodeProto], list[onnx.FunctionProto]]:
    """Replace each layer's run of nodes by one call; returns (nodes, functions)."""
    groups: dict[str, list[onnx.NodeProto]] = {}
    order: list[str | onnx.NodeProto] = []  # a layer (its name) or a node outside layers
    for node in nodes:
        layer = node.name.split("/", 1)[0]
        if layer in LAYER_NAMES:
            if layer not in groups:
                groups[layer] = []
                order.append(layer)
            groups[layer].append(node)
        else:
            order.append(node)
    read_by: dict[str, set[str]] = {}
    for node in nodes:
        owner = node.name.split("/", 1)[0]
        for name in node.input:
            read_by.setdefault(name, set()).add(owner if owner in groups else node.name)
    result: list[onnx.NodeProto] = []
    functions: list[onnx.FunctionProto] = []
    for item in order:
        if not isinstance(item, str):
            result.append(item)
            continue
        body = groups[item]
        produced = [o for n in body for o in n.output]
        inside = set(produced)
        consumed: list[str] = []
        for n in body:
            for name in n.input:
                if name and name not in inside and name not in consumed:
                    consumed.append(name)
        acts = [c for c in consumed if c not in initializers]
        weights = [c for c in consumed if c in initializers]
        outs = [o for o in produced if o in outputs_used or read_by.get(o, set()) - {item}]
        functions.append(
            helper.make_function(
                DOMAIN,
                item,
                acts + weights,
                outs,
                body,
                [helper.make_opsetid("", opset)],
                doc_string=docs.get(item, ""),
            )
        )
        result.append(
            helper.make_node(
                item, acts + weights, outs, name=item, domain=DOMAIN, doc_string=docs.get(item, "")
            )
        )
    return result, functions
