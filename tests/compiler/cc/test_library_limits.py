"""<limits.h>: the limits of char, short, int and long long are gcc's values with gcc's types
(compared with gcc's build at N = 32), long's the word's typed as gcc's, and at every word size
each is a constant the compiler takes (the README's values where gcc has no build)."""

from __future__ import annotations

import pytest

from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

TYPE_NAME = r"""#define TYPE(e) _Generic((e), \
    signed char: "signed char", unsigned char: "unsigned char", short: "short", \
    unsigned short: "unsigned short", int: "int", unsigned: "unsigned", \
    long: "long", unsigned long: "unsigned long", long long: "long long", \
    unsigned long long: "unsigned long long", default: "other")
"""

VALUES = [
    ("CHAR_BIT", "%d"),  # (N here, 8 in gcc's build: its type only)
    ("SCHAR_MIN", "%d"),
    ("SCHAR_MAX", "%d"),
    ("UCHAR_MAX", "%d"),
    ("CHAR_MIN", "%d"),
    ("CHAR_MAX", "%d"),
    ("SHRT_MIN", "%d"),
    ("SHRT_MAX", "%d"),
    ("USHRT_MAX", "%d"),
    ("INT_MIN", "%d"),
    ("INT_MAX", "%d"),
    ("UINT_MAX", "%u"),
    ("LONG_MIN", None),  # (a word here, 64 bits in gcc's build: their types only)
    ("LONG_MAX", None),
    ("ULONG_MAX", None),
    ("LLONG_MIN", "%lld"),
    ("LLONG_MAX", "%lld"),
    ("ULLONG_MAX", "%llu"),
    ("MB_LEN_MAX", "%d"),
]

LIMITS = (
    "#include <stdio.h>\n#include <limits.h>\n"
    + TYPE_NAME
    + "int main(void) {\n"
    + "".join(
        f'    printf("{name} %s\\n", TYPE({name}));\n'
        if conv is None or name == "CHAR_BIT"
        else f'    printf("{name} %s {conv}\\n", TYPE({name}), {name});\n'
        for name, conv in VALUES
    )
    + '    printf("%d %d %d\\n", -1 < UCHAR_MAX, -1 < USHRT_MAX, -1L < ULONG_MAX);\n'
    + "    return 0;\n}\n"
)


@needs_gcc
def test_the_limits_are_gccs_values_and_types(tmp_path):
    same_as_gcc(LIMITS, tmp_path)


WORDS = r"""#include <stdio.h>
#include <limits.h>
int main(void) {
    printf("%d %d %d %u %d %d %u\n", CHAR_BIT, INT_MIN, INT_MAX, UINT_MAX, SCHAR_MIN, SCHAR_MAX,
           UCHAR_MAX);
    printf("%d %d %u %ld %ld %lu %d\n", SHRT_MIN, SHRT_MAX, USHRT_MAX, LONG_MIN, LONG_MAX,
           ULONG_MAX, -1 < USHRT_MAX);
    return 0;
}
"""


@pytest.mark.parametrize(
    "bits, expected",
    [
        (
            12,
            "12 -2048 2047 4095 -128 127 255\n-2048 2047 4095 -2048 2047 4095 0\n",
        ),
        (
            16,
            "16 -32768 32767 65535 -128 127 255\n-32768 32767 65535 -32768 32767 65535 0\n",
        ),
        (
            17,
            "17 -65536 65535 131071 -128 127 255\n-32768 32767 65535 -65536 65535 131071 1\n",
        ),
        (
            24,
            "24 -8388608 8388607 16777215 -128 127 255\n"
            "-32768 32767 65535 -8388608 8388607 16777215 1\n",
        ),
    ],
)
def test_at_each_word_size_the_limits_are_the_readmes(bits, expected):
    """char's and short's are gcc's where the word is wider than they are; at N = 16 and below
    short is the word, and they are int's (USHRT_MAX an unsigned int, as unsigned short
    promotes to it there); long's are the word's."""
    assert run_c(WORDS, bits=bits).output.decode() == expected


AT_8_BITS = r"""#include <limits.h>
int main(void) {
    unsigned char u = UCHAR_MAX;
    signed char s = SCHAR_MIN;
    u++, s--;
    if (CHAR_BIT != 8 || INT_MAX != 127 || INT_MIN != -127 - 1 || UINT_MAX != 255u) return 1;
    if (SCHAR_MIN != INT_MIN || SCHAR_MAX != 127 || UCHAR_MAX != 255u || -1 < UCHAR_MAX) return 2;
    if (SHRT_MIN != INT_MIN || SHRT_MAX != INT_MAX || USHRT_MAX != UINT_MAX) return 3;
    if (LONG_MAX != 127 || ULONG_MAX != 255u || CHAR_MIN != SCHAR_MIN || CHAR_MAX != 127) return 4;
    if (u != 0 || s != 127) return 5;
    return 0;
}
"""


def test_at_8_bits_the_char_limits_are_the_words():
    """(printf does not fit in the 128 words of N = 8: the exit status names the first fact
    that does not hold)"""
    assert run_c(AT_8_BITS, bits=8).exit_status == 0
