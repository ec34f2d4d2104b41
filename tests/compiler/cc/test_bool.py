"""`_Bool` (and <stdbool.h>'s `bool`) against gcc's build: every store to one converts the
value to 0 or 1, and it promotes to int."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_at_every_level

HEAD = "#include <stdio.h>\n#include <stdbool.h>\n"


@needs_gcc
def test_every_store_to_a_bool_converts_to_0_or_1(tmp_path):
    same_at_every_level(
        HEAD + "struct s { bool on; int n; bool flags[3]; };\n"
        "bool g = 5, ga[3] = {0, 7, -1};\n"
        "static bool gs = 256;\n"
        "struct s gst = {2, 2, {3, 0, 4}};\n"
        "bool pick(bool x) { return x * 3; }\n"
        "int twice(int (*f)(bool), int v) { return f(v) + f(v); }\n"
        "int id(bool b) { return b; }\n"
        "int main(void) {\n"
        "  bool b = 2, *pb = &b; int x = 0; int *p = &x; long long w = 1LL << 40;\n"
        "  struct s l = {-3, 4, {0, 9}};\n"
        '  printf("%d %d %d %d %d %d\\n", b, g, ga[1], ga[2], gs, pick(4));\n'
        '  printf("%d %d %d %d %d %d\\n", gst.on, gst.flags[0], gst.flags[2], l.on, l.flags[1], '
        "l.n);\n"
        '  printf("%d %d %d %d\\n", (bool)0x100, (_Bool)-1, (bool)0, (bool)p);\n'
        '  printf("%d %d %d\\n", twice(id, 6), (b = 7) + 1, (bool)w);\n'
        "  b = w; l.on = p; *pb = pb; p = 0; l.flags[2] = p;\n"
        '  printf("%d %d %d\\n", b, l.on, l.flags[2]);\n'
        '  printf("%d %d\\n", sizeof(bool) == 1, -b < 0);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_compound_assignments_and_increments_of_a_bool(tmp_path):
    same_at_every_level(
        HEAD + "bool a[4];\n"
        "int k;\n"
        "bool *next(void) { return &a[k++]; }\n"
        "int main(void) {\n"
        "  bool b = 0; int i;\n"
        '  b += 2; printf("%d ", b);\n'
        '  b--; printf("%d ", b);\n'
        '  b--; printf("%d ", b);\n'
        '  b++; b++; printf("%d ", b);\n'
        '  b -= 1; printf("%d ", b);\n'
        '  b *= 5; b |= 4; printf("%d ", b);\n'
        '  b <<= 3; printf("%d ", b);\n'
        '  i = b++; printf("%d %d ", i, b);\n'
        '  i = --b; printf("%d %d ", i, b);\n'
        '  i = b--; printf("%d %d\\n", i, b);\n'
        "  *next() += 3; ++*next(); (*next())--; *next() = 9;\n"
        '  for (i = 0; i < 4; i++) printf("%d", a[i]);\n'
        '  printf(" %d\\n", k);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_a_compound_assignment_of_a_long_long_to_a_bool_sees_the_high_word(tmp_path):
    same_at_every_level(
        HEAD + "struct s { bool c : 1; int n; };\n"
        "int main(void) {\n"
        "  bool b = 0, d = 1, e = 1; struct s x = {0, 0};\n"
        "  b += 0x100000000LL; d -= 0x100000001ULL; e *= 1LL << 40;\n"
        "  x.c |= 1LL << 33;\n"
        '  printf("%d %d %d %d\\n", b, d, e, x.c);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


def test_bool_with_another_type_specifier_is_refused():
    with pytest.raises(LoopmlpError) as err:
        compile_c("_Bool int b;\nint main(void) { return 0; }", "prog.c")
    assert str(err.value).startswith("prog.c:1:") and "type '_Bool int'" in str(err.value)
