"""Variadic functions with <stdarg.h>: runs equal to gcc's build's at every space-time level
(recursion through a variadic function included), and what is not supported is one line."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import same_as_gcc

VARIADIC = r"""#include <stdio.h>
#include <stdarg.h>
int sum(int n, ...) {
    va_list ap, copy;
    int s = 0, i;
    va_start(ap, n);
    va_copy(copy, ap);
    for (i = 0; i < n; i++) s += va_arg(ap, int);
    va_end(ap);
    if (n > 0) s += 1000 * va_arg(copy, int);
    va_end(copy);
    return s;
}
void show(const char *tag, ...) {
    va_list ap;
    char *s;
    va_start(ap, tag);
    printf("%s:", tag);
    while ((s = va_arg(ap, char *)) != NULL) printf(" %s", s);
    printf("\n");
    va_end(ap);
}
int vmax(int n, va_list ap) {
    int m = va_arg(ap, int), i;
    for (i = 1; i < n; i++) {
        int v = va_arg(ap, int);
        if (v > m) m = v;
    }
    return m;
}
int max(int n, ...);
int max(int n, ...) { va_list ap; int m; va_start(ap, n); m = vmax(n, ap); va_end(ap); return m; }
int main(void) {
    char c = 'x';
    int k = 3;
    printf("%d %d %d\n", sum(0), sum(3, 1, 2, 3), sum(5, 5, 4, 3, 2, 1));
    show("words", "alpha", "beta", (char *)0);
    show("none", NULL);
    printf("%d\n", max(4, 3, 9, -2, 7));
    printf("%d %d\n", sum(2, c, 'y'), sum(2, k, k * 10));
    return sum(1, 42);
}
"""

# Each activation reads its own unnamed arguments after a call that re-enters the function
# (and printf is declared as the C library declares it).
RECURSIVE = r"""extern int printf(const char *format, ...);
#include <stdarg.h>
int nested(int depth, ...) {
    va_list ap;
    int a, b;
    va_start(ap, depth);
    a = va_arg(ap, int);
    if (depth > 0) a += nested(depth - 1, a * 2, depth);
    b = va_arg(ap, int);
    va_end(ap);
    return a + b;
}
int main(void) {
    printf("%d\n", nested(5, 1, 100));
    return nested(3, 2, 7) & 127;
}
"""

# A va_list passed down to a function that re-enters the variadic function, then reads on.
PASSED_DOWN = r"""#include <stdio.h>
#include <stdarg.h>
int outer(int depth, ...);
int inner(int depth, va_list ap) {
    int a = va_arg(ap, int), b;
    if (depth > 0) a += outer(depth - 1, a + 1, a + 2);
    b = va_arg(ap, int);
    return a * 10 + b;
}
int outer(int depth, ...) {
    va_list ap;
    int r;
    va_start(ap, depth);
    r = inner(depth, ap);
    va_end(ap);
    return r;
}
int main(void) {
    printf("%d\n", outer(3, 1, 2));
    return 0;
}
"""


@pytest.mark.parametrize("level", range(len(LEVELS)))
@pytest.mark.parametrize(
    "source", [VARIADIC, RECURSIVE, PASSED_DOWN], ids=["calls", "recursive", "passed down"]
)
def test_variadic_functions_run_as_gccs_build(source, level, tmp_path):
    assert same_as_gcc(source, tmp_path, level=level)


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "int f(int n, ...) { va_list ap; char c; va_start(ap, n); c = va_arg(ap, char); "
            "return c; }",
            "not supported: va_arg of type 'char' (an argument of it arrives as an int)",
        ),
        (
            "int f(int n) { va_list ap; va_start(ap, n); return 0; }",
            "'va_start' used in function with fixed arguments",
        ),
        (
            "int f(int n, int m, ...) { va_list ap; va_start(ap, n); return 0; }",
            "not supported: va_start whose second argument is not the last named parameter",
        ),
        ("int f(int n, ...);\nint f(int n);", "conflicting types for 'f'"),
        (
            "int printf(const char *f, ...) { return 0; }",
            "'printf' is built in and cannot be declared again here",
        ),
        ("int f(int n, ...);\nint g(void) { return f(); }", "too few arguments to function 'f'"),
    ],
)
def test_what_is_refused_is_one_located_line(body, message):
    source = "#include <stdarg.h>\n" + body + "\nint main(void) { return 0; }\n"
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    text = str(err.value)
    assert "\n" not in text and text.startswith("prog.c:")
    assert text.split(": ", 1)[1] == message
