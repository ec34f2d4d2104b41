"""gcc's statement expressions, C11's `_Generic` and gcc's `__attribute__` against gcc's build
(output and exit status, at every level of the code generator), and the refusals of what
cannot be compiled exactly."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_at_every_level


def refusal(source: str) -> str:
    """The one line that compiling `source` is refused with."""
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    message = str(err.value)
    assert "\n" not in message
    return message


# -- statement expressions ------------------------------------------------------------------
@needs_gcc
def test_statement_expressions_in_conditions_with_effects_and_nested(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int count;\n"
        "int tick(int v) { count++; return v; }\n"
        "int main(void) {\n"
        "  int i = 0, x = 5, total = 0;\n"
        '  if (({ int x = 2; x * 3; }) == 6) puts("six");\n'
        "  while (({ i++; i < 4; })) total += i;\n"
        '  printf("%d %d\\n", i, total);\n'
        "  int y = ({ int x = 10; ({ int z = x + 1; z * 2; }) + x; });\n"
        "  int w = x > 3 ? ({ x += 2; x; }) : ({ x -= 2; x; });\n"
        "  int v = 0 && ({ tick(1); }) || ({ tick(2); 1; });\n"
        '  printf("%d %d %d %d %d\\n", x, y, w, v, count);\n'
        "  int a[3] = {1, 2, 3};\n"
        "  int *p = ({ int *q = a; q + 1; });\n"
        "  for (int k = ({ 0; }); k < ({ 3; }); k = ({ k + 1; })) total += a[k];\n"
        "  ({ total++; });\n"
        "  (void)({ total *= 2; (void)0; });\n"
        '  x > 0 ? printf("pos\\n") : (void)0;\n'
        '  printf("%d %d %d\\n", *p, total, ({ int s = 0; for (int k = 0; k < 5; k++) s += k;'
        " s; }));\n"
        "  return ({ int r = total % 7; r + 1; });\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_statement_expressions_with_calls_keep_values_across_recursion(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int fib(int n) {\n"
        "  return n < 2 ? n : ({ int a = fib(n - 1); int b = ({ int t = n - 2; fib(t); });"
        " a + b; });\n"
        "}\n"
        "int sum(int n) {\n"
        "  int x = n * 3;\n"
        "  int r = ({ int k = n > 0 ? sum(n - 1) : 0; k + x; }) + x;\n"
        "  return r - x;\n"
        "}\n"
        "int depth(int n) {\n"
        "  int kept = n;\n"
        "  if (({ int d = n > 0 ? depth(n - 1) : 0; d + kept; }) > 100) return -1;\n"
        "  return ({ int e = n > 1 ? depth(n - 2) : 1; e; }) + kept + ({ kept * 2; });\n"
        "}\n"
        "int main(void) {\n"
        '  printf("%d %d %d\\n", fib(10), sum(6), depth(7));\n'
        "  return fib(7);\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_recursive_calls_in_loop_tests_and_steps_keep_the_callers_values(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int walk(int n) {\n"
        "  int a = n, b = 2 * n, c = 0, i = 0;\n"
        "  if (n <= 0) return 1;\n"
        "  while (({ int r = walk(n - 1); c += r; i++ < 2; })) b += a;\n"
        "  for (int k = 0; k < 2; k = ({ int q = walk(n - 2) + k; q > 0 ? k + 1 : 9; }))\n"
        "    c += a + k;\n"
        "  int d = ({ int e = a * 3; e + walk(n - 1); }) + b;\n"
        "  switch (({ walk(n - 2) % 3; })) { case 0: d += a; break; default: d -= b; }\n"
        "  return (a + b + c + d + i) % 1000;\n"
        "}\n"
        'int main(void) { printf("%d %d\\n", walk(2), walk(4)); return walk(3) & 127; }\n',
        tmp_path,
    )


@needs_gcc
def test_goto_into_and_out_of_a_statement_expression_from_inside_it(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n) {\n"
        "  int i = ({\n"
        "    int j = 1;\n"
        "    if (0) {\n"
        "      while (j--) {\n"
        '        printf("once\\n");\n'
        "      inside:\n"
        '        printf("twice %d\\n", n);\n'
        "      }\n"
        "    }\n"
        "    if (j >= 0) goto inside;\n"
        "    if (n > 2) goto out;\n"
        "    j + (n > 0 ? f(n - 1) : 0);\n"
        "  });\n"
        "  i += ({ goto last; last: i * 2; });\n"
        "  return i;\n"
        "out:\n"
        "  return 100 + (n > 0 ? f(n - 1) : 0);\n"
        "}\n"
        'int main(void) { int a = f(1); printf("%d\\n", a); a = f(4); printf("%d\\n", a);'
        " return a; }\n",
        tmp_path,
    )


@needs_gcc
def test_a_last_postfix_increment_gives_the_value_before_it(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int l) { return ({ l++; }); }\n"
        "int main(void) {\n"
        "  int l = 10, m = 0, a[3] = {1, 2, 3};\n"
        "  unsigned char c = 255;\n"
        "  int *p = &m;\n"
        "  int x = ({ l++; });\n"
        '  printf("%d %d\\n", x, l);\n'
        "  int y = ({ a[1]++; });\n"
        "  int z = ({ c++; });\n"
        "  int w = ({ (*p)--; });\n"
        "  int v = ({ m = 1, l++; });\n"
        "  int u = ({ goto k; k: l--; });\n"
        "  int o = ({ 1; (({ l++; })); });\n"
        "  ({ l++; });\n"
        "  for (int i = 0; i < 2; i++) l++;\n"
        '  printf("%d %d %d %d %d %d %d %d %d %d %d\\n", y, a[1], z, c, w, m, v, u, l, o, f(7));\n'
        "  return ({ l--; });\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_a_statement_expression_valued_by_a_statement_expression(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "  int i = 2;\n"
        "  int x = ({ ({ 5; }); });\n"
        "  int y = ({ i++; ({ int t = i * 3; t + 1; }); });\n"
        "  int z = ({ l: ({ ({ i + 40; }); }); });\n"
        "  ({ i++; });\n"
        "  { i++; }\n"
        "  for (;;) ({ i++; if (i > 9) break; });\n"
        '  printf("%d %d %d %d\\n", x, y, z, i);\n'
        "  return ({ ({ i; }); });\n"
        "}\n",
        tmp_path,
    )


def test_statement_expressions_that_cannot_be_compiled_exactly_are_refused():
    head = "struct p { int x, y; };\n"
    message = refusal(head + "int main(void) { struct p s = {1, 2}; return ({ s; }).x; }\n")
    assert message.startswith("prog.c:2:47: not supported: a statement expression whose value")
    message = refusal("int main(void) { int x; for (;;) x = ({ continue; 1; }); }\n")
    assert message == "prog.c:1:41: not supported: 'continue' out of a statement expression"
    message = refusal("int main(void) { int i = 0; goto in; i = ({ in: 3; }); return i; }\n")
    assert message == "prog.c:1:29: jump into statement expression"
    message = refusal(
        "int main(void) { int i = 1; switch (i) { case 0: i = ({ case 1: 2; }); } return i; }\n"
    )
    assert message == "prog.c:1:57: switch jumps into statement expression"
    message = refusal("int x = ({ 1; });\nint main(void) { return x; }\n")
    assert message.startswith("prog.c:1:10: braced-group within expression")


# -- _Generic -------------------------------------------------------------------------------
GENERIC_HEAD = (
    "#include <stdio.h>\n"
    '#define NAME(x) _Generic((x), int: "int", unsigned: "unsigned", long: "long", \\\n'
    '  unsigned long: "unsigned long", long long: "long long", \\\n'
    '  unsigned long long: "unsigned long long", char: "char", \\\n'
    '  signed char: "signed char", \\\n'
    '  unsigned char: "unsigned char", short: "short", unsigned short: "unsigned short", \\\n'
    '  char *: "char *", const char *: "const char *", int *: "int *", \\\n'
    '  const int *: "const int *", long *: "long *", default: "other")\n'
)


@needs_gcc
def test_generic_chooses_by_gccs_type_of_the_controlling_expression(tmp_path):
    same_at_every_level(
        GENERIC_HEAD + "struct a { int v; }; struct b { int v; };\n"
        "typedef int myint; typedef int (*fptr)(int);\n"
        "int twice(int n) { return 2 * n; }\n"
        "int main(void) {\n"
        "  int i = 1; unsigned u = 2; long l = 3; long long ll = 4; char c = 'c';\n"
        "  signed char sc = 1; unsigned char uc = 2; short s = 3; unsigned short us = 4;\n"
        '  const int ci = 5; const char *text = "t"; char buf[4]; int arr[2]; long la[2];\n'
        "  int *const cp = arr; const int *pc = arr; myint m = 6; struct b sb;\n"
        "  puts(NAME(i)); puts(NAME(u)); puts(NAME(l)); puts(NAME(ll)); puts(NAME(c));\n"
        "  puts(NAME(sc)); puts(NAME(uc)); puts(NAME(s)); puts(NAME(us)); puts(NAME(ci));\n"
        "  puts(NAME(text)); puts(NAME(buf)); puts(NAME(arr)); puts(NAME(la)); puts(NAME(cp));\n"
        '  puts(NAME(pc)); puts(NAME(m)); puts(NAME("lit")); puts(NAME(&i)); puts(NAME(&sb));\n'
        "  puts(NAME(17)); puts(NAME(17u)); puts(NAME(17L)); puts(NAME(17UL)); puts(NAME(17LL));\n"
        "  puts(NAME(0xFFFFFFFF)); puts(NAME(4294967295)); puts(NAME(0x7FFFFFFF));\n"
        "  puts(NAME('x'));\n"
        "  puts(NAME(i + 2L)); puts(NAME(u + 1)); puts(NAME(u + 1L)); puts(NAME(c + 1));\n"
        "  puts(NAME(s * us)); puts(NAME(l * ll)); puts(NAME(-uc)); puts(NAME(~u));\n"
        "  puts(NAME(!l));\n"
        "  puts(NAME(sizeof i)); puts(NAME(&arr[1] - &arr[0])); puts(NAME(i < l));\n"
        "  puts(NAME(u << l)); puts(NAME((char)i)); puts(NAME(i ? l : u)); puts(NAME(c = 5));\n"
        "  puts(NAME(i++)); puts(NAME((i, c))); puts(NAME(*text)); puts(NAME(arr[0]));\n"
        "  puts(NAME(twice(1))); puts(NAME(ll + u)); puts(NAME(1 ? u : 1L));\n"
        '  printf("%d\\n", _Generic(sb, struct a: 1, struct b: 2, default: 3));\n'
        '  printf("%d\\n", _Generic(twice, fptr: 1, int: 2));\n'
        '  printf("%d\\n", _Generic(cp, int *: 1, int *const: 2, default: 3));\n'
        '  printf("%d\\n", _Generic(ci, int: 1, const int: 2));\n'
        '  printf("%d\\n", _Generic(i, char: 1, int[4]: 2, default: 5));\n'
        "  return i;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_generic_evaluates_only_the_chosen_expression(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int a, b;\n"
        'int hit(int n) { printf("hit %d\\n", n); return n; }\n'
        "int main(void) {\n"
        "  int i = 3; long l = 4;\n"
        "  int r = _Generic(i++, int: hit(1), long: hit(2), default: hit(3));\n"
        "  r += _Generic(l, int: hit(10), default: hit(20));\n"
        "  _Generic(i, int: a, default: b) = 7;\n"
        "  r += _Generic(l, long: ({ int t = i * 2; t + 1; }), default: 0);\n"
        '  printf("%d %d %d %d\\n", i, r, a, b);\n'
        "  return _Generic(i, int: hit, default: 0)(r);\n"
        "}\n",
        tmp_path,
    )


def test_generic_refuses_where_gccs_type_is_not_known_here():
    message = refusal(
        "#include <stddef.h>\nint main(void) { size_t n = 1;"
        " return _Generic(n, unsigned long: 1, default: 2); }\n"
    )
    assert message.startswith("prog.c:2:48: not supported: _Generic over a typedef")
    message = refusal(
        '#include <string.h>\nint main(void) { int n = strlen("");'
        ' return _Generic(strlen("x"), default: 2); }\n'
    )
    assert message.startswith("prog.c:2:54: not supported: _Generic on this expression")
    message = refusal("int main(void) { return _Generic(1, long: 2); }\n")
    assert message.startswith("prog.c:1:34: '_Generic' selector of type 'int' is not compatible")
    message = refusal("int main(void) { return _Generic(1, int: 1, signed int: 2); }\n")
    assert message.startswith("prog.c:1:45: '_Generic' specifies two compatible types")


@needs_gcc
def test_generic_gives_a_bit_field_gccs_type_of_its_bits(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "struct s { int bf : 3; unsigned u : 5; unsigned w : 32; int i : 32; long m : 20;\n"
        "  unsigned long n : 32; unsigned char c : 3; unsigned char d : 8; _Bool b : 1;\n"
        "  short h : 16; int g : 8; unsigned k : 16; } x;\n"
        "#define G(e) _Generic(e, int: 1, unsigned: 3, long: 4, unsigned long: 5, \\\n"
        "  unsigned char: 6, _Bool: 7, short: 8, signed char: 9, unsigned short: 10, default: 2)\n"
        "int main(void) {\n"
        '  printf("%d %d %d %d %d %d\\n", G(x.bf), G(x.u), G(x.w), G(x.i), G(x.m), G(x.n));\n'
        '  printf("%d %d %d %d %d %d\\n", G(x.c), G(x.d), G(x.b), G(x.h), G(x.g), G(x.k));\n'
        '  printf("%d %d %d %d %d\\n", G(-x.bf), G(-x.u), G(-x.w), G(~x.i), G(-x.m));\n'
        '  printf("%d %d %d %d\\n", G(-x.c), G(-x.b), G(x.bf + 0), G(x.w + 0));\n'
        '  printf("%d %d %d %d\\n", G(x.bf++), G(x.bf = 1), G(x.u << 1), G((0, x.bf)));\n'
        "  return G(1 ? x.bf : x.bf);\n"
        "}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "member, spelled",
    [
        ("int a : 3", "signed char:3"),
        ("unsigned a : 5", "unsigned char:5"),
        ("int a : 12", "short int:12"),
        ("unsigned a : 12", "short unsigned int:12"),
        ("long a : 20", "int:20"),
    ],
)
def test_generic_without_a_default_matches_no_bit_field_as_in_gcc(member, spelled):
    message = refusal(
        f"struct s {{ {member}; }} x;\nint main(void) {{ return _Generic(x.a, int: 1); }}\n"
    )
    assert message == (
        f"prog.c:2:34: '_Generic' selector of type '{spelled}' is not compatible with any"
        " association"
    )


# -- __attribute__ --------------------------------------------------------------------------
@needs_gcc
def test_attributes_that_change_nothing_here_are_dropped(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "typedef union U { unsigned short u; unsigned char b[2]; } __attribute__((packed)) U;\n"
        "struct __attribute__((aligned(8))) S { int x; char c __attribute__((packed)); };\n"
        "extern void foo(void) __attribute__((stdcall));\n"
        'void __attribute__((stdcall)) foo(void) { puts("foo"); }\n'
        "static int helper(int) __attribute__((const, noinline, __unused__));\n"
        "static int helper(int n) { return n * 3; }\n"
        "__attribute__((noreturn)) void die(int n);\n"
        "__attribute((format(printf, 1, 2), nonnull(1))) int say(const char *f, ...);\n"
        "int __attribute__((warn_unused_result, pure)) get(void) { return 4; }\n"
        '__attribute__((deprecated("old"), visibility("default"), used)) int old = 9;\n'
        '__attribute__((weak, section(".data"))) int soft = 2;\n'
        "#define ATTR __attribute__((__noinline__))\n"
        "int ATTR answer() { return 42; }\n"
        "int main(void) {\n"
        "  void *fp = &answer;\n"
        "  int a = ((ATTR int (*)(void)) fp)();\n"
        "  int b = ((int (ATTR *)(void)) fp)();\n"
        "  int __attribute__((unused)) spare = 0;\n"
        "  a += __extension__ ({ 0; });\n"
        "  struct S s = {1, 'x'}; U u; u.u = 5;\n"
        "  foo();\n"
        '  printf("%d %d %d %d %d %d %d %d\\n", a, b, helper(2), get(), old, soft, s.x, u.u);\n'
        "  return a;\n"
        "}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "void done(int *p) {}\nint main(void) { int x __attribute__((cleanup(done))) = 1;"
            " return x; }",
            "prog.c:2:39: not supported: __attribute__((cleanup))",
        ),
        (
            "__attribute__((constructor)) void first(void) {}\nint main(void) { return 0; }",
            "prog.c:1:16: not supported: __attribute__((constructor))",
        ),
        (
            "typedef int v4 __attribute__((vector_size(16)));\nint main(void) { return 0; }",
            "prog.c:1:31: not supported: __attribute__((vector_size))",
        ),
        (
            "typedef int byte __attribute__((__mode__(QI)));\nint main(void) { return 0; }",
            "prog.c:1:33: not supported: __attribute__((mode))",
        ),
        (
            "int main(void) __attribute__((frobnicate));\nint main(void) { return 0; }",
            "prog.c:1:31: not supported: __attribute__((frobnicate))",
        ),
    ],
)
def test_attributes_that_would_change_the_program_are_refused_by_name(source, message):
    assert refusal(source).startswith(message)


# -- a typedef name as a label (labels are a namespace of their own) ------------------------
@needs_gcc
def test_a_typedef_name_is_also_a_label_and_an_inner_variable(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "typedef struct s s;\n"
        "struct s { int v; };\n"
        "int main(void) {\n"
        "  int n = 0;\n"
        "  goto s;\n"
        "  struct s s;\n"
        "back:\n"
        "  { int s = 3; n += s; }\n"
        "  s.v = n;\n"
        '  printf("%d\\n", s.v);\n'
        "  return n;\n"
        "s:\n"
        "  if (n++ < 2) goto back;\n"
        "  goto s;\n"
        "}\n",
        tmp_path,
    )
