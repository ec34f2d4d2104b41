"""What the README promises of C where C itself promises nothing: shifts by negative counts,
`exit` and `main`'s value, the stack as a minimum, `main` without parameters."""

from __future__ import annotations

import re

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import run_c

SHIFTS = """#include <stdio.h>
int main(void) {
    int a = 5, m = -5, n = -1, k = -33, big = 32;
    printf("%d %d %d %d|", a << n, a >> n, m << n, m >> n);
    printf("%d %d %d %d|", a << k, a >> k, m << k, m >> k);
    printf("%d %d %d|", 5 << -1, 5 >> -1, -5 >> -7);
    printf("%d %d %d %d|", a << big, a >> big, m << big, m >> big);
    a <<= n; m >>= k;
    printf("%d %d", a, m);
    return 0;
}
"""


def test_a_negative_shift_count_leaves_the_value_unchanged():
    # worked out from the README's rule (gcc leaves these undefined): unchanged for a negative
    # count, every bit shifted out for N or more
    assert run_c(SHIFTS).output == b"5 5 -5 -5|5 5 -5 -5|5 5 -5|0 0 0 -1|5 -5"


@pytest.mark.parametrize("how", ["return 3;", "exit(3);", "finish(); return 1;"])
def test_exit_and_returning_from_main_halt_with_no_status(how):
    source = (
        "#include <stdio.h>\n#include <stdlib.h>\n"
        "void finish(void) { putchar('x'); exit(7); }\n"
        f"int main(void) {{ putchar('a'); {how} putchar('b'); return 0; }}\n"
    )
    result = run_c(source)
    assert result.end == "halt"
    assert result.output == (b"ax" if "finish" in how else b"a")


def test_the_stack_is_at_least_what_is_asked_and_gets_the_rest_of_memory():
    source = "int f(int n) { return n ? f(n - 1) + 1 : 0; }\nint main(void) { return f(3); }\n"
    for asked in (1, 200, 1000):
        program = compile_c(source, "p.c", stack=asked)
        assert program.stack >= asked and program.stack == program.words - len(program.image)
        need = len(program.image) + asked  # K: the smallest power of two that holds it
        assert program.words >= need and program.words // 2 < need


@pytest.mark.parametrize("signature", ["int argc, char **argv, char **envp", "int argc", "void *p"])
def test_main_with_parameters_is_refused(signature):
    with pytest.raises(LoopmlpError) as err:
        compile_c(f"int main({signature}) {{ return 0; }}\n", "p.c")
    match = re.match(r"p\.c:1:(\d+): not supported: parameters of main", str(err.value))
    assert match and 10 <= int(match.group(1)) < 10 + len(signature), str(err.value)


@pytest.mark.parametrize("signature", ["void", ""])
def test_main_without_parameters_is_fine(signature):
    assert run_c(f"int main({signature}) {{ return 0; }}\n").end == "halt"
