"""<stdint.h> and <inttypes.h>: the types print and wrap as gcc's (the narrow ones are gcc's
char and short types, which wrap when stored to; the least and fast ones have gcc's widths),
every limit and constant macro has gcc's value, type and spelling, the PRI and SCN macros are
glibc's strings, and a type gcc's width cannot give at this N is refused in one line naming it
and why (the README's values at narrow words, where gcc has no build)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import CError, compile_c
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc, same_at_every_level

WORDS = r"""#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
int main(void) {
    int32_t a = INT32_MAX, b = INT32_MIN;
    int_least32_t c = -5;
    int_fast32_t d = 7;
    intptr_t p = (intptr_t)&a - (intptr_t)&a;
    int32_t big = a + 1;  /* wraps, as gcc's -fwrapv build */
    printf("%" PRId32 " %" PRIi32 " %" PRIu32 " %" PRIx32 " %" PRIX32 " %" PRIo32 "\n",
           a, b, b, b, a, c);
    printf("%" PRIdLEAST32 " %" PRIdFAST32 " %" PRIdPTR " %d\n", c, d, p, big == INT32_MIN);
    printf("%d %d %d %d %d %d\n", INT8_MIN, INT8_MAX, UINT8_MAX, INT16_MIN, INT16_MAX,
           UINT16_MAX);
    printf("%d\n", UINT32_MAX > INT32_MAX);
    uint32_t u = 0xFFFFFFFFu, h = 2166136261u;
    size_t n = sizeof(int32_t[5]) / sizeof(int32_t);
    for (const char *q = "loopmlp"; *q; q++) h = (h ^ (uint32_t)*q) * 16777619u;
    printf("%u %u %u %" PRIu32 " %d\n", u, u / 3, u >> 28, h, (int)n);
    return 0;
}
"""


@needs_gcc
def test_the_word_wide_types_and_their_limits_are_gccs():
    with tempfile.TemporaryDirectory() as d:
        same_as_gcc(WORDS, Path(d))


NARROW = r"""#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
int main(void) {
    uint8_t u8 = 250, sum = 0;
    int8_t i8 = 100;
    uint16_t u16 = 65000;
    int16_t i16 = 32000;
    for (int k = 0; k < 10; k++) {
        u8 += 3;
        i8 += 5;
        u16 += 100;
        i16 += 100;
        sum = sum * 31 + u8;
    }
    printf("%" PRIu8 " %" PRId8 " %" PRIu16 " %" PRId16 " %u\n", u8, i8, u16, i16, sum);
    return i8 < 0;
}
"""


@needs_gcc
def test_the_narrow_exact_types_wrap_as_gccs():
    with tempfile.TemporaryDirectory() as d:
        same_as_gcc(NARROW, Path(d))


def test_intptr_t_is_a_word():
    source = "#include <stdint.h>\nint main(void) { return INTPTR_MAX == INT32_MAX; }"
    assert run_c(source).exit_status == 1  # (gcc's has 64 bits)


def test_at_16_bits_int16_t_is_the_word_and_int32_t_is_refused():
    source = "#include <stdint.h>\nint main(void) { int16_t x = INT16_MAX; x++; return x < 0; }"
    assert run_c(source, bits=16).exit_status == 1
    with pytest.raises(CError, match=r"type 'int32_t' \(wider than a word"):
        compile_c("#include <stdint.h>\nint main(void) { int32_t x = 0; return x; }", bits=16)


# _Generic's name for a value's type, and a macro's expansion as text (both as gcc's build shows
# them: _Generic reads gcc's types here).
TYPE_NAME = r"""#define TYPE(e) _Generic((e), \
    signed char: "signed char", unsigned char: "unsigned char", short: "short", \
    unsigned short: "unsigned short", int: "int", unsigned: "unsigned", \
    long: "long", unsigned long: "unsigned long", long long: "long long", \
    unsigned long long: "unsigned long long", default: "other")
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
"""

HEAD = "#include <stdio.h>\n#include <stdint.h>\n#include <inttypes.h>\n" + TYPE_NAME


def _limits() -> list[tuple[str, str]]:
    """Every limit of an integer type of <stdint.h> that gcc's build has at N = 32, and the
    suffix of the PRI macros for its type (PRId8, PRIuFAST16, ...)."""
    found = []
    for width in ("8", "16", "32", "64"):
        for kind in ("", "_LEAST", "_FAST"):
            stem, pri = (f"{kind}{width}", f"{kind[1:]}{width}")
            found += [(f"INT{stem}_MIN", pri), (f"INT{stem}_MAX", pri), (f"UINT{stem}_MAX", pri)]
    return found + [("INTMAX_MIN", "MAX"), ("INTMAX_MAX", "MAX"), ("UINTMAX_MAX", "MAX")]


def _show(macro: str, pri: str) -> str:
    """A line printing the macro's name, gcc's type of it, its expansion and its value by each
    conversion for its type."""
    convs = "di" if not macro.startswith("U") else "uoxX"
    fmt = " ".join(f'%" PRI{c}{pri} "' for c in convs)
    args = ", ".join([macro] * len(convs))
    return f'    printf("{macro} %s %s {fmt}\\n", TYPE({macro}), TEXT({macro}), {args});\n'


LIMITS = (
    HEAD
    + "int main(void) {\n"
    + "".join(_show(m, p) for m, p in _limits())
    + r"""    printf("%s %s %d %d\n", TYPE(SIG_ATOMIC_MIN), TEXT(SIG_ATOMIC_MAX), SIG_ATOMIC_MIN,
           SIG_ATOMIC_MAX);
    printf("%s %s %s %u %u\n", TYPE(WINT_MIN), TEXT(WINT_MIN), TEXT(WINT_MAX), WINT_MIN, WINT_MAX);
    printf("%s %s %d %d\n", TYPE(WCHAR_MIN), TYPE(WCHAR_MAX), WCHAR_MIN, WCHAR_MAX);
    /* one word here (gcc's are 64 bits, see the README): their types are gcc's */
    printf("%s %s %s %s %s %s\n", TYPE(INTPTR_MIN), TYPE(INTPTR_MAX), TYPE(UINTPTR_MAX),
           TYPE(PTRDIFF_MIN), TYPE(PTRDIFF_MAX), TYPE(SIZE_MAX));
    return 0;
}
"""
)


@needs_gcc
def test_every_limit_has_gccs_value_type_and_spelling(tmp_path):
    same_as_gcc(LIMITS, tmp_path)


CONSTANTS = (
    HEAD
    + r"""#if INT64_C(1) << 40 > INT32_MAX && UINT64_C(18446744073709551615) == UINT64_MAX \
    && INTMAX_C(5) == 5 && INT_FAST16_MAX > INT32_MAX && UINT8_C(255) == UINT8_MAX
