"""export: the compiled network as a checked ONNX model, in one of three forms.

- `model`: what every form shares: opset, the node `Builder`, the layer
  table and the one finalisation (layer functions, metadata, seal, checker).
- `weights`: the dense W_t and b_t of each layer, from the allocated graph.
- `functions`: each layer's nodes grouped into an ONNX model-local function.
- `dense`: one Gemm + Relu per layer, the paper's object.
- `factored`: the same layers with each W_t as structured blocks (the default form), with
  `stages` (one structured map as ONNX ops) and `blocks` (a layer's small nodes as one
  dense block).
- `loop`: the factored step as the body of an ONNX Loop with the I/O device around it.
- `gather`: not a form: the small model the runtime gathers the host's fields with when the
  states stay on a device.
"""

from .dense import export_dense
from .factored import export_factored
from .gather import GATHER_IN, GATHER_OUT, export_gather
from .loop import export_loop

__all__ = [
    "GATHER_IN",
    "GATHER_OUT",
    "export_dense",
    "export_factored",
    "export_gather",
    "export_loop",
]
