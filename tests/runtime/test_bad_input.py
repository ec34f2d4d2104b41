"""Inputs a careless or hostile user gives: each is one clear line and exit status 2, never a
traceback, a hang or a wrong result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loopmlp.compiler.assembler import assemble
from loopmlp.compiler.program import read_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from tests.runtime.test_cli import loopmlp

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def one_line_error(proc, *words: str) -> str:
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert proc.stdout == b""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


@pytest.mark.parametrize(
    "text, value",
    [
        (" + ".join(["1"] * 5000), 5000),
        ("(" * 3000 + "7" + ")" * 3000, 7),
        ("-" * 3001 + "7", -7),
        ("-(" * 2000 + "7" + ")" * 2000, 7),
        ("10 - (3 - (2 - 1)) + -(-4)", 10 - (3 - (2 - 1)) + 4),
    ],
    ids=["sum", "parentheses", "minuses", "negated-groups", "mixed"],
)
def test_assembler_expressions_of_any_depth(text, value):
    assert assemble(f". {text}", 16) == [value]


def test_unclosed_parenthesis_is_located():
    with pytest.raises(Exception, match=r"a.asq:1:7: expected '\)' but found end of file"):
        assemble(". ((1)", 16, "a.asq")


def test_cr_only_and_crlf_files_read_as_lines(tmp_path):
    source = (EXAMPLES / "hello.asq").read_text()
    want = read_program(EXAMPLES / "hello.asq").image
    for ending in ("\r", "\r\n"):
        path = tmp_path / "crlf.asq"
        path.write_bytes(source.replace("\n", ending).encode())
        program = read_program(path)
        assert program.image == want
        lines = {p.line for p in program.source_map}
        assert max(lines) > 1


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [["run"], ["asm"], ["inspect"], ["run", "--resume"]])
def test_devices_and_fifos_are_refused_unread(tmp_path, command):
    link = tmp_path / "prog.asq"
    link.symlink_to("/dev/zero")
    one_line_error(loopmlp(*command, str(link)), str(link), "not a regular file")
    fifo = tmp_path / "fifo.asq"
    os.mkfifo(fifo)
    one_line_error(loopmlp(*command, str(fifo)), str(fifo), "not a regular file")


def test_huge_program_file_is_refused_unread(tmp_path):
    path = tmp_path / "big.asq"
    with open(path, "wb") as f:
        f.truncate((64 << 20) + 1)
    one_line_error(loopmlp("asm", str(path)), "too large")


@pytest.mark.parametrize("value", ["10000000000000000000", "-5", "2.5", "1e30", "nan"])
def test_step_limits_out_of_range_are_refused(value):
    one_line_error(loopmlp("run", str(EXAMPLES / "hello.asq"), "--max-steps", value), "--max-steps")


@pytest.mark.parametrize(
    "steps", ["Infinity", "1e30", "-3", "2.5", "true", "99999999999999999999999"]
)
def test_checkpoints_with_impossible_step_counts_are_refused(tmp_path, steps):
    checkpoint = tmp_path / "run.ckpt"
    made = loopmlp(
        "run", str(EXAMPLES / "hello.asq"), "--max-steps", "5", "--checkpoint", str(checkpoint)
    )
    assert made.returncode == 4, made.stderr
    doc = checkpoint.read_text().replace(
        f'"steps": {json.loads(checkpoint.read_text())["steps"]}', f'"steps": {steps}'
    )
    assert doc != checkpoint.read_text()
    checkpoint.write_text(doc)
    one_line_error(loopmlp("run", "--resume", str(checkpoint)), str(checkpoint))


def test_dense_refusal_says_what_fits(tmp_path):
    err = one_line_error(loopmlp("run", str(EXAMPLES / "hello.asq"), "--form", "dense"), "MiB")
    assert "--words 64" in err and "84 words" in err and "factored" in err
    # ... and what it names does fit:
    small = tmp_path / "small.asq"
    small.write_text("Z Z (-1)\nZ: 0\n")
    proc = loopmlp("run", str(small), "--words", "64", "--form", "dense", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert run_reference(Machine(16, 64), read_program(small).image, 10).end == "halt"


def test_pytest_shows_skip_reasons(tmp_path):
    """The project's pytest settings print why a test was skipped, not only an 's'."""
    test = tmp_path / "test_skips.py"
    test.write_text("import pytest\n\ndef test_x():\n    pytest.skip('no chromium here')\n")
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(root / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            str(test),
        ],
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    assert b"no chromium here" in proc.stdout, proc.stdout.decode()
