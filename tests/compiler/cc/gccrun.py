"""A program's whole run (output and exit status) built by gcc, beside its reference run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.compiler.cc.cgen import GCC
from tests.compiler.cc.running import run_c


def gcc_run(source: str, workdir: Path, args: tuple[str, ...] = ()) -> tuple[bytes, int]:
    """What gcc -std=c99 -fwrapv's build of `source` prints and the status it exits with."""
    if GCC is None:
        pytest.skip("gcc is not installed")
    src, exe = workdir / "prog.c", workdir / "prog"
    src.write_text(source)
    subprocess.run([GCC, "-std=c99", "-fwrapv", "-w", "-O0", "-o", str(exe), str(src)], check=True)
    done = subprocess.run([str(exe), *args], capture_output=True, timeout=20)
    return done.stdout, done.returncode


def same_run_as_gcc(source: str, workdir: Path, level: int | None = None) -> bytes:
    """The reference run's output and exit status, which must equal gcc's build's."""
    result = run_c(source, level=level)
    assert result.end == "halt", (result.end, result.reason)
    output, status = gcc_run(source, workdir)
    ours = (result.output, result.exit_status)
    assert ours == (output, status), f"{ours} against gcc's {(output, status)}"
    return output
