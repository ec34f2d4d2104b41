"""Random C for the front end's differential tests: expression trees over every operator, with an
evaluator of C's semantics on N-bit words written here (the tests' own oracle where gcc is not),
and random statement nesting. Generated programs never do what C leaves undefined (division
by zero, INT_MIN / -1, shifts out of range), so gcc's build is an oracle too.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

BINARY = [
    "+",
    "-",
    "*",
    "/",
    "%",
    "<<",
    ">>",
    "&",
    "|",
    "^",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "&&",
    "||",
]
UNARY = ["-", "~", "!", "+"]
GCC = shutil.which("gcc")


def wrap(v: int, bits: int) -> int:
    v &= (1 << bits) - 1
    return v - (1 << bits) if v >= 1 << (bits - 1) else v


def c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


@dataclass(frozen=True)
class Node:
    kind: str  # "var", "num", "un", "bin", "cond"
    op: str = ""
    args: tuple = ()
    name: str = ""
    value: int = 0

    def render(self) -> str:
        if self.kind == "var":
            return self.name
        if self.kind == "num":
            if self.value >= 0:
                return str(self.value)
            # -2147483648 in C is the long 2147483648 negated; written this way it stays an int
            return f"({self.value + 1} - 1)"
        if self.kind == "un":
            return f"({self.op} {self.args[0].render()})"
        if self.kind == "bin":
            return f"({self.args[0].render()} {self.op} {self.args[1].render()})"
        return f"({self.args[0].render()} ? {self.args[1].render()} : {self.args[2].render()})"

    def eval(self, env: dict[str, int], bits: int) -> int | None:
        """C's value of the expression on N-bit words, or None where C leaves it undefined."""
        if self.kind == "var":
            return env[self.name]
        if self.kind == "num":
            return wrap(self.value, bits)
        vals = []
        if self.kind == "cond":
            test = self.args[0].eval(env, bits)
            if test is None:
                return None
            return self.args[1 if test else 2].eval(env, bits)
        if self.kind == "bin" and self.op in ("&&", "||"):
            left = self.args[0].eval(env, bits)
            if left is None:
                return None
            if (left != 0) == (self.op == "||"):
                return 1 if self.op == "||" else 0
            right = self.args[1].eval(env, bits)
            return None if right is None else int(right != 0)
        for a in self.args:
            v = a.eval(env, bits)
            if v is None:
                return None
            vals.append(v)
        if self.kind == "un":
            (x,) = vals
            return {"-": wrap(-x, bits), "~": wrap(~x, bits), "!": int(x == 0), "+": x}[self.op]
        a, b = vals
        op = self.op
        if op in ("/", "%"):
            if b == 0 or (a == -(1 << (bits - 1)) and b == -1):
                return None
            q = c_div(a, b)
            return wrap(q if op == "/" else a - q * b, bits)
        if op in ("<<", ">>"):
            if not 0 <= b < bits:
                return None
            return wrap(a << b, bits) if op == "<<" else a >> b
        return wrap(
            {
                "+": a + b,
                "-": a - b,
                "*": a * b,
                "&": a & b,
                "|": a | b,
                "^": a ^ b,
                "<": int(a < b),
                "<=": int(a <= b),
                ">": int(a > b),
                ">=": int(a >= b),
                "==": int(a == b),
                "!=": int(a != b),
            }[op],
            bits,
        )


def values(bits: int) -> st.SearchStrategy[int]:
    """Words, with the edges (0, +-1, INT_MIN, INT_MAX) and small numbers often."""
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return st.one_of(
        st.sampled_from([0, 1, -1, 2, -2, lo, hi, lo + 1, hi - 1, 10, -10, 255]),
        st.integers(-300, 300),
        st.integers(lo, hi),
    )


def expressions(names: list[str], bits: int) -> st.SearchStrategy[Node]:
    leaves = st.one_of(
        st.sampled_from(names).map(lambda n: Node("var", name=n)),
        values(bits).map(lambda v: Node("num", value=v)),
    )

    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        return st.one_of(
            st.tuples(st.sampled_from(BINARY), children, children).map(
                lambda t: Node("bin", t[0], (t[1], t[2]))
            ),
            st.tuples(st.sampled_from(UNARY), children).map(lambda t: Node("un", t[0], (t[1],))),
            st.tuples(children, children, children).map(lambda t: Node("cond", "", t)),
        )

    return st.recursive(leaves, extend, max_leaves=8)


def defined(node: Node, env: dict[str, int], bits: int) -> Node:
    """The tree with every undefined operation made defined: a bad divisor becomes 7, a shift
    count its low bits (rendered as `& (N-1)`), bottom up."""
    if node.kind in ("var", "num"):
        return node
    args = tuple(defined(a, env, bits) for a in node.args)
    node = Node(node.kind, node.op, args)
    if node.kind == "bin" and node.op in ("/", "%") and node.eval(env, bits) is None:
        return Node("bin", node.op, (args[0], Node("num", value=7)))
    if node.kind == "bin" and node.op in ("<<", ">>") and node.eval(env, bits) is None:
        count = Node("bin", "&", (args[1], Node("num", value=bits - 1)))
        return Node("bin", node.op, (args[0], count))
    return node


def expression_program(env: dict[str, int], exprs: list[Node]) -> str:
    """Globals with the values in env, and main printing each expression on a line."""
    lines = ["#include <stdio.h>"]
    lines += [
        f"int {name} = {value};"
        if value >= 0
        else f"int {name} = -{-value};"
        if value != -(1 << 31)
        else f"int {name} = -2147483647 - 1;"
        for name, value in env.items()
    ]
    lines.append("int main(void)\n{")
    lines += [f'    printf("%d\\n", {e.render()});' for e in exprs]
    lines += ["    return 0;", "}"]
    return "\n".join(lines) + "\n"


