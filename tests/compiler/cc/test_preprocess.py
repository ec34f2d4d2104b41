"""The C preprocessor: each C99 feature prints what gcc -std=c99's build of the same program
prints (headers, -D, -U and -I included, through the command line too), and everything it
refuses is one line placed at the user's file and line (a header's own, inside a header)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.cc.preprocess import preprocess
from loopmlp.compiler.sources import CppOptions
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from tests.compiler.cc.cgen import GCC
from tests.compiler.cc.running import needs_gcc


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command as a user runs it, in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "loopmlp.runtime.cli", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        timeout=600,
    )


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode())


def gcc_run_in(root: Path, flags: tuple[str, ...] = (), main: str = "prog.c") -> tuple[bytes, int]:
    """stdout and exit status of gcc -std=c99 -fwrapv's build of `main` (named so: __FILE__)
    with `flags`, compiled from `root` (where -I's relative directories are)."""
    subprocess.run([GCC, "-std=c99", "-fwrapv", "-w", *flags, "-o", "prog.exe", main], cwd=root)
    done = subprocess.run([str(root / "prog.exe")], capture_output=True, timeout=20, check=False)
    return done.stdout, done.returncode


def ours(main: Path, options: CppOptions | None = None, bits: int = 32) -> bytes:
    """What the reference run of our build of `main` prints."""
    program = compile_c(main.read_text(), str(main), bits, options=options)
    return run_reference(Machine(bits, program.words), program.image, 10_000_000).output


def files_same_as_gcc(tmp_path: Path, files: dict[str, str], flags: tuple[str, ...] = ()) -> bytes:
    """Build prog.c (with the other files beside it) both ways; the output, once equal."""
    write_files(tmp_path, files)
    main = tmp_path / "prog.c"
    want, _ = gcc_run_in(tmp_path, flags, str(main))
    macros = tuple((f[1], f[2:]) for f in flags if f[:2] in ("-D", "-U"))
    include = tuple(f[2:] for f in flags if f.startswith("-I"))
    assert ours(main, CppOptions(macros, include)) == want
    return want


CONDITIONALS = r"""#include <stdio.h>
#define A 3
#define B (A * 2)
#define EMPTY
#if B == 6 && defined(A) && !defined(C) && defined A
int first = 1;
#elif 1
int first = 2;
#else
int first = 3;
#endif
#if (1 << 4) - 1 == 0xF && 'a' == 97 && (A > 2 ? 10 : 20) == 10 && -1 < 0 && UNKNOWN == 0
int second = 1;
#else
int second = 0;
#endif
#ifdef A
#  ifndef B
int third = 1;
#  elif A % 2
int third = 2;
#  endif
#endif
#undef A
#ifndef A
int fourth = 4;
#endif
#if 0
#this is skipped, even #error
#elif defined(EMPTY) || 1 / 0
int fifth = 5;
#endif
int main(void) {
    printf("%d %d %d %d %d\n", first, second, third, fourth, fifth);
    return 0;
}
"""

MACROS = r"""#include <stdio.h>
#define SQ(x) ((x) * (x))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a ## b
#define SHOW(fmt, ...) printf(fmt "\n", __VA_ARGS__)
#define COUNT(...) sizeof((int[]){__VA_ARGS__}) / sizeof(int)
#define N 7
#define F(x) (x + 1)
#define G F
#define SELF SELF
#define LOOP(a) a + LOOP(a)
int (LOOP)(int v) { return v * 10; }
int SELF = 4;
int main(void) {
    int xy = 12;
    SHOW("%d %d %s %s", SQ(N + 1), MAX(N, 3), STR(a  +  "b"), XSTR(N));
    SHOW("%d %d %d", CAT(x, y), CAT(1, 2), G(N));
    SHOW("%d %d", SELF, LOOP(2));
    printf("%s\n", STR(  spaced   out  ));
    return 0;
}
"""

PLACES = r"""#include <stdio.h>
#define WHERE() printf("%d %s\n", __LINE__, __FILE__)
#define XSTR(x) STR(x)
#define STR(x) #x
#if __STDC_VERSION__ == 199901L && __STDC_VERSION__ / 100 == 1999
#define C99 1
#endif
int main(void) {
    WHERE();
    printf("%d %d %s %s\n", __STDC__, C99, XSTR(__LINE__), STR(__FILE__));
#line 100
    WHERE();
#line 200 "renamed.c"
    WHERE(); printf("%d\n",
        __LINE__);
    return 0;
}
"""

PHASES = (
    "#include <stdio.h>\r\n"
    "// a comment that goes on \\\r\n"
    "int hidden = 1;\r\n"
    "#define TWO 1 /* a comment\r\n"
    "   over lines */ + 1\r\n"
    "#define LONG(a, \\\n"
    "             b) ((a) \\\n"
    "                 - (b)) /* in the middle */ \\\n"
    "             * 2\n"
    "int hidden = 2;\n"
    'int main(void) { printf("%d %d %d %s\\n", hidden, TWO, LONG(5, 1), "a??!b??="); return 0; }\n'
)

PUSH_POP = r"""#include <stdio.h>
#define X 1
#pragma push_macro("X")
#undef X
#define X 2
int a = X;
#pragma pop_macro("X")
int b = X;
#pragma push_macro("Y")
#define Y 3
int c = Y;
#pragma pop_macro("Y")
#ifdef Y
int d = 1;
#else
int d = 0;
#endif
#pragma STDC FP_CONTRACT OFF
#pragma some_other_compiler's pragma
int main(void) { printf("%d %d %d %d\n", a, b, c, d); return 0; }
"""

# C99 6.10.3.3: an empty operand of ## is a placemarker (`A ## B` with B empty is A alone), and
# tokens that were apart stay apart (`-` and `-1` are not `--`)
PLACEMARKERS = r"""#include <stdio.h>
#define P(A,B) A ## B ; bob
#define Q(A,B) A ## B+
#define CAT(a,b) a ## b
#define CAT3(a,b,c) a ## b ## c
#define NEG(x) -x
#define T(A,B) A B+
#define STR(a) #a
#define V(f, ...) f(1, ## __VA_ARGS__)
#define H(a, ...) a ## __VA_ARGS__
#define S(...) #__VA_ARGS__
#define G(a, b) #a #b
int one(int a) { return a; }
int two(int a, int b) { return a * 10 + b; }
int main(void) {
    int bob, jim = 21, x = 5, xy = 7, k = 4;
    bob = P(jim,) *= 2;
    printf("%d %d\n", jim, bob);
    jim = 60 Q(+,)3;
    x = 60 Q(,+)3;
    printf("%d %d %d\n", jim, x, -NEG(-k) NEG(-)k);
    printf("%d %d\n", CAT(,) 1 CAT(+,) CAT(,-)-k, 1 T(+,)+k);
    printf("%d %d\n", CAT3(x,,y) + CAT3(,,x) + CAT3(,x,), CAT(1,) + CAT(,2) + CAT(3,4));
    printf("[%s] [%s] %d %d\n", STR(), STR(CAT(,)), V(one), V(two, 2));
    printf("%d %d [%s] [%s] [%s]\n", H(x, y), H(, 7), S(), S( a ,  b ), G( x  y , ));
    return 0;
}
"""


# #if's / and % truncate toward zero (also at 64 bits, and unsigned), a `defined` that a macro
# makes is evaluated, and # escapes a backslash only inside a literal
ARITHMETIC_DEFINED_STRINGS = r"""#include <stdio.h>
#define STR(x) #x
#define XSTR(x) STR(x)
#define FEATURE
#define HAVE_FEATURE defined(FEATURE)
#define HAVE_NOT defined NOPE
#define D defined
int main(void){
#if -7 % 3 == -1 && 7 % -3 == 1 && (-5)/2*2 + (-5)%2 == -5 && -7 / 2 == -3
  puts("mod C");
#else
  puts("mod other");
#endif
#if 9223372036854775807 / 3 == 3074457345618258602 && 9223372036854775807 % 10 == 7
  puts("big ok");
#endif
#if 18446744073709551615u / 7 == 2635249153387078802u && -1 % 10u == 5
  puts("unsigned ok");
#endif
#if HAVE_FEATURE && !HAVE_NOT
  puts("on");
#else
  puts("off");
#endif
  puts(STR(a\b));
  puts(STR('\\' "\\" "a\"b"  x   y));
  puts(STR(L"w\n" u8"v" 'q'));
  puts(XSTR(__LINE__));
  puts(STR(  /* c */ a  /* d */ b ));
  return 0; }
"""


@needs_gcc
@pytest.mark.parametrize(
    "source",
    [CONDITIONALS, MACROS, PLACES, PHASES, PUSH_POP, PLACEMARKERS, ARITHMETIC_DEFINED_STRINGS],
    ids=[
        "conditionals",
        "macros",
        "line-file-stdc",
        "phases-1-to-3",
        "push-pop-pragma",
        "placemarkers",
        "if-arithmetic-defined-stringizing",
    ],
)
def test_a_feature_prints_what_gcc_prints(tmp_path, source):
    assert files_same_as_gcc(tmp_path, {"prog.c": source})


HEADERS = {
    "prog.c": '#include <stdio.h>\n#include "lib/util.h"\n#include "lib/util.h"\n'
    '#include "once.h"\n#include "once.h"\n#include <sys_like.h>\n'
    'int main(void) { printf("%d %d %d %s\\n", twice(4), counted, SYS, WHERE); return 0; }\n',
    "lib/util.h": '#ifndef UTIL_H\n#define UTIL_H\n#include "helper.h"\n'
    "int twice(int x) { return HELP(x); }\n#endif\n",
    "lib/helper.h": "#define HELP(x) ((x) * 2)\n#define WHERE __FILE__\n",
    "once.h": "#pragma once\nint counted = 1;\n",
    "inc/sys_like.h": "#define SYS 42\n",
}


@needs_gcc
def test_include_relative_to_the_including_file_and_from_dash_i(tmp_path):
    printed = files_same_as_gcc(tmp_path, HEADERS, (f"-I{tmp_path / 'inc'}",))
    assert printed == f"8 1 42 {tmp_path / 'prog.c'}\n".encode()  # where WHERE is used


COMMAND_LINE = r"""#include <stdio.h>
#include "config.h"
int main(void) {
#ifdef DEBUG
    printf("debug %d\n", DEBUG);
#endif
#ifdef GONE
    printf("gone\n");
#endif
    printf("%d %s %d\n", SIZE, NAME, TWICE(SIZE));
    return 0;
}
"""


@needs_gcc
def test_dash_d_u_i_through_the_command_line(tmp_path):
    write_files(tmp_path, {"prog.c": COMMAND_LINE, "conf/config.h": "#define TWICE(x) (2 * (x))\n"})
    flags = ("-DDEBUG", "-D", "SIZE=12", '-DNAME="n"', "-DGONE", "-UGONE", "-I", "conf")
    gcc_flags = ("-DDEBUG", "-DSIZE=12", '-DNAME="n"', "-DGONE", "-UGONE", "-Iconf")
    want, status = gcc_run_in(tmp_path, gcc_flags)
    assert want == b"debug 1\n12 n 24\n"
    for command in (["run", "--reference"], ["run"]):
        run = cli(*command, *flags, "prog.c", cwd=tmp_path)
        assert (run.stdout, run.returncode) == (want, status), run.stderr
    made = cli("cc", *flags, "prog.c", "-o", "prog.asq", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert cli("run", "--reference", "prog.asq", cwd=tmp_path).stdout == want
    refused = cli("run", "--reference", "prog.c", cwd=tmp_path)  # no -I: no config.h
    assert refused.returncode == 2 and refused.stdout == b""
    assert refused.stderr == b'loopmlp: error: prog.c:2:1: #include "config.h": file not found\n'


@pytest.mark.parametrize("bits", [16, 32])
def test_limits_follow_the_word_width(tmp_path, bits):
    source = (
        "#include <stdio.h>\n#include <limits.h>\n#include <stdbool.h>\n#include <stddef.h>\n"
        'int main(void) { int *p = NULL; printf("%d %d %d %d %d %d\\n", INT_MAX, INT_MIN, '
        "CHAR_BIT, CHAR_MAX == 127, true + false, p == 0); return 0; }\n"
    )
    (tmp_path / "prog.c").write_text(source)
    top = (1 << (bits - 1)) - 1
    assert ours(tmp_path / "prog.c", bits=bits) == f"{top} {-top - 1} {bits} 1 1 1\n".encode()


def refusal(tmp_path: Path, files: dict[str, str], options: CppOptions | None = None) -> str:
    write_files(tmp_path, files)
    main = tmp_path / "prog.c"
    with pytest.raises(LoopmlpError) as err:
        compile_c(main.read_text(), str(main), options=options)
    message = str(err.value).replace(f"{tmp_path}/", "")
    assert "\n" not in message
    return message


MAIN = "int main(void) { return 0; }\n"


@pytest.mark.parametrize(
    "source, message",
    [
        ('#error stop "here"\n' + MAIN, 'prog.c:1:1: #error stop "here"'),
        (
            "\n#if 0\n#error skipped\n#endif\n#error  spaced   out\n",
            "prog.c:5:1: #error spaced   out",
        ),
        ("#include <math.h>\n", "prog.c:1:1: not supported: #include <math.h> (the headers are"),
        ("\n#include <pthread.h>\n", "prog.c:2:1: not supported: #include <pthread.h>"),
        ("#include <setjmp.h>\n", "prog.c:1:1: not supported: #include <setjmp.h>"),
        ("#include <locale.h>\n", "prog.c:1:1: not supported: #include <locale.h>"),
        ('#include "nowhere.h"\n', 'prog.c:1:1: #include "nowhere.h": file not found'),
        ("#include\n", "prog.c:1:1: #include expects"),
        ("int a;\n#if 1\nint b;\n", "prog.c:2:1: unterminated #if 1"),
        ("#endif\n", "prog.c:1:1: misplaced #endif"),
        ("#if 1\n#if 0\n#else\n#elif 1\n#endif\n#endif\n", "prog.c:4:1: #elif after #else"),
        ("#ifdef X\n#else\n#else\n#endif\n", "prog.c:3:1: #else after #else"),
        ("#if 1 +\n#endif\n", "prog.c:1:1: invalid #if expression '1 +'"),
        ("#if F(2)\n#endif\n", "prog.c:1:1: #if: 'F' is not a function-like macro"),
        ("#frobnicate\n", "prog.c:1:1: invalid preprocessing directive #frobnicate"),
        ("#define 3 x\n", "prog.c:1:1: #define of '3': not a macro name"),
        ("#define F(a, b) a\nint x = F(1);\n", "prog.c:2:1: macro F requires 2 arguments"),
        ("#line 0\n", "prog.c:1:1: #line: '0' is not a line number"),
        ("#pragma push_macro(X)\n", "prog.c:1:1: #pragma push_macro: expected"),
        ("int a;\n/* never closed\n", "prog.c:2:1: unterminated comment"),
        ("int a; /* over\n  lines */ int b = z;\n", "prog.c:2:20: 'z' undeclared"),
        ("#define F(a, b) a\nint c = F(1,\n   2) + w;\n", "prog.c:3:9: 'w' undeclared"),
        ('#line 50 "other.c"\nint f(void) { return y; }\n', "other.c:50:22: 'y' undeclared"),
        ("#include <stdbool.h>\n\nint b = x;\n", "prog.c:3:9: 'x' undeclared"),
    ],
)
def test_refusals_are_one_located_line(tmp_path, source, message):
    assert refusal(tmp_path, {"prog.c": source}).startswith(message)


def test_errors_inside_a_header_name_the_header_and_its_line(tmp_path):
    files = {"prog.c": '#include "h/a.h"\n' + MAIN, "h/a.h": "\n\nint f(void) { return z; }\n"}
    assert refusal(tmp_path, files) == "h/a.h:3:22: 'z' undeclared"
    files["h/a.h"] = "int f(void) {\n  return 1\n}\n"
    assert refusal(tmp_path, files) == "h/a.h:3:1: syntax error before '}'"
    files["h/a.h"] = "\n#error from the header\n"
    assert refusal(tmp_path, files) == "h/a.h:2:1: #error from the header"
    files["h/a.h"] = '#include "b.h"\n'
    files["h/b.h"] = "int g(void) { return w; }\n"
    assert refusal(tmp_path, files) == "h/b.h:1:22: 'w' undeclared"
    files["prog.c"] = '#include "h/a.h"\nint main(void) { return q; }\n'
    files["h/b.h"] = "int g(void) { return 1; }\n"
    assert refusal(tmp_path, files) == "prog.c:2:25: 'q' undeclared"  # back in the main file


def test_source_map_names_the_header_line_of_its_code(tmp_path):
    files = {
        "prog.c": '#include "div.h"\n\n\nint main(void) { return quotient(1, 0); }\n',
        "div.h": "\nint quotient(int a, int b) {\n  return a / b;\n}\n",
    }
    write_files(tmp_path, files)
    text = compile_c(files["prog.c"], str(tmp_path / "prog.c")).text.replace(f"{tmp_path}/", "")
    marks = set(re.findall(r"^#@ (\S+:\d+)", text, re.M))
    assert {"div.h:2", "div.h:3", "prog.c:4"} <= marks
    run = cli("run", "--reference", "prog.c", cwd=tmp_path)
    assert run.returncode == 3 and b"fault at div.h:3 in quotient: division by zero" in run.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["-D", "3x"], b"loopmlp: error: -D 3x: not a macro name\n"),
        (["-U", "a-b"], b"loopmlp: error: -U a-b: not a macro name\n"),
        (["-DSTOP"], b"loopmlp: error: prog.c:2:1: #error stopped by -D\n"),
    ],
)
def test_bad_command_line_macros_are_one_line_exit_2(tmp_path, args, message):
    (tmp_path / "prog.c").write_text("#ifdef STOP\n#error stopped by -D\n#endif\n" + MAIN)
    for command in ("cc", "run", "asm"):
        run = cli(command, *args, "prog.c", cwd=tmp_path)
        assert (run.returncode, run.stdout, run.stderr) == (2, b"", message)


