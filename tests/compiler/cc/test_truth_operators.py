"""&, | and ^ between two truth values (comparisons, &&, ||, !): as && , || and != where the
right operand has no effect and cannot fault; evaluated in full where it may. The runs equal
gcc's build's."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.running import same_as_gcc

TRUTHS = r"""#include <stdio.h>
int calls;
int f(int v) { calls++; printf("f%d ", v); return v; }
int main(void) {
    int x, y, i, s = 0, k = 0, z = 0;
    int a[4] = {1, 2, 3, 4};
    for (x = -3; x < 9; x++)
        for (y = -2; y < 10; y++)
            for (i = 0; i < 8; i++) {
                s = s * 3 + ((x + i < 8) & (y - i >= 0)) + 2 * ((x < y) | !(y == i));
                s += 4 * ((x > i) ^ (y <= 3)) + 8 * ((x < 0 || y < 0) & !(i & 1));
                k += (x & y) + ((x < 3) & y);
                k += (x == 2 & y++ > 3 ? 1 : 0);        /* an effect: evaluated in full */
                y--;
            }
    printf("%d %d\n", s, k);
    printf("%d ", (z > 0) & (f(1) > 0));                /* a call: made */
    printf("%d ", (z > 0) & (a[z] > 0));                /* a read through memory */
    printf("%d ", (z == 0) | (f(2) > 0));
    printf("%d ", (z > 0) ^ (f(3) > 0));
    printf("%d\n", calls);
    return (z != 0) & (10 / (z + 1) > 3);               /* a division: evaluated */
}
"""


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@pytest.mark.parametrize("level", [0, len(LEVELS) - 1])
def test_truth_operators_run_as_gccs_build(level, workdir):
    same_as_gcc(TRUTHS, workdir, level=level)


def test_two_comparisons_and_call_no_routine():
    """`(x < 8) & (y < 8)` branches as `&&` does: no rt_and in the program."""
    source = "int main(void) { int x = 3, y = 9; return (x < 8) & (y < 8); }\n"
    assert "rt_and" not in compile_c(source, "truth.c").text
