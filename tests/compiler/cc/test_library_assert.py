"""<assert.h>: a true assertion costs nothing visible, a false one prints glibc's message and
ends the run in a fault at its line (gcc's build: the message on stderr, SIGABRT), and NDEBUG
turns assert off where the header is included."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.compiler.cc.running import fault_of, gcc_run, needs_gcc, run_c


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


FAILS = r"""#include <stdio.h>
#include <assert.h>
int half(int x) {
    assert(x % 2 == 0);
    return x / 2;
}
int main(void) {
    int i;
    for (i = 8; i > 0; i -= 2) printf("%d ", half(i));
    assert(i == 0 && "all done");
    printf("%d\n", half(3));
    return 0;
}
"""


@needs_gcc
def test_a_failed_assert_prints_glibcs_message_and_faults_at_its_line(workdir):
    built = gcc_run(FAILS, workdir)
    result = run_c(FAILS)
    assert built.status == -6 and result.end == "fault"
    assert result.output == built.stdout + built.stderr
    assert built.stderr == b"prog: prog.c:4: half: Assertion `x % 2 == 0' failed.\n"
    assert fault_of(FAILS, workdir)[1] == "prog.c:4 in half: assertion failed"


@needs_gcc
def test_ndebug_where_assert_h_is_included_turns_it_off(workdir):
    source = "#define NDEBUG\n" + FAILS.replace(
        "int main", "#undef NDEBUG\n#include <assert.h>\nint main"
    )
    built = gcc_run(source, workdir)
    result = run_c(source)
    assert built.stdout == b"4 3 2 1 1\n" and built.status == 0  # half's assert is off
    assert result.output == built.stdout + built.stderr and result.end == "halt"
    source = source.replace("#undef NDEBUG\n", "")
    built = gcc_run(source, workdir)
    assert built.status == 0 and run_c(source).output == built.stdout


def test_assert_stays_a_void_expression():
    source = "#include <assert.h>\nint main(void) { int x = 1; assert(x), x++; return x; }"
    assert run_c(source).exit_status == 2
