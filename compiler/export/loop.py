"""export (Loop form): a whole run in one ONNX Runtime call.

The 23-layer step (the factored form, unchanged) is the body of an ONNX `Loop`. Around
it sits the computer's I/O device, which is not part of the MLP: it hands the next input
byte (or EOF) to the input register when the network raised `in_wanted`, collects the
byte in `out_byte` when the network raised `out_ready`, and counts a step when the network
raised `stepped`. The loop ends when a halt or fault bit is set or the step limit is met,
and after at most `passes_for(max_steps)` passes whatever the network does: a working network
executes an instruction at least every second pass (one pass may only ask for input), so a
run that ends on that bound with no stop bit and fewer steps than asked was a broken network.

Inputs: `state` (1, S) float32, `input_bytes` (L,) uint8, `max_steps` () int64.
Outputs: `final_state` (1, S), `output_bytes` (M,) uint8 in order, `steps` () int64,
`input_used` () int64 (how many input bytes the run consumed).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from ...ir.layout import STOP_FIELDS, StateLayout
from ..driver import Compiled
from ..modelfile import (
    LOOP_FINAL_STATE,
    LOOP_INPUT,
    LOOP_INPUT_USED,
    LOOP_MAX_STEPS,
    LOOP_OUTPUT,
    LOOP_STATE,
    LOOP_STEPS,
)
from .factored import emit_step
from .model import Builder, finish_model, group_into_layers, layer_table

IO = "io_device"
# A working network steps at least every IDLE_PASSES passes: one may only ask for input.
IDLE_PASSES = 2
MOST_STEPS = 1 << 60  # the step limit the pass bound is computed from at most (int64 stays exact)


def passes_for(max_steps: int) -> int:
    """The most passes a run of up to `max_steps` steps takes on a working network."""
    return IDLE_PASSES * (min(max_steps, MOST_STEPS) + 1)


def export_loop(compiled: Compiled, image: list[int] | None = None) -> onnx.ModelProto:
    """Whole runs as one model (inputs and outputs in the module's docstring)."""
    layout = StateLayout(compiled.machine)
    size = layout.size
    reg = layout["in_full"].offset
    if [layout["in_eof"].offset, layout["in_byte"].offset, layout["in_byte"].stop] != [
        reg + 1,
        reg + 2,
        size,
    ]:
        raise RuntimeError("the input register must be the last 10 entries of the state")

    table = layer_table(compiled)
    outer = Builder()
    body = Builder()
    body.inits = outer.inits  # the body reads the step's weights from the outer scope
    emit_step(body, compiled, table, "body_state", "next_state")
    i64 = np.int64

    def scalar_at(offset: int) -> str:
        """The next state's entry `offset`, as a scalar."""
        picked = body.op(
            "Gather", ["next_state", body.const(np.array(offset, i64), i64, "index")], IO, axis=1
        )
        return body.op("ReduceSum", [picked], IO, keepdims=0)

    stepped = scalar_at(layout["stepped"].offset)
    out_ready = scalar_at(layout["out_ready"].offset)
    in_wanted = scalar_at(layout["in_wanted"].offset)
    stops = body.op(
        "Gather",
        ["next_state", body.const([layout[f].offset for f in STOP_FIELDS], i64, "index")],
        IO,
        axis=1,
    )
    stop = body.op("ReduceMax", [stops], IO, keepdims=0)
    out_bits = body.op(
        "Slice",
        [
            "next_state",
            body.const([layout["out_byte"].offset], i64, "start"),
            body.const([layout["out_byte"].stop], i64, "end"),
            body.const([1], i64, "axes"),
        ],
        IO,
    )
    out_byte = body.op(
        "ReduceSum", [body.op("Mul", [out_bits, body.const(1 << np.arange(8))], IO)], IO, keepdims=0
    )
    steps_out = body.op(
        "Add", ["steps_in", body.op("Cast", [stepped], IO, to=TensorProto.INT64)], IO
    )

    # The input device: when the network wants a byte (and has not stopped), fill the register.
    one = body.const(np.array(1.0, np.float32))
    wanted = body.op("Mul", [in_wanted, body.op("Sub", [one, stop], IO)], IO)
    have = body.op(
        "Cast", [body.op("Less", ["pos_in", "input_length"], IO)], IO, to=TensorProto.FLOAT
    )
    byte = body.op("Gather", ["input_padded", body.op("Min", ["pos_in", "input_length"], IO)], IO)
    bits = body.op(
        "Mod",
        [
            body.op("Floor", [body.op("Div", [byte, body.const(2.0 ** np.arange(8))], IO)], IO),
            body.const(np.array(2.0, np.float32)),
        ],
        IO,
        fmod=1,
    )
    fill = body.op("Mul", [wanted, have], IO)
    eof = body.op("Mul", [wanted, body.op("Sub", [one, have], IO)], IO)
    scalar_to_1 = body.const([1], i64, "shape")
    update = body.op(
        "Concat",
        [
            body.op("Reshape", [wanted, scalar_to_1], IO),
            body.op("Reshape", [eof, scalar_to_1], IO),
            body.op("Mul", [bits, fill], IO),
        ],
        IO,
        axis=0,
    )
    head = body.op(
        "Slice",
        [
            "next_state",
            body.const([0], i64, "start"),
            body.const([reg], i64, "end"),
            body.const([1], i64, "axes"),
        ],
        IO,
    )
    tail = body.op(
        "Slice",
        [
            "next_state",
            body.const([reg], i64, "start"),
            body.const([size], i64, "end"),
            body.const([1], i64, "axes"),
        ],
        IO,
    )
    body.nodes.append(
        helper.make_node(
            "Concat",
            [head, body.op("Add", [tail, update], IO)],
            ["state_out"],
            name=f"{IO}/state_out",
            axis=1,
        )
    )
    body.nodes.append(
        helper.make_node(
            "Add",
            ["pos_in", body.op("Cast", [fill], IO, to=TensorProto.INT64)],
            ["pos_out"],
            name=f"{IO}/pos_out",
        )
    )
    body.nodes.append(
        helper.make_node("Identity", [steps_out], ["steps_out"], name=f"{IO}/steps_out")
    )
    running = body.op("Less", [stop, body.const(np.array(0.5, np.float32))], IO)
    body.nodes.append(
        helper.make_node(
            "And",
            [running, body.op("Less", [steps_out, LOOP_MAX_STEPS], IO)],
            ["cond_out"],
            name=f"{IO}/cond_out",
        )
    )
    body.nodes.append(
        helper.make_node("Identity", [out_ready], ["out_ready"], name=f"{IO}/out_ready")
    )
    body.nodes.append(
        helper.make_node("Identity", [out_byte], ["out_value"], name=f"{IO}/out_value")
    )

    def info(name, elem, shape):
        """A graph input or output."""
        return helper.make_tensor_value_info(name, elem, shape)

    body_outputs = {"cond_out", "state_out", "pos_out", "steps_out", "out_ready", "out_value"}
    body_nodes, functions = group_into_layers(body, table, body_outputs)
    body_graph = helper.make_graph(
        body_nodes,
        "step_and_io_device",
        [
            info("iteration", TensorProto.INT64, []),
            info("cond_in", TensorProto.BOOL, []),
            info("body_state", TensorProto.FLOAT, [1, size]),
            info("pos_in", TensorProto.INT64, []),
            info("steps_in", TensorProto.INT64, []),
        ],
        [
            info("cond_out", TensorProto.BOOL, []),
            info("state_out", TensorProto.FLOAT, [1, size]),
            info("pos_out", TensorProto.INT64, []),
            info("steps_out", TensorProto.INT64, []),
            info("out_ready", TensorProto.FLOAT, []),
            info("out_value", TensorProto.FLOAT, []),
        ],
        doc_string="one pass of the 23 layers, then the I/O device",
    )

    o = outer
    o.nodes.append(
        helper.make_node(
            "Cast", [LOOP_INPUT], ["input_float"], name=f"{IO}/input", to=TensorProto.FLOAT
        )
    )
    o.nodes.append(
        helper.make_node(
            "Concat", ["input_float", o.const([0.0])], ["input_padded"], name=f"{IO}/pad", axis=0
        )
    )
    o.nodes.append(helper.make_node("Size", [LOOP_INPUT], ["input_length"], name=f"{IO}/length"))
    start_stops = o.op(
        "Gather",
        [LOOP_STATE, o.const([layout[f].offset for f in STOP_FIELDS], i64, "index")],
        IO,
        axis=1,
    )
    start_running = o.op(
        "Less",
        [o.op("ReduceMax", [start_stops], IO, keepdims=0), o.const(np.array(0.5, np.float32))],
        IO,
    )
    cond0 = o.op(
        "And",
        [start_running, o.op("Greater", [LOOP_MAX_STEPS, o.const(np.array(0, i64), i64)], IO)],
        IO,
    )
    zero = o.const(np.array(0, i64), i64, "zero")
    # passes_for(max_steps), the trip count: no call runs for ever, whatever the weights
    bounded = o.op("Min", [LOOP_MAX_STEPS, o.const(np.array(MOST_STEPS, i64), i64)], IO)
    passes = o.op(
        "Mul",
        [
            o.op("Add", [bounded, o.const(np.array(1, i64), i64)], IO),
            o.const(np.array(IDLE_PASSES, i64), i64),
        ],
        IO,
    )
    o.nodes.append(
        helper.make_node(
            "Loop",
            [passes, cond0, LOOP_STATE, zero, zero],
            [LOOP_FINAL_STATE, LOOP_INPUT_USED, LOOP_STEPS, "ready_each_pass", "byte_each_pass"],
            name="run",
            body=body_graph,
            doc_string="until halt, fault, the step limit or the pass bound",
        )
    )
    ready = o.op("Cast", ["ready_each_pass"], IO, to=TensorProto.BOOL)
    o.nodes.append(
        helper.make_node(
            "Cast",
            [o.op("Compress", ["byte_each_pass", ready], IO)],
            [LOOP_OUTPUT],
            name=f"{IO}/output_bytes",
            to=TensorProto.UINT8,
        )
    )
    return finish_model(
        o,
        compiled,
        "loop",
        [
            info(LOOP_STATE, TensorProto.FLOAT, [1, size]),
            info(LOOP_INPUT, TensorProto.UINT8, ["input_length"]),
            info(LOOP_MAX_STEPS, TensorProto.INT64, []),
        ],
        [
            info(LOOP_FINAL_STATE, TensorProto.FLOAT, [1, size]),
            info(LOOP_OUTPUT, TensorProto.UINT8, ["output_length"]),
            info(LOOP_STEPS, TensorProto.INT64, []),
            info(LOOP_INPUT_USED, TensorProto.INT64, []),
        ],
        f"Whole runs of {compiled.machine.describe()}: the 23-layer step in a Loop with its "
        "I/O device",
        image,
        table,
        functions,
    )
