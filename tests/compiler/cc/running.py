"""Compile C and run it on the reference interpreter (the oracle every network run meets), and
beside gcc's build of it: its output, its exit status, and for a fault the source line the run
names."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.compiler.program import SourceLocation, read_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from loopmlp.runtime.result import RunResult
from tests.compiler.cc.cgen import GCC

needs_gcc = pytest.mark.skipif(GCC is None, reason="gcc is not installed: these tests need it")

# linked into gcc's build: stdout unbuffered, so what a program printed before abort() is kept
UNBUFFERED = (
    "#include <stdio.h>\n"
    "__attribute__((constructor)) static void unbuffered(void) { setvbuf(stdout, 0, _IONBF, 0); }\n"
)


def run_c(
    source: str,
    bits: int = 32,
    stdin: bytes = b"",
    max_steps: int = 20_000_000,
    file: str = "prog.c",
    level: int | None = None,
    heap: int | None = None,
    stack: int | None = None,
) -> RunResult:
    """The reference run of a C program (`level`: one space-time level, see codeunit.LEVELS;
    `heap`: the words malloc hands out)."""
    program = compile_c(source, file, bits, stack=stack, level=level, heap=heap)
    result = run_reference(Machine(bits, program.words), program.image, max_steps, stdin)
    result.exit_address = program.exit_address  # so that result.exit_status is main's value
    return result


@dataclass(frozen=True)
class Built:
    """What gcc's build of a program did: its output, errors and exit status (-6: SIGABRT)."""

    stdout: bytes
    stderr: bytes
    status: int


def gcc_run(source: str, workdir: Path, stdin: bytes = b"", args: tuple[str, ...] = ()) -> Built:
    """gcc -std=c99 -fwrapv's build of `source` (as prog.c), run as `prog` with `args` on
    `stdin`: -fno-builtin, so that the calls are glibc's and not what gcc folds them to, and
    stdout unbuffered. Skips the test where gcc is not installed."""
    if GCC is None:
        pytest.skip("gcc is not installed")
    (workdir / "prog.c").write_text(source)
    (workdir / "unbuffered.c").write_text(UNBUFFERED)
    command = [GCC, "-std=c99", "-fwrapv", "-fno-builtin", "-w", "-O0", "-o", "prog"]
    command += ["prog.c", "unbuffered.c"]
    subprocess.run(command, check=True, cwd=workdir)
    run = subprocess.run(
        ["prog", *args], executable=workdir / "prog", input=stdin, capture_output=True, timeout=20
    )
    return Built(run.stdout, run.stderr, run.returncode)


def same_as_gcc(
    source: str, workdir: Path, level: int | None = None, *, stdin: bytes = b"", **options: int
) -> bytes:
    """The reference run at `level` (None: the one compile_c chooses; `options`: run_c's) on
    `stdin` halts with the output and exit status of gcc's build; the output."""
    result = run_c(source, stdin=stdin, level=level, **options)
    built = gcc_run(source, workdir, stdin)
    assert result.end == "halt", (result.end, result.reason)
    assert result.output == built.stdout
    assert result.exit_status == built.status
    return built.stdout


def same_at_every_level(source: str, workdir: Path, stdin: bytes = b"") -> bytes:
    """The reference run at every level of the code generator halts with the output and exit
    status of gcc's build; the output."""
    built = gcc_run(source, workdir, stdin)
    for level in range(len(LEVELS)):
        result = run_c(source, stdin=stdin, level=level)
        assert result.end == "halt", (level, result.end, result.reason)
        ours = (result.output, result.exit_status)
        assert ours == (built.stdout, built.status), (level, ours, built)
    return built.stdout


def fault_of(source: str, workdir: Path, max_steps: int = 20_000_000) -> tuple[RunResult, str]:
    """The run of `source` (as prog.c) and where its fault is, `FILE:LINE in FUNCTION: NOTE`."""
    path = workdir / "prog.c"
    path.write_text(source)
    program = read_program(path, 32)
    result = run_reference(program.machine(), program.image, max_steps, b"")
    assert result.end == "fault", (result.end, result.output)
    where = program.location(result.pc)
    assert isinstance(where, SourceLocation)
    return result, f"{Path(where.file).name}:{where.line} in {where.function}: {where.note}"
