"""Running the library's tests: a C program's run beside gcc's build of it (its output, its
exit status, and for a fault the source line the run names)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from loopmlp.compiler.program import SourceLocation, read_program
from loopmlp.runtime.reference import run_reference
from loopmlp.runtime.result import RunResult
from tests.compiler.cc.cgen import GCC
from tests.compiler.cc.running import run_c

needs_gcc = pytest.mark.skipif(GCC is None, reason="gcc is not installed: these tests need it")

# linked into gcc's build: stdout unbuffered, so what a program printed before abort() is kept
UNBUFFERED = (
    "#include <stdio.h>\n"
    "__attribute__((constructor)) static void unbuffered(void) { setvbuf(stdout, 0, _IONBF, 0); }\n"
)


@dataclass(frozen=True)
class Built:
    """What gcc's build of a program did: its output, errors and exit status (-6: SIGABRT)."""

    stdout: bytes
    stderr: bytes
    status: int


def gcc_run(source: str, workdir: Path, stdin: bytes = b"") -> Built:
    """gcc -std=c99 -fwrapv's build of `source` (as prog.c), run as `prog`: -fno-builtin, so that
    the calls are glibc's and not what gcc folds them to."""
    (workdir / "prog.c").write_text(source)
    (workdir / "unbuffered.c").write_text(UNBUFFERED)
    command = [GCC, "-std=c99", "-fwrapv", "-fno-builtin", "-w", "-O0", "-o", "prog"]
    command += ["prog.c", "unbuffered.c"]
    subprocess.run(command, check=True, cwd=workdir)
    run = subprocess.run(
        ["prog"], executable=workdir / "prog", input=stdin, capture_output=True, timeout=20
    )
    return Built(run.stdout, run.stderr, run.returncode)


def same_as_gcc(source: str, workdir: Path, stdin: bytes = b"", **options: int) -> bytes:
    """The program's output and exit status (a halt), equal to gcc's build's; the output."""
    result = run_c(source, stdin=stdin, **options)
    built = gcc_run(source, workdir, stdin)
    assert result.end == "halt", (result.end, result.reason)
    assert result.output == built.stdout
    assert result.exit_status == built.status
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
