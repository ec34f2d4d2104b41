"""Bit-fields against gcc's build: each is a word of its own here (sizeof differs, as the word
model's does), and every store keeps its width's bits as gcc's build keeps them."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_at_every_level

HEAD = "#include <stdio.h>\n#include <stdbool.h>\n"
FIELDS = (
    "enum small { A = 1, B = 200 };\n"
    "enum both { M = -1, N = 5 };\n"
    "struct s { unsigned u : 3; int i : 3; bool b : 1; char c : 3; int : 0; int w;\n"
    "  unsigned : 4; signed char sc : 5; unsigned long ul : 31; enum small e : 8;\n"
    "  enum both f : 3; unsigned full : 32; };\n"
)


@needs_gcc
def test_stores_keep_the_width_of_the_field(tmp_path):
    same_at_every_level(
        HEAD + FIELDS + "struct s g = {.i = 3, .u = 12, .sc = 100, .ul = -1, .e = B, .f = 7};\n"
        "int main(void) {\n"
        "  struct s a[3] = {{1}, {2, 3, 4, 5, 6}, [2].c = 4}; int i;\n"
        "  for (i = 0; i < 3; i++) { a[i].u = i * 5; a[i].i = a[i].u; }\n"
        '  for (i = 0; i < 3; i++) printf("%d %d %d %d %d|", a[i].u, a[i].i, a[i].b, a[i].c, '
        "a[i].w);\n"
        '  printf("\\n%d %d %d %u %d %d\\n", g.u, g.i, g.sc, g.ul, g.e, g.f);\n'
        "  g.b = 6; g.c = 200; g.full = -1; g.e = 300; g.f = -5;\n"
        '  printf("%d %d %u %d %d %d\\n", g.b, g.c, g.full, g.e, g.f, g.full > 0);\n'
        "  i = (g.sc = 31) + 1;\n"
        '  printf("%d %d %d\\n", i, g.sc, (g.u = 15) + 0);\n'
        "  g.u = 7; i = g.u - 8;\n"
        '  printf("%d %d %d %d\\n", i, g.u - 8 < 0, g.ul - 1 < 0, g.e - 300 < 0);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_compound_assignments_and_increments_wrap_at_the_width(tmp_path):
    same_at_every_level(
        HEAD + FIELDS + "struct s g;\n"
        "int k;\n"
        "struct s *get(void) { k++; return &g; }\n"
        "int main(void) {\n"
        "  int i; struct s l = {0}, *p = &l;\n"
        '  get()->u += 5; printf("%d %d\\n", g.u, k);\n'
        '  get()->i++; get()->i++; get()->i++; get()->i++; printf("%d %d\\n", g.i, k);\n'
        '  i = get()->i--; printf("%d %d %d\\n", i, g.i, k);\n'
        '  i = ++get()->u; printf("%d %d %d\\n", i, g.u, k);\n'
        '  i = (g.u *= 3); printf("%d ", i);\n'
        '  i = (g.u <<= 2); printf("%d ", i);\n'
        '  g.u = 0; g.u--; printf("%d ", g.u);\n'
        '  i = g.u++; printf("%d %d ", i, g.u);\n'
        '  p->c -= 5; p->sc += 20; p->b += 2; printf("%d %d %d ", l.c, l.sc, l.b);\n'
        '  p->b--; printf("%d ", l.b); p->b--; printf("%d\\n", l.b);\n'
        "  for (l.u = 0, i = 0; i < 20; i++, l.u++) k += l.u;\n"
        '  printf("%d %d\\n", k, l.u);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_bit_fields_in_copies_results_switches_unions_and_recursion(tmp_path):
    same_at_every_level(
        HEAD + "typedef unsigned u3;\n"
        "struct s { u3 a : 3; int k : 4; int i : 5; };\n"
        "union u { struct { unsigned lo : 4, hi : 4; }; int all; };\n"
        "struct s make(int x) { struct s r = {x, x, x}; return r; }\n"
        "int walk(int n, struct s *p) { if (!n) return 0; int old = p->i++;\n"
        "  return old + walk(n - 1, p) + p->i--; }\n"
        "int main(void) {\n"
        "  struct s a = make(13), b, c = {0, 0, 14};\n"
        "  union u x;\n"
        "  b = a;\n"
        '  switch (b.a) { case 5: printf("five "); break; default: printf("other "); }\n'
        '  printf("%d %d %d %d\\n", b.a, b.k, b.i, b.a > 4 ? b.i : -b.i);\n'
        "  x.all = 0; x.lo = 18; x.hi = -1;\n"
        '  printf("%d %d\\n", x.lo, x.hi);\n'
        '  printf("%d %d\\n", walk(5, &c), c.i);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "source, message",
    [
        ("struct s { int x : 3; } v;\nint *p = &v.x;", "cannot take address of bit-field"),
        ("struct s { int x : 3; } v;\nint n = sizeof v.x;", "'sizeof' applied to a bit-field"),
        ("struct s { int x : 33; };", "width of 'x' exceeds its type"),
        ("struct s { char x : 9; };", "width of 'x' exceeds its type"),
        ("struct s { _Bool x : 2; };", "width of 'x' exceeds its type"),
        ("struct s { int x : -1; };", "negative width in bit-field 'x'"),
        ("struct s { int x : 0; };", "zero width for bit-field 'x'"),
        ("struct s { int *x : 3; };", "bit-field 'x' has invalid type"),
        ("union u { int x : 3; };", "not supported: a bit-field in a union"),
    ],
)
def test_invalid_bit_fields_are_refused_in_one_line(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source + "\nint main(void) { return 0; }", "prog.c")
    text = str(err.value)
    assert "\n" not in text and text.startswith("prog.c:"), text
    assert message in text, text
