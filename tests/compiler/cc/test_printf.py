"""printf prints what glibc prints for the same C built by gcc -fwrapv: flags, widths,
precisions, `*`, length modifiers and every conversion, in formats known when compiling and in
formats known only at run time, with every argument computed before anything is printed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

every_level = pytest.mark.parametrize("level", range(len(LEVELS)))


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def run_time(source: str) -> str:
    """The same program with each `printf("...",` format passed through a function, so that
    it is known only at run time."""
    lines = []
    for line in source.split("\n"):
        if 'printf("' in line:
            line = line.replace('printf("', 'printf(F("', 1).replace('",', '"),', 1)
        lines.append(line)
    source = "\n".join(lines)
    return source.replace("<stdio.h>\n", "<stdio.h>\nchar *F(char *s) { return s; }\n", 1)


ARGUMENTS_FIRST = r"""#include <stdio.h>
int f(void) { putchar('X'); return 1; }
int main(void) {
    char buf[4] = "ab";
    printf("a%d\n", f());
    printf("%s %d\n", buf, (buf[0] = 'Z', 1));
    printf("[%5d|%-4s|%c]\n", f() + 1, buf, (buf[1] = 'Y', 'q'));
    printf(f() ? "then %d %s\n" : "else %d %s\n", f(), buf);
    return 0;
}
"""


@needs_gcc
@every_level
def test_every_argument_is_computed_before_anything_is_printed(level, workdir):
    same_as_gcc(ARGUMENTS_FIRST, workdir, level)
    same_as_gcc(run_time(ARGUMENTS_FIRST), workdir, level)


NESTED = r"""#include <stdio.h>
char *fmt = "%d %d\n";
int g(void) { printf(fmt, 7, 8); return 5; }
int r(int n) { if (n == 0) return 0; printf(fmt, n, r(n - 1)); return n; }
int s(int n) { if (n == 0) return 0; printf("<%d %d>", n, s(n - 1) + n); return n * 2; }
int t(int n) { if (n == 0) return 1; printf("%*d|%-*d|\n", n, t(n - 1), n + 1, n); return n + 1; }
int main(void) {
    printf(fmt, 1, g());
    printf(fmt, r(3), 9);
    printf("%d\n", s(4));
    printf(fmt, t(3), 4);
    return 0;
}
"""


@needs_gcc
@every_level
def test_a_run_time_format_keeps_its_arguments_through_nested_and_recursive_printf(level, workdir):
    same_as_gcc(NESTED, workdir, level)


CONVERSIONS = r"""#include <stdio.h>
int main(void) {
    int big = -2147483647 - 1;
    printf("[%5d][%-5d][%05d][%+d][% d][%+ d][%-+6d][%08.3d][%.5d][%.0d][%+.0d][% .0d]\n",
           42, 42, -42, 7, 7, 7, 7, -7, -123, 0, 0, 0);
    printf("[%d][%i][%u][%x][%X][%o][%12u][%#x][%#X][%#o][%#.0o][%#5.3o][%#08x][%.0x]\n",
           big, big, big, big, big, big, -1, 255, 255, 8, 0, 8, 255, 0);
    printf("[%5s][%-5s|][%.3s][%5.1s][%.0s][%c][%3c][%-3c|][%c]\n",
           "abc", "ab", "abcdef", "xyz", "abc", 'A', 'b', 'c', 0);
    printf("[%hhd][%hhu][%hd][%hu][%hhx][%hx][%hho][%hhi][%ld][%zu][%lx]\n",
           300, -1, 70000, -1, -1, -1, -1, 200, 12345, 9, 255);
    printf("[%*d][%-*d][%.*d][%*.*d][%.*s][%*s][%.*d][%*d]\n",
           5, 1, 5, 1, 3, 1, 6, 3, 1, 2, "abcdef", -4, "x", -1, 7, 0, 3);
    printf("[%5%][%-5%][%%][%5u][%-8x|][%08X]\n", 123, 48879, 48879);
    return 0;
}
"""


@needs_gcc
@every_level
def test_flags_widths_precisions_and_lengths_print_as_glibc(level, workdir):
    same_as_gcc(CONVERSIONS, workdir, level)


@needs_gcc
def test_run_time_formats_print_flags_widths_and_precisions_as_glibc(workdir):
    same_as_gcc(run_time(CONVERSIONS), workdir)


POINTERS = r"""#include <stdio.h>
int main(void) {
    char *none = 0;
    void *p = (void *)0x1a;
    printf("[%p][%10p][%-10p][%p][%10p][%-10p][%+p][% p][%010p][%.3p][%#p]\n",
           none, none, none, p, p, p, p, p, p, p, p);
    return 0;
}
"""


@needs_gcc
@every_level
def test_pointers_print_as_glibc_prints_them(level, workdir):
    same_as_gcc(POINTERS, workdir, level)
    same_as_gcc(run_time(POINTERS), workdir, level)


def test_a_pointer_prints_as_its_word_address_in_hex():
    source = 'int a[3];\nint main(void) { printf("%p %p\\n", a, &a[2]); return 0; }\n'
    first, second = run_c(source).output.decode().split()
    assert first.startswith("0x") and int(second, 16) - int(first, 16) == 2


def test_plain_conversions_of_a_literal_format_cost_no_more_than_before_flags():
    # %d %s %c with no flags: the fast printers, as before, not the routine behind flags
    source = 'int main(void) { int x = 12345; printf("%d %s %c\\n", x, "ab", 65); return 0; }\n'
    assert run_c(source).steps <= 194  # what it cost before the printer learned flags


# -- random conversions -------------------------------------------------------------------
SIGNED_FLAGS, UNSIGNED_FLAGS = "-+ 0", "-+ 0#"


@st.composite
def conversions(draw) -> tuple[str, list[str]]:
    """A conversion that C defines for its argument (or glibc defines, for %p), and the
    arguments it takes."""
    conv = draw(st.sampled_from("diuxXocsp"))
    flags = {"d": SIGNED_FLAGS, "i": SIGNED_FLAGS, "c": "-", "s": "-", "p": "-+ 0#"}
    allowed = flags.get(conv, UNSIGNED_FLAGS if conv != "u" else "-+ 0")
    spec = "".join(draw(st.lists(st.sampled_from(allowed), max_size=3)))
    args: list[str] = []
    if draw(st.booleans()):
        if draw(st.booleans()):
            spec += "*"
            args.append(str(draw(st.integers(-12, 12))))
        else:
            spec += str(draw(st.integers(1, 14)))
    if conv != "c" and draw(st.booleans()):
        if draw(st.booleans()):
            spec += ".*"
            args.append(str(draw(st.integers(-3, 12))))
        else:
            spec += "." + str(draw(st.integers(0, 12)))
    if conv in "csp":
        value = {
            "c": str(draw(st.integers(32, 126))),
            "s": '"' + draw(st.text("abcXYZ019 -", max_size=8)) + '"',
            "p": f"(void *){draw(st.sampled_from([0, 1, 26, 4095, 65535]))}",
        }[conv]
        return f"%{spec}{conv}", [*args, value]
    # (`ll` takes a long long: test_long_long prints those)
    length = draw(st.sampled_from(["", "", "hh", "h", "l", "z"]))
    if length in ("l", "z"):  # the argument is an int, read as a long: non-negative only
        value = draw(st.integers(0, 2**31 - 1))
    else:
        value = draw(st.integers(-(2**31), 2**31 - 1))
    return f"%{spec}{length}{conv}", [*args, f"({value + 1} - 1)" if value < 0 else str(value)]


@needs_gcc
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    specs=st.lists(conversions(), min_size=1, max_size=6),
    level=st.sampled_from(range(len(LEVELS))),
)
def test_random_conversions_print_as_glibc(specs, level, workdir):
    fmt = "[" + "|".join(spec for spec, _ in specs) + "]\\n"
    args = ", ".join(arg for _, spec_args in specs for arg in spec_args)
    source = (
        '#include <stdio.h>\nchar fmt[] = "' + fmt + '";\nint main(void) {\n'
        f'    printf("{fmt}", {args});\n    printf(fmt, {args});\n    return 0;\n}}\n'
    )
    same_as_gcc(source, workdir, level)


@pytest.mark.parametrize("bits", [16, 17])
def test_conversions_at_other_word_widths_print_the_words_values(bits):
    # Python's % formats as C does for these (not its %#o and %#x); unsigned
    # conversions see the N-bit word as a number from 0 to 2^N - 1
    specs = ["%5d", "%-6d|", "%+.3d", "%05d", "%x", "%X", "%o", "%u", "%08x", "% d"]
    values = [-42, -1, 0, 7, (1 << (bits - 1)) - 1, -(1 << (bits - 1))]
    fmt = "".join(f"[{spec}]" for spec in specs) + "\\n"
    lines = []
    for v in values:
        args = ", ".join(f"({v})" for _ in specs)
        lines.append(f'    printf("{fmt}", {args});')
        lines.append(f"    printf(f, {args});")
    source = f'char *f = "{fmt}";\nint main(void) {{\n' + "\n".join(lines) + "\n    return 0;\n}\n"
    expected = ""
    for v in values:
        line = "".join(
            f"[{spec}]" % (v if spec[-1] in "d|" else v & ((1 << bits) - 1)) for spec in specs
        )
        expected += line + "\n" + line + "\n"
    assert run_c(source, bits=bits).output.decode() == expected


@pytest.mark.parametrize("conversion", ["%f", "%e", "%g", "%n", "%jd", "%a", "%Lf"])
def test_a_run_time_format_with_a_conversion_it_cannot_print_faults_instead(conversion):
    """glibc prints a float, a count, a wide char... for these: printing the conversion's text,
    or the next argument, would be a silent difference, so the run stops with a fault."""
    source = (
        "#include <stdio.h>\n"
        f'char *f = "[%d {conversion}]";\n'
        'int main(void) { printf("ok\\n"); printf(f, 1, 2); printf("never\\n"); return 0; }\n'
    )
    result = run_c(source)
    assert result.end == "fault", (result.end, result.output)
    assert result.output == b"ok\n[1 "


@needs_gcc
@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_arguments_past_the_format_are_computed_and_ignored(level, workdir):
    same_as_gcc(
        "#include <stdio.h>\n"
        "int g;\n"
        "int f(void) { g += 5; putchar('F'); return 1; }\n"
        'int main(void) { char *fmt = "%d\\n", b[20];\n'
        '  printf("%d %d\\n", 1, 2, f(), g++); printf(fmt, 7, f()); printf("x\\n", g++);\n'
        '  sprintf(b, "%d", 4, f()); puts(b); printf("%d\\n", g); return 0; }\n',
        workdir,
        level,
    )
