"""<stdlib.h>'s numbers: atoi, atol, abs, labs, strtol and strtoul (every base, prefixes,
signs, where the number ends) and rand's sequence, against glibc in gcc's build; overflow
against a 32-bit long's clamping (gcc's long has 64 bits)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import CError
from tests.compiler.cc.running import fault_of, gcc_run, needs_gcc, run_c, same_as_gcc


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


# gcc's long has 64 bits: its build reads the numbers through what a 32-bit long's glibc makes
# of them (strtol clamps to LONG_MIN..LONG_MAX; strtoul to ULONG_MAX, unless a minus sign
# before a magnitude that fits made it 2^64 - m, which is 2^32 - m in 32 bits)
STRTOL = r"""#include <stdio.h>
#include <stdlib.h>
#ifndef __LOOPMLP__
long strtol32(const char *s, char **e, int b) {
    long v = strtol(s, e, b);
    return v > 2147483647L ? 2147483647L : v < -2147483648L ? -2147483648L : v;
}
unsigned long strtoul32(const char *s, char **e, int b) {
    unsigned long v = strtoul(s, e, b);
    return v <= 0xffffffffUL ? v : v > -0xffffffffUL ? v & 0xffffffffUL : 0xffffffffUL;
}
#define strtol strtol32
#define strtoul strtoul32
#endif
char *inputs[] = {"0", "42", "  -17xyz", "+9", "\t\n 12 3", "0x1F", "0X1fg", "0x", "0xg",
                  "-0x10", "017", "019", "08", "z", "Zz", "-", "+", "", " ", "  +0x", "101",
                  "2147483647", "-2147483648", "-2147483647", "1010102", "7fffffff",
                  "-80000000", "  zz9", "0b101", "00x5", "1e5", "- 5"};
int bases[] = {0, 2, 8, 10, 16, 36, 1, 37, -1};
int main(void) {
    int i, j, n = sizeof inputs / sizeof inputs[0], m = sizeof bases / sizeof bases[0];
    char *end;
    for (i = 0; i < n; i++) {
        printf("%s: %d %d %d %d", inputs[i], atoi(inputs[i]), (int)atol(inputs[i]),
               abs(atoi(inputs[i])), (int)labs(atol(inputs[i])));
        for (j = 0; j < m; j++) {
            end = (char *)1;
            printf(" %d", (int)strtol(inputs[i], &end, bases[j]));
            printf("/%d", end == (char *)1 ? -1 : (int)(end - inputs[i]));
            end = (char *)1;
            printf(",%u", (int)strtoul(inputs[i], &end, bases[j]));
            printf("/%d", end == (char *)1 ? -1 : (int)(end - inputs[i]));
        }
        printf(" %d\n", (int)strtol(inputs[i], NULL, 0));
    }
    return 0;
}
"""


@needs_gcc
def test_strtol_and_strtoul_read_what_glibc_reads(workdir):
    same_as_gcc(STRTOL, workdir)


@pytest.mark.parametrize(
    "text, base, signed, unsigned",
    [
        ("2147483648", 10, 2147483647, -2147483648),
        ("-2147483649", 10, -2147483648, 2147483647),
        ("99999999999999", 10, 2147483647, -1),
        ("-99999999999999", 0, -2147483648, -1),
        ("4294967295", 10, 2147483647, -1),
        ("-4294967295", 10, -2147483648, 1),
        ("4294967296", 10, 2147483647, -1),
        ("0xffffffff", 16, 2147483647, -1),
        ("0x100000000", 0, 2147483647, -1),
        ("zzzzzzz", 36, 2147483647, -1),
        ("37777777777", 8, 2147483647, -1),
        ("40000000000", 8, 2147483647, -1),
        ("11111111111111111111111111111111", 2, 2147483647, -1),
        ("-11111111111111111111111111111111", 2, -2147483648, 1),
    ],
)
def test_overflow_clamps_as_a_32_bit_long_does(text, base, signed, unsigned):
    """glibc with 32-bit longs: strtol to LONG_MAX or LONG_MIN, strtoul to ULONG_MAX (its
    negation of what fits, otherwise); every digit is read either way."""
    source = f"""#include <stdio.h>
#include <stdlib.h>
char s[] = "{text}!";
int main(void) {{
    char *e1, *e2;
    int a = strtol(s, &e1, {base}), b = strtoul(s, &e2, {base});
    printf("%d %d %d %d", a, b, (int)(e1 - s), (int)(e2 - s));
    return 0;
}}
"""
    expected = f"{signed} {unsigned} {len(text)} {len(text)}".encode()
    assert run_c(source).output == expected


RAND = r"""#include <stdio.h>
#include <stdlib.h>
int seeds[] = {1, 0, 42, 12345, -7, 2147483647};
int main(void) {
    int i, s, sum = rand();
    printf("%d %d %d\n", sum, rand(), RAND_MAX);  /* before srand: srand(1)'s */
    for (s = 0; s < (int)(sizeof seeds / sizeof seeds[0]); s++) {
        srand(seeds[s]);
        sum = 0;
        for (i = 0; i < 1000; i++) {
            int r = rand();
            sum ^= r + i;
            if (i < 5 || i % 250 == 0) printf("%d ", r);
        }
        printf("%d\n", sum);
    }
    return 0;
}
"""


@needs_gcc
def test_rand_is_glibcs_sequence_for_each_seed(workdir):
    same_as_gcc(RAND, workdir)


ABORT = r"""#include <stdio.h>
#include <stdlib.h>
void check(int x) {
    if (x > 2)
        abort();
    printf("%d ", x);
}
int main(void) {
    int i;
    for (i = 0; i < 5; i++) check(i);
    puts("not reached");
    return 0;
}
"""


@needs_gcc
def test_abort_ends_the_run_as_a_fault_at_its_line(workdir):
    result, where = fault_of(ABORT, workdir)
    built = gcc_run(ABORT, workdir)
    assert built.status == -6 and result.output == built.stdout == b"0 1 2 "
    assert where == "prog.c:5 in check: abort"


@pytest.mark.parametrize("bits", [8, 9, 16, 24])
def test_the_library_in_c_compiles_at_other_word_widths(bits):
    """Every C function of the library passes the checker at N bits, but rand and srand, which
    are refused in one line: glibc's sequence needs 32-bit words."""
    from loopmlp.compiler.cc import check_source
    from loopmlp.compiler.cc.library import LIBRARY

    for name, entry in LIBRARY.items():
        if entry.source is None or name.startswith("__"):
            continue
        call = f"{name}({', '.join('0' for _ in entry.params or ())})"
        source = f"int main(void) {{ {call}; return 0; }}"
        if name in ("rand", "srand"):
            with pytest.raises(CError, match=r"need 32-bit words"):
                check_source(source, "t.c", bits)
        else:
            assert check_source(source, "t.c", bits).functions[name].body is not None
