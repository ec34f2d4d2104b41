"""long long and unsigned long long against gcc's build: every operator on the edge values
(0, 1, -1, INT_MAX, INT_MIN, 2^32, 2^63 - 1, -2^63, 2^64 - 1), mixing them with int and
unsigned, conversions, values through everything that moves them (parameters, results,
arrays, members, globals), printf's %lld family, and <stdint.h>'s 64-bit types. Operands come
from arrays, so the library's longlong.c computes them, not the constant folder; each program
runs at every level of the code generator. What is not done is refused in one line."""

from __future__ import annotations

import re

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_as_gcc, same_at_every_level

HEAD = "#include <stdio.h>\n#include <limits.h>\n"
EDGES = "0, 1, -1, INT_MAX, INT_MIN, 4294967296LL, 9223372036854775807LL, "
EDGES += "-9223372036854775807LL - 1, 0xFFFFFFFFFFFFFFFFULL"
VALUES = f"long long V[] = {{{EDGES}}};\nunsigned long long U[] = {{{EDGES}}};\n"
PAIRS = "int main(void) {\n  for (int i = 0; i < 9; i++)\n    for (int j = 0; j < 9; j++) {\n"


def pairs(body: str) -> str:
    """A program that runs `body` on every pair of edge values: a, b signed, ua, ub not."""
    return (
        HEAD + VALUES + PAIRS + "      long long a = V[i], b = V[j];\n"
        "      unsigned long long ua = U[i], ub = U[j];\n"
        f'{body}\n      printf("\\n");\n    }}\n  return 0;\n}}\n'
    )


OPERATOR_BODIES = [
    'printf("%lld %lld %lld %llu %llu %llu", a + b, a - b, a * b, ua + ub, ua - ub, ua * ub);',
    'printf("%lld %lld %lld %llx %llX %llu", a & b, a | b, a ^ b, ua & ub, ua | ub, ua ^ ub);',
    'printf("%d%d%d%d%d%d ", a < b, a <= b, a > b, a >= b, a == b, a != b);\n'
    'printf("%d%d%d%d%d%d", ua < ub, ua <= ub, ua > ub, ua >= ub, ua == ub, ua != ub);',
    'if (b != 0 && !(b == -1 && a == V[7])) printf("%lld %lld", a / b, a % b);',
    'if (ub != 0) printf("%llu %llu", ua / ub, ua % ub);',
]


@needs_gcc
@pytest.mark.parametrize(
    "body",
    OPERATOR_BODIES,
    ids=["add-sub-mul", "bitwise", "comparisons", "signed-div-mod", "unsigned-div-mod"],
)
def test_every_operator_on_every_pair_of_edge_values(body, tmp_path):
    """At the level compile_c chooses (every level: the slow tier, below)."""
    same_as_gcc(pairs(body), tmp_path)


@needs_gcc
@pytest.mark.slow
@pytest.mark.parametrize("body", OPERATOR_BODIES)
def test_every_operator_on_every_pair_of_edge_values_at_every_level(body, tmp_path):
    same_at_every_level(pairs(body), tmp_path)


@needs_gcc
def test_shifts_unary_operators_and_conversions_of_the_edge_values(tmp_path):
    same_at_every_level(
        HEAD + VALUES + "int S[] = {0, 1, 7, 31, 32, 33, 63};\n"
        "int main(void) {\n  for (int i = 0; i < 9; i++) {\n"
        "    long long a = V[i]; unsigned long long ua = U[i];\n"
        '    printf("%lld %lld %d %d %u %lli|", -a, ~a, !a, (int)a, (unsigned)a, +a);\n'
        '    printf("%lld %lld %llu %llu|", (long long)(int)a, (long long)(unsigned)a,'
        " (unsigned long long)(int)a, -ua);\n"
        "    for (int k = 0; k < 7; k++)\n"
        '      printf(" %lld %lld %llu", a << S[k], a >> S[k], ua >> S[k]);\n'
        '    printf("\\n");\n  }\n  return 0;\n}\n',
        tmp_path,
    )


