"""scanf, sscanf, fgets, ungetc and getchar after them: each program against glibc's in gcc's
build, over inputs that end early, hold what a conversion does not take, and overflow; what
they cannot do as glibc does is a fault."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


CONVERSIONS = r"""#include <stdio.h>
int main(void) {
    int a = -1, b = -1, n, c, k = 0;
    unsigned u = 7;
    int x = -1, o = -1, i1 = -1, i2 = -1, pos = -1;
    signed char hh = 0;
    short h = 0;
    char word[16] = "", rest[16] = "", set[16] = "";
    for (;;) {
        n = scanf("%d , %d", &a, &b);
        printf("%d: n=%d a=%d b=%d\n", k++, n, a, b);
        if (n == EOF) break;
        n = scanf("%15s %3c", word, rest);
        rest[3] = 0;
        printf("n=%d [%s] [%s]\n", n, word, rest);
        c = getchar();
        printf("c=%d\n", c);
        n = scanf("%u %x %o %i %i%n", &u, &x, &o, &i1, &i2, &pos);
        printf("n=%d %u %d %d %d %d %d\n", n, u, x, o, i1, i2, pos);
        n = scanf(" %*d %hhd %hd %%%[a-z0-9_]", &hh, &h, set);
        printf("n=%d %d %d [%s]\n", n, hh, h, set);
        n = scanf("%2d%d", &a, &b);
        printf("n=%d %d %d\n", n, a, b);
        n = scanf("x%d;", &a);
        printf("n=%d %d\n", n, a);
        c = getchar();
        printf("c=%d\n", c);
        if (c == EOF) break;
        ungetc(c, stdin);
        printf("again %d\n", getchar());
        while ((c = getchar()) != '\n' && c != EOF)
            ;
    }
    return 0;
}
"""

INPUTS = [
    b"",
    b"12 , -34\nhello abcdef\n4000000000 ff 17 0x1F 010 9 300 70000 %snake_case9! 12345 x7;q\n",
    b"-5,+6 word xyz\t-1 -0x10 777 -017 0xZ 1 -129 -32769 %abc 1 2 x-8;\n",
    b"1 , 2 w\n",
    b"1 2\n",
    b"+ , -\n",
    b"99999999999 , 2147483648 a bcd -1 g\n",
    b"7,8 end",
    b"  \n\t 3 ,4 s ttt\n5 6 7 8 9 10 11 12 %z 34 56 x9;;\n1,1 a bcd",
]


@needs_gcc
@pytest.mark.parametrize("stdin", INPUTS, ids=range(len(INPUTS)))
def test_scanf_reads_as_glibcs(stdin, workdir):
    same_as_gcc(CONVERSIONS, workdir, stdin=stdin)


WORDS = r"""#include <stdio.h>
#include <string.h>
int main(void) {
    char w[32];
    int n, total = 0, words = 0, longest = 0;
    while (scanf("%31s", w) == 1) {
        n = strlen(w);
        words++;
        total += n;
        if (n > longest) longest = n;
    }
    printf("%d words, %d letters, longest %d\n", words, total, longest);
    return words;
}
"""


@needs_gcc
@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_a_word_count_with_scanf_at_every_level(level, workdir):
    stdin = b"the quick brown\tfox\n\n jumps over the lazy dog antidisestablishmentarianism\n"
    same_as_gcc(WORDS, workdir, stdin=stdin, level=level)


TOKENS = [
    "12",
    "-7",
    "+3",
    "0x1f",
    "0X",
    "0",
    "08",
    "077",
    "4294967296",
    "a",
    "bcd",
    "_z",
    " ",
    "\t",
    "\n",
    ",",
    ";",
    "x",
    "x9",
    "%",
    "-",
    "+",
    "ff",
    "9z",
    "0000000000000000000001",
]


@needs_gcc
@pytest.mark.parametrize("seed", range(12))
def test_scanf_on_random_inputs_as_glibcs(seed, workdir):
    rng = random.Random(seed)
    stdin = "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 30))).encode()
    same_as_gcc(CONVERSIONS, workdir, stdin=stdin)


LINES = r"""#include <stdio.h>
#include <string.h>
int main(void) {
    char line[12], name[8];
    int n, a, b, k = 0;
    char *got;
    while ((got = fgets(line, sizeof line, stdin)) != NULL) {
        n = sscanf(line, "%7s %d %x", name, &a, &b);
        printf("%d: %d [%s] %d %d len=%d\n", k++, n, n > 0 ? name : "-", n > 1 ? a : 0,
               n > 2 ? b : 0, (int)strlen(line));
    }
    printf("%d %d\n", sscanf("", "%d", &a), sscanf("  7 x", "%d %d", &a, &b));
    printf("%d\n", fgets(line, 1, stdin) == line && line[0] == 0);
    return k;
}
"""


@needs_gcc
@pytest.mark.parametrize(
    "stdin",
    [b"", b"one 1 ff\ntwo -2\n\nthree 3 10 extra\nlonger-than-eleven-chars 5 5\nlast 9 a"],
)
def test_fgets_and_sscanf_as_glibcs(stdin, workdir):
    same_as_gcc(LINES, workdir, stdin=stdin)


@needs_gcc
def test_a_scan_set_holding_a_percent_is_no_conversion(workdir):
    same_as_gcc(
        '#include <stdio.h>\nint main(void) { char b[8] = ""; int r = sscanf("%%ff", "%[%f]", b);'
        ' printf("%d %s\\n", r, b); return 0; }\n',
        workdir,
    )


SETS_AND_BACK = r"""#include <stdio.h>
#include <inttypes.h>
int main(void) {
    char s[16] = "", t[8] = "", u[8] = "";
    int a = 0, n = -1, r, q, k, c1, c2, c3;
    signed char hh = 0;
    int8_t e = 0;
    r = scanf("%[^\n]", s);
    printf("%d [%s]\n", r, s);
    r = scanf("%d", &a);
    ungetc('+', stdin);
    c1 = getchar();
    c2 = getchar();
    printf("%d %d %d %d\n", r, a, c1, c2);
    ungetc('a', stdin);
    ungetc('b', stdin);
    c1 = getchar(), c2 = getchar(), c3 = getchar();
    printf("%d %d %d\n", c1, c2, c3);
    r = sscanf("d", "%[a-c-e]", t);
    q = sscanf("-", "%[z-a]", u);
    k = sscanf("  12", "%*[ ]%d", &a);
    printf("%d [%s] %d [%s] %d %d\n", r, t, q, u, k, a);
    sscanf("12 34", "%d%*[ ]%n", &a, &n);
    sscanf("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
           "aaaaaaaaaa", "%*s%hhn", &hh);
    r = fscanf(stdin, "%" SCNd8, &e);
    printf("%d %d %d %d\n", n, hh, r, e);
    return 0;
}
"""


@needs_gcc
@pytest.mark.parametrize("stdin", [b"  hi there\n12x 300\n", b"\n7", b""])
def test_scan_sets_given_back_characters_and_counts_as_glibcs(stdin, workdir):
    same_as_gcc(SETS_AND_BACK, workdir, stdin=stdin)


@pytest.mark.parametrize("conversion", ["%f", "%lld", "%p", "%jd", "%ls"])
def test_a_scanf_conversion_it_cannot_store_is_refused_in_a_literal_format(conversion):
    source = f'#include <stdio.h>\nint main(void) {{ int v; return scanf("{conversion}", &v); }}\n'
    with pytest.raises(
        LoopmlpError, match=f"prog.c:2:32: not supported: scanf conversion '{conversion}'"
    ):
        compile_c(source, "prog.c")


@pytest.mark.parametrize("declared", ["", "int sscanf(const char *, const char *, ...);"])
def test_every_literal_scanf_format_is_checked_not_only_the_first(declared):
    source = (
        f'#include <stdio.h>\n{declared}\nint main(void) {{ int v; sscanf("1", "%d", &v);\n'
        '    return sscanf("1", "%p", &v); }\n'
    )
    with pytest.raises(LoopmlpError, match="prog.c:4:12: not supported: scanf conversion '%p'"):
        compile_c(source, "prog.c")


@pytest.mark.parametrize(
    "source, stdin",
    [
        ('char *f = "%f"; int v; return scanf(f, &v);', b"1\n"),
        ('char *f = "%lld"; int v; return scanf(f, &v);', b"1\n"),
        ('int v; return scanf("%d", &v);', b"1234567890123456789\n"),  # glibc saturates it
        ("char b[4]; return fgets(b, 4, stdout) != 0;", b"1\n"),
        ("return ungetc('x', stderr);", b""),
        ("for (int k = 0; k < 9; k++) ungetc('a' + k, stdin); return 0;", b""),
    ],
)
def test_what_scanf_and_fgets_cannot_do_faults(source, stdin):
    result = run_c(f"#include <stdio.h>\nint main(void) {{ {source} }}\n", stdin=stdin)
    assert result.end == "fault", result.end
