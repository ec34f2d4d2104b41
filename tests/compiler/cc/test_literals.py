"""String literals and names as gcc reads them: adjacent literals joined after their escapes
are read, output that stops at an embedded NUL, `$` in identifiers."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.running import needs_gcc, same_as_gcc

every_level = pytest.mark.parametrize("level", range(len(LEVELS)))


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


JOINED = r"""#include <stdio.h>
char g[] = "\x4" "1" "\1" "23";
int main(void) {
    char *s = "\1" "2";
    char t[] = "a\"" "\"b" "";
    puts("\x41" "B");
    printf("%d %d %d\n", s[1], (int)sizeof("\1" "2"), (int)sizeof(t));
    printf("%d %d %d %d %s\n", g[0], g[1], g[2], (int)sizeof(g), t);
    printf("%" "d|" "%s\n", 5, "x" "y");
    return 0;
}
"""


@needs_gcc
@every_level
def test_adjacent_literals_are_joined_after_their_escapes_are_read(level, workdir):
    assert b"AB\n50 3" in same_as_gcc(JOINED, workdir, level)


EMBEDDED_NUL = r"""#include <stdio.h>
int main(void) {
    printf("ab\0cd\n");
    puts("ef\0gh");
    printf("%d\0%d\n", 1);
    printf("[%s]\n", "ij\0kl");
    printf("%d %d\n", (int)sizeof("mn\0op"), "mn\0op"[3]);
    return 0;
}
"""


@needs_gcc
@every_level
def test_printf_and_puts_stop_at_an_embedded_nul(level, workdir):
    assert same_as_gcc(EMBEDDED_NUL, workdir, level).startswith(b"abef\n1[ij]\n6 111")


DOLLARS = r"""#include <stdio.h>
int a$b = 3;
int $ = 4;
int f$(int $x) { int y$ = $x * 2; return y$ + a$b + $; }
int main(void) { printf("%d\n", f$(5)); return 0; }
"""


@needs_gcc
def test_dollar_signs_are_letters_in_names(workdir):
    assert same_as_gcc(DOLLARS, workdir) == b"17\n"


@needs_gcc
def test_a_string_in_braces_initializes_a_char_array(workdir):
    source = r"""#include <stdio.h>
char g[] = {"xyz"};
int main(void) { char s[] = {"ab"}; char t[4] = {"cd"}; char *u[] = {"ef"};
    printf("%s %d %s %d %s %d ", s, (int)sizeof(s), t, (int)sizeof(t), g, (int)sizeof(g));
    printf("%s %d\n", u[0], (int)(sizeof(u) / sizeof(u[0])));
    return 0; }
"""
    assert same_as_gcc(source, workdir) == b"ab 3 cd 4 xyz 4 ef 1\n"
