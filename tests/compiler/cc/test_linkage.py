"""extern, tentative definitions, static linkage, inline and the other storage classes and
qualifiers: runs equal to gcc's build's, and what gcc (or its linker) refuses is one located
line."""

from __future__ import annotations

import subprocess

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import gcc_run, same_as_gcc

RUNS = {
    "extern before its definition": r"""#include <stdio.h>
extern int x;
int get(void) { return x; }
int x = 4;
int main(void) { printf("%d\n", get()); return x + 1; }
""",
    "extern after its definition": r"""int x = 4;
extern int x;
int main(void) { x += 2; return x; }
""",
    "extern array, sized by its definition": r"""#include <stdio.h>
extern int a[];
int *q = a + 1;
int sum(void) { return a[0] + a[1] + a[2]; }
int a[3] = {10, 20, 30};
int main(void) { printf("%d %d %d\n", sum(), *q, (int)(sizeof a / sizeof a[0])); return 0; }
""",
    "extern in a function": r"""#include <stdio.h>
int g = 1;
int main(void) {
    int g = 2;
    {
        extern int g;
        printf("%d\n", g);
        extern int later;
        later += g;
        printf("%d\n", later);
    }
    return g;
}
int later = 40;
""",
    "tentative definitions": r"""#include <stdio.h>
int x;
int x = 3;
int y;
int y;
int z;
static int s;
static int s = 6;
extern int s;
int main(void) { y++; printf("%d %d %d %d\n", x, y, z, s); return x + y; }
""",
    "extern and static functions": r"""#include <stdio.h>
extern int twice(int);
static int add(int a, int b);
static int add(int, int);
int twice(int n) { return add(n, n); }
static int add(int a, int b) { return a + b; }
int main(void) { printf("%d\n", twice(21)); return 0; }
""",
    "an extern never used": "extern int nowhere;\nint main(void) { return 0; }\n",
    "inline, register, auto and volatile": r"""#include <stdio.h>
static inline int square(int n) { return n * n; }
inline int cube(int n) { return n * n * n; }
extern int cube(int n);
int unused(void);
inline int unused(void) { return 1; }
inline int never_called(void) { return 2; }
int sum(register int n, int const volatile k) {
    register int s = 0;
    auto int i;
    for (i = 1; i <= n; i++) s += i * k;
    return s;
}
volatile int ticks = 3;
int main(void) {
    volatile char c = 'A';
    int *volatile p = (int *)&ticks;
    volatile int *q = &ticks;
    ticks++;
    *q += 1;
    printf("%d %d %d %c %d\n", square(7), cube(3), sum(10, 2), c + 1, *p);
    return unused() + (volatile int)4;
}
""",
    "calls before the prototype of a function declared f()": r"""#include <stdio.h>
int get();
int next();
unsigned twice();
int main(void) {
    int a[3] = {1, 2, 3};
    char c = 'x';
    printf("%d %d %u\n", get(a, 2), next(c, -5), twice(7u));
    return get(a + 1, 0);
}
int get(int *p, int k) { return p[k]; }
int next(int c, long k) { return c + k; }
unsigned twice(unsigned x) { return x * 2; }
""",
}


@pytest.mark.parametrize("source", RUNS.values(), ids=RUNS.keys())
def test_declarations_run_as_gccs_build(source, tmp_path):
    same_as_gcc(source, tmp_path)


