"""malloc, calloc, realloc and free: what gcc's build prints for the same program, out of
memory as the heap's arithmetic says, and a fault at the caller's line for a pointer that
malloc did not return or that was freed already."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c, heap_words
from tests.compiler.cc.running import fault_of, needs_gcc, run_c, same_as_gcc


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


BLOCKS = r"""#include <stdio.h>
#include <stdlib.h>
int main(void) {
    int *a = malloc(10 * sizeof(int)), *b, *c, i, s = 0;
    for (i = 0; i < 10; i++) a[i] = i * i;
    b = calloc(7, sizeof(int));
    for (i = 0; i < 7; i++) s += b[i];
    a = realloc(a, 30 * sizeof(int));        /* grows: the first ten are kept */
    for (i = 10; i < 30; i++) a[i] = -i;
    c = malloc(0);
    printf("%d %d %d %d %d\n", a[3], a[9], a[29], s, c != NULL);
    a = realloc(a, 4 * sizeof(int));         /* shrinks in place */
    printf("%d %d\n", a[0], a[3]);
    b = realloc(b, 0);                       /* frees b, NULL */
    printf("%d\n", b == NULL);
    c = realloc(NULL, 3 * sizeof(int));      /* as malloc */
    c[2] = 7;
    free(a);
    free(c);
    free(NULL);
    printf("%d %d\n", malloc(-1) == NULL, calloc(-1, 1) == NULL);
    return 0;
}
"""


@needs_gcc
def test_blocks_hold_their_values_as_in_gccs_build(workdir):
    assert same_as_gcc(BLOCKS, workdir) == b"9 81 -29 0 1\n0 9\n1\n1 1\n"


LIST = r"""#include <stdio.h>
#include <stdlib.h>
/* a node: [next, value] (two pointers: the value is an int of its own) */
int **push(int **list, int v) {
    int **node = malloc(2 * sizeof(int *));
    if (node == NULL) { puts("out of memory"); exit(1); }
    node[0] = (int *)list;
    node[1] = malloc(sizeof(int));
    *node[1] = v;
    return node;
}
int main(void) {
    int round, i, total = 0;
    for (round = 0; round < 40; round++) {
        int **list = NULL;
        for (i = 0; i < 30 + round % 7; i++) list = push(list, i * round);
        while (list) {
            int **next = (int **)list[0];
            total += *list[1];
            free(list[1]);
            free(list);
            list = next;
        }
    }
    printf("%d\n", total);
    return 0;
}
"""


@needs_gcc
def test_a_list_built_and_freed_forty_times_fits_in_a_small_heap(workdir):
    same_as_gcc(LIST, workdir, heap=256)  # one list is 7 words a node, 36 nodes at most


TREE = r"""#include <stdio.h>
#include <stdlib.h>
/* a node: [left, right, key] */
void **insert(void **t, int key) {
    if (t == NULL) {
        t = calloc(3, sizeof(void *));
        if (t == NULL) { puts("out of memory"); exit(1); }
        t[2] = malloc(sizeof(int));
        *(int *)t[2] = key;
    } else if (key < *(int *)t[2]) t[0] = insert(t[0], key);
    else if (key > *(int *)t[2]) t[1] = insert(t[1], key);
    return t;
}
int sum(void **t, int depth) {
    if (t == NULL) return 0;
    return sum(t[0], depth + 1) + depth * *(int *)t[2] + sum(t[1], depth + 1);
}
void drop(void **t) {
    if (t == NULL) return;
    drop(t[0]);
    drop(t[1]);
    free(t[2]);
    free(t);
}
int main(void) {
    int round, i, seed = 12345;
    for (round = 0; round < 12; round++) {
        void **t = NULL;
        for (i = 0; i < 40; i++) {
            seed = seed * 1103515245 + 12345;
            t = insert(t, (seed >> 16) & 255);
        }
        printf("%d ", sum(t, 1));
        drop(t);
    }
    putchar('\n');
    return 0;
}
"""


@needs_gcc
def test_a_tree_built_and_freed_twelve_times_fits_in_a_small_heap(workdir):
    same_as_gcc(TREE, workdir, heap=400)  # 40 nodes of 5 + 3 words


def test_running_out_returns_null_and_freeing_gives_the_words_back():
    """Blocks of 6 words take 8 (two for the header): a 64-word heap holds 8 of them; freed,
    they merge, and one block of 62 words fits."""
    source = r"""#include <stdio.h>
#include <stdlib.h>
int *p[20];
int main(void) {
    int n = 0, i, round;
    for (round = 0; round < 3; round++) {
        n = 0;
        while ((p[n] = malloc(6)) != NULL) n++;
        printf("%d ", n);
        for (i = 0; i < n; i++) free(p[i]);
    }
    p[0] = malloc(62);
    printf("%d %d\n", p[0] != NULL, malloc(1) == NULL);
    free(p[0]);
    printf("%d\n", malloc(63) == NULL);
    return 0;
}
"""
    result = run_c(source, heap=64)
    assert (result.end, result.output) == ("halt", b"8 8 8 1 1\n1\n")


def test_calloc_refuses_a_product_larger_than_the_heap():
    source = r"""#include <stdio.h>
