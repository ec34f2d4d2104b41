"""`loopmlp inspect` against the compiled network it describes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from loopmlp.compiler.build import build_model, save_model
from loopmlp.compiler.driver import compile_machine
from loopmlp.compiler.export.weights import dense_weights
from loopmlp.ir.graph import layer_name, stage_of_layer
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine
from tests.runtime.test_cli import loopmlp

MACHINE = Machine(8, 16)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    d = tmp_path_factory.mktemp("inspect")
    out = {}
    for form in ("dense", "factored", "loop"):
        path = d / f"{form}.onnx"
        save_model(build_model(MACHINE, form, [3, 3, -1]), path)
        proc = loopmlp("inspect", str(path), "--json")
        assert proc.returncode == 0, proc.stderr
        out[form] = json.loads(proc.stdout)
        out[form + "_text"] = loopmlp("inspect", str(path)).stdout.decode()
    return out


def test_dense_report_matches_the_weights(reports):
    compiled = compile_machine(MACHINE)
    weights = dense_weights(compiled.graph, compiled.layers)
    report = reports["dense"]
    assert report["parameters"]["total"] == sum(w.size + b.size for w, b in weights)
    assert report["parameters"]["nonzero"] == sum(
        np.count_nonzero(w) + np.count_nonzero(b) for w, b in weights
    )
    for row, (w, b) in zip(report["layers"], weights, strict=True):
        assert (row["inputs"], row["outputs"]) == (w.shape[1], w.shape[0])
        assert row["nonzero_weights"] == np.count_nonzero(w) + np.count_nonzero(b)
        assert sum(row["neurons"].values()) == w.shape[0]


@pytest.mark.parametrize("form", ["dense", "factored", "loop"])
def test_every_form_reports_machine_layers_and_layout(reports, form):
    report = reports[form]
    assert report["machine"] == {"bits": 8, "words": 16, "io": True} and report["form"] == form
    assert report["program_words"] == 3
    assert [(r["index"], r["name"], r["stage"]) for r in report["layers"]] == [
        (t, layer_name(t), stage_of_layer(t)) for t in range(1, 24)
    ]
    assert {r["stage"] for r in report["layers"]} == {
        "fetch",
        "operand_read",
        "subtract",
        "write_back",
        "next_pc",
        "branch",
    }
    assert [(r["inputs"], r["outputs"], r["neurons"]) for r in report["layers"]] == [
        (r["inputs"], r["outputs"], r["neurons"]) for r in reports["dense"]["layers"]
    ]
    assert report["layout"] == StateLayout(MACHINE).describe()
    assert report["bound"]["largest"] < 2**24
    text = reports[form + "_text"]
    assert all(layer_name(t) in text for t in range(1, 24)) and "exact" in text
