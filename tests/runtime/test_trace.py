"""`loopmlp trace`: the drawn values against the reference interpreter, on every form."""

from __future__ import annotations

import json

import numpy as np
import pytest

from loopmlp.compiler.build import build_model, save_model
from loopmlp.compiler.driver import compile_machine
from loopmlp.compiler.export.weights import dense_weights
from loopmlp.compiler.program import load_program
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import Reference
from tests.conformance_cases import CONFORMANCE
from tests.runtime.test_cli import loopmlp

HELLO = CONFORMANCE / "mazonka_hello/hello.asq"
MACHINE = Machine(8, 64)
PNG = b"\x89PNG\r\n\x1a\n"


def reference_trace(steps: int):
    ref = Reference(MACHINE, load_program(HELLO, 8))
    memory, pcs, outputs = [ref.result().memory], [0], []
    for _ in range(steps):
        before = len(ref.output)
        result = ref.run(1)
        memory.append(result.memory)
        pcs.append(result.pc)
        outputs += [{"step": result.steps, "byte": b} for b in ref.output[before:]]
    return memory, pcs, outputs


@pytest.fixture(scope="module")
def model_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("trace")
    image = load_program(HELLO, 8)
    files = {}
    for form in ("dense", "factored", "loop"):
        files[form] = d / f"{form}.onnx"
        save_model(build_model(MACHINE, form, image), files[form])
    return files


@pytest.mark.parametrize("source", ["program", "dense", "factored", "loop"])
def test_run_picture_shows_memory_pc_and_output_of_every_step(source, model_files, tmp_path):
    target = str(HELLO) if source == "program" else str(model_files[source])
    png, data = tmp_path / "run.png", tmp_path / "run.json"
    proc = loopmlp(
        "trace", target, "--bits", "8", "--steps", "40", "-o", str(png), "--data", str(data)
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert png.read_bytes().startswith(PNG) and png.stat().st_size > 10_000
    drawn = json.loads(data.read_text())
    memory, pcs, outputs = reference_trace(40)
    assert drawn["memory"] == memory and drawn["pc"] == pcs and drawn["outputs"] == outputs
    assert (
        outputs and bytes(o["byte"] for o in drawn["outputs"]) == b"Hello, World!\n"[: len(outputs)]
    )


def test_layers_picture_holds_the_23_layers_of_one_step(tmp_path):
    png, data = tmp_path / "step.png", tmp_path / "step.json"
    proc = loopmlp(
        "trace",
        str(HELLO),
        "--bits",
        "8",
        "--layers",
        "--step",
        "5",
        "-o",
        str(png),
        "--data",
        str(data),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert png.read_bytes().startswith(PNG)
    layers = json.loads(data.read_text())["layers"]
    compiled = compile_machine(MACHINE)
    weights = dense_weights(compiled.graph, compiled.layers)
    assert len(layers) == 24 and [len(r) for r in layers[1:]] == [w.shape[0] for w, _ in weights]
    # Each layer is ReLU(W h + b) of the one before, and the last is the next state.
    for t, (w, b) in enumerate(weights, start=1):
        assert (np.maximum(w @ np.array(layers[t - 1]) + b, 0) == layers[t]).all()
    layout = StateLayout(MACHINE)
    ref = Reference(MACHINE, load_program(HELLO, 8))
    ref.run(5)
    after = ref.run(1)
    last = np.array(layers[-1])
    assert layout.bits_word(layout.get(last, "mem")).tolist() == after.memory
    assert int(layout.bits_word(layout.get(last, "pc"))) == after.pc
