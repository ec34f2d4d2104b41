"""What the C front end refuses, and how: one line, `FILE:LINE:COL: ...`, at the right place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pycparser import c_ast

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import run_c

UNSUPPORTED = [
    ("float x;", "type 'float'"),
    ("double f(void) { return 1; }", "type 'double'"),
    (
        "long long n = 1;\nint f(void) { switch (n) { default: return 1; } }",
        "a 'long long' value here",
    ),
    ("short char c;", "type 'short char'"),
    ("unsigned signed s;", "type 'unsigned signed'"),
    ('int f(long long x) { printf("%05lld", x); }', "printf of a long long other than"),
    ("union u { int i; unsigned flag : 1; } b;", "a bit-field in a union"),
    ("struct s { long wide : 40; } b;", "a bit-field of 40 bits"),
    ("struct s { long long wide : 40; } b;", "a bit-field of type 'long long'"),
    ("int f(void) { int k = 1; int a[4] = {[0 ... 2] = k++}; }", "a range designator's value"),
    ("int f(void) { int (*p)(int, ...) = 0; return p(1, 2LL); }", "a 'long long' value here"),
    (
        "int v(int n, ...) { return n; }\nint f(void) { int (*p)(int) = v; }",
        "converting 'int (*)(int, ...)' to 'int (*)(int)'",
    ),
    (
        "int f(int a) { return a; }\nint (*fp)(int, int) = f;",
        "converting 'int (*)(int)' to 'int (*)(int, int)' (a call through it would be undefined)",
    ),
    ("int f(void) { void (*p)(int) = (void (*)(int))f; }", "converting 'int (*)(void)'"),
    ("int f(void) { int (*p)(int) = (int (*)(int))1234; }", "converting 'int' to"),
    ("int f(int a) { int (*p)(int) = f; return (p + 1)(a); }", "operator + on a function"),
    ("int f(int a) { int (*p)(int) = f; return p < f; }", "operator < on a function pointer"),
    ("int f(int a) { int (*p)(int) = f; p++; }", "operator ++ on a function pointer"),
    ("int f(void) { int (*p)(int) = putchar; return 0; }", "the address of built-in 'putchar'"),
    ("typedef int fn(int);\nfn g;", "a function declared through a typedef name"),
    (
        "int g(int a, int b) { return a; }\nint f(int a) { int (*p)(int) = a ? f : g; }",
        "converting 'int (*)(int, int)' to 'int (*)(int)'",
    ),
    ("int f(void) { int *v = f; }", "converting 'int (*)(void)' to 'int *'"),
    ("int f(void) { int v = (int)f; }", "converting 'int (*)(void)' to 'int'"),
    ("int f(void) { return 1.5; }", "floating-point constant 1.5"),
    ("#include <math.h>", "#include <math.h>"),
    ('int f(void) { printf("%5.2f", 1); return 0; }', "printf conversion '%5.2f'"),
]


def refusal(source: str) -> str:
    with pytest.raises(LoopmlpError) as err:
        compile_c(source + "\nint main(void) { return 0; }\n", "prog.c")
    message = str(err.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("source, what", UNSUPPORTED)
def test_unsupported_c_is_one_located_line(source, what):
    message = refusal(source)
    match = re.fullmatch(r"prog\.c:(\d+):(\d+): not supported: (.*)", message)
    assert match, message
    assert match.group(3).startswith(what)
    lines = source.split("\n")
    assert 1 <= int(match.group(1)) <= len(lines)


@pytest.mark.parametrize(
    "source, where",
    [
        ("int main(void) { return 0 }", "prog.c:1:27: syntax error"),
        ("int main(void) {\n  int x = ;\n}", "prog.c:2:11: syntax error"),
        ("int main(void) {\n  x = 1;\n  return 0;\n}", "prog.c:2:3: 'x' undeclared"),
        ("int main(void) { /* never closed", "prog.c:1:18: unterminated comment"),
        ('#include "mine.h"', 'prog.c:1:1: #include "mine.h": file not found'),
        ("int main(void) { return f(1); }", "prog.c:1:25: implicit declaration of function 'f'"),
        ("int f(int a);\nint main(void) { return f(1, 2); }", "prog.c:2:25: too many arguments"),
        (
            "int f(int a);\nint main(void) { return f(1); }",
            "prog.c:2:25: undefined reference to 'f'",
        ),
        ("int main(void) { int a[2]; a = 0; return 0; }", "prog.c:1:28: lvalue required"),
        ("int (*p)(int);\nint x = p(1);", "prog.c:2:9: initializer element is not constant"),
        ("int main(void) { break; }", "prog.c:1:18: break outside a loop or switch"),
        ("int main(void) { return 07 + 8x; }", "prog.c:1:"),
        ("void v(void) {}\nint main(void) { return v(); }", "prog.c:2:25: void value"),
    ],
)
def test_errors_name_the_place(source, where):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(where), message


def test_no_main():
    with pytest.raises(LoopmlpError, match=r"prog\.c:1:1: no function 'main'"):
        compile_c("int f(void) { return 1; }", "prog.c")


@pytest.mark.parametrize(
    "source",
    [
        "int z = 0;\nint main(void) { return 5 / z; }",
        "int z = 0;\nint main(void) { return 5 % z; }",
        "int main(void) { return 5 / 0; }",
    ],
)
def test_division_by_zero_faults(source):
    result = run_c(source)
    assert result.end == "fault" and result.reason == "operand address out of range"


def test_runaway_recursion_faults_instead_of_running_on():
    source = "int down(int n) { return down(n + 1) + 1; }\nint main(void) { return down(0); }\n"
    result = run_c(source, max_steps=10_000_000)
    assert result.end == "fault" and result.steps < 100_000


def test_stack_size_is_chosen_and_reported():
    source = "int f(int n) { return n ? f(n - 1) + 1 : 0; }\nint main(void) { return f(3); }\n"
    small, big = compile_c(source, "p.c"), compile_c(source, "p.c", stack=3000)
    assert small.stack >= 128 and small.words >= len(small.image) + 128
    assert big.stack >= 3000 and big.words == 4096
    plain = compile_c("int main(void) { return 0; }", "p.c")
    assert plain.stack == 0 and plain.words == 16
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "p.c", words=64)
    need = len(small.image) + 128
    assert str(err.value) == (
        f"p.c: the program needs {need} words ({len(small.image)} of code "
        "and data and a stack of 128), more than the machine's 64 words (K)"
    )


def test_a_stack_too_big_names_the_need_not_a_rounded_memory():
    source = "int f(int n) { return n ? f(n - 1) + 1 : 0; }\nint main(void) { return f(3); }\n"
    code = len(compile_c(source, "p.c").image)
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "p.c", stack=999_999)
    assert str(err.value) == (
        f"p.c: the program needs {code + 999_999:,} words ({code} of code and data and a stack "
        "of 999,999 (--stack)), more than the 65,536 words a C program can address at N=32"
    )


def test_a_machine_larger_than_a_c_program_can_address_is_refused_as_asked_for():
    with pytest.raises(LoopmlpError) as err:
        compile_c("int main(void) { return 0; }", "p.c", words=131072)
    assert str(err.value) == (
        "p.c: a machine of 131,072 words was asked for, more than the "
        "65,536 words a C program can address at N=32"
    )


def test_memory_beyond_positive_addresses_is_refused():
    with pytest.raises(
        LoopmlpError,
        match=r"primes\.c: the program needs \d+ words of code and data, more than the 128 words "
        r"a C program can address at N=8",
    ):
        compile_c((Path(__file__).parents[3] / "examples" / "primes.c").read_text(), "primes.c", 8)


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "struct p { int x, y; };\nstruct q { int n; struct p a; } v = {.n.y = 3};",
            "prog.c:2:41: a designator of a scalar's part",
        ),
        ("int x = 'ab';", "prog.c:1:9: not supported: multi-character constant 'ab'"),
        (
            "int f(void) { int x; while (1) x = ({ break; 1; }); }",
            "prog.c:1:39: not supported: 'break' out of a statement expression",
        ),
        ("int x = _Alignof(int);", "prog.c:1:9: not supported: operator _Alignof"),
        (
            "int f(int a) { __typeof__(a) b = a; return b; }",
            "prog.c:1:16: not supported: gcc's typeof",
        ),
        (
            "int f(int x) { return x ?: 42; }",
            "prog.c:1:25: not supported: gcc's ?: with its middle operand left out",
        ),
        (
            "int f(int x) { switch (x) { case 1 ... 5: return 1; } return 0; }",
            "prog.c:1:29: not supported: gcc's case ranges (case a ... b:)",
        ),
        (
            'int f(void) { __asm__ volatile("nop"); return 0; }',
            "prog.c:1:15: not supported: inline assembly",
        ),
        (
            'int f(void) { __asm__("nop"); return 0; }',
            "prog.c:1:15: not supported: inline assembly",
        ),
        (
            "int f(int n, ...) { return n; } int g(long long x) { return f(1, x); }",
            "prog.c:1:66: not supported: a 'long long' argument in the '...' of 'f'",
        ),
        (
            "int f(void) { return __builtin_popcount(3); }",
            "prog.c:1:22: not supported: gcc's built-in function '__builtin_popcount'",
        ),
        (
            "int f(void) { void *p = &&out; goto *p; out: return 0; }",
            "prog.c:1:25: not supported: gcc's label addresses (&&label)",
        ),
        (
            "int f(void *p) { goto *p; }",
            "prog.c:1:18: not supported: gcc's computed goto (goto *)",
        ),
        ('_Static_assert(1, "x");', "prog.c:1:1: not supported: _Static_assert"),
        (
            "enum e { A };\nint f(enum e x) { return _Generic(x, int: 2); }",
            "prog.c:2:35: not supported: _Generic over an enum type",
        ),
        (
            "int x = sizeof(__func__);",
            "prog.c:1:16: '__func__' is not defined outside of function scope",
        ),
    ],
)
def test_refusals_name_the_construct_in_c_words_at_its_place(source, message):
    text = refusal(source)
    assert text.startswith(message), text
    words = set(re.findall(r"[A-Za-z_]+", text))
    parser_names = {
        name for name in dir(c_ast) if isinstance(getattr(c_ast, name), type) and name[0].isupper()
    }
    assert not words & (parser_names - {"Generic"}), text
    assert "http" not in text and ":0:" not in text


def test_a_comment_split_by_a_backslash_newline_is_kept_or_refused_without_a_url():
    source = "int main(void) {\n  int x = 1; /\\\n* comment */\n  return x;\n}\n"
    try:
        result = run_c(source)
    except LoopmlpError as err:  # a preprocessor without translation phase 2 before comments
        assert str(err) == "prog.c:2:14: not supported: a comment split by a backslash-newline"
    else:
        assert result.end == "halt"
