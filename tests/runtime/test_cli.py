"""The `loopmlp` command line as a user runs it: output, exit status, report, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile

import pytest

from tests.conformance_cases import CONFORMANCE, cases, check_report


def loopmlp(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """The command as a user runs it, from a directory that is not the repository."""
    return subprocess.run(
        [sys.executable, "-m", "loopmlp.runtime.cli", *args],
        cwd=tempfile.gettempdir(),
        input=stdin,
        capture_output=True,
        check=False,
        timeout=600,
    )


@pytest.mark.parametrize("case", cases("fast", "medium"), ids=lambda c: c["name"])
def test_conformance_on_reference_through_cli(case, tmp_path):
    report = tmp_path / "report.json"
    max_steps = str(case["max_steps"])
    machine = ["--bits", str(case["bits"]), "--words", str(case["words"])]
    proc = loopmlp(
        "run",
        str(CONFORMANCE / case["program"]),
        *machine,
        "--max-steps",
        max_steps,
        "--input",
        case["input"],
        "--report",
        str(report),
        "--reference",
    )
    result = json.loads(report.read_text())
    check_report(result, case)
    assert proc.stdout == case["expect"]["output"].encode("latin-1")
    assert proc.returncode == {"halt": 0, "fault": 3, "step-limit": 4}[case["expect"]["end"]]
    assert case["expect"]["end"] in proc.stderr.decode()


def test_stdin_is_the_default_input_and_quiet_silences_summary(tmp_path):
    prog = tmp_path / "echo.asq"
    # echo: read a byte; stop at EOF (-1 <= 0 after subtracting 0... via Z test); else print it.
    prog.write_text("loop: (-1) c\nZ c end\nc (-1)\nc; Z Z loop\nend: Z Z (-1)\n. c:0 Z:0\n")
    proc = loopmlp("run", str(prog), "--reference", "--quiet", stdin=b"hey")
    assert proc.stdout == b"hey" and proc.stderr == b"" and proc.returncode == 0


def test_quiet_still_names_a_fault_and_a_step_limits_line(tmp_path):
    faulty = tmp_path / "div.c"
    faulty.write_text("int main(void) {\n    int z = 0;\n    return 5 / z;\n}\n")
    proc = loopmlp("run", str(faulty), "--reference", "--quiet")
    assert proc.returncode == 3 and proc.stderr.decode().startswith(f"loopmlp: fault at {faulty}:3")
    endless = tmp_path / "spin.c"
    endless.write_text("int main(void) {\n    int x = 0;\n    while (1)\n        x++;\n}\n")
    proc = loopmlp("run", str(endless), "--reference", "--quiet", "--max-steps", "500")
    assert proc.returncode == 4
    assert re.match(
        r"loopmlp: step-limit at .*spin\.c:[34] in main after 500 steps", proc.stderr.decode()
    )


def test_asm_writes_an_image_that_runs_the_same(tmp_path):
    image = tmp_path / "hello.txt"
    assert (
        loopmlp("asm", str(CONFORMANCE / "mazonka_hello/hello.asq"), "-o", str(image)).returncode
        == 0
    )
    proc = loopmlp("run", str(image), "--reference", "--bits", "8")
    assert proc.stdout == b"Hello, World!\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", "missing.asq"], "missing.asq: no such file"),
        (["run", "{dir}"], "is a directory"),
        (["run", "{bad}", "--bits", "8"], "{bad}:1:1: unknown label 'nolabel'"),
        (["run", "{hi}", "--bits", "99"], "bits must be an integer from 4 to 32"),
        (["run", "{hi}", "--words", "24"], "words must be a power of two"),
        (["run", "{hi}", "--max-steps", "-3"], "--max-steps must be >= 0"),
        (["run", "{hi}", "--words", "16", "--input-file", "nope.bin"], "nope.bin: cannot read"),
        (["run", "{hi}", "--report", "/nonexistent/dir/r.json"], "cannot write report"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_exit_2(args, message, tmp_path):
    bad = tmp_path / "bad.asq"
    bad.write_text("nolabel 1 2\n")
    subs = {
        "{dir}": str(tmp_path),
        "{bad}": str(bad),
        "{hi}": str(CONFORMANCE / "esolangs_hi/program.txt"),
    }
    argv = [subs.get(a, a) for a in args]
    proc = loopmlp(*argv)
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert message.replace("{bad}", str(bad)) in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert proc.stdout == b""
