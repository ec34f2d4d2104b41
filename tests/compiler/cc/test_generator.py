"""The code generator on its own: typed trees built by hand (no C source, no checker) to
SUBLEQ, run on the reference interpreter, at every trade-off level."""

from __future__ import annotations

import pytest

from loopmlp.compiler.assembler import assemble_labels
from loopmlp.compiler.cc import syntax as S
from loopmlp.compiler.cc.asm import render, size
from loopmlp.compiler.cc.codegen import generate
from loopmlp.compiler.cc.codeunit import EXIT_WORD, LEVELS, CodeUnit
from loopmlp.compiler.cc.peephole import optimise
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference

BITS, WORDS = 16, 4096
AT = S.Loc(1, 1)


def num(value: int) -> S.Num:
    return S.Num(value, loc=AT)


def ref(var: S.Var) -> S.VarRef:
    return S.VarRef(var, loc=AT, ctype=var.ctype)


def binary(op: str, left: S.Expr, right: S.Expr) -> S.Binary:
    return S.Binary(op, left, right, loc=AT)


def call(name: str, *args: S.Expr) -> S.Call:
    return S.Call(name, list(args), loc=AT)


def local(name: str, function: str, storage: str = "local") -> S.Var:
    return S.Var(name, S.INT, storage, function, AT, S.label(f"v{name}", function, name))


def function(
    name: str, params: list[S.Var], locals_: list[S.Var], *body: S.Stmt, calls=()
) -> S.Function:
    return S.Function(
        name, S.INT, params, AT, S.Block(list(body), loc=AT), locals_, set(calls), file="t.c"
    )


def run(functions: list[S.Function], level: int) -> tuple[bytes, int]:
    """The output and main's value of the program made of `functions`."""
    unit = S.Unit("t.c", [], {fn.name: fn for fn in functions}, [])
    program = CodeUnit(unit, BITS, stack_end=WORDS, tradeoffs=LEVELS[level])
    asm = generate(program)
    optimise(asm, keep={EXIT_WORD})
    image, _, labels = assemble_labels(render(asm), BITS, "t.c")
    assert size(asm) == len(image)  # what compile_c measures each level by
    result = run_reference(Machine(BITS, WORDS), image, 1_000_000, b"")
    assert result.end == "halt", result.reason
    return result.output, result.memory[labels[EXIT_WORD]]


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_a_loop_with_a_local_and_output(level):
    """for (i = 0; i < 5; i++) putchar('a' + i); return i * 7 - 3;"""
    i = local("i", "main")
    loop = S.For(
        S.ExprStmt(S.Assign("=", ref(i), num(0), loc=AT), loc=AT),
        binary("<", ref(i), num(5)),
        S.IncDec("++", False, ref(i), loc=AT),
        S.ExprStmt(call("putchar", binary("+", num(ord("a")), ref(i))), loc=AT),
        loc=AT,
    )
    ret = S.Return(binary("-", binary("*", ref(i), num(7)), num(3)), loc=AT)
    main = function("main", [], [i], loop, ret, calls={"putchar"})
    assert run([main], level) == (b"abcde", 32)


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_a_recursive_function_saves_what_it_needs_across_its_calls(level):
    """fact(n) { if (n <= 1) return 1; return n * fact(n - 1); }  main: return fact(7) % 1000;"""
    n = local("n", "fact", "param")
    fact = function(
        "fact",
        [n],
        [],
        S.If(binary("<=", ref(n), num(1)), S.Return(num(1), loc=AT), None, loc=AT),
        S.Return(binary("*", ref(n), call("fact", binary("-", ref(n), num(1)))), loc=AT),
        calls={"fact"},
    )
    main = function(
        "main",
        [],
        [],
        S.Return(binary("%", call("fact", num(7)), num(1000)), loc=AT),
        calls={"fact"},
    )
    assert run([main, fact], level) == (b"", 5040 % 1000)


@pytest.mark.parametrize("level", range(len(LEVELS)))
def test_a_comparison_is_exact_where_the_subtraction_overflows(level):
    """a = -30000; b = 30000; return (a < b) * 10 + (b < a);  (b - a overflows 16 bits)"""
    a, b = local("a", "main"), local("b", "main")
    assign = [
        S.ExprStmt(S.Assign("=", ref(v), num(k), loc=AT), loc=AT)
        for v, k in ((a, -30000), (b, 30000))
    ]
    value = binary(
        "+", binary("*", binary("<", ref(a), ref(b)), num(10)), binary("<", ref(b), ref(a))
    )
    main = function("main", [], [a, b], *assign, S.Return(value, loc=AT))
    assert run([main], level) == (b"", 10)


def test_the_code_does_not_depend_on_the_interpreters_hash_seed():
    """Functions defined on one line are laid out in the order they are defined, whatever
    order a set of their names iterates in."""
    import os
    import subprocess
    import sys

    source = "int f(void) { return 1; } int g(void) { return 2; } int h(void) { return 3; }\n"
    source += "int main(void) { return f() + g() + h(); }\n"
    script = (
        "import sys; from loopmlp.compiler.cc import compile_c; "
        "sys.stdout.write(compile_c(sys.stdin.read(), 'p.c').text)"
    )
    texts = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        run = subprocess.run(
            [sys.executable, "-c", script], input=source, capture_output=True, text=True, env=env
        )
        assert run.returncode == 0, run.stderr
        texts.add(run.stdout)
    assert len(texts) == 1