#define IF "all"
#else
#define IF "not all"
#endif
static int64_t big = INT64_C(3) << 40;
static uint64_t top[2] = {UINT64_C(1) << 63, UINTMAX_C(7)};
int main(void) {
    printf("%s %s %s %s %s %s\n", TYPE(INT8_C(100)), TYPE(UINT8_C(200)), TYPE(INT16_C(-300)),
           TYPE(UINT16_C(65535)), TYPE(INT32_C(7)), TYPE(UINT32_C(7)));
    printf("%s %s %s %s\n", TYPE(INT64_C(7)), TYPE(UINT64_C(7)), TYPE(INTMAX_C(7)),
           TYPE(UINTMAX_C(7)));
    printf("%" PRId8 " %" PRIu8 " %" PRId16 " %" PRIu16 " %" PRIu32 "\n", INT8_C(100),
           UINT8_C(200), INT16_C(300), UINT16_C(65535), UINT32_C(4294967295));
    printf("%" PRId64 " %" PRIu64 " %" PRIdMAX " %" PRIuMAX "\n", INT64_C(1) << 40,
           UINT64_C(1) << 63, -INTMAX_C(9223372036854775807) - 1, UINTMAX_C(0) - 1);
    printf("%" PRId64 " %" PRIu64 " %" PRIu64 " %s\n", big, top[0], top[1], IF);
    printf("%" PRIu32 " %" PRId32 "\n", UINT32_C(1) << 31, INT32_C(1) << 31);
    return 0;
}
"""
)


@needs_gcc
def test_the_constant_macros_have_gccs_types_and_values(tmp_path):
    same_as_gcc(CONSTANTS, tmp_path)


def _pri_names() -> list[str]:
    names = [f"{w}" for w in ("8", "16", "32", "64")]
    names += [f"{k}{w}" for k in ("LEAST", "FAST") for w in ("8", "16", "32", "64")]
    return [*names, "MAX", "PTR"]


PRI_TEXT = (
    "#include <stdio.h>\n#include <inttypes.h>\nint main(void) {\n"
    + "".join(f'    puts("PRI{c}{n} " PRI{c}{n});\n' for n in _pri_names() for c in "diouxX")
    + "".join(
        f'    puts("SCN{c}{n} " SCN{c}{n});\n'
        for n in _pri_names()
        for c in "diuox"
        if n in ("8", "16", "32", "LEAST8", "LEAST16", "LEAST32", "FAST8", "PTR")
    )
    + "    return 0;\n}\n"
)


@needs_gcc
def test_the_conversion_macros_are_glibcs(tmp_path):
    """Every PRI macro is glibc's string (printf here prints an argument by its own type, so
    `%ld` prints a long long whole), and so is every SCN macro but the 64-bit types'."""
    same_as_gcc(PRI_TEXT, tmp_path)


