"""<stdint.h> and <inttypes.h>: the types print and wrap as gcc's (the narrow ones are gcc's
char and short types, which wrap when stored to), and one wider than the machine gives is
refused in one line naming it and why."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import CError, compile_c
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

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
