"""Real programs on the network through `loopmlp run`, field by field against the manifest."""

from __future__ import annotations

import json

import pytest

from tests.conformance_cases import CONFORMANCE, cases, check_report
from tests.runtime.test_cli import loopmlp

DENSE_FITS = [c for c in cases("fast") if c["words"] <= 64 and c["bits"] <= 8]


def run_case(case: dict, tmp_path, *extra: str) -> dict:
    report = tmp_path / "report.json"
    proc = loopmlp(
        "run",
        str(CONFORMANCE / case["program"]),
        "--bits",
        str(case["bits"]),
        "--words",
        str(case["words"]),
        "--max-steps",
        str(case["max_steps"]),
        "--input",
        case["input"],
        "--report",
        str(report),
        *extra,
    )
    assert proc.stdout == case["expect"]["output"].encode("latin-1")
    assert proc.returncode == {"halt": 0, "fault": 3, "step-limit": 4}[case["expect"]["end"]]
    assert "network" in proc.stderr.decode()
    return json.loads(report.read_text())


@pytest.mark.parametrize("case", cases("fast", "medium"), ids=lambda c: c["name"])
def test_conformance_on_the_factored_network(case, tmp_path):
    check_report(run_case(case, tmp_path), case)


@pytest.mark.parametrize("case", DENSE_FITS, ids=lambda c: c["name"])
def test_conformance_on_the_dense_network(case, tmp_path):
    check_report(run_case(case, tmp_path, "--form", "dense"), case)


def test_compiled_model_file_runs_alone_and_machine_model_takes_a_program(tmp_path):
    hello = CONFORMANCE / "mazonka_hello/hello.asq"
    model, machine = tmp_path / "hello.onnx", tmp_path / "m.onnx"
    assert loopmlp("compile", str(hello), "--bits", "8", "-o", str(model)).returncode == 0
    assert loopmlp("run", str(model)).stdout == b"Hello, World!\n"
    assert (
        loopmlp(
            "compile", "--machine", "--bits", "8", "--words", "64", "-o", str(machine)
        ).returncode
        == 0
    )
    assert loopmlp("run", str(machine), "--program", str(hello)).stdout == b"Hello, World!\n"
    proc = loopmlp("run", str(machine))
    assert proc.returncode == 2 and "give --program" in proc.stderr.decode()
    proc = loopmlp("run", str(machine), "--program", str(hello), "--words", "128")
    assert proc.returncode == 2 and "the model's machine is N=8 K=64" in proc.stderr.decode()


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"\x00\x01garbage")
    proc = loopmlp("run", str(junk))
    assert proc.returncode == 2 and "junk.onnx" in proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()
