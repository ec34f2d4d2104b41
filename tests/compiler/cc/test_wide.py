"""Wide characters against gcc's build: `L'x'` and `L"..."` hold code points (the source's UTF-8
decoded, escapes and universal character names read), a wchar_t is an int, `<wchar.h>` gives
wchar_t and wcslen; C11's `u`, `U` and `u8` literals and `%ls` are refused in one line."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_as_gcc


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


WIDE = r"""#include <stdio.h>
#include <stddef.h>
#include <wchar.h>
wchar_t g[] = L"g\u00e9\x41";
const wchar_t *gp = L"ptr" L"\U0001F600!";
wchar_t *table[] = {L"€", L"", L"ab"};
int main(void) {
    wchar_t s[] = L"a\x4F60\u00e9\U0001F600\101é$你好¢世界";
    wchar_t t[4] = L"abcd";
    wchar_t c = L'é';
    const wchar_t *p;
    int i;
    printf("%d %d %d %d %d\n", (int)(sizeof s / sizeof s[0]), c, L'\xFFFFFFFF', L'\0', L'\377');
    for (p = s; *p; p++)
        printf("%04X ", (unsigned)*p);
    printf("\n%d %d %d %d\n", (int)wcslen(s), (int)wcslen(g), (int)wcslen(gp), (int)wcslen(L""));
    for (i = 0; i < 4; i++)
        printf("%d ", t[i]);
    printf("%X %X %d\n", gp[3], g[1], (int)(sizeof(L"abc") / sizeof(wchar_t)));
    printf("%X %d %d\n", table[0][0], table[1][0], table[2][1] - L'a');
    printf("%d %d %d\n", L'a' == 'a', L'你' > 0xFFFF, s[2] == L'\u00E9');
    return L'A';
}
"""


@needs_gcc
@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_wide_characters_and_strings_are_gccs(workdir, level):
    assert same_as_gcc(WIDE, workdir, level)


UTF8 = r"""#include <stdio.h>
int main(void) {
    char u[] = "\u00e9x\U0001F600";
    int i;
    for (i = 0; u[i]; i++)
        printf("%d ", u[i] & 255);
    printf("%d\n", (int)sizeof u);
    return 0;
}
"""


@needs_gcc
def test_a_universal_character_in_a_plain_string_is_its_utf8(workdir):
    assert same_as_gcc(UTF8, workdir)


@pytest.mark.parametrize(
    "source, message",
    [
        ("int a = u'x';", "not supported: u'x': C11's u-prefixed literal"),
        ("int a = U'x';", "not supported: U'x': C11's U-prefixed literal"),
        ('char *s = u8"x";', 'not supported: u8"x": C11\'s u8-prefixed literal'),
        ('char s[] = L"x";', "char-array initialized from wide string"),
        ('int s[] = "x";', "wchar_t-array initialized from non-wide string"),
        ('int s[1] = L"xy";', "initializer-string for array of wchar_t is too long"),
        ('char *s = "\\u0041";', "\\u0041 is not a valid universal character"),
        ('int f(void) { return printf("%ls", L"x"); }', "printf conversion '%ls'"),
        ("int f(void) { printf(\"%lc\", L'x'); }", "printf conversion '%lc'"),
        ('#include <wchar.h>\nint f(void) { wprintf(L"x"); }', "function 'wprintf'"),
    ],
)
def test_refusals_are_one_line(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source + "\nint main(void) { return 0; }\n", "prog.c")
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_wide_character_wider_than_the_word_is_refused():
    with pytest.raises(LoopmlpError, match=r"wide character 0x1f600 in a 16-bit int"):
        compile_c("int a = L'\\U0001F600';\nint main(void) { return 0; }\n", "prog.c", 16)


def test_a_wide_string_initializes_no_long_array_as_gcc_says():
    from loopmlp.compiler.cc import compile_c
    from loopmlp.ir.errors import LoopmlpError

    with pytest.raises(LoopmlpError, match="a string initializes only a char or wchar_t array"):
        compile_c('long w[] = L"abc";\nint main(void) { return 0; }\n', "prog.c")
