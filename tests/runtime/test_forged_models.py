"""Models that were edited or forged after loopmlp wrote them: the seal covers the whole
model, a missing seal is refused, and a network that never executes an instruction is
stopped, each with one line and exit 2."""

from __future__ import annotations

from pathlib import Path

import onnx
import pytest
from onnx import helper

from loopmlp.compiler.modelfile import PREFIX, STATE_IN, STATE_OUT, properties, seal
from tests.runtime.test_cli import loopmlp

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello.asq"


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


def test_an_edited_initial_state_is_refused(model_path, tmp_path):
    model = onnx.load(str(model_path))
    props = properties(model)
    text = props[PREFIX + "initial_state"]
    props[PREFIX + "initial_state"] = ("B" if text[5] != "B" else "C").join((text[:5], text[6:]))
    forged = _save_with(model, props, tmp_path / "forged.onnx")
    one_line(loopmlp("run", str(forged)), "SHA-256")
    one_line(loopmlp("inspect", str(forged)), "SHA-256")


def test_a_missing_seal_is_refused(model_path, tmp_path):
    model = onnx.load(str(model_path))
    props = {k: v for k, v in properties(model).items() if k != PREFIX + "sha256"}
    forged = _save_with(model, props, tmp_path / "unsealed.onnx")
    one_line(loopmlp("run", str(forged)), "unsealed")


def test_a_resealed_identity_network_stops_with_one_line(model_path, tmp_path):
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
    seal(forged_model)  # a forger can compute the digest too
    forged = tmp_path / "identity.onnx"
    onnx.save(forged_model, str(forged))
    one_line(loopmlp("run", str(forged), "--max-steps", "5"), "without executing")
