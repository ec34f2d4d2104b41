"""The host-fields gather: a small model that picks a few columns of a batch of states.

It is not a form of the network: the runtime runs it after each pass of a batch whose states
stay on the execution provider's device (`runtime/buffers.py`'s `Resident`), so that only the
entries the host reads come back. It is written with the same opset and IR version as every
form (`model.OPSET`, `model.IR_VERSION`).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .model import IR_VERSION, OPSET

GATHER_IN = "states"
GATHER_OUT = "picked"


def export_gather(size: int, cols: np.ndarray) -> onnx.ModelProto:
    """A model from `states` (B, size) float32 to `picked` (B, len(cols)): the columns `cols`."""
    graph = helper.make_graph(
        [helper.make_node("Gather", [GATHER_IN, "cols"], [GATHER_OUT], axis=1)],
        "host_fields",
        [helper.make_tensor_value_info(GATHER_IN, TensorProto.FLOAT, ["batch", size])],
        [helper.make_tensor_value_info(GATHER_OUT, TensorProto.FLOAT, ["batch", len(cols)])],
        [numpy_helper.from_array(np.asarray(cols, np.int64), "cols")],
    )
    return helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION
    )