def test_preprocessor_options_are_for_c_only(tmp_path):
    (tmp_path / "p.asq").write_text("Z Z -1\n")
    run = cli("run", "--reference", "-DX", "p.asq", cwd=tmp_path)
    assert run.returncode == 2 and b"-D, -U and -I are for C programs" in run.stderr


def test_a_header_that_includes_itself_is_refused_not_followed_forever(tmp_path):
    message = refusal(
        tmp_path,
        {
            "self.h": '#include "self.h"\nint x;\n',
            "prog.c": '#include "self.h"\nint main(void) {}\n',
        },
    )
    assert message == "self.h:1:1: #include nested too deeply (limit 200)"


APART = """#define P(A,B) A ## B ; bob
#define Q(A,B) A ## B+
#define R(A,B) A ## B
#define S(A) -A
#define T(A,B) A B+
#define N -1
#define LL 5LL
x = P(jim,) *= 2;
y = 60 Q(+,)3;
z = 60 Q(,+)3;
w = R(,) R(+,) R(,-)-;
v = -S(-1) S(-)- -N;
u = T(+,)+ R(a,b)R(c,) LL;
"""


@needs_gcc
def test_expansion_keeps_tokens_apart_as_gcc_e_does(tmp_path):
    """The tokens of the output, split at white space, are gcc -E's: none pasted together."""
    source = tmp_path / "apart.c"
    source.write_text(APART)
    done = subprocess.run([GCC, "-std=c99", "-E", "-P", str(source)], capture_output=True)
    want = done.stdout.decode().split()
    ours = [
        w
        for line in preprocess(APART, "apart.c").splitlines()
        if not line.startswith("#")
        for w in line.split()
    ]
    assert ours == want