WRAPS = (
    HEAD
    + r"""int main(void) {
    int_least8_t a = 200;
    uint_least8_t b = 300;
    int_fast8_t c = 200;
    uint_fast8_t d = 300;
    int_least16_t e = 40000;
    uint_least16_t f = 70000;
    int_least32_t g = INT32_MAX;
    uint_least32_t h = UINT32_MAX;
    int_fast16_t i = INT16_MAX;
    uint_fast16_t j = UINT16_MAX;
    int_fast32_t k = INT32_MAX;
    uint_fast32_t l = UINT32_MAX;
    int_least64_t m = INT64_MAX;
    uint_least64_t n = 0;
    int_fast64_t o = INT64_MIN;
    uint_fast64_t p = UINT64_MAX;
    printf("%" PRIdLEAST8 " %" PRIuLEAST8 " %" PRIdFAST8 " %" PRIuFAST8 " %" PRIdLEAST16
           " %" PRIuLEAST16 "\n", a, b, c, d, e, f);
    a += 100, b -= 50, c *= 3, d <<= 2, e++, f += 1;
    g++, h++, i++, j++, k++, l++, m++, n--, o--, p++;
    printf("%" PRIiLEAST8 " %" PRIoLEAST8 " %" PRIxFAST8 " %" PRIXFAST8 " %" PRIdLEAST16
           " %" PRIxLEAST16 "\n", a, b, c, d, e, f);
    printf("%" PRIdLEAST32 " %" PRIuLEAST32 " %" PRIdFAST16 " %" PRIuFAST16 " %" PRIdFAST32
           " %" PRIuFAST32 "\n", g, h, i, j, k, l);
    printf("%" PRIdLEAST64 " %" PRIuLEAST64 " %" PRIdFAST64 " %" PRIuFAST64 "\n", m, n, o, p);
    printf("%d %d %d %d %d\n", a < 0, -a, a >> 1, b + c, (int)sizeof(int_least8_t[3]) / 3);
    int_fast32_t s = 0;
    uint_fast16_t t = 1;
    for (int_fast16_t q = 0; q < 40; q++) {
        s = s * 3 + q;
        t = t * 5 + (uint_fast16_t)q;
    }
    printf("%" PRIdFAST32 " %" PRIuFAST16 " %" PRIxFAST32 "\n", s, t, (int_fast32_t)INT32_MAX * 4);
    char buf[64];
    sprintf(buf, "[%20" PRIdFAST32 "|%-12" PRIuFAST16 "|%+" PRIiLEAST64 "]", s, t, m);
    puts(buf);
    snprintf(buf, 12, "%" PRIu64 "%" PRIdLEAST8, p, a);
    fprintf(stdout, "%s % " PRIdMAX "\n", buf, (intmax_t)o);
    return a < 0;
}
"""
)


@needs_gcc
def test_the_least_and_fast_types_are_gccs(tmp_path):
    """The least and fast types wrap at gcc's widths: 8 and 16 bits for the char and short ones,
    32 for int_least32_t, 64 for the fast 16, 32 and 64 types (64-bit longs in gcc's build,
    long long here), at every level of the code generator."""
    same_at_every_level(WRAPS, tmp_path)


SCANS = r"""#include <stdio.h>
#include <inttypes.h>
int main(void) {
    int_least8_t a = 0;
    uint_least8_t b = 0;
    int_least16_t c = 0;
    uint_fast8_t d = 0;
    int_least32_t e = 0;
    intptr_t f = 0;
    int r = scanf("%" SCNdLEAST8 " %" SCNuLEAST8 " %" SCNiLEAST16 " %" SCNxFAST8 " %" SCNoLEAST32
                  " %" SCNdPTR, &a, &b, &c, &d, &e, &f);
    printf("%d %d %u %d %u %d %d\n", r, a, b, c, d, e, (int)f);
    return 0;
}
"""


@needs_gcc
@pytest.mark.parametrize("stdin", [b"200 300 40000 1ff 777 -9\n", b"-5 7 0x7f ab 1"])
def test_scanf_stores_the_narrow_and_word_types_as_glibcs(stdin, tmp_path):
    same_as_gcc(SCANS, tmp_path, stdin=stdin)


