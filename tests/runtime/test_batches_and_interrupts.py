"""A batch stopped by a signal keeps its output; a batch's errors name the program; the
summary's rate leaves out time spent waiting for typed input."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loopmlp.compiler.build import read_program
from loopmlp.runtime.reference import run_reference
from tests.children import child
from tests.runtime.test_streams_and_paths import CLI, EXAMPLES, FOREVER, no_traceback, one_line

HELLO = EXAMPLES / "hello.asq"


def _hello_output() -> bytes:
    program = read_program(HELLO)
    return run_reference(program.machine(), program.image, 100_000).output


@pytest.mark.parametrize("engine", [["--form", "factored"], ["--form", "loop"], ["--reference"]])
def test_an_interrupted_batch_keeps_its_output_and_reports(engine, tmp_path):
    forever = tmp_path / "forever.asq"
    forever.write_text(FOREVER)
    report = tmp_path / "report.json"
    runs = [HELLO, forever, HELLO]  # one at a time (loop, reference): the last never starts
    with child(
        [*CLI, "run", *map(str, runs), "--words", "128", "--report", str(report), *engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        time.sleep(5)  # started, compiled, and well into the endless run
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    text = no_traceback(err)
    assert proc.returncode == 130, text
    assert "interrupted" in text and text.count("\n") == 1, text
    hello = _hello_output()
    assert out.startswith(f"==> {HELLO} <==\n".encode() + hello)
    assert f"==> {forever} <==\nxxx".encode() in out
    hello_report, forever_report, last = json.loads(report.read_text())
    assert hello_report["end"] == "halt" and hello_report["output"].encode("latin-1") == hello
    assert forever_report["end"] == "interrupted" and forever_report["steps"] > 0
    together = engine == ["--form", "factored"]
    assert last["end"] == ("halt" if together else "interrupted")
    assert f"{2 if together else 1} of 3 runs had ended" in text


def test_a_batch_that_does_not_fit_names_the_program(tmp_path):
    small = tmp_path / "small.asq"
    small.write_text("Z Z -1\n. Z: 0\n")
    proc = subprocess.run(
        [*CLI, "run", str(small), str(HELLO), "--words", "16"], capture_output=True, check=False
    )
    assert one_line(proc, 2, str(HELLO), "16").startswith(f"loopmlp: error: {HELLO}:")


def test_a_batch_refuses_models_and_program_by_name(tmp_path):
    model = tmp_path / "m.onnx"
    model.write_bytes(b"")
    proc = subprocess.run([*CLI, "run", str(HELLO), str(model)], capture_output=True, check=False)
    one_line(proc, 2, str(model), "not .onnx models")
    proc = subprocess.run(
        [*CLI, "run", str(HELLO), str(HELLO), "--program", str(HELLO)],
        capture_output=True,
        check=False,
    )
    err = one_line(proc, 2, "--program")
    assert "not .onnx models" not in err


def test_waiting_for_typed_input_is_left_out_of_the_rate():
    proc = subprocess.Popen(
        [*CLI, "run", str(EXAMPLES / "echo.asq")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # the program is waiting for its first byte (its start, on a loaded machine, can take seconds)
    time.sleep(8)
    out, err = proc.communicate(b"hi", timeout=60)
    assert proc.returncode == 0 and out == b"hi", err
    line = err.decode()
    found = re.search(
        r"after (\d+) steps .*?, ([\d.]+) s \(([\d.]+) s waiting for input\), ([\d,]+) steps/s",
        line,
    )
    assert found, line
    steps, seconds, waited, rate = (float(g.replace(",", "")) for g in found.groups())
    assert waited >= 0.5 and seconds >= waited
    assert rate > 3 * steps / seconds  # the rate is of the time the network ran


def test_the_reference_interrupted_while_waiting_for_input_keeps_its_steps(tmp_path):
    report = tmp_path / "report.json"
    with child(
        [*CLI, "run", str(EXAMPLES / "echo.asq"), "--reference", "--report", str(report)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        proc.stdin.write(b"xy")
        proc.stdin.flush()
        time.sleep(3)  # both bytes echoed, waiting for the third
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and out == b"xy", err
    program = read_program(EXAMPLES / "echo.asq")
    want = run_reference(program.machine(), program.image, 10_000, b"xy")  # ends at EOF instead
    steps = json.loads(report.read_text())["steps"]
    assert 0 < steps < want.steps and f"after {steps} steps" in err.decode()


def test_ctrl_c_while_the_command_loads_is_one_line(tmp_path):
    forever = tmp_path / "forever.asq"
    forever.write_text(FOREVER)
    command = Path(sys.executable).with_name("loopmlp")
    with child(
        [str(command), "run", str(forever)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as proc:
        time.sleep(0.3)  # loading its modules
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    text = no_traceback(err)
    assert text.count("\n") == 1 and "interrupted" in text, text


def test_the_loop_form_reads_its_input_to_the_end_once():
    """A terminal's end of input (Ctrl-D) is not final: after it the Loop form must not read
    again, or it would wait for more (and lose what follows the first chunk)."""
    from loopmlp.compiler.build import build_model
    from loopmlp.runtime.network import Network

    program = read_program(EXAMPLES / "echo.asq")
    machine = program.machine()
    data = iter(b"abcdefghijklmnop")

    def typed() -> int:
        byte = next(data, -1)
        if byte == -1:
            typed.ends += 1
            assert typed.ends == 1, "read again after the end of input"
        return byte

    typed.ends = 0
    runner = Network(build_model(machine, "loop")).runner(program.image)
    while (result := runner.run(7, typed)).end == "step-limit":
        pass
    want = run_reference(machine, program.image, 100_000, b"abcdefghijklmnop")
    assert result == want


def test_a_batch_says_how_each_run_ended_and_the_batch_rate(tmp_path):
    one = tmp_path / "one.asq"
    one.write_text("Z Z (-1)\n. Z: 0\n")  # halts after one step
    proc = subprocess.run([*CLI, "run", str(HELLO), str(one)], capture_output=True, check=False)
    lines = no_traceback(proc.stderr).splitlines()
    hello = run_reference(read_program(HELLO).machine(), read_program(HELLO).image, 10_000)
    assert proc.returncode == 0 and len(lines) == 3, lines
    assert lines[0] == f"loopmlp: {HELLO}: halt after {hello.steps} steps at pc -1"
    assert lines[1] == f"loopmlp: {one}: halt after 1 step at pc -1"
    assert lines[2].startswith(f"loopmlp: 2 runs, {hello.steps + 1} steps in all [")
    assert lines[2].endswith(" program-steps/s]")


def test_a_usage_error_names_the_option_once():
    proc = subprocess.run(
        [*CLI, "run", str(HELLO), "--form", "sparse"], capture_output=True, check=False
    )
    err = one_line(proc, 2, "argument --form", "see loopmlp run --help")
    assert err.startswith("loopmlp: error: argument --form: invalid choice")