REFUSED = [
    ("int x;\nchar x;", "prog.c:2:6: conflicting types for 'x'"),
    ("int a[2];\nint a[3];", "prog.c:2:5: conflicting types for 'a'"),
    ("int x;\nextern const int x;", "prog.c:2:18: conflicting types for 'x'"),
    ("int x = 1;\nint x = 2;", "prog.c:2:5: redefinition of 'x'"),
    (
        "static int x;\nint x;",
        "prog.c:2:5: non-static declaration of 'x' follows static declaration",
    ),
    (
        "int x;\nstatic int x;",
        "prog.c:2:12: static declaration of 'x' follows non-static declaration",
    ),
    (
        "int f(void);\nstatic int f(void) { return 0; }",
        "prog.c:2:12: static declaration of 'f' follows non-static declaration",
    ),
    (
        "extern int u[];\nint g(void) { return sizeof u; }",
        "prog.c:2:22: invalid application of 'sizeof' to incomplete type",
    ),
    (
        "int g(void) { extern int e = 1; return e; }",
        "prog.c:1:26: 'e' has both 'extern' and initializer",
    ),
    ("int f(static int a) { return a; }", "prog.c:1:18: storage class specified for parameter 'a'"),
    (
        "int f(register int a) { return *&a; }",
        "prog.c:1:34: address of register variable 'a' requested",
    ),
    (
        "int f(void) { register int x = 3; int *p = &x; return *p; }",
        "prog.c:1:45: address of register variable 'x' requested",
    ),
    (
        "int f(void) { static register int x; return x; }",
        "prog.c:1:35: multiple storage classes in declaration specifiers",
    ),
    ("register int g;", "prog.c:1:14: register name not specified for 'g'"),
    ("int f();\nint f(char c) { return c; }", "prog.c:2:5: conflicting types for 'f'"),
    ("int f(short s);\nint f();", "prog.c:2:5: conflicting types for 'f'"),
    ("int f();\nint f(int n, ...);", "prog.c:2:5: conflicting types for 'f'"),
    ("auto int g;", "prog.c:1:10: file-scope declaration of 'g' specifies 'auto'"),
]


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "inline int f(void) { return 3; }\nint main(void) { return f(); }\n",
            "prog.c:1:12: undefined reference to 'f' (an inline definition without static or "
            "extern defines no external function in C99)",
        ),
        (
            "static int main(void) { return 0; }\n",
            "prog.c:1:12: 'main' declared static (it must be an external function)",
        ),
    ],
)
def test_what_gccs_linker_refuses_is_one_located_line(source, message, tmp_path):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    assert str(err.value) == message
    with pytest.raises(subprocess.CalledProcessError):  # gcc's build does not link
        gcc_run(source, tmp_path)


@pytest.mark.parametrize("source, message", REFUSED)
def test_what_gcc_refuses_is_one_located_line(source, message, tmp_path):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source + "\nint main(void) { return 0; }\n", "prog.c")
    assert str(err.value) == message


@pytest.mark.parametrize(
    "source",
    [
        "extern int nowhere;\nint main(void) { return nowhere; }\n",
        "extern int a[];\nint *p = a;\nint main(void) { return 0; }\n",
        "int main(void) {\n    extern int g;\n    g = 1;\n    return 0;\n}\n",
    ],
)
def test_a_used_extern_never_defined_is_refused_as_the_linker_does(source, tmp_path):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("prog.c:")
    assert "undefined reference to '" in str(err.value)
    with pytest.raises(subprocess.CalledProcessError):  # gcc's build does not link
        gcc_run(source, tmp_path)


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "int f();\nint main(void) { return f(3, 4); }\nint f(int x) { return x; }\n",
            "prog.c:2:25: not supported: a call of 'f' with 2 argument(s) before its prototype, "
            "which takes 1",
        ),
        (
            "int f();\nint main(void) { return f(3); }\nint f(int *p) { return 0; }\n",
            "prog.c:2:25: not supported: argument 1 of 'f' before its prototype is a 'int' "
            "where it takes a 'int *'",
        ),
        (
            "int f();\nint main(void) { long long v = 1; return f(v); }\n"
            "int f(int x) { return x; }\n",
            "prog.c:2:44: not supported: a 'long long' argument to 'f' before its prototype",
        ),
    ],
)
def test_calls_before_a_prototype_that_c_leaves_undefined_are_refused(source, message):
    """A call of `int f();` whose arguments do not match the later prototype is undefined in
    C (gcc's build passes what it was given, and the callee reads what it finds)."""
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    assert str(err.value) == message
