"""<ctype.h>: every function for EOF and every value -128..255, against glibc's "C" locale in
gcc's build (the values, not only their truth: isalpha('a') is 1024 in both)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

TABLE = r"""#include <stdio.h>
#include <ctype.h>
int main(void) {
    int c;
    for (c = -128; c < 256; c++)
        printf("%d %d %d %d %d %d %d %d %d %d %d %d %d %d %d\n", c, isalpha(c), isdigit(c),
               isalnum(c), isspace(c), isupper(c), islower(c), isxdigit(c), ispunct(c),
               isprint(c), iscntrl(c), isgraph(c), isblank(c), toupper(c), tolower(c));
    return 0;
}
"""


@needs_gcc
def test_every_class_and_case_is_glibcs_for_eof_and_every_byte():
    with tempfile.TemporaryDirectory() as d:
        assert len(same_as_gcc(TABLE, Path(d)).splitlines()) == 384


def test_at_16_bits_a_class_is_one_where_glibcs_bit_does_not_fit():
    source = r"""#include <stdio.h>
#include <ctype.h>
int main(void) {
    printf("%d %d %d %d\n", isalpha('a'), isgraph('a'), isgraph(' '), toupper('q'));
    return 0;
}
"""
    assert run_c(source, bits=16).output == b"1024 1 0 81\n"
