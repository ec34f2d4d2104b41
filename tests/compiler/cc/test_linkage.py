"""extern, tentative definitions and static linkage: runs equal to gcc's build's, and what gcc
(or its linker) refuses is one located line."""

from __future__ import annotations

import subprocess

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.gccrun import gcc_run, same_run_as_gcc

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
}


@pytest.mark.parametrize("source", RUNS.values(), ids=RUNS.keys())
def test_declarations_run_as_gccs_build(source, tmp_path):
    same_run_as_gcc(source, tmp_path)


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
]


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
