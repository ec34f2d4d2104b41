"""Models that were edited or forged after loopmlp wrote them. The seal covers the whole model
and a missing seal is refused; a forger who seals again is caught by the metadata checks and
by the verification that the layers are the network loopmlp builds for the machine (which
names the first layer that differs); `--trust-model` skips only that verification, and a
network that never executes an instruction is still stopped. Each refusal is one line and
exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper

from loopmlp.compiler import verify
from loopmlp.compiler.build import read_program
from loopmlp.compiler.modelfile import DOMAIN, PREFIX, STATE_IN, STATE_OUT, properties, seal
from loopmlp.ir.errors import LoopmlpError
from loopmlp.runtime.cli import main
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference
from tests.runtime.test_cli import loopmlp

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello.asq"
FLOAT = onnx.TensorProto.FLOAT


@pytest.fixture(scope="module")
def model_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("models") / "hello.onnx"
    assert loopmlp("compile", str(HELLO), "-o", str(path)).returncode == 0
    return path


def one_line(proc, *words: str) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    assert proc.returncode == 2, err
    assert err.count("\n") == 1, err
    for word in words:
        assert word in err, err
    return err


def _save_with(model: onnx.ModelProto, props: dict[str, str], path: Path) -> Path:
    helper.set_model_props(model, props)
    onnx.save(model, str(path))
    return path


def _resealed(model: onnx.ModelProto, path: Path) -> Path:
    seal(model)  # a forger can compute the digest too
    onnx.save(model, str(path))
    return path


def test_an_edited_initial_state_is_refused(model_path, tmp_path):
    model = onnx.load(str(model_path))
    props = properties(model)
    text = props[PREFIX + "initial_state"]
    props[PREFIX + "initial_state"] = ("B" if text[5] != "B" else "C").join((text[:5], text[6:]))
    forged = _save_with(model, props, tmp_path / "forged.onnx")
    one_line(loopmlp("run", str(forged)), "SHA-256")
    one_line(loopmlp("inspect", str(forged)), "SHA-256")
    _resealed(model, forged)
    for trust in ([], ["--trust-model"]):
        one_line(loopmlp("run", str(forged), *trust), "initial state does not hold")
        one_line(loopmlp("inspect", str(forged), *trust), "initial state does not hold")


def test_a_missing_seal_is_refused(model_path, tmp_path):
    model = onnx.load(str(model_path))
    props = {k: v for k, v in properties(model).items() if k != PREFIX + "sha256"}
    forged = _save_with(model, props, tmp_path / "unsealed.onnx")
    one_line(loopmlp("run", str(forged)), "unsealed")


def test_a_resealed_identity_network_is_refused_and_stopped_when_trusted(model_path, tmp_path):
    model = onnx.load(str(model_path))
    graph = model.graph
    identity = helper.make_graph(
        [helper.make_node("Identity", [STATE_IN], [STATE_OUT])],
        "identity",
        list(graph.input),
        list(graph.output),
    )
    forged_model = helper.make_model(identity, opset_imports=list(model.opset_import))
    forged_model.ir_version = model.ir_version
    helper.set_model_props(forged_model, properties(model))
    forged = _resealed(forged_model, tmp_path / "identity.onnx")
    one_line(loopmlp("run", str(forged)), "layer 1 (", "--trust-model")
    one_line(loopmlp("inspect", str(forged)), "layer 1 (")
    one_line(loopmlp("run", str(forged), "--max-steps", "5", "--trust-model"), "without executing")


def _layer_index(model: onnx.ModelProto) -> dict[str, int]:
    return {row["name"]: row["index"] for row in json.loads(properties(model)[PREFIX + "layers"])}


def _layers_reading(model: onnx.ModelProto) -> dict[str, list[int]]:
    """For each weight, the layers (1..23, in the order the layer functions are called) whose
    call reads it."""
    calls = [n for n in model.graph.node if n.domain == DOMAIN]
    order = _layer_index(model)
    readers: dict[str, list[int]] = {}
    for call in calls:
        for name in call.input:
            readers.setdefault(name, []).append(order[call.op_type])
    return readers


@pytest.mark.parametrize("which", [0, 7, -1])
def test_a_weight_changed_by_one_and_resealed_names_its_layer(model_path, tmp_path, which):
    model = onnx.load(str(model_path))
    readers = _layers_reading(model)
    weights = [t for t in model.graph.initializer if t.name in readers]
    tensor = weights[which]
    array = numpy_helper.to_array(tensor).copy()
    array.reshape(-1)[0] += 1
    tensor.CopyFrom(numpy_helper.from_array(array, tensor.name))
    first = min(readers[tensor.name])
    name = next(name for name, t in _layer_index(model).items() if t == first)
    forged = _resealed(model, tmp_path / "weights.onnx")
    one_line(loopmlp("run", str(forged)), f"layer {first} ({name})", "N=16 K=128")
    one_line(loopmlp("inspect", str(forged)), f"layer {first} ({name})")
    trusted = loopmlp("run", str(forged), "--trust-model", "--max-steps", "2000")
    assert "Traceback" not in trusted.stderr.decode()
    assert trusted.returncode in (0, 2, 3, 4), trusted.stderr
    if trusted.returncode == 2:  # what the host found wrong in the network's output
        one_line(trusted, str(forged))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf, 1e30])
def test_a_non_finite_or_huge_weight_run_trusted_is_one_line(model_path, tmp_path, value):
    """NaN, inf and 1e30 in the last layer's first weight reach the status bits at once; -inf
    may be cut to 0 by a ReLU, and the network then computes something else, which
    --trust-model allows, but never a traceback."""
    model = onnx.load(str(model_path))
    readers = _layers_reading(model)
    weights = [t for t in model.graph.initializer if t.name in readers and t.data_type == FLOAT]
    array = numpy_helper.to_array(weights[-1]).copy()
    array.reshape(-1)[0] = value
    weights[-1].CopyFrom(numpy_helper.from_array(array, weights[-1].name))
    forged = _resealed(model, tmp_path / "weights.onnx")
    trusted = loopmlp("run", str(forged), "--trust-model", "--max-steps", "2000")
    if value == -np.inf:
        assert "Traceback" not in trusted.stderr.decode()
        assert trusted.returncode in (0, 2, 3, 4), trusted.stderr
    if value != -np.inf or trusted.returncode == 2:
        err = one_line(trusted, str(forged))
        assert "not 0 or 1: not a working loopmlp model" in err


def test_a_network_that_breaks_down_mid_run_keeps_the_output_so_far(
    model_path, monkeypatch, capfdbinary
):
    """A network that writes NaN into a status bit after printing part of its output: the
    output so far is on stdout, then one line naming the file, exit 2."""
    real = Network.stepper

    def stepper(self):
        step, passes = real(self), []
        halted = self.layout["halted"].offset

        def damaged(states):
            new = step(states)
            passes.append(1)
            if len(passes) == 40:
                new = new.copy()
                new[:, halted] = np.nan
            return new

        return damaged

    monkeypatch.setattr(Network, "stepper", stepper)
    assert main(["run", str(model_path), "--trust-model"]) == 2
    out, err = capfdbinary.readouterr()
    image = read_program(HELLO).image
    expected = Reference(Network(model_path).machine, image).run(39).output
    assert len(expected) > 1 and out == expected
    assert err.decode() == (
        f"loopmlp: error: {model_path}: the network wrote nan in halted[0], not 0 or 1: "
        "not a working loopmlp model\n"
    )


def _edit_metadata(model_path: Path, tmp_path: Path, key: str, value: str) -> Path:
    model = onnx.load(str(model_path))
    props = properties(model)
    props[PREFIX + key] = value
    helper.set_model_props(model, props)
    return _resealed(model, tmp_path / f"{key}.onnx")


def _bits_of(model_path: Path, bits: int) -> str:
    machine = json.loads(properties(onnx.load(str(model_path)))[PREFIX + "machine"])
    return json.dumps({**machine, "bits": bits})


EDITS = {
    "bound empty": ("bound", lambda p: "[]", "bound"),
    "bound over 2^24": ("bound", lambda p: json.dumps([1 << 24] * 23), "2^24"),
    "layers [1,2]": ("layers", lambda p: "[1, 2]", "layers"),
    "layout": ("layout", lambda p: "[]", "layout"),
    "form loop": ("form", lambda p: "loop", "inputs"),
    "form unknown": ("form", lambda p: "sparse", "form"),
    "bits disagree": ("machine", lambda p: _bits_of(p, 12), "N=12"),
    "machine not JSON": ("machine", lambda p: "{", "metadata"),
    "machine too large": ("machine", lambda p: _bits_of(p, 99), "bits"),
    "program too long": ("program", lambda p: json.dumps([0] * 200), "program"),
    "io not a bool": (
        "machine",
        lambda p: json.dumps({"bits": 16, "words": 128, "io": "yes"}),
        "io",
    ),
    "io a list": ("machine", lambda p: json.dumps({"bits": 16, "words": 128, "io": [1]}), "io"),
    "source map line infinite": (
        "source_map",
        lambda p: '[[0, "f", Infinity, null, null]]',
        "metadata",
    ),
    "source map function a dict": (
        "source_map",
        lambda p: '[[0, "f", 1, {"a": 1}, null]]',
        "source map",
    ),
    "nested too deeply": ("program", lambda p: "[" * 100_000 + "]" * 100_000, "deeply"),
    "layer row name a list": ("layers", lambda p: _layers_with(p, name=["x"]), "layers"),
    "layer row neurons a number": ("layers", lambda p: _layers_with(p, neurons=5), "layers"),
    "layer row inputs text": ("layers", lambda p: _layers_with(p, inputs="x"), "layers"),
    "version with escapes": ("version", lambda p: "0.1\n\x1b[31m", "version"),
}


def _layers_with(model_path: Path, **change) -> str:
    rows = json.loads(properties(onnx.load(str(model_path)))[PREFIX + "layers"])
    rows[3].update(change)
    return json.dumps(rows)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edited_metadata_is_one_line_with_or_without_trust(model_path, tmp_path, edit):
    key, value, word = EDITS[edit]
    forged = _edit_metadata(model_path, tmp_path, key, value(model_path))
    for command in (["run", "--trust-model"], ["inspect", "--trust-model"]):
        one_line(loopmlp(*command, str(forged)), str(forged), word)


def test_another_opset_is_refused(model_path, tmp_path):
    model = onnx.load(str(model_path))
    for opset in model.opset_import:
        if opset.domain == "":
            opset.version -= 1
    forged = _resealed(model, tmp_path / "opset.onnx")
    with pytest.raises(LoopmlpError, match="opset list"):
        Network(forged)


def test_verification_is_cached_per_machine_and_a_bad_cache_is_ignored(
    model_path, tmp_path, monkeypatch
):
    monkeypatch.setenv("LOOPMLP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(verify, "_known", {})
    builds = []
    real = verify.build_model
    monkeypatch.setattr(verify, "build_model", lambda *a: builds.append(a) or real(*a))
    Network(model_path)
    assert len(builds) == 1
    Network(model_path)
    verify._known.clear()  # a new process: the disk cache answers
    Network(model_path)
    assert len(builds) == 1
    (cached,) = (tmp_path / "cache" / "verified").iterdir()
    cached.write_text("0" * 64)  # a stale or damaged cache only costs a build
    verify._known.clear()
    Network(model_path)
    assert len(builds) == 2 and cached.read_text() != "0" * 64
    model = onnx.load(str(model_path))
    tensor = model.graph.initializer[0]
    array = numpy_helper.to_array(tensor).copy()
    array.reshape(-1)[0] += 1
    tensor.CopyFrom(numpy_helper.from_array(array, tensor.name))
    with pytest.raises(LoopmlpError, match="layer"):
        Network(_resealed(model, tmp_path / "forged.onnx"))


def test_tensors_kept_in_another_file_are_refused_unread(model_path, tmp_path):
    from onnx.external_data_helper import convert_model_to_external_data

    model = onnx.load(str(model_path))
    convert_model_to_external_data(model, location="weights.bin", size_threshold=0)
    path = tmp_path / "external.onnx"
    onnx.save(model, str(path))
    (tmp_path / "weights.bin").unlink()  # what it points at is never opened
    (tmp_path / "weights.bin").symlink_to("/dev/zero")
    for trust in ([], ["--trust-model"]):
        one_line(loopmlp("run", str(path), *trust), str(path), "other files")


def test_a_small_model_claiming_a_dense_machine_is_refused_unbuilt(model_path, tmp_path):
    forged = _edit_metadata(model_path, tmp_path, "form", "dense")
    one_line(loopmlp("run", str(forged)), "weights hold", "dense form of N=16 K=128")


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_a_cache_entry_that_is_not_a_regular_file_is_ignored_and_replaced(
    model_path, tmp_path, monkeypatch, kind
):
    import os

    monkeypatch.setenv("LOOPMLP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(verify, "_known", {})
    Network(model_path)
    (entry,) = (tmp_path / "cache" / "verified").iterdir()
    digest = entry.read_text()
    entry.unlink()
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "symlink":
        entry.symlink_to(victim)
    else:
        entry.symlink_to("/dev/zero")
    verify._known.clear()
    Network(model_path)  # neither blocks on the FIFO nor reads /dev/zero
    assert victim.read_text() == "keep me"
    assert entry.is_file() and not entry.is_symlink() and entry.read_text() == digest


def test_a_loop_model_that_stops_executing_is_refused_not_waited_for(tmp_path):
    """The Loop form runs a whole call inside ONNX Runtime: a network that stops raising
    `stepped` without a stop bit (here its last layer's weights zeroed, and sealed again)
    would keep one call going for ever. The Loop has a bound on its passes, and a call that
    ends on it, with fewer steps than asked and no stop bit, is refused in one line."""
    path = tmp_path / "hello_loop.onnx"
    assert loopmlp("compile", str(HELLO), "--form", "loop", "-o", str(path)).returncode == 0
    model = onnx.load(str(path))
    loop = next(n for n in model.graph.node if n.op_type == "Loop")
    last = next(n for n in loop.attribute[0].g.node if n.op_type == "branch_4")
    weights = {t.name: t for t in model.graph.initializer}
    for name in last.input:
        if name in weights and len(weights[name].dims) == 2:
            zeroed = np.zeros(tuple(weights[name].dims), np.float32)
            weights[name].CopyFrom(numpy_helper.from_array(zeroed, name))
    forged = _resealed(model, tmp_path / "stuck.onnx")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "loopmlp.runtime.cli", "run", str(forged), "--trust-model"]
            + ["--max-steps", "5"],
            capture_output=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a Loop model that stopped executing instructions ran for ever")
    one_line(proc, str(forged), "0 of 5 steps", "without halting")
    assert proc.stdout == b""
