"""C whose answer must be gcc's: values live across recursive calls, arguments with side
effects, names the compiler also uses, and the corners of the library and the type rules.
Each program runs on the reference interpreter at every level of the code generator and is
compared with gcc -fwrapv's build; invalid C is refused in one located line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_at_every_level


# -- recursion: what a call that re-enters the caller must not clobber ----------------------
@needs_gcc
def test_and_or_keep_their_destination_across_a_recursive_call(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n) { return n > 0 && f(n - 1) >= 0; }\n"
        "int g(int n) { return n > 3 || (n > 0 && g(n + 1)); }\n"
        'int main(void) { printf("%d %d\\n", f(3), g(0) + g(2)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_a_declared_local_is_not_clobbered_while_its_initializer_recurses(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n) { int r = n > 0 ? f(n - 1) > 5 : 7; return r + n; }\n"
        "int h(int n) { int r = n > 1 && h(n - 1) || n == 1; return r * 10 + n; }\n"
        'int main(void) { printf("%d %d\\n", f(3), h(4)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_mutual_recursion_in_conditions_keeps_the_callers_values(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int e(int n);\n"
        "int o(int n) { return n > 0 && e(n - 1) >= 0 ? 10 + n : 20 + n; }\n"
        "int e(int n) { int r = n > 0 || o(n - 1) > 5; return r + (n > 0 ? o(n - 1) : 0); }\n"
        "int g(int n) { return !(n > 0 && !g(n - 1)); }\n"
        'int main(void) { printf("%d %d %d\\n", o(4), e(5), g(5)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_an_argument_changing_a_saved_local_keeps_its_change(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n, int k) { int i = 0; if (n > 0) f(n - 1, i++); return i; }\n"
        "int visit(int n, int depth) {\n"
        "    int s = 0;\n"
        "    if (n <= 0) return depth;\n"
        "    s = visit(n - 1, depth++) + visit(n - 2, ++depth);\n"
        "    return s + depth;\n"
        "}\n"
        "int g(int n, int x) { int a = 5; if (n <= 0) return x; g(n - 1, a += 3); return a; }\n"
        'int main(void) { printf("%d %d %d\\n", f(1, 0), visit(4, 0), g(2, 0)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_a_comma_expression_saves_what_it_assigned_before_a_call(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n) { int v, w; if (!n) return 0; v = n * 10, w = f(n - 1); return v + w; }\n"
        "int g(int n) { int v, w; if (!n) return 1; w = g(n - 1), v = w + n; return v; }\n"
        'int main(void) { printf("%d %d\\n", f(3), g(4)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_a_value_assigned_inside_an_expression_survives_a_later_call(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int k(int n) { int x, y; if (n <= 0) return 1;"
        " y = (x = k(n - 1)) + k(n - 2); return y; }\n"
        "int m(int n) { int x; if (n <= 0) return 1; if ((x = m(n - 1)) + m(n - 2) > 3) return n;"
        " return 2; }\n"
        "int w(int n) { int x = 0, c = 0; if (n <= 0) return 0;"
        " while ((x = w(n - 1)) + w(n - 2) + c < 5) c++; return c; }\n"
        'int main(void) { printf("%d %d %d\\n", k(6), m(5), w(5)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_compound_assignments_stores_and_nested_calls_around_recursion(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n) { int x = n; if (n <= 0) return 1; x += f(n - 1); x -= f(n - 2) - 3;"
        " x *= f(n - 1) % 7 + 1; return x; }\n"
        "int g(int n) { int a[4]; int i = n & 3; if (n <= 0) return 2; a[i] = g(n - 1);"
        " a[(i + 1) & 3] = g(n - 2) + a[i]; return a[i] * 3 + a[(i + 1) & 3]; }\n"
        "int h(int a, int b) { return a <= 0 ? b : h(a - 1, h(a - 2, b) + 1) + b; }\n"
        "int c(int n) { int r; if (n <= 0) return 3; r = n & 1 ? c(n - 1) * 2 : 1 + c(n - 2);"
        " return r + n; }\n"
        "int q(int n) { return n > 0 ? (q(n - 1) > 2 ? n : -n) + q(n - 1) : 1; }\n"
        "int main(void) {\n"
        '    printf("%d %d %d %d %d\\n", f(5), g(5), h(3, 1), c(6), q(4));\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_mutual_recursion_with_effects_in_arguments_switches_and_globals(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int g;\n"
        "int odd(int n, int k);\n"
        "int even(int n, int k) {\n"
        "    int i = k, r = 0;\n"
        "    if (n <= 0) return k;\n"
        "    switch (odd(n - 1, i++) & 3) {\n"
        "    case 0: r = i; break;\n"
        "    case 1: r = -i;\n"
        "    default: r += 5;\n"
        "    }\n"
        "    g = n > 1 && odd(n - 2, i) > 3;\n"
        "    return r + i * 10 + g;\n"
        "}\n"
        "int odd(int n, int k) { int j = n; if (n <= 0) return 1;"
        " j += even(n - 1, k += 2); j += n > 2 ? even(n - 3, --k) : k; return j - k; }\n"
        "int main(void) { int e = even(5, 1), o = odd(6, 2);"
        ' printf("%d %d %d\\n", e, o, g); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_address_taken_locals_and_parameters_of_recursive_functions(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int f(int n) { int *p = &n; if (n <= 0) return 0; *p += 1; return n + f(n - 2); }\n"
        "int g(int n) { int v = n; int *q = &v; if (n <= 0) return 0; return g(n - 1) + *q; }\n"
        "int s(int *p, int n) { if (n <= 0) return *p; *p += n; return s(p, n - 1); }\n"
        "int t(int n) { int acc = 0; if (n <= 0) return 0; s(&acc, n); return acc + t(n - 1); }\n"
        'int main(void) { printf("%d %d %d\\n", f(5), g(4), t(4)); return 0; }\n',
        tmp_path,
    )


# -- names ---------------------------------------------------------------------------------
@needs_gcc
def test_parameters_whose_names_begin_with_an_underscore_are_the_parameters(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int _x = 100;\n"
        "int f(int _x) { return _x + 1; }\n"
        "int g(int _0, int __) { return _0 * 10 + __; }\n"
        'int main(void) { printf("%d %d %d\\n", f(1), g(2, 3), _x); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_names_never_collide_with_the_compilers_labels(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int g(int n) { return n + 1; }\n"
        "int g_exit(int n) { return n * 2; }\n"
        "int f_g_exit = 5, f1_g = 8, f1x_g_exit = 9, g1_f_g_exit = 10;\n"
        "int _rv(int n) { return n - 1; }\n"
        "int _R = 7, Z = 3, rt_mul = 2, _c5 = 9, _L1 = 4, _nsp = 1, _stack = 6, _s1_u = 11;\n"
        "int h(int a_b, int c) { return a_b * 10 + c; }\n"
        "int h_a(int b, int b_c) { return b * 100 + b_c; }\n"
        "int main(void) {\n"
        "    int x = 1;\n"
        '    { int x = 2, x_1 = 3; printf("%d %d\\n", x, x_1); }\n'
        '    printf("%d %d %d %d %d\\n", g(1), g_exit(2), _rv(3), h(1, 2), h_a(3, 4));\n'
        '    printf("%d %d %d %d %d %d\\n", x, f_g_exit, f1_g, f1x_g_exit, g1_f_g_exit, _R);\n'
        '    printf("%d %d %d %d %d %d %d\\n", Z, rt_mul * 3, _c5, _L1, _nsp, _stack, _s1_u);\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


def test_a_parameter_named_twice_is_refused():
    with pytest.raises(LoopmlpError) as err:
        compile_c("int f(int a, int a) { return a; }\nint main(void) { return 0; }\n", "p.c")
    assert str(err.value) == "p.c:1:18: redefinition of parameter 'a'"


def test_cc_with_output_dash_writes_the_assembly_to_stdout(tmp_path):
    source = tmp_path / "hello.c"
    source.write_text('#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n')
    done = subprocess.run(
        [sys.executable, "-m", "loopmlp.runtime.cli", "cc", str(source), "-o", "-"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == compile_c(source.read_text(), str(source)).text.encode()
    assert not (tmp_path / "-").exists() and done.stderr == b""


# -- the library ---------------------------------------------------------------------------
@needs_gcc
def test_putchar_returns_the_byte_written_as_an_unsigned_char(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "    int v = 321, r;\n"
        '    r = putchar(321); printf(" %d\\n", r);\n'
        '    r = putchar(v); printf(" %d\\n", r);\n'
        '    v = -191; r = putchar(v); printf(" %d\\n", r);\n'
        '    r = putchar(-1); printf("%d\\n", r);\n'
        '    r = putchar(v + 512) - 1; printf("%d\\n", r);\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_atoi_skips_what_isspace_does(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "#include <stdlib.h>\n"
        "int main(void) {\n"
        "    char buf[4];\n"
        "    buf[0] = 11; buf[1] = '9'; buf[2] = 0;\n"
        '    printf("%d %d %d\\n", atoi("\\r\\v\\f 42"), atoi("\\t\\n-7x"), atoi("\\r+13"));\n'
        '    printf("%d %d\\n", atoi("\\b5"), atoi(buf));\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


# -- types ---------------------------------------------------------------------------------
@needs_gcc
def test_the_address_of_an_array_points_to_the_whole_array(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int g[5] = {1, 2, 3, 4, 5};\n"
        "int main(void) {\n"
        "    int a[4] = {10, 20, 30, 40};\n"
        "    int *end = (int *)(&a + 1);\n"
        '    printf("%d %d %d\\n", (int)((int *)(&a + 1) - a),'
        " (int)(sizeof(*&a) / sizeof(int)), (int)(end - a));\n"
        '    printf("%d %d %d\\n", (*&a)[2], *(int *)(&g + 0),'
        " (int)((int *)(&g + 1) - (int *)&g));\n"
        '    printf("%d %d\\n", (int)(sizeof(*&g) / sizeof(int)), ((int *)(&a + 1))[-1]);\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_a_conditional_with_a_null_pointer_constant_has_the_pointers_type(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int a[3] = {4, 5, 6};\n"
        "int main(void) {\n"
        "    int *p = a + 1, c = 0;\n"
        '    printf("%d %d\\n", *(c ? 0 : p), *(c + 1 ? p + 1 : (void *)0));\n'
        '    printf("%d\\n", (c ? 0 : p)[1]);\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_const_objects_and_const_library_prototypes_compile(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "#include <string.h>\n"
        "#include <stdlib.h>\n"
        "int atoi(const char *s);\n"
        "int count(const char *s, const int c) { int n = 0; while (*s) { if (*s == c) n++; s++; }"
        " return n; }\n"
        "const int limit = 3;\n"
        "int main(void) {\n"
        '    const char *msg = "hello";\n'
        "    char buf[16];\n"
        "    char *const b = buf;\n"
        "    const int k = 2;\n"
        '    strcpy(b, msg); strcat(buf, " world");\n'
        '    printf("%d %d %d %d\\n", (int)strlen(buf), count(buf, \'o\'), atoi("  12") + k,'
        " limit);\n"
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


INVALID = [
    ("int x = 1; (char)x = 3;", "1:29: lvalue required as left operand of assignment"),
    ("int x = 1; ((char)x)++;", "1:30: lvalue required as increment operand"),
    ("int x = 1; int *p = &(int)x;", "1:39: lvalue required as unary '&' operand"),
    ("int a[3]; int y = 1 - a;", "1:36: invalid operands to binary -"),
    ("int a[3]; int *p = a; p *= 2;", "1:40: invalid operands to binary *"),
    ("int a[3]; int *p = a; p %= 3;", "1:40: invalid operands to binary %"),
    ("int a[3]; int *p = a, *q = a; p += q;", "1:48: invalid operands to binary +"),
    ("const int c = 1; c = 2;", "1:35: assignment of read-only variable 'c'"),
    ("const int c = 1; c++;", "1:35: increment of read-only variable 'c'"),
    ("int x = 1; const int *p = &x; *p = 3;", "1:49: assignment of read-only location"),
    ("int x = 1; int *const p = &x; p = 0;", "1:48: assignment of read-only variable 'p'"),
    ("const char s[3] = \"ab\"; s[0] = 'x';", "1:42: assignment of read-only location"),
    ('int printf = 3; printf("x");', "1:34: called object 'printf' is not a function"),
    ("int a[4]; *&a = 0;", "1:30: lvalue required as left operand of assignment"),
]


@pytest.mark.parametrize("body, message", INVALID)
def test_invalid_c_is_refused_in_one_located_line(body, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c("int main(void) { " + body + " return 0; }\n", "p.c")
    assert "\n" not in str(err.value) and str(err.value).startswith(f"p.c:{message}")


def test_a_refusal_of_invalid_c_exits_2_with_one_line(tmp_path):
    source = tmp_path / "p.c"
    source.write_text("int main(void) { " + INVALID[0][0] + " return 0; }\n")
    done = subprocess.run(
        [sys.executable, "-m", "loopmlp.runtime.cli", "cc", str(source)],
        capture_output=True,
        check=False,
    )
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2 and done.stdout == b"" and len(lines) == 1, done.stderr
    assert lines[0] == f"loopmlp: error: {source}:{INVALID[0][1]}"


@pytest.mark.parametrize(
    "source, message",
    [
        ("const int g = 4;\nint main(void) { g = 2; return g; }", "2:18: assignment of read-only"),
        ("int f(const int n) { n = 3; return n; }\nint main(void) { return f(1); }", "1:22:"),
        ("enum { A = 2147483647, B };\nint main(void) { return B; }", "1:24: overflow in enum"),
        ('int puts = 3;\nint main(void) { puts("x"); return 0; }', "2:18: called object"),
    ],
)
def test_invalid_declarations_are_refused_at_their_place(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "p.c")
    assert str(err.value).startswith(f"p.c:{message}"), str(err.value)


# -- unsigned values: size_t and constants above INT_MAX (more in test_unsigned.py) -------
UNSIGNED_EXPRESSIONS = [
    "0xFFFFFFFF > 0",
    "0x80000000 > 5",
    "-1 < sizeof(int)",
    "sizeof(int) - 2 < 0",
    'strlen("ab") - 5 > 0',
    'strlen("abc") / 2',
    "sizeof(int[10]) / sizeof(int)",
    "-2147483648 < 0",
    "(int)0xFFFFFFFF < 0",
    "0xFFFFFFFF == -1",
    "x < 0x80000000",
    "x > sizeof(int)",
    "(x ? 0 : sizeof(int)) - 1 > 0",
    "(unsigned_ish = sizeof(int) - 5) < 0",
    "0x80000000 >> 31",
    "0xFFFFFFFF / 2 == 0x7FFFFFFF",
    "x % 5u",
    "(sizeof(int) - 5) / 2 > 0x7FFF0000",
    "x / 4u == 1073741823",
    "((unsigned)x >> 4) == 0x0FFFFFFF",
]


@needs_gcc
@pytest.mark.parametrize("expression", UNSIGNED_EXPRESSIONS)
def test_unsigned_values_compare_as_unsigned(expression, tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n#include <string.h>\n"
        "int x = -3, unsigned_ish;\n"
        f'int main(void) {{ printf("%d\\n", {expression}); return 0; }}\n',
        tmp_path,
    )


@needs_gcc
def test_a_decimal_constant_above_int_max_is_a_long_long(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        'int main(void) { printf("%lld %lld %d\\n", 3000000000, 2147483648 + 0,'
        " (int)(2147483648 - 1)); return 0; }\n",
        tmp_path,
    )


@needs_gcc
def test_a_store_through_a_pointer_to_the_value_it_stores_keeps_the_value(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int g = 7, h = 5;\n"
        "int put(int d, int *p) { if (d <= 0) return (*p = g); put(d - 1, &h); return 0; }\n"
        "int main(void) { int x = 3, *q = &x; *q = x; put(1, &g);\n"
        '  printf("%d %d %d\\n", g, h, x); return 0; }\n',
        tmp_path,
    )


# -- switch: a binary search over the case values -------------------------------------------
@needs_gcc
@pytest.mark.parametrize("seed", range(6))
def test_a_switch_goes_to_the_case_gcc_goes_to(seed, tmp_path):
    import random

    rng = random.Random(seed)
    edges = [-(2**31), -(2**31) + 1, -1, 0, 1, 2**31 - 1, 7, -7, 100, 1000]
    values = sorted(
        {rng.choice(edges + [rng.randrange(-300, 300)]) for _ in range(rng.randrange(1, 40))}
    )
    rng.shuffle(values)
    cases = "\n".join(
        f"    case {v if v != -(2**31) else '-2147483647 - 1'}: "
        + (f"s += {i + 1};" if i % 3 else f"return {i + 1};")
        for i, v in enumerate(values)
    )
    probes = sorted(set(values) | {v + d for v in values for d in (-1, 1)} | set(edges))
    probes = [p for p in probes if -(2**31) <= p < 2**31]
    table = ", ".join(str(p) if p != -(2**31) else "-2147483647 - 1" for p in probes)
    same_at_every_level(
        "#include <stdio.h>\n"
        f"int f(int x) {{ int s = 0;\n  switch (x) {{\n{cases}\n"
        "    default: s -= 1;\n  }\n  return s;\n}\n"
        f"int probes[] = {{{table}}};\n"
        "int main(void) { int i, t = 0;\n"
        f"  for (i = 0; i < {len(probes)}; i++) t = t * 31 + f(probes[i]);\n"
        '  printf("%d\\n", t); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_a_library_function_declared_without_const_is_the_library_function(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\nint strlen(char *);\nint atoi(char *s);\n"
        'int main(void) { printf("%d %d\\n", strlen("hello"), atoi(" 42")); return 0; }\n',
        tmp_path,
    )


SELF_REFERENCE = r"""#include <stdio.h>
struct node { int v; struct node *next; };
struct node ring = { 1, &ring };
void *self = &self;
static struct node two[2] = { { 5, &two[1] }, { 6, &two[0] } };
int counter(void) {
    static struct node n = { 7, &n };
    n.v++;
    return n.next->next->v;
}
int main(void) {
    counter();
    printf("%d %d %d %d %d\n", ring.next->next->v, self == (void *)&self, two[0].next->v,
           two[1].next->next->v, counter());
    return 0;
}
"""


@needs_gcc
def test_a_static_object_is_in_scope_in_its_own_initializer(tmp_path):
    # a circular list's sentinel: at file scope, in an array, and a static local
    same_at_every_level(SELF_REFERENCE, tmp_path)