@pytest.mark.parametrize("conv", ["SCNd64", "SCNuFAST16", "SCNxFAST32", "SCNiLEAST64", "SCNdMAX"])
def test_scanf_of_a_64_bit_type_is_refused_in_one_line(conv):
    source = (
        "#include <stdio.h>\n#include <inttypes.h>\nint main(void) {\n"
        f'    int64_t x; return scanf("%" {conv}, &x);\n}}\n'
    )
    with pytest.raises(CError, match=r"^p\.c:4:\d+: not supported: scanf conversion '%ll.'$"):
        compile_c(source, "p.c")


# What the README says each limit is at a narrow word, where gcc has no build to compare with:
# the 8-bit types are the char types (the word at N = 8, whose unsigned type promotes to
# unsigned int), the 16-bit ones the word at N = 16.
NARROW_WORDS = (
    HEAD
    + r"""int main(void) {
    int_least8_t a = 100;
    uint_fast8_t b = 100;
    a += 100, b += 100, b += 100;
    printf("%d %d %u %d %d %u %u %d %d\n", INT8_MIN, INT8_MAX, UINT8_MAX, INT_LEAST8_MIN,
           INT_FAST8_MAX, UINT_LEAST8_MAX, UINT_FAST8_MAX, a, b);
    printf("%d %d %u %u %d\n", -1 < UINT8_MAX, INT8_C(-3), UINT8_C(250), WINT_MIN, WCHAR_MIN);
#ifdef INT16_MAX
    int_least16_t c = INT16_MAX;
    uint16_t d = UINT16_MAX;
    c++, d++;
    printf("%d %d %u %d %d %u %d %u %d\n", INT16_MIN, INT16_MAX, UINT16_MAX, INT_LEAST16_MIN,
           INT_LEAST16_MAX, UINT_LEAST16_MAX, c, d, -1 < UINT16_MAX);
    printf("%" PRId16 " %" PRIuLEAST16 " %" PRIxLEAST16 "\n", INT16_C(-7), UINT16_C(65535), c);
#endif
#if defined INT32_MAX || defined INT64_MAX || defined INTMAX_MAX || defined PRId32
    puts("wider");
#endif
    return 0;
}
"""
)


@pytest.mark.parametrize(
    "bits, expected",
    [
        (
            12,
            "-128 127 255 -128 127 255 255 -56 44\n1 -3 250 0 -2048\n",
        ),
        (
            16,
            "-128 127 255 -128 127 255 255 -56 44\n1 -3 250 0 -32768\n"
            "-32768 32767 65535 -32768 32767 65535 -32768 0 0\n-7 65535 8000\n",
        ),
        (
            24,
            "-128 127 255 -128 127 255 255 -56 44\n1 -3 250 0 -8388608\n"
            "-32768 32767 65535 -32768 32767 65535 -32768 0 1\n-7 65535 ff8000\n",
        ),
    ],
)
def test_at_narrow_words_the_limits_are_the_readmes(bits, expected):
    assert run_c(NARROW_WORDS, bits=bits).output.decode() == expected


AT_8_BITS = r"""#include <stdint.h>
int main(void) {
    int_least8_t a = 100;
    uint_fast8_t b = 100;
    a += 100, b += 100, b += 100;
    if (a != -56) return 1;
    if (b != 44) return 2;
    if (INT8_MIN != -127 - 1 || INT8_MAX != 127 || INT_FAST8_MIN != INT8_MIN) return 3;
    if (UINT8_MAX != 255u || UINT_LEAST8_MAX + 1 != 0 || -1 < UINT8_MAX) return 4;
    if (UINT8_C(200) <= INT8_MAX) return 5;
    return 0;
}
"""


def test_at_8_bits_the_8_bit_types_are_the_word():
    """(the program that prints the limits does not fit in the 128 words of N = 8: the exit
    status names the first fact that does not hold; UINT8_MAX is an unsigned int, as unsigned
    char, the word, promotes to it)"""
    assert run_c(AT_8_BITS, bits=8).exit_status == 0


@pytest.mark.parametrize(
    "bits, name",
    [
        (8, "int16_t"),
        (8, "int_least16_t"),
        (12, "uint_least16_t"),
        (16, "int_least32_t"),
        (16, "int_fast16_t"),
        (16, "uint_fast32_t"),
        (16, "intmax_t"),
        (24, "int_fast16_t"),
        (24, "uint_least32_t"),
        (24, "int_fast64_t"),
    ],
)
def test_a_type_gccs_width_cannot_give_is_refused_in_one_line(bits, name):
    source = f"#include <stdint.h>\nint main(void) {{ {name} x = 0; return x; }}\n"
    with pytest.raises(CError, match=rf"^p\.c:2:\d+: not supported: type '{name}' \(wider"):
        compile_c(source, "p.c", bits=bits)
