"""sprintf and snprintf: printf's conversions into a buffer, as glibc writes them (the text,
the count returned, the NUL, and nothing past `size`), in formats known when compiling and
at run time."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc
from tests.compiler.cc.test_printf import CONVERSIONS, run_time


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def into_buffer(source: str, size: int | None) -> str:
    """`source` with each printf written by sprintf (size None) or snprintf(buf, size, ...)
    into a buffer, then shown: the count, the text, and the buffer's word at `size`, which
    must be untouched."""
    call = "sprintf(buf, " if size is None else f"snprintf(buf, {size}, "
    mark = 0 if size is None else size
    show = (
        "char buf[300];\n"
        "int show(int n) {\n"
        f'    printf("%d:%s:%d\\n", n, {mark} ? buf : "", buf[{mark}]);\n'
        f"    memset(buf, 'M', 300);\n"
        "    return n;\n"
        "}\n"
        f"#define printf(...) show({call}__VA_ARGS__))\n"
    )
    head = "#include <stdio.h>\n#include <string.h>\n"
    return source.replace("#include <stdio.h>\n", head + show, 1).replace(
        "int main(void) {\n", "int main(void) {\n    memset(buf, 'M', 300);\n", 1
    )


@needs_gcc
@pytest.mark.parametrize("size", [None, 0, 1, 2, 7, 40, 299, -1])
def test_every_conversion_into_a_buffer_as_glibc(size, workdir):
    if size == -1:  # a format known only at run time, by sprintf
        same_as_gcc(into_buffer(run_time(CONVERSIONS), None), workdir)
    else:
        same_as_gcc(into_buffer(CONVERSIONS, size), workdir)


@needs_gcc
def test_the_count_is_an_expression_and_the_buffer_a_string(workdir):
    source = r"""#include <stdio.h>
#include <string.h>
int main(void) {
    char a[64], b[8];
    int i, n = 0;
    for (i = 0; i < 5; i++)
        n += sprintf(a + n, "%d,", i * i - 3);
    printf("%s %d %d\n", a, n, (int)strlen(a));
    printf("%d ", snprintf(b, sizeof b, "%s-%05d", "abcdef", -12));
    printf("%s %d\n", b, snprintf(NULL, 0, "%x", 48879));
    return sprintf(a, "%c%c", 'o', 'k') + 40;
}
"""
    assert same_as_gcc(source, workdir) == b"-3,-2,1,6,13, 13 13\n12 abcdef- 4\n"


def test_a_wrong_argument_count_is_refused_as_printfs_is():
    from loopmlp.compiler.cc import CError

    with pytest.raises(CError, match=r"prog\.c:2:\d+: printf: the format takes 2 arguments"):
        run_c('char b[9];\nint main(void) { return sprintf(b, "%d %d", 1); }')
