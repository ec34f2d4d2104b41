"""Fuzzing what a hostile file can hold: forged and damaged ONNX models and edited checkpoints.

A model loopmlp did not write is refused in one line. A model, changed anywhere (a weight,
also to NaN, inf or 1e30; a metadata entry, a node, a byte of the file) and sealed again or
not, is either refused in one line naming the file, or runs exactly as the reference
interpreter runs its program. An
edited checkpoint either resumes to a documented end within the step limit or is refused in
one line naming the file; never a traceback, never a hang.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import onnx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from onnx import numpy_helper

from loopmlp.compiler.build import build_model, read_program
from loopmlp.compiler.modelfile import KEYS, PREFIX, properties, seal
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.metadata import decode_state, encode_state
from loopmlp.runtime.checkpoint import Checkpoint
from loopmlp.runtime.cli import main
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(1 << 70), 1 << 70)
    | st.floats()
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=8,
)


@cache
def hello() -> tuple[bytes, list[int], object]:
    """The hello example compiled to a factored model (its bytes), its image and machine."""
    program = read_program(EXAMPLES / "hello.asq")
    machine = program.machine()
    return (
        build_model(machine, "factored", program.image).SerializeToString(),
        program.image,
        machine,
    )


@cache
def reference_output() -> tuple[bytes, int]:
    _, image, machine = hello()
    result = Reference(machine, image).run(10_000)
    return result.output, result.steps


@st.composite
def forged(draw) -> tuple[str, bytes]:
    """(what was changed, the changed model file)."""
    data, _, _ = hello()
    how = draw(st.sampled_from(["weight", "metadata", "node", "byte", "truncate"]))
    if how == "byte":
        at = draw(st.integers(0, len(data) - 1))
        flipped = data[at] ^ (1 << draw(st.integers(0, 7)))
        return how, data[:at] + bytes([flipped]) + data[at + 1 :]
    if how == "truncate":
        return how, data[: draw(st.integers(0, len(data) - 1))]
    model = onnx.ModelProto.FromString(data)
    if how == "weight":
        tensor = draw(st.sampled_from(list(model.graph.initializer)))
        array = numpy_helper.to_array(tensor).copy()
        flat = array.reshape(-1)
        if flat.size:
            at = draw(st.integers(0, flat.size - 1))
            if array.dtype.kind == "f" and draw(st.booleans()):
                # what no compiler writes: non-finite and huge weights
                flat[at] = draw(st.sampled_from([np.nan, np.inf, -np.inf, 1e30, -1e30, 3e38]))
            else:
                flat[at] += draw(st.sampled_from([1, -1, 0.5, 1e-3, 1 << 24]))
        tensor.CopyFrom(numpy_helper.from_array(array, tensor.name))
    elif how == "metadata":
        key = PREFIX + draw(st.sampled_from(sorted(KEYS)))
        props = properties(model)
        value = draw(st.one_of(JSON.map(json.dumps), st.text(max_size=20)))
        if draw(st.booleans()) and key in props:
            del props[key]
        else:
            props[key] = value
        del model.metadata_props[:]
        onnx.helper.set_model_props(model, props)
    else:
        function = draw(st.sampled_from(list(model.functions)))
        del function.node[draw(st.integers(0, len(function.node) - 1))]
    if draw(st.booleans()):
        seal(model)  # as a forger would
    return how, model.SerializeToString()


@FUZZ
@given(case=forged())
def test_a_forged_model_is_refused_in_one_line_or_runs_exactly(tmp_path, case):
    how, data = case
    path = tmp_path / "model.onnx"
    path.write_bytes(data)
    try:
        network = Network(path)
    except LoopmlpError as err:
        message = str(err)
        assert message.startswith(str(path)) and "\n" not in message, (how, message)
        event(f"{how}: refused")
        return
    event(f"{how}: ran")
    output, steps = reference_output()
    result = network.run(None, steps + 10)
    assert (result.output, result.steps, result.end) == (output, steps, "halt"), how


@FUZZ
@given(case=forged())
def test_a_forged_model_run_trusted_ends_or_is_one_line(tmp_path, case):
    """--trust-model runs what the file holds: whatever it computes, the run ends within its
    step limit or stops with one line naming the file, never a traceback or a hang."""
    how, data = case
    path = tmp_path / "model.onnx"
    path.write_bytes(data)
    try:
        Network(path, verify=False).run(None, 300)
    except LoopmlpError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err), (how, str(err))


@st.composite
def foreign(draw) -> bytes:
    """A model loopmlp did not write: a chain of elementwise ops from state to next_state,
    with no metadata, or with hello's metadata copied in (and sealed again or not)."""
    data, _, _ = hello()
    real = onnx.ModelProto.FromString(data)
    ops = draw(st.lists(st.sampled_from(["Identity", "Relu", "Neg", "Abs", "Sigmoid"]), max_size=4))
    names = ["state", *(f"h{i}" for i in range(len(ops))), "next_state"]
    nodes = [
        onnx.helper.make_node(op, [a], [b])
        for op, a, b in zip([*ops, "Identity"], names[:-1], names[1:], strict=True)
    ]
    graph = onnx.helper.make_graph(
        nodes, "foreign", list(real.graph.input), list(real.graph.output)
    )
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17)])
    model.ir_version = real.ir_version
    if draw(st.booleans()):
        onnx.helper.set_model_props(model, properties(real))
        if draw(st.booleans()):
            seal(model)
    return model.SerializeToString()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=foreign())
