"""Failure behaviour: bad input, invalid states, interruption and resume, determinism."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from loopmlp.compiler.build import build_model, save_model
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine
from loopmlp.runtime.host import Batch
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import bytes_reader, run_reference
from tests.children import child
from tests.conformance_cases import CONFORMANCE
from tests.runtime.test_cli import loopmlp

COUNTER = "loop: one c; c (-1); Z Z loop\n. one:1 c:0 Z:0\n"  # prints 255, 254, ... forever
ECHO = "loop: (-1) c\nZ c end\nc (-1)\nc; Z Z loop\nend: Z Z (-1)\n. c:0 Z:0\n"


def expect_error(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert err.startswith("loopmlp: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    d = tmp_path_factory.mktemp("models")
    good = d / "m.onnx"
    save_model(build_model(Machine(8, 16), "factored"), good)
    data = good.read_bytes()
    (d / "truncated.onnx").write_bytes(data[: len(data) // 2])
    corrupt = bytearray(data)
    corrupt[len(corrupt) // 3 : len(corrupt) // 3 + 64] = b"\xff" * 64
    (d / "corrupt.onnx").write_bytes(bytes(corrupt))
    plain = helper.make_model(
        helper.make_graph(
            [helper.make_node("Relu", ["x"], ["y"])],
            "g",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
        )
    )
    onnx.save(plain, d / "plain.onnx")
    old = build_model(Machine(8, 16), "factored")
    for prop in old.metadata_props:
        if prop.key == "loopmlp.format":
            prop.value = "0"
    onnx.save(old, d / "old.onnx")
    return d


@pytest.mark.parametrize(
    "name, args, fragments",
    [
        ("binary garbage", ["{bin}"], ["{bin}", "not a text file"]),
        ("empty program", ["{empty}"], ["{empty}", "empty program"]),
        ("unknown label", ["{asm}", "--bits", "8"], ["{asm}:1:1", "unknown label 'nowhere'"]),
        ("duplicate label", ["{dup}"], ["{dup}:2:1", "duplicate label 'a'"]),
        ("bad character", ["{char}"], ["{char}:1:3", "unexpected character '@'"]),
        ("unterminated string", ["{str}"], ["{str}:1:3", "unterminated string"]),
        ("bad expression", ["{expr}"], ["{expr}:1:5", "expected a number"]),
        ("value too wide", ["{wide}", "--bits", "8"], ["{wide}:1:3", "does not fit 8 bits"]),
        (
            "image larger than K",
            ["{hi}", "--bits", "8", "--words", "8"],
            ["words must be a power of two >= 16"],
        ),
        (
            "image larger than memory",
            ["{long}", "--bits", "8", "--words", "16"],
            ["17 words", "only 16"],
        ),
        ("invalid --bits", ["{hi}", "--bits", "40"], ["bits must be an integer from 4 to 32"]),
        ("invalid --words", ["{hi}", "--words", "100"], ["words must be a power of two"]),
        (
            "invalid --max-steps",
            ["{hi}", "--max-steps", "lots"],
            ["--max-steps must be an integer"],
        ),
        ("not a loopmlp model", ["{models}/plain.onnx"], ["plain.onnx", "not a loopmlp model"]),
        ("truncated model", ["{models}/truncated.onnx"], ["truncated.onnx"]),
        ("corrupted model", ["{models}/corrupt.onnx"], ["corrupt.onnx"]),
        (
            "incompatible version",
            ["{models}/old.onnx", "--program", "{hi}"],
            ["old.onnx", "model format 0"],
        ),
        ("machine mismatch", ["{models}/m.onnx", "--program", "{long}"], ["17 words", "N=8 K=16"]),
        ("unreadable input", ["{hi}", "--input-file", "{missing}"], ["cannot read input file"]),
        ("unwritable report", ["{hi}", "--report", "{models}"], ["cannot write report"]),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(name, args, fragments, tmp_path, models):
    files = {
        "bin": b"\x00\x9f\x92\x96binary",
        "empty": b"# nothing here\n",
        "asm.asq": b"nowhere 1 2\n",
        "dup.asq": b"a: 1\na: 2\n",
        "char.asq": b"1 @ 2\n",
        "str.asq": b'. "abc\n',
        "expr.asq": b"1 + ;\n",
        "wide.asq": b". 300\n",
        "long": b"0 " * 17,
    }
    subs = {
        "{hi}": str(CONFORMANCE / "esolangs_hi/program.txt"),
        "{models}": str(models),
        "{missing}": str(tmp_path / "missing.bin"),
    }
    for filename, content in files.items():
        (tmp_path / filename).write_bytes(content)
        subs["{" + filename.split(".")[0] + "}"] = str(tmp_path / filename)

    def fill(text: str) -> str:
        for key, value in subs.items():
            text = text.replace(key, value)
        return text

    report_arg = [fill(a) for a in args]
    proc = loopmlp("run", *report_arg)
    expect_error(proc, *(fill(f) for f in fragments))
    assert proc.stdout == b""


def test_interrupt_stops_within_a_second_and_resume_equals_one_run(tmp_path):
    program = tmp_path / "count.asq"
    program.write_text(COUNTER)
    ck, args = tmp_path / "ck.json", ["--bits", "8", "--max-steps", "50000"]
    with child(
        [
            sys.executable,
            "-m",
            "loopmlp.runtime.cli",
            "run",
            str(program),
            *args,
            "--checkpoint",
            str(ck),
            "--checkpoint-every",
            "0.5",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        deadline = time.monotonic() + 60
        while not ck.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out1, err1 = proc.communicate(timeout=30)
        assert time.monotonic() - sent < 1.5
    assert proc.returncode == 130, err1
    assert b"interrupted after" in err1 and b"Traceback" not in err1
    report = tmp_path / "r.json"
    second = loopmlp("run", "--resume", str(ck), "--report", str(report))
    assert second.returncode == 4
    reference = loopmlp(
        "run", str(program), *args, "--reference", "--report", str(tmp_path / "ref.json")
    )
    assert out1 + second.stdout == reference.stdout
    assert json.loads(report.read_text()) == json.loads((tmp_path / "ref.json").read_text())


def test_a_run_split_at_step_limits_keeps_its_input(tmp_path):
    program = tmp_path / "echo.asq"
    program.write_text(ECHO)
    ck = tmp_path / "ck.json"
    first = loopmlp(
        "run", str(program), "--input", "hello, world", "--max-steps", "20", "--checkpoint", str(ck)
    )
    assert first.returncode == 4
    second = loopmlp("run", "--resume", str(ck), "--max-steps", "1000")
    assert second.returncode == 0
    assert first.stdout + second.stdout == b"hello, world"
    refused = loopmlp("run", "--resume", str(ck), "--input", "again")
    expect_error(refused, "holds the rest of the run's input")


def test_states_are_validated_before_the_first_step():
    machine = Machine(8, 16)
    state = StateLayout(machine).initial([3, 3, -1]).astype(np.float32)
    state[5] = 0.5  # memory is stored bit-major: entry 5 is bit 0 of word 5
    with pytest.raises(LoopmlpError, match=r"entry 5 \(mem\[5, 0\]\) is 0.5"):
        Batch(machine, state)
    with pytest.raises(LoopmlpError, match="has 161 entries"):
        Batch(machine, np.zeros(160))
    network = Network(build_model(machine, "loop"))
    with pytest.raises(LoopmlpError, match="not 0 or 1"):
        network.runner(state=state)


def test_same_results_across_forms():
    machine = Machine(8, 64)
    text = (CONFORMANCE / "mazonka_hello/program.txt").read_text()
    image = [int(v) for v in text.split()]
    want = run_reference(machine, image, 1000)
    for form in ("dense", "factored", "loop"):
        for threads in (1, 2):
            got = Network(build_model(machine, form, image), threads=threads).run(
                None, 1000, bytes_reader(b"")
            )
            assert got == want, (form, threads)
