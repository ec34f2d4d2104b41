"""A loop's squares (compiler/cc/squares.py): `i * i` in a loop's test kept in a cell of its
own where the loop changes i only by `i++;` and `i--;`. The runs equal gcc's build's, where the
squares are kept and where they must not be."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.running import same_as_gcc

KEPT = r"""#include <stdio.h>
int primes(int limit) {
    int n, t, p, c = 0;
    for (n = 2; n < limit; n++) {
        t = 2;
        p = 1;
        while (t * t <= n) {
            if (n % t == 0) p = 0;
            t++;
        }
        if (p) c++;
    }
    return c;
}
int main(void) {
    int i, j, k = 0;
    unsigned u;
    printf("%d\n", primes(300));
    for (i = 0; i * i < 1000; ++i) k += i;              /* the step, prefix */
    printf("%d %d\n", i, k);
    for (i = 46340; i * i > 0; i++) k++;                /* the square wraps past INT_MAX */
    printf("%d %d\n", i, k);
    i = 50;
    while (i * i > 100) { i--; if (i == 30) continue; k += i; }  /* --, and continue */
    printf("%d %d\n", i, k);
    for (i = -5; i * i > 3 || i < 0; i++) { k += i * i; if (i == 7) break; }
    printf("%d %d\n", i, k);
    for (i = 1; i * i < 50; i++)                        /* nested, each keeps its own */
        for (j = i; j * j < 40 + i * i; j++) k += j;
    printf("%d %d %d\n", i, j, k);
    for (u = 65530; u * u > 100; u++) k++;               /* unsigned, wrapping to 0 at 65536 */
    printf("%u %d\n", u, k);
    return 0;
}
"""

NOT_KEPT = r"""#include <stdio.h>
int twice(int *p) { *p += 1; return 0; }
int rec(int n) {
    int i = 0, s = 0;
    while (i * i < n) { s += rec(i) + 1; i++; }      /* recursive: on a stack */
    return s;
}
int main(void) {
    int i = 0, k = 0, a[8] = {0};
    while (i * i < 200) { a[i & 7] = i; i += 3; }     /* changed otherwise */
    printf("%d\n", i);
    i = 0;
    while (i * i < 90) { k = i++; }                    /* ++ inside an expression */
    printf("%d %d\n", i, k);
    i = 0;
    while (i * i < 300) { twice(&i); i++; }            /* its address taken */
    printf("%d\n", i);
    i = 0;
    while (i * i < 50 && i++ >= 0) k++;                /* changed by the test */
    printf("%d %d\n", i, k);
    i = 0;
    goto in;
    while (i * i < 70) {                               /* a label inside */
        k++;
    in:
        i++;
    }
    printf("%d %d %d\n", i, k, rec(30));
    return 0;
}
"""


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_kept_squares_run_as_gccs_build(level, workdir):
    same_as_gcc(KEPT, workdir, level=level)


def test_kept_squares_call_no_multiplication_in_the_loop():
    """primes() multiplies once as its inner loop starts, not once an iteration: the one call
    of rt_fmul is before the loop."""
    source = KEPT.split("int main")[0] + "int main(void) { return primes(100); }\n"
    lines = compile_c(source, "kept.c", level=0).text.splitlines()
    calls = [i for i, line in enumerate(lines) if line.endswith(" rt_fmul_R rt_fmul")]
    assert len(calls) == 1
    assert lines[calls[0] - 3] == "#@ kept.c:7 primes"  # the loop's line, before its body


@pytest.mark.parametrize("level", [0, len(LEVELS) - 1])
def test_squares_that_cannot_be_kept_run_as_gccs_build(level, workdir):
    same_as_gcc(NOT_KEPT, workdir, level=level)