def test_a_foreign_model_is_refused_in_one_line(tmp_path, data):
    path = tmp_path / "foreign.onnx"
    path.write_bytes(data)
    try:
        Network(path)
    except LoopmlpError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
    else:
        raise AssertionError("a model loopmlp did not write was accepted")


@cache
def checkpoint_doc() -> dict:
    """A checkpoint of hello on the network, 100 steps in."""
    _, image, machine = hello()
    model = build_model(machine, "factored")
    runner = Network(model).runner(image)
    runner.run(100)
    path = Path(f"/tmp/loopmlp-fuzz-{id(model)}.json")
    Checkpoint(
        machine,
        "factored",
        runner.snapshot(),
        runner.total_steps,
        bytes(runner.output),
        10_000,
        b"",
    ).save(path)
    doc = json.loads(path.read_text())
    path.unlink()
    return doc


@st.composite
def edited_checkpoint(draw) -> bytes:
    doc = json.loads(json.dumps(checkpoint_doc()))
    how = draw(st.sampled_from(["value", "delete", "machine", "state", "byte"]))
    if how == "value":
        doc[draw(st.sampled_from(sorted(doc)))] = draw(JSON)
    elif how == "delete":
        del doc[draw(st.sampled_from(sorted(doc)))]
    elif how == "machine":
        doc["machine"][draw(st.sampled_from(["bits", "words", "io"]))] = draw(JSON)
    elif how == "state":
        _, _, machine = hello()
        size = StateLayout(machine).size
        state = decode_state(doc["state"], size)
        for at in draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3)):
            state[at] ^= 1
        doc["state"] = encode_state(state)
    text = json.dumps(doc).encode("utf-8")
    if how == "byte":
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + bytes([draw(st.integers(0, 255))]) + text[at + 1 :]
    return text


@FUZZ
@given(text=edited_checkpoint())
def test_an_edited_checkpoint_resumes_to_an_end_or_is_one_line(tmp_path, capfd, text):
    path = tmp_path / "run.ckpt"
    path.write_bytes(text)
    status = main(["run", "--resume", str(path), "--max-steps", "400"])
    err = capfd.readouterr().err
    event(f"exit {status}")
    assert "Traceback" not in err
    if status == 2:
        assert err.count("\n") == 1 and err.startswith(f"loopmlp: error: {path}: "), err
    else:
        assert status in (0, 3, 4), (status, err)


def test_the_unedited_checkpoint_resumes_to_the_references_end(tmp_path, capfd):
    path = tmp_path / "run.ckpt"
    path.write_text(json.dumps(checkpoint_doc()))
    assert main(["run", "--resume", str(path), "--quiet"]) == 0
    output, _ = reference_output()
    assert capfd.readouterr().out.encode("latin-1") == output[len(checkpoint_doc()["output"]) :]


def test_a_line_break_in_an_edited_checkpoint_stays_on_one_line(tmp_path, capfd):
    doc = json.loads(json.dumps(checkpoint_doc()))
    doc["machine"]["bits"] = "\n"  # found by the fuzz test above
    path = tmp_path / "run.ckpt"
    path.write_text(json.dumps(doc))
    assert main(["run", "--resume", str(path)]) == 2
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"loopmlp: error: {path}: damaged"), err
