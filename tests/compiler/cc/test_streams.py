"""<stdio.h>'s streams against gcc's build: FILE, stdin, stdout and stderr declared; fprintf,
fputs, fputc, putc, fflush, vprintf and vfprintf on stdout (directly, through a `FILE *`, from a
variadic function) and fgetc and getc on stdin print and read as printf, puts, putchar and
getchar do, returning glibc's values (puts its length + 1, fputs 1); another stream is a fault
at its line, its text never printed; the functions of files are refused in one line. And
C99's `__func__`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import fault_of, gcc_run, needs_gcc, run_c, same_as_gcc


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


STREAMS = r"""#include <stdio.h>
#include <stdarg.h>
int fprintf(FILE *stream, const char *format, ...);
int fputs(const char *s, FILE *stream);
int fflush(FILE *stream);
int sprintf(char *s, const char *format, ...);
FILE *out;
int shown(const char *s) { return puts(s); }
void say(const char *f, ...) { va_list ap; va_start(ap, f); vprintf(f, ap); va_end(ap); }
void fsay(FILE *s, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    vfprintf(s, f, ap);
    va_end(ap);
}
const char *name(void) { return __func__; }
int main(void) {
    char *s = "dyn", fmt[] = "%d<%s>\n";
    int a = puts("ab"), a2 = puts(s), b = fputs("xyz", stdout), c = fputc(300, stdout);
    int d, e, f, g, h, k, k2;
    out = stdout;
    d = putc('q', out);
    e = fflush(stdout);
    f = fflush(NULL);
    g = fputs("", out);
    h = puts("");
    printf("\n%d %d %d %d %d %d %d %d %d\n", a, a2, b, c, d, e, f, g, h);
    fprintf(stdout, "%d|%5s|%-4x|\n", 5, s, 255);
    fprintf(out, "%s\n", s);
    fprintf(out, fmt, 7, "run-time format");
    fputs(s, out);
    fputc('\n', out);
    say("%d-%s\n", 42, "x");
    fsay(stdout, "%x %c\n", 255, 'z');
    printf("%d %d %d\n", fflush(stderr), out == stdout, stdout != stdin);
    k = getc(stdin);
    k2 = fgetc(stdin);
    printf("%d %d %d\n", k, k2, getc(stdin));
    printf("%s %s %d %d\n", __func__, name(), (int)sizeof(__func__), shown(__FUNCTION__));
    return 0;
}
"""


@needs_gcc
@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_streams_on_stdout_and_stdin_are_gccs(workdir, level):
    built = gcc_run(STREAMS, workdir, b"hi")
    result = run_c(STREAMS, stdin=b"hi", level=level)
    assert result.end == "halt", (result.end, result.reason)
    assert (result.output, result.exit_status) == (built.stdout, built.status)
    assert built.stderr == b"" and b"run-time format" in built.stdout


ELSEWHERE = r"""#include <stdio.h>
int main(int argc, char **argv) {
    FILE *where = argc > 5 ? stdout : %s;
    printf("before\n");
    %s;
    printf("after\n");
    return 0;
}
"""


@needs_gcc
@pytest.mark.parametrize(
    "stream, call",
    [
        ("stderr", 'fprintf(where, "%d\\n", 1)'),
        ("stderr", 'fputs("x", where)'),
        ("stderr", "fputc('x', stderr)"),
        ("stdin", "putc('x', where)"),
        ("stderr", 'vfprintf(stderr, "x", 0)'),
        ("stdout", "getc(where)"),
    ],
)
def test_another_stream_is_a_fault_at_its_line(workdir, stream, call):
    source = ELSEWHERE % (stream, call)
    output = gcc_run(source, workdir).stdout
    result, where = fault_of(source, workdir)
    name = call.split("(")[0]
    wanted = "stdin" if name == "getc" else "stdout"
    note = f"{name} on a stream other than {wanted} (the machine has one input and one output)"
    assert where == f"prog.c:5 in main: {note}"
    assert result.output == b"before\n" == output[: len(b"before\n")]


@pytest.mark.parametrize("name", ["fopen", "fclose", "fread", "fwrite", "feof", "remove"])
def test_the_functions_of_files_are_refused_in_one_line(name):
    with pytest.raises(LoopmlpError) as err:
        compile_c(f"#include <stdio.h>\nint main(void) {{ {name}(0); return 0; }}\n", "prog.c")
    message = str(err.value)
    assert f"prog.c:2:18: not supported: {name}: not in the library (the machine has no files)" in (
        message
    )
    assert "\n" not in message


THROUGH = r"""#include <stdio.h>
int fred(int p) { printf("yo %d\n", p); return 42; }
int (*f)(int) = &fred;
int (*fprintfptr)(FILE *, const char *, ...) = &fprintf;
int main(void) {
    int n = fprintfptr(stdout, "%d\n", (*f)(24));
    FILE *out = stdout;
    printf("%d %d\n", n, fprintfptr(out, "%s|%5d|%c\n", "ab", 7, 'z'));
    return 0;
}
"""


@needs_gcc
@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_fprintf_through_a_pointer_is_gccs(workdir, level):
    """c-testsuite's 00189, and the count glibc's fprintf returns."""
    same_as_gcc(THROUGH, workdir, level)


def test_fprintf_through_a_pointer_on_stderr_is_a_fault(workdir):
    source = THROUGH.replace("FILE *out = stdout;", "FILE *out = stderr;")
    result, where = fault_of(source, workdir)
    assert result.output == b"yo 24\n42\n"
    assert where.endswith(
        "in __fprintf: fprintf on a stream other than stdout (the machine has "
        "one input and one output)"
    )
