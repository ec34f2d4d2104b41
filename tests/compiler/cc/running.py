"""Compile C and run it on the reference interpreter (the oracle every network run meets)."""

from __future__ import annotations

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from loopmlp.runtime.result import RunResult
from tests.compiler.cc.cgen import gcc_output


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


def same_as_gcc(source: str, workdir, level: int | None = None) -> bytes:
    """The program's output, which its reference run at `level` (None: the one compile_c
    chooses) must end in a halt with, equal to gcc's build's."""
    result = run_c(source, level=level)
    assert result.end == "halt", (result.end, result.reason)
    expected = gcc_output(source, workdir)
    assert result.output == expected
    return expected
