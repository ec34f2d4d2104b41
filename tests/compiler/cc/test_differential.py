"""C programs compiled here and by gcc -std=c99 -fwrapv print the same (N = 32); at N = 16 the
random expressions meet this test's own evaluator of C's semantics."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.cgen import (
    defined,
    expression_program,
    expressions,
    statement_programs,
    values,
)
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

EXAMPLES = Path(__file__).parents[3] / "examples"
NAMES = ["v0", "v1", "v2", "v3"]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))

EXAMPLE_INPUTS = {
    "reverse.c": [b"hello world\n", b"", b"a", b"racecar\nsecond line\n"],
    "calc.c": [
        b"2 * (3 + 4) - 10 / 3\n-7 % 3 + 100\n(1+2)*(3+4)*(5+6)\n",
        b"1/0\n",
        b"",
        b"-(-(-5)) * 12 % 7\n",
    ],
    "tree.c": [b"the cat and the hat\nand the bat", b"", b"a a a verylongwordthatgetscut b"],
}


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@needs_gcc
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.c")))
def test_examples_print_what_gcc_builds_print(example, workdir):
    source = (EXAMPLES / example).read_text()
    for stdin in EXAMPLE_INPUTS.get(example, [b""]):
        same_as_gcc(source, workdir, stdin=stdin)


@needs_gcc
@SETTINGS
@given(data=st.data())
def test_random_expressions_match_gcc(data, workdir):
    env = {name: data.draw(values(32)) for name in NAMES}
    exprs = [defined(data.draw(expressions(NAMES, 32)), env, 32) for _ in range(6)]
    source = expression_program(env, exprs)
    same_as_gcc(source, workdir)


@needs_gcc
@SETTINGS
@given(
    source=statement_programs(),
    stdin=st.binary(max_size=6),
    level=st.sampled_from(range(len(LEVELS))),
)
def test_random_statements_match_gcc(source, stdin, level, workdir):
    same_as_gcc(source, workdir, level, stdin=stdin)


@needs_gcc
@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_every_space_time_level_computes_the_same(level, workdir):
    """Each level's routines (shared saves, text as data, memory and comparison routines)."""
    for example in ("hanoi.c", "calc.c", "primes.c", "reverse.c"):
        source = (EXAMPLES / example).read_text()
        stdin = EXAMPLE_INPUTS.get(example, [b""])[0]
        same_as_gcc(source, workdir, level, stdin=stdin)


@SETTINGS
@given(data=st.data())
def test_random_expressions_at_16_bits(data):
    env = {name: data.draw(values(16)) for name in NAMES}
    exprs = [defined(data.draw(expressions(NAMES, 16)), env, 16) for _ in range(6)]
    expected = "".join(f"{e.eval(env, 16)}\n" for e in exprs).encode()
    assert run_c(expression_program(env, exprs), bits=16).output == expected


@needs_gcc
@pytest.mark.parametrize(
    "a, b",
    [
        (7, 2),
        (-7, 2),
        (7, -2),
        (-7, -2),
        (-2147483647 - 1, 3),
        (2147483647, -1),
        (0, 5),
        (-2147483647 - 1, -2147483647 - 1),
        (5, -2147483647 - 1),
        (1, 1),
        (123456789, 1000),
    ],
)
def test_division_and_remainder_at_the_edges(a, b, workdir):
    source = (
        f"#include <stdio.h>\nint a = {a}, b = {b};\n"
        'int main(void) { printf("%d %d %d %d\\n", a / b, a % b, a * b, (a + b) / 2); return 0; }\n'
    )
    same_as_gcc(source, workdir)


@needs_gcc
def test_printf_conversions(workdir):
    source = r"""#include <stdio.h>
int x = -1, y = 48879, z = -2147483647 - 1;
char *fmt = "%d|%i|%u|%x|%c|%s|%%|\n";
int main(void) {
    printf("%d|%i|%u|%x|%c|%s|%%|\n", x, y, x, y, 'A', "str");
    printf(fmt, z, z, z, z, 66, "runtime");
    printf(fmt, 0, 7, 4000000000u > 0 ? 42 : 0, 0, 'x', "");
    printf("%u %x %u %x\n", z, z, y, -y);
    puts("puts adds a newline");
    puts(fmt);
    return 0;
}
"""
    same_as_gcc(source.replace("4000000000u > 0 ? 42 : 0", "42"), workdir)


@needs_gcc
def test_pointers_arrays_strings_and_library(workdir):
    source = r"""#include <stdio.h>
#include <string.h>
#include <stdlib.h>
int table[5] = {5, 4, 3};
char name[] = "loopmlp";
char *words[] = {"zero", "one", "two"};
int sum(int *p, int n) { int s = 0; while (n--) s += *p++; return s; }
void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }
int main(void) {
    int local[4] = {1, 2};
    int x = 3, y = 4, *p = &x;
    char buf[20];
    *p += 10; swap(&x, &y);
    printf("%d %d %d %d\n", x, y, sum(table, 5), sum(local, 4));
    printf("%d %d %s %c\n", (int)sizeof(name), strlen(name), words[2], name[3]);
    strcpy(buf, "ab"); strcat(buf, name);
    printf("%s %d %d %d\n", buf, strcmp(buf, "ab"), strcmp("a", "b") < 0, atoi("  -1234x"));
    printf("%d %d\n", abs(-9), *(table + 1) + table[2] * 2[table]);
    memset(buf, 'z', 3);
    printf("%s\n", buf);
    return 0;
}
"""
    same_as_gcc(source, workdir)


@needs_gcc
def test_recursion_with_local_arrays_and_addresses(workdir):
    source = r"""#include <stdio.h>
int depth(int n, int *out) { int mine[3]; int k; mine[0] = n; mine[2] = n * n;
    if (n > 0) depth(n - 1, &k); else k = 100;
    *out = k + mine[0] + mine[2]; return mine[0]; }
int even(int n);
int odd(int n) { return n == 0 ? 0 : even(n - 1); }
int even(int n) { return n == 0 ? 1 : odd(n - 1); }
int ack(int m, int n) {
    return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }
int main(void) { int r; depth(6, &r);
    printf("%d %d %d %d\n", r, even(10), odd(7), ack(2, 3)); return 0; }
"""
    same_as_gcc(source, workdir)


def test_hsq_factorial_yardstick():
    """The C of the factorial that Mazonka's hsq compiled to 8,978 words and 46,922 steps."""
    source = r"""#include <stdio.h>
int fact(int a) { if (a == 1) return 1; return a * fact(a - 1); }
int main() { printf("Calculating factorial of 8: "); printf("%d\n", fact(8)); return 0; }
"""
    from loopmlp.compiler.cc import compile_c

    program = compile_c(source, "fac.c")
    result = run_c(source)
    assert result.output == b"Calculating factorial of 8: 40320\n"
    assert result.end == "halt"
    assert len(program.image) <= 2048 and program.words <= 2048
    assert result.steps <= 12_000