#include <stdlib.h>
int main(void) {
    printf("%d %d %d\n", calloc(65536, 65536) == NULL, calloc(9, 7) == NULL,
           calloc(5, 6) != NULL);
    return 0;
}
"""
    assert run_c(source, heap=64).output == b"1 1 1\n"


def test_a_program_without_malloc_has_no_heap():
    source = "#include <stdlib.h>\nint main(void) { int a[3]; a[1] = abs(-2); return a[1]; }"
    with_heap = "#include <stdlib.h>\nint main(void) { return malloc(1) == NULL; }"
    assert compile_c(source).image == compile_c(source, heap=3).image
    assert "__heap" not in compile_c(source).text
    small, large = (len(compile_c(with_heap, level=0, heap=h).image) for h in (64, 1024))
    assert large - small == 1024 - 64


@pytest.mark.parametrize(
    "body, line",
    [
        ("int a[3]; free(a);", 4),  # not from malloc
        ("int *p = malloc(3);\n    free(p + 1);", 5),  # inside a block
        ("int *p = malloc(3);\n    free(p);\n    free(p);", 6),  # twice
        ("int *p = malloc(3), *q = malloc(3);\n    free(p);\n    free(q);\n    free(p);", 7),
        ("int x;\n    int *p = realloc(&x, 3);", 5),
        ("int *p = malloc(3);\n    free(p);\n    p = realloc(p, 9);", 6),
    ],
)
def test_a_pointer_not_in_use_is_a_fault_at_the_callers_line(body, line, workdir):
    head = "#include <stdlib.h>\n#include <stdio.h>\nint main(void) {\n"
    source = head + f'    {body}\n    puts("no");\n    return 0;\n}}\n'
    result, where = fault_of(source, workdir)
    assert result.output == b""
    what = "realloc" if "realloc" in body else "free"
    note = f"{what} of a pointer that malloc did not return or that was freed"
    assert where == f"prog.c:{line} in main: {note}"


def test_the_heap_size_is_chosen_on_the_command_line(tmp_path):
    from tests.runtime.test_cli import loopmlp

    path = tmp_path / "grow.c"
    path.write_text(
        "#include <stdlib.h>\n"
        "int main(void) {\n"
        "    int n = 0;\n"
        "    while (malloc(10)) n++;\n"  # blocks of 12 words until the heap is full
        "    return n;\n"
        "}\n"
    )
    assert loopmlp("run", str(path), "--reference", "--heap", "120").returncode == 10
    assert loopmlp("run", str(path), "--reference").returncode == 1024 // 12
    small = loopmlp("cc", str(path), "--heap", "64", "-o", "-").stdout
    large = loopmlp("cc", str(path), "--heap", "4096", "-o", "-").stdout
    memory = [int(re.search(rb"#@ memory (\d+)", text)[1]) for text in (small, large)]
    assert memory[0] * 4 <= memory[1]  # the code is the same: K grows with the heap
    refused = loopmlp("run", str(path), "--heap", "2")
    assert refused.returncode == 2 and b"a heap needs at least 3 words, got 2" in refused.stderr


def test_a_heap_larger_than_the_words_can_address_is_refused():
    from loopmlp.ir.errors import LoopmlpError

    source = "#include <stdlib.h>\nint main(void) { return malloc(1) == NULL; }"
    with pytest.raises(LoopmlpError, match=r"a heap of 40,000 words is more than the 32,768"):
        compile_c(source, "p.c", bits=16, heap=40000)
    assert heap_words("p.c", 8, None) == 32  # a quarter of the 128 words N = 8 can address


def test_growing_a_list_is_not_quadratic():
    """malloc starts at the lowest free block: n blocks kept cost about n times one."""

    def steps(n: int) -> int:
        source = (
            "#include <stdlib.h>\nint main(void) { int i;\n"
            f"    for (i = 0; i < {n}; i++) if (!malloc(1)) return 1;\n    return 0; }}\n"
        )
        result = run_c(source, heap=4096)
        assert result.exit_status == 0
        return result.steps

    assert steps(800) < 2.2 * steps(400)


def test_a_program_may_define_its_own_malloc_beside_the_librarys_calloc():
    source = r"""#include <stdio.h>
#include <stdlib.h>
char pool[100];
int used;
void *malloc(int n) { used += n; return pool + used - n; }
int main(void) {
    char *a = malloc(3);
    int *b = calloc(4, sizeof(int));
    b[3] = 5;
    free(b);
    printf("%d %d\n", (int)(a - pool), used);
    return 0;
}
"""
    assert run_c(source).output == b"0 3\n"