@needs_gcc
def test_int_and_unsigned_operands_widen_by_the_usual_arithmetic_conversions(tmp_path):
    same_at_every_level(
        HEAD + VALUES + "int I[] = {0, 1, -1, INT_MAX, INT_MIN, -7};\n"
        "unsigned W[] = {0, 1, 0xFFFFFFFF, 0x80000000, 7};\n"
        "int main(void) {\n  for (int i = 0; i < 9; i++) {\n"
        "    long long a = V[i]; unsigned long long ua = U[i];\n"
        "    for (int j = 0; j < 6; j++)\n"
        '      printf("%lld %lld %lld %d %d %llu %d|", a + I[j], I[j] - a, a * I[j], a < I[j],'
        " I[j] == a, ua + I[j], ua > I[j]);\n"
        "    for (int j = 0; j < 5; j++)\n"
        '      printf("%lld %lld %d %llu %d|", a + W[j], W[j] - a, a < W[j], W[j] * ua,'
        " W[j] >= ua);\n"
        '    printf("\\n");\n  }\n'
        "  int n = 5; unsigned u = 4000000000u; long long big = n * 1000000000LL;\n"
        '  printf("%lld %lld %lld %d\\n", big, u + 1LL, (long long)u * u, (int)(big >> 3));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_factorial_and_fibonacci_to_their_last_terms_that_fit(tmp_path):
    same_at_every_level(
        HEAD + "long long fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }\n"
        "unsigned long long fib[94];\n"
        "int main(void) {\n"
        '  for (int n = 0; n <= 21; n++) printf("%d! = %lld\\n", n, fact(n));\n'
        "  fib[0] = 0; fib[1] = 1;\n"
        "  for (int n = 2; n < 94; n++) fib[n] = fib[n - 1] + fib[n - 2];\n"
        '  for (int n = 0; n < 94; n += 3) printf("F%d = %llu\\n", n, fib[n]);\n'
        '  printf("%llu\\n", fib[93]);\n  return 0;\n}\n',
        tmp_path,
    )


@needs_gcc
def test_a_comma_expression_valued_by_a_long_long_constant(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "    int i = 1; long long b = 3, r = (i, 5LL);\n"
        '    printf("%lld %d %lld %d %d\\n", r, (b, 1LL) != b, (i, 5LL) + b, (int)(i++, 7LL), i);\n'
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_an_element_indexed_by_a_long_long_is_stored_to_and_updated(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n#include <stdint.h>\n"
        "long long g[4];\n"
        "int main(void) {\n"
        "    long long b[5] = {0}; int a[5];\n"
        "    for (int64_t i = 0; i < 5; i++) { a[i] = (int)i * 3; b[i] = -i << 33; }\n"
        "    int64_t k = 3; uint64_t u = 1;\n"
        "    b[k] = 7; b[k] += 5; b[4 - (int)k] -= 1; b[(int)k] *= 3;\n"
        "    g[u] = b[k] << 40; g[k] |= 9;\n"
        '    printf("%lld %lld %lld %lld %lld %lld %d\\n", b[0], b[1], b[2], b[3], g[1], g[3],'
        " a[k]);\n"
        "    return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_values_through_parameters_results_arrays_members_globals_and_assignments(tmp_path):
    same_at_every_level(
        HEAD + "struct p { int tag; long long v; unsigned long long u; };\n"
        "long long g = -5LL << 40, h = 3000000000, arr[3] = {1, -2, 0x123456789LL};\n"
        "unsigned long long big = 18446744073709551615U;\n"
        "struct p make(long long v) { struct p r; r.tag = 7; r.v = v; r.u = v; return r; }\n"
        "long long twice(long long x) { return 2 * x; }\n"
        "int low(long long x) { return x; }\n"
        "int main(void) {\n  long long x = 10, y, z, *q = &x; int i = 7; struct p s;\n"
        "  x += 5; x -= 100; x *= -3; x /= 7; x %= 11; x <<= 33; x >>= 2; x |= 1;\n"
        "  x &= ~2LL; x ^= 12345;\n"
        '  printf("%lld\\n", x);\n'
        '  y = x++; printf("%lld %lld\\n", y, x);\n'
        '  y = ++x; printf("%lld %lld\\n", y, x);\n'
        '  y = x--; z = --x; printf("%lld %lld %lld\\n", y, z, x);\n'
        '  y = z = *q + 1; *q += 4; printf("%lld %lld %lld\\n", y, z, x);\n'
        '  i += x; i -= 3LL; printf("%d\\n", i);\n'
        "  s = make(g);\n"
        '  printf("%d %lld %llu %lld %lld %llu\\n", s.tag, s.v, s.u, g, h, big);\n'
        '  printf("%lld %d %lld %lld\\n", twice(arr[2]), low(arr[2]), twice(i), arr[z - z + 1]);\n'
        '  if (g) puts("g");\n  while (h > 2999999998) h--;\n'
        '  printf("%lld %d %d %d\\n", h, !h, h && 0, h || 0);\n'
        '  printf("%lld %lld\\n", i > 3 ? x : 2, i < 3 ? x : -2);\n'
        '  printf("%d\\n", (int)(sizeof(long long) / sizeof(int)));\n'
        "  for (long long k = 4294967290LL; k < 4294967300LL; k += 3)"
        ' printf("%lld ", k);\n'
        '  printf("\\n%lld\\n", -9223372036854775807LL - 1);\n  return 0;\n}\n',
        tmp_path,
    )


@needs_gcc
def test_printf_widths_and_flags_print_as_glibcs(tmp_path):
    same_at_every_level(
        HEAD + "long long V[] = {0, -42, 9223372036854775807LL, -9223372036854775807LL - 1};\n"
        "int main(void) {\n  for (int i = 0; i < 4; i++)\n"
        '    printf("[%5lld] [%-6lld] [%22llu] [%3llx] [%-20llX] %d%%\\n", V[i], V[i],'
        " (unsigned long long)V[i], V[i], V[i], i);\n"
        '  printf("%*lld|%s|%lld\\n", 8, 5LL, "x", 7LL);\n'
        "  for (int i = 0; i < 4; i++)\n"
        '    printf("[%+lld] [% lld] [%-+8lli|] [%llo] [%5llo] [%+llu] [% llx]\\n", V[i], V[i],'
        " V[i], V[i], V[i], V[i], V[i]);\n  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_stdint_64_bit_types_limits_and_inttypes_conversions(tmp_path):
    same_at_every_level(
        "#include <stdio.h>\n#include <limits.h>\n#include <stdint.h>\n#include <inttypes.h>\n"
        "int main(void) {\n  int64_t a = INT64_MAX, b = INT64_MIN; uint64_t c = UINT64_MAX;\n"
        "  intmax_t m = INTMAX_MIN; uint64_t h = 14695981039346656037ULL;\n"
        '  for (const char *s = "hello"; *s; s++) h = (h ^ *s) * 1099511628211ULL;\n'
        '  printf("%" PRId64 " %" PRId64 " %" PRIu64 " %" PRIx64 " %" PRIdMAX "\\n", a, b, c,'
        " c, m);\n"
        '  printf("%" PRIu64 " %" PRIX64 " %d\\n", h, h, (int)(sizeof(int64_t) / sizeof(int)));\n'
        '  printf("%lld %lld %lld %llu\\n", INT64_C(1) << 62, LLONG_MAX, LLONG_MIN, ULLONG_MAX);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "source, message",
    [
        ('int f(long long x) { printf("%#llx", x); }', "printf of a long long other than"),
        ('int f(long long x) { printf("%.3lld", x); }', "printf of a long long with a precision"),
        ("int f(long long x) { switch (x) { default: return 1; } }", "'long long' value here"),
        ('int f(long long x) { return x["ab"]; }', "'long long' value here"),
        ("long long f(void);\nlong long g = f();", "initializer element is not constant"),
        ("int x = 0x10000000000000000;", "integer constant 0x10000000000000000 is too large"),
        ("long long f(long long *p) { return *p++ += 1; }", "at a place with side effects"),
        ("void f(long long *p, long long k) { p[k + 1] = 2; }", "or long long arithmetic"),
        (
            "long long f(long long x) { return x; }\nint g(void) { long long (*p)(long long) = f;"
            " return p(1); }",
            "a call through a pointer to a function of long long",
        ),
        ("int f(long long x) { va_list ap; return va_arg(ap, long long); }", "va_arg of type"),
        ('int f(long long x) { printf("%d", x); }', "printf of a long long other than"),
        ('int f(long long x) { printf("%*d", x, 1); }', "a long long as a printf width"),
        ('int f(long long x) { printf("%.*d", x, 1); }', "a long long as a printf width"),
        ('int f(int x) { printf("%lld", x); }', "printf conversion '%lld' of a one-word value"),
        ('int f(long x) { printf("%lld", x); }', "printf conversion '%lld' of a one-word value"),
        (
            'int f(long long x) { printf("%lld %llx", x, 1); }',
            "printf conversion '%llx' of a one-word value",
        ),
        (
            'int f(int x) { char b[9]; sprintf(b, "%llu", x); }',
            "printf conversion '%llu' of a one-word value",
        ),
        (
            'int f(long long x) { const char *s = "%lld"; printf(s, x); }',
            "a long long printed with a format not known now",
        ),
    ],
)
def test_what_is_not_done_is_refused_in_one_line(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(
            "#include <stdio.h>\n#include <stdarg.h>\n"
            + source
            + "\nint main(void) { return 0; }\n",
            "p.c",
        )
    text = str(err.value)
    assert re.fullmatch(r"p\.c:\d+:\d+: .*", text) and message in text, text


@pytest.mark.parametrize("kind", ["long long", "unsigned long long", "intmax_t"])
@pytest.mark.parametrize(
    "call",
    [
        'printf("%jd\\n", x);',
        'sprintf(b, "%lld %n", x);',
        'printf("%lld %d\\n", x);',
        'snprintf(b, 20, "%d %lld %x", 1, x);',
        'printf("%lld %", x);',
        'printf("%*%%lld\\n", 3, x);',
        'sprintf(b, "%lld %q", x, 2);',
        'printf("%lld%ls\\n", x, b);',
    ],
)
def test_a_format_refused_with_an_int_is_refused_alike_with_a_long_long(call, kind):
    """A format not printed, or given too few arguments, is the same one located line whether
    its arguments are long long or int."""

    def refusal(kind: str) -> str:
        with pytest.raises(LoopmlpError) as err:
            compile_c(
                "#include <stdio.h>\n#include <stdint.h>\nint main(void) {\n  char b[20];\n"
                f"  {kind} x = 5;\n  {call}\n  return 0;\n}}\n",
                "p.c",
            )
        return str(err.value)

    wide = refusal(kind)
    assert wide == refusal("int")
    assert re.fullmatch(r"p\.c:6:\d+: [^\n]*", wide), wide


@needs_gcc
def test_printf_of_long_longs_beside_more_arguments_stars_and_percent_signs(tmp_path):
    """Arguments past the format's are evaluated and ignored (a long long's too), `*` widths
    and `%%` sit beside long long conversions, and `l` and `z` print all 64 bits, as in
    gcc's build."""
    same_as_gcc(
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "  long long x = -9000000000LL, y = 5; int i = 0; char b[40];\n"
        '  printf("%lld\\n", x, i++, y++);\n'
        '  printf("%d %lld\\n", i, y);\n'
        '  printf("%*lld|%-*lld|%5%|100%%|%ld|%zd\\n", 6, y, 4, y, x, x);\n'
        '  sprintf(b, "%lld%%%d", x, 3); puts(b);\n'
        '  int n = snprintf(b, 8, "%lld%s", x, "tail", y++);\n'
        '  printf("%d %s %lld\\n", n, b, y);\n'
        "  return 0;\n"
        "}\n",
        tmp_path,
    )


def test_long_long_is_refused_at_another_word_width():
    with pytest.raises(LoopmlpError, match=r"type 'long long' at N = 16"):
        compile_c("long long x;\nint main(void) { return 0; }\n", "p.c", bits=16)
    with pytest.raises(LoopmlpError, match=r"int64_t' \(wider than a word"):
        compile_c("#include <stdint.h>\nint64_t x;\nint main(void) { return 0; }\n", bits=16)
