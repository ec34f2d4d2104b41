"""goto and labels: the runs equal gcc's build's, and what gcc refuses is one located line."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import same_as_gcc

JUMPS = r"""#include <stdio.h>
int main(void) {
    int i, j;
    for (i = 0; i < 10; i++)
        for (j = 0; j < 10; j++)
            if (i * j == 42) goto found;   /* out of two loops */
    printf("none\n");
found:
    printf("%d %d\n", i, j);
    goto inside;                           /* into a block */
    {
        int z = 1;
        printf("skipped %d\n", z);
    inside:
        z = 5;
        printf("z %d\n", z);
    }
    {
    back:                                  /* backward, within a block */
        i--;
        if (i > 3) goto back;
    }
    printf("%d\n", i);
    while (1) {
        switch (i) {
        case 3: i = 8; goto next;
        case 8: goto out;
        }
    next:
        printf("next %d\n", i);
    }
out:
    printf("out %d\n", i);
    goto end;
    printf("not printed\n");
end: ;
    return i;
}
"""

# The same label names in two functions are two labels.
SAME_NAMES = r"""#include <stdio.h>
int count(int n) { int i = 0; again: i++; if (i < n) goto again; goto done; done: return i; }
int main(void) {
    int k = 0;
again:
    k += count(3);
    if (k < 10) goto again;
    goto done;
done:
    printf("%d\n", k);
    return k;
}
"""

# A declaration that a goto goes back before runs its initializer again each time.
AGAIN_DECLARED = r"""#include <stdio.h>
int main(void) {
    int k = 0;
loop: ;
    int m = 10;
    k += m;
    m = 99;
    if (k < 35) goto loop;
    printf("%d\n", k);
    return 0;
}
"""

# A loop made of gotos around a recursive call: i is live across the call only through the
# backward goto, so the call must save it.
RECURSIVE = r"""#include <stdio.h>
int f(int n) {
    int i = 0, t = 0, d;
    if (n <= 0) return 1;
top:
    if (i >= 3) goto out;
    i++;
    d = f(n - 1);
    t = t * 5 + d;
    goto top;
out:
    return t;
}
int g(int n) {
    int k = n, total = 0;
    goto test;
body:
    total += k * g(k - 1);
    k -= 2;
test:
    if (k > 0) goto body;
    return total + 1;
}
int main(void) {
    printf("%d %d\n", f(4), g(7));
    return f(3) & 127;
}
"""

# A jump out of the statement whose call re-enters the function: what is live where it goes
# (a is read only there) is kept across the call, for goto, break and continue alike.
JUMPS_OUT = r"""#include <stdio.h>
int by_goto(int n, int x) {
    int a = x;
    if (n <= 0) return x + 1;
    if (by_goto(n - 1, 2) & 1) goto out;
    a = 5;
out:
    return a;
}
int by_break(int n, int x) {
    int a = x;
    if (n <= 0) return x + 1;
    while (1) {
        if (by_break(n - 1, 2) & 1) break;
        a = 5;
        break;
    }
    return a;
}
int by_continue(int n, int x) {
    int a = x, i;
    if (n <= 0) return x + 1;
    for (i = 0; i < 2; i += a) {
        if (by_continue(n - 1, 2) & 1) continue;
        a = 5;
    }
    return a + i;
}
int main(void) {
    printf("%d %d %d\n", by_goto(1, 1), by_break(1, 1), by_continue(1, 1));
    return by_goto(2, 5) + by_break(2, 5) + by_continue(2, 5);
}
"""


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_a_jump_out_of_a_recursive_call_keeps_what_is_live_where_it_goes(level, tmp_path):
    assert same_as_gcc(JUMPS_OUT, tmp_path, level=level)


@pytest.mark.parametrize("source", [JUMPS, SAME_NAMES, AGAIN_DECLARED])
def test_goto_runs_as_gccs_build(source, tmp_path):
    same_as_gcc(source, tmp_path)


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_a_goto_loop_around_a_recursive_call_keeps_its_values(level, tmp_path):
    assert same_as_gcc(RECURSIVE, tmp_path, level=level)


@pytest.mark.parametrize(
    "source, message",
    [
        ("int main(void) {\n  e: ;\n  e: return 0;\n}", "prog.c:3:3: duplicate label 'e'"),
        ("int main(void) {\n  goto f;\n}", "prog.c:2:3: label 'f' used but not defined"),
        (
            "int g(void) { f: return 0; }\nint main(void) {\n  goto f;\n}",
            "prog.c:3:3: label 'f' used but not defined",
        ),
    ],
)
def test_label_errors_are_one_located_line(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    assert str(err.value) == message