def gcc_output(source: str, workdir: Path, stdin: bytes = b"") -> bytes:
    """What the program prints when built by gcc -std=c99 -fwrapv (sizes of int: 32 bits)."""
    src, exe = workdir / "prog.c", workdir / "prog"
    src.write_text(source)
    subprocess.run([GCC, "-std=c99", "-fwrapv", "-w", "-O0", "-o", str(exe), str(src)], check=True)
    return subprocess.run(
        [str(exe)], input=stdin, capture_output=True, timeout=20, check=True
    ).stdout


# -- random statements --------------------------------------------------------------------
@st.composite
def statement_programs(draw) -> str:
    """A main with random nesting of if/else, for, while, do/while, switch, break, continue,
    compound assignments and ++/--, a recursive helper, an array and input from getchar."""
    counter = iter(range(1000))
    variables = ["a", "b", "c", "d"]
    small = st.integers(-20, 20)

    def expr(depth: int = 0) -> str:
        choice = draw(st.integers(0, 6 if depth < 2 else 1))
        if choice == 0:
            return draw(st.sampled_from(variables))
        if choice == 1:
            v = draw(small)
            return str(v) if v >= 0 else f"({v})"
        if choice == 2:
            op = draw(
                st.sampled_from(["+", "-", "*", "&", "|", "^", "<", "==", "!=", ">=", "&&", "||"])
            )
            return f"({expr(depth + 1)} {op} {expr(depth + 1)})"
        if choice == 3:
            return f"(({expr(depth + 1)}) % 5 + 5)"
        if choice == 4:
            return f"arr[({expr(depth + 1)}) & 7]"
        if choice == 5:
            return f"f({expr(depth + 1)} & 7)"
        return f"({expr(depth + 1)} ? {expr(depth + 1)} : {expr(depth + 1)})"

    def stmt(depth: int, in_loop: bool, in_switch: bool) -> list[str]:
        kinds = ["assign", "compound", "incdec", "print", "store", "input"]
        if depth < 3:
            kinds += ["if", "for", "while", "do", "switch", "block"]
        if in_loop:
            kinds += ["break", "continue"]
        elif in_switch:
            kinds += ["break"]
        kind = draw(st.sampled_from(kinds))
        v = draw(st.sampled_from(variables))
        if kind == "assign":
            return [f"{v} = {expr()};"]
        if kind == "compound":
            op = draw(st.sampled_from(["+=", "-=", "*=", "&=", "|=", "^=", "<<=", ">>="]))
            rhs = "3" if op in ("<<=", ">>=") else expr()
            return [f"{v} {op} {rhs};"]
        if kind == "incdec":
            return [draw(st.sampled_from([f"{v}++;", f"{v}--;", f"++{v};", f"--{v};"]))]
        if kind == "print":
            return [f'printf("{v}=%d\\n", {v});']
        if kind == "store":
            return [f"arr[({expr()}) & 7] = {expr()};"]
        if kind == "input":
            return [f"{v} = getchar();"]
        if kind == "break":
            return ["break;"]
        if kind == "continue":
            return ["continue;"]

        def body(loop: bool, sw: bool) -> list[str]:
            count = draw(st.integers(1, 3))
            return [line for _ in range(count) for line in stmt(depth + 1, loop, sw)]

        def indent(lines: list[str]) -> list[str]:
            return ["    " + line for line in lines]

        if kind == "if":
            out = [f"if ({expr()}) {{", *indent(body(in_loop, in_switch)), "}"]
            if draw(st.booleans()):
                out[-1:] = ["} else {", *indent(body(in_loop, in_switch)), "}"]
            return out
        if kind == "block":
            return ["{", *indent(body(in_loop, in_switch)), "}"]
        i = f"i{next(counter)}"
        n = draw(st.integers(0, 4))
        if kind == "for":
            return [f"for (int {i} = 0; {i} < {n}; {i}++) {{", *indent(body(True, False)), "}"]
        if kind == "while":
            return [
                f"{{ int {i} = 0; while ({i} < {n}) {{ {i}++;",
                *indent(body(True, False)),
                "} }",
            ]
        if kind == "do":
            return [
                f"{{ int {i} = 0; do {{ {i}++;",
                *indent(body(True, False)),
                f"}} while ({i} < {n}); }}",
            ]
        cases = []
        for value in sorted(set(draw(st.lists(st.integers(-2, 4), min_size=1, max_size=4)))):
            cases += [f"case {value}:", *indent(body(in_loop, True))]
        if draw(st.booleans()):
            cases += ["default:", *indent(body(in_loop, True))]
        return [f"switch ({expr()}) {{", *cases, "}"]

    lines = [line for _ in range(draw(st.integers(2, 6))) for line in stmt(0, False, False)]
    init = [draw(small) for _ in variables]
    return (
        "\n".join(
            [
                "#include <stdio.h>",
                "int arr[8] = {3, 1, 4, 1, 5, 9, 2, 6};",
                "int f(int n) { return n <= 1 ? 1 : n * f(n - 1) - arr[n & 7]; }",
                "int main(void)",
                "{",
                *[f"    int {v} = {x};" for v, x in zip(variables, init, strict=True)],
                *["    " + line for line in lines],
                '    printf("%d %d %d %d\\n", a, b, c, d);',
                '    for (int k = 0; k < 8; k++) printf("%d ", arr[k]);',
                "    return 0;",
                "}",
            ]
        )
        + "\n"
    )
