"""C's integer types against gcc's build: the names (`unsigned`, `short`, `long unsigned int`),
unsigned arithmetic (conversions, comparisons, `/ % >>` at run time, wrapping), unsigned
values through everything that moves values, literals' types, and <limits.h>. Each program
runs at every level of the code generator; operands come from arrays and parameters, so that
the run-time routines (not the constant folder) compute them. The unsigned routines are also
checked at N = 12 over a dense sample of operand pairs against C's semantics evaluated here."""

from __future__ import annotations

import random
import re

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc, same_at_every_level

HEAD = "#include <stdio.h>\n#include <limits.h>\n"
EDGES = ["0", "1", "2", "3", "7", "10", "0x7FFFFFFF", "0x80000000", "0x80000001", "0xFFFFFFFF"]
EDGES += ["0xFFFFFFFE", "0x40000000", "0xC0000000", "12345", "0xDEADBEEF", "65536"]


@needs_gcc
def test_every_spelling_of_the_integer_types(tmp_path):
    same_at_every_level(
        HEAD + "int main(void) {\n"
        "  unsigned a = -1; unsigned int b = -2; int unsigned c = -3; signed d = -4;\n"
        "  short e = -5; short int f = -6; unsigned short g = 7; long h = -8; long int i = -9;\n"
        "  unsigned long j = 10; long unsigned int k = 0xFFFFFFF5; int long unsigned l = -12u;\n"
        "  unsigned char m = 200; signed char n = -13; char signed o = -14; signed short p = 15;\n"
        "  short unsigned int q = 16; signed long r = -17; const unsigned s = 18;\n"
        '  printf("%u %u %u %d %d %d %u %ld %ld\\n", a, b, c, d, e, f, g, h, i);\n'
        '  printf("%lu %lu %lu %u %d %d %d %u %ld %u\\n", j, k, l, m, n, o, p, q, r, s);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


BINARY = ["+", "-", "*", "/", "%", "&", "|", "^", "<", "<=", ">", ">=", "==", "!="]


@needs_gcc
@pytest.mark.parametrize("op", BINARY)
def test_every_operator_on_every_pair_of_edge_values(op, tmp_path):
    """unsigned op unsigned, unsigned op int and int op unsigned over the edge values."""
    words = ", ".join(EDGES)
    same_at_every_level(
        HEAD + f"unsigned U[] = {{{words}}};\nint I[] = {{0, 1, -1, 5, -7, INT_MIN, INT_MAX}};\n"
        "int main(void) {\n  unsigned h = 0;\n"
        f"  for (int i = 0; i < {len(EDGES)}; i++)\n"
        f"    for (int j = 0; j < {len(EDGES)}; j++) {{\n"
        f"      if ({'U[j] == 0 ||' if op in '/%' else ''} 0) continue;\n"
        f'      printf("%u ", U[i] {op} U[j]);\n    }}\n'
        f"  for (int i = 0; i < {len(EDGES)}; i++)\n    for (int j = 0; j < 7; j++) {{\n"
        f"      if ({'I[j] == 0 || U[i] == 0 ||' if op in '/%' else ''} 0) continue;\n"
        f"      h = h * 31 + (U[i] {op} I[j]) + 7 * (I[j] {op} U[i]);\n    }}\n"
        '  printf("%u\\n", h);\n  return 0;\n}\n',
        tmp_path,
    )


CONSTANTS = ["1", "2", "3", "7", "8", "10", "16u", "1024", "0x40000000", "0x7FFFFFFF"]
CONSTANTS += ["0x80000000", "0x80000001", "0xFFFFFFFF", "(unsigned)-8"]


@needs_gcc
def test_constant_divisors_and_shift_counts(tmp_path):
    """Powers of two (a shift, the low bits) and others, on every edge value."""
    words = ", ".join(EDGES)
    prints = [f'printf("%u %u ", U[i] / {c}, U[i] % {c});' for c in CONSTANTS]
    prints += [f'printf("%u ", U[i] >> {n});' for n in (0, 1, 4, 16, 30, 31)]
    same_at_every_level(
        HEAD + f"unsigned U[] = {{{words}}};\n"
        "int main(void) {\n"
        f"  for (int i = 0; i < {len(EDGES)}; i++) {{\n    "
        + "\n    ".join(prints)
        + '\n    printf("\\n");\n  }\n  return 0;\n}\n',
        tmp_path,
    )


@needs_gcc
def test_shifts_unary_operators_and_wrapping(tmp_path):
    words = ", ".join(EDGES)
    same_at_every_level(
        HEAD + f"unsigned U[] = {{{words}}};\n"
        "int main(void) {\n"
        f"  for (int i = 0; i < {len(EDGES)}; i++) {{\n"
        "    unsigned u = U[i], w = u;\n"
        '    for (int n = 0; n < 32; n += 3) printf("%x %x ", u >> n, u << n);\n'
        '    printf("%u %u %u %d %u ", -u, ~u, !u, (int)u, u >> 31);\n'
        '    w++; printf("%u ", w); w--; w--; printf("%u %u ", w, w + 2u * u);\n'
        "    int s = u; unsigned t = s; long l = s; unsigned long ul = (unsigned)l;\n"
        '    printf("%d %u %ld %lu %lx\\n", s / 3, t / 3, l % 7, ul % 7, ul);\n'
        "  }\n  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_compound_assignments_conversions_conditions_and_switch(tmp_path):
    same_at_every_level(
        HEAD + "unsigned V[] = {0, 1, 0x80000000, 0xFFFFFFFF, 100};\n"
        "int classify(unsigned u) { switch (u) { case 0: return 0; case -1: return 1;\n"
        "  case 0x80000000: return 2; default: return u > 50 ? 3 : 4; } }\n"
        "int main(void) {\n  for (int i = 0; i < 5; i++) {\n"
        "    unsigned u = V[i]; int k = -7;\n"
        '    u += 0xFFFFFFF0; u *= 3; u -= 1; printf("%u ", u);\n'
        '    u /= 7; u %= 1000003; printf("%u ", u);\n'
        "    u = V[i]; u >>= 3; u <<= 1; u |= 1; u ^= 0xF0F0F0F0; u &= 0xFFFF0000 | V[i];\n"
        '    k /= V[i] | 1u; printf("%u %d ", u, k);\n'
        '    k = -16; k >>= 2; k %= V[i] + 3u; printf("%d ", k);\n'
        '    if (V[i] - 1 > 0) printf("pos "); if (!V[i]) printf("zero ");\n'
        '    while (u > 0x10000000) u >>= 4; printf("%u ", u);\n'
        '    printf("%d %d\\n", classify(V[i]), (V[i] ? -1 : 2u) > 0);\n'
        "  }\n  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_unsigned_values_through_parameters_arrays_pointers_members_and_globals(tmp_path):
    same_at_every_level(
        HEAD + "unsigned g = -1; unsigned long gl = 0xFFFFFFFE; unsigned short gs = 40000;\n"
        "unsigned table[4] = {1, -1, 0x80000000};\n"
        "struct pair { unsigned hi; int lo; unsigned char c; } gp = {-5, -5, 250};\n"
        "unsigned half(unsigned x) { return x / 2; }\n"
        "unsigned down(unsigned *p, int n) { return *p >> n; }\n"
        "int sign(int x) { return x < 0; }\n"
        "unsigned rec(unsigned x, int d) { return d ? rec(x / 3, d - 1) + x % 3 : x; }\n"
        "int main(void) {\n"
        "  unsigned *p = table + 1; struct pair q = gp, *r = &q;\n"
        '  printf("%u %lu %u %u %u\\n", g, gl, gs, half(g), half(-3));\n'
        '  printf("%u %u %u %u\\n", *p, down(p, 4), down(&table[2], 31), p[1] / 3);\n'
        '  printf("%u %d %u %d\\n", r->hi / 5, r->lo / 5, q.c, sign(g));\n'
        "  r->hi >>= 1; *p %= 1000; table[3] = g / 7;\n"
        '  printf("%u %u %u %u\\n", q.hi, table[1], table[3], rec(g, 5));\n'
        "  int i = -1; unsigned u = 1;\n"
        '  printf("%u %d %u %d\\n", i < 0 ? i : u, (i < 0 ? i : u) > 0, 1 ? i : u, 1 ? i : 2);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_literal_types_and_limits(tmp_path):
    same_at_every_level(
        HEAD + "int main(void) {\n"
        '  printf("%d %d %d %d\\n", -1 < 0u, -1 < 0x7FFFFFFF, -1 < 0xFFFFFFFF,'
        " -1 < 017777777777);\n"
        '  printf("%d %d %d %d\\n", -1 < 020000000000, 10L > -1, -1 < 10UL, 5lu / -1 == 0);\n'
        '  printf("%u %u %u %lu %ld\\n", 0xFFFFFFFFu, 4294967295U, 2147483648u, 10Lu,'
        " 2147483647L);\n"
        '  printf("%u %d %d\\n", UINT_MAX, INT_MIN, INT_MAX);\n'
        '  printf("%d %d %d %d %d %d\\n", SHRT_MAX, SHRT_MIN, USHRT_MAX, UCHAR_MAX,'
        " SCHAR_MAX, SCHAR_MIN);\n"
        '  printf("%d %d %d\\n", CHAR_MAX, CHAR_MIN, UINT_MAX / 2 == INT_MAX);\n'
        '  printf("%d %d\\n", sizeof(int) - 5 > 0, -sizeof(int) > 0);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_a_cast_to_a_char_or_short_type_keeps_the_bits_gccs_keeps(tmp_path):
    same_at_every_level(
        HEAD + "unsigned X[] = {0, 1, 127, 128, 200, 255, 256, 300, 0x7FFF, 0x8000, 0xFFFF,\n"
        "  0x12345, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, -129};\n"
        "int main(void) {\n  for (int i = 0; i < 16; i++) {\n"
        "    unsigned x = X[i]; int y = x;\n"
        '    printf("%d %d %d %d %u %u %d\\n", (char)x, (signed char)y, (unsigned char)x,'
        " (short)y, (unsigned short)x, (unsigned char)(x >> 8), (short)(unsigned char)y);\n"
        '  }\n  printf("%d %d %d\\n", (char)200, (unsigned char)-1, (short)40000);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
@pytest.mark.parametrize("size_t", ["unsigned long", "unsigned int", "int"])
def test_a_programs_own_prototype_of_a_library_function_may_differ_in_signedness(size_t, tmp_path):
    same_at_every_level(
        f"#include <stdio.h>\ntypedef {size_t} length;\nlength strlen(const char *s);\n"
        'int main(void) { printf("%d %d\\n", (int)strlen("abc"), strlen("abc") - 5 > 0);'
        " return 0; }\n",
        tmp_path,
    )


@needs_gcc
def test_crc32_and_fnv1a_of_strings(tmp_path):
    same_at_every_level(
        HEAD + "unsigned crc32(const char *s) {\n"
        "  unsigned crc = 0xFFFFFFFF;\n"
        "  while (*s) {\n"
        "    crc ^= (unsigned char)*s++;\n"
        "    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320 & -(crc & 1));\n"
        "  }\n  return ~crc;\n}\n"
        "unsigned fnv1a(const char *s) {\n"
        "  unsigned h = 2166136261u;\n"
        "  for (; *s; s++) { h ^= (unsigned char)*s; h *= 16777619u; }\n"
        "  return h;\n}\n"
        'const char *WORDS[] = {"", "a", "abc", "123456789", "The quick brown fox jumps over '
        'the lazy dog", "loopmlp"};\n'
        "int main(void) {\n"
        "  for (int i = 0; i < 6; i++)\n"
        '    printf("%08x %u %lx %lu\\n", crc32(WORDS[i]), crc32(WORDS[i]) % 1000,'
        " fnv1a(WORDS[i]), (unsigned long)fnv1a(WORDS[i]) >> 16);\n"
        '  return crc32("123456789") == 0xCBF43926 ? 0 : 1;\n}\n',
        tmp_path,
    )


def test_long_is_one_word_as_limits_h_says():
    source = HEAD + (
        "int main(void) { long a = LONG_MAX; unsigned long b = ULONG_MAX;\n"
        '  printf("%ld %ld %lu %d\\n", a, LONG_MIN, b, a + 1 == LONG_MIN); return 0; }\n'
    )
    assert run_c(source).output == b"2147483647 -2147483648 4294967295 1\n"


MIXED_OPS = ["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "<", "<=", ">", ">=", "=="]
LEAVES = ["a", "b", "u", "v", "s", "uc", "0u", "1", "3u", "7", "0x80000000", "0xFFFFFFFF", "-1"]


def mixed_expression(rng: random.Random, depth: int) -> str:
    """A random expression over int (a, b), unsigned (u, v), short (s) and unsigned char (uc)
    operands: every operator, unary - and ~, casts both ways, ?: (divisors are never 0 and
    shift counts are 0 ... 31, as gcc's build needs)."""
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(LEAVES)
    k, sub = rng.random(), (lambda: mixed_expression(rng, depth - 1))
    if k < 0.1:
        return f"(-({sub()}))"
    if k < 0.15:
        return f"(~{sub()})"
    if k < 0.25:
        return f"(({rng.choice(['unsigned', 'int'])})({sub()}))"
    if k < 0.3:
        return f"({sub()} ? {sub()} : {sub()})"
    op = rng.choice(MIXED_OPS)
    right = {"/": "nz", "%": "nz", "<<": "sh", ">>": "sh"}.get(op, "") + f"({sub()})"
    return f"(({sub()}) {op} {right})"


@needs_gcc
@pytest.mark.parametrize("seed", range(3))
def test_random_expressions_mixing_signed_and_unsigned_operands(seed, tmp_path):
    rng = random.Random(seed)
    prints = "\n".join(
        f'    printf("%u\\n", (unsigned)({mixed_expression(rng, 4)}));' for _ in range(25)
    )
    source = (
        "#include <stdio.h>\nunsigned nz(unsigned x) { return x ? x : 1u; }\n"
        "int sh(int x) { return x & 31; }\n"
        "int A[] = {5, -7, 0x7FFFFFFF, -2147483647 - 1, 0, 100000};\n"
        "unsigned U[] = {3, 0xFFFFFFFF, 0x80000000, 0, 0xDEADBEEF, 65535};\n"
        "int main(void) {\n  for (int i = 0; i < 6; i++) {\n"
        "    int a = A[i], b = A[5 - i]; unsigned u = U[i], v = U[5 - i];\n"
        "    short s = A[i] % 30000; unsigned char uc = U[i] & 255;\n"
        f"{prints}\n  }}\n  return 0;\n}}\n"
    )
    same_as_gcc(source, tmp_path, max_steps=50_000_000)


@pytest.mark.parametrize(
    "source, message",
    [
        ("int x = 0x10000000000000000;", "integer constant 0x10000000000000000 is too large"),
        ("short long x;", "not supported: type 'short long'"),
        ("unsigned void *p;", "not supported: type 'unsigned void'"),
    ],
)
def test_what_needs_more_than_a_word_is_refused_in_one_line(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source + "\nint main(void) { return 0; }\n", "p.c")
    text = str(err.value)
    assert re.fullmatch(r"p\.c:1:\d+: .*", text) and message in text, text


# -- the routines at N = 12, against C's unsigned semantics evaluated here ------------------
SMALL = 12
TOP = 1 << SMALL
SAMPLE = sorted({*range(0, TOP, 37), 0, 1, 2, 3, TOP // 2 - 1, TOP // 2, TOP // 2 + 1, TOP - 1})


def unsigned_value(op: str, a: int, b: int) -> int:
    if op == "/":
        return a // b
    if op == "%":
        return a % b
    return a >> b if b < SMALL else 0


@pytest.mark.parametrize("op", ["/", "%", ">>"])
def test_unsigned_routines_over_dense_pairs_at_12_bits(op):
    if op == ">>":  # (a count of 2^(N-1) or more is negative as a word: see the README)
        rights = [*range(SMALL + 2), 100]
    else:
        rights = [b for b in SAMPLE if b][::4] + [TOP - 1, TOP // 2, TOP // 2 + 1, 1]
    source = (
        f"#include <stdio.h>\nunsigned X[] = {{{', '.join(map(hex, SAMPLE))}}};\n"
        f"unsigned Y[] = {{{', '.join(map(hex, rights))}}};\n"
        "int main(void) {\n"
        f"  for (int i = 0; i < {len(SAMPLE)}; i++) {{\n    unsigned h = 0;\n"
        f"    for (int j = 0; j < {len(rights)}; j++) h = h * 3 + (X[i] {op} Y[j]);\n"
        '    printf("%u\\n", h);\n  }\n  return 0;\n}\n'
    )
    want = []
    for a in SAMPLE:
        h = 0
        for b in rights:
            h = (h * 3 + unsigned_value(op, a, b)) % TOP
        want.append(f"{h}\n")
    result = run_c(source, bits=SMALL, max_steps=100_000_000)
    assert result.output == "".join(want).encode()
