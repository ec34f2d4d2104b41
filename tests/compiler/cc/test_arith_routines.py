"""The arithmetic routines and their constant-operand forms, operator by operator: at N = 32 on
edge-biased operands against gcc -fwrapv's build, and at N = 10 over every left operand against
C's semantics evaluated here (with what the README defines where C does not: INT_MIN / -1
wraps, a negative shift count leaves the value, a count of N or more shifts everything out)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.cgen import c_div, values, wrap
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))

VARIABLE = ["*", "/", "%", "&", "|", "^", "<<", ">>", "<"]
# *, / and % (signed and unsigned) have two routines each: the first level's with unrolled paths
# for small multipliers and quotients (rt_fmul, rt_fdiv, rt_fudiv), the next's without
FAST, COMPACT = 0, 1
assert not LEVELS[FAST].compact_arith and LEVELS[COMPACT].compact_arith
BY_LEVEL = [
    (op, level) for op in VARIABLE for level in ((FAST, COMPACT) if op in "*/%" else (None,))
]
# Constant right operands: powers of two and others, of both signs, and masks.
CONSTANT = [
    ("*", 10),
    ("*", -7),
    ("*", 12345),
    ("/", 10),
    ("/", 8),
    ("/", 2),
    ("/", 1),
    ("/", 3),
    ("/", 7),
    ("/", 16),
    ("/", 1024),
    ("/", -8),
    ("/", -10),
    ("/", 1 << 30),
    ("/", "MIN"),
    ("%", 16),
    ("%", 10),
    ("%", 2),
    ("%", 1),
    ("%", 3),
    ("%", 8),
    ("%", 1000),
    ("%", -16),
    ("%", -3),
    ("%", 1 << 30),
    ("%", "MIN"),
    (">>", 5),
    (">>", 0),
    (">>", 1),
    (">>", 16),
    (">>", 31),
    ("<<", 3),
    ("<<", 0),
    ("<<", 31),
    ("&", 255),
    ("&", 0xF0),
    ("&", 1),
    ("&", 0xFF00),
    ("&", 0x7FFFFFFF),
    ("&", -16),
    ("&", 0x5A5A),
    ("&", "MIN"),
    ("|", 0xF0),
    ("^", 255),
    ("<", 100),
    ("<", -5),
]


def literal(value: int | str, bits: int) -> str:
    """A constant as C source (INT_MIN as an expression that stays an int)."""
    if value == "MIN":
        return f"({-(1 << (bits - 1)) + 1} - 1)"
    return str(value) if value >= 0 else f"({value})"


def evaluate(op: str, a: int, b: int, bits: int) -> int:
    """C's value of `a op b` on N-bit words, as the README defines it where C does not."""
    if op in ("/", "%"):
        q = c_div(a, b)
        return wrap(q if op == "/" else a - q * b, bits)
    if op in ("<<", ">>"):
        if b < 0:
            return a
        if b >= bits:
            return 0 if op == "<<" or a >= 0 else -1
        return wrap(a << b, bits) if op == "<<" else a >> b
    return wrap({"*": a * b, "&": a & b, "|": a | b, "^": a ^ b, "<": int(a < b)}[op], bits)


def array(name: str, words: list[int], bits: int) -> str:
    text = ", ".join(literal(w, bits) if w < 0 else str(w) for w in words)
    return f"int {name}[{len(words)}] = {{{text}}};"


def pairs_program(op: str, xs: list[int], ys: list[int] | None, right: str, bits: int) -> str:
    """Prints `X[i] op Y[i]` (or `X[i] op right` without ys) on a line each."""
    rhs = "Y[i]" if ys is not None else right
    return "\n".join(
        [
            "#include <stdio.h>",
            array("X", xs, bits),
            array("Y", ys, bits) if ys is not None else "",
            "int main(void) {",
            f'    for (int i = 0; i < {len(xs)}; i++) printf("%d\\n", X[i] {op} {rhs});',
            "    return 0;",
            "}",
            "",
        ]
    )


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def right_operands(op: str, bits: int) -> st.SearchStrategy[int]:
    """What gcc's build may take as the right operand (shift counts 0..N-1, no zero divisor)."""
    if op in ("<<", ">>"):
        return st.one_of(st.sampled_from([0, 1, bits - 1, bits - 2]), st.integers(0, bits - 1))
    if op in ("/", "%"):
        return values(bits).filter(lambda v: v != 0)
    return values(bits)


@needs_gcc
@pytest.mark.parametrize("op", VARIABLE)
@SETTINGS
@given(data=st.data())
def test_variable_operands_match_gcc(op, data, workdir):
    xs = data.draw(st.lists(values(32), min_size=40, max_size=40))
    ys = [data.draw(right_operands(op, 32)) for _ in xs]
    if op in ("/", "%"):  # INT_MIN / -1 traps in gcc's build: the N = 10 test covers it
        ys = [2 if (x, y) == (-(1 << 31), -1) else y for x, y in zip(xs, ys, strict=True)]
    source = pairs_program(op, xs, ys, "", 32)
    same_as_gcc(source, workdir, FAST)


@needs_gcc
@pytest.mark.parametrize("op, constant", CONSTANT, ids=[f"x{op}{c}" for op, c in CONSTANT])
@SETTINGS
@given(data=st.data())
def test_constant_operands_match_gcc(op, constant, data, workdir):
    xs = data.draw(st.lists(values(32), min_size=40, max_size=40))
    if (op, constant) in (("/", -1), ("%", -1)):
        xs = [x for x in xs if x != -(1 << 31)]
    source = pairs_program(op, xs, None, literal(constant, 32), 32)
    same_as_gcc(source, workdir, FAST)


EDGE_WORDS = [0, 1, -1, 2, -2, 3, 10, -10, 255, 1 << 16, (1 << 30) + 1, -(1 << 30)]
EDGE_WORDS += [-(1 << 31), -(1 << 31) + 1, (1 << 31) - 1, (1 << 31) - 2]


@needs_gcc
@pytest.mark.parametrize("op, level", BY_LEVEL)
def test_every_pair_of_edge_words_matches_gcc(op, level, workdir):
    """Each pair of edge words at N = 32 (what gcc's build may take: counts 0..31, no zero
    divisor, no INT_MIN / -1)."""
    pairs = [(x, y) for x in EDGE_WORDS for y in EDGE_WORDS]
    if op in ("<<", ">>"):
        pairs = [(x, y) for x in EDGE_WORDS for y in (0, 1, 2, 15, 30, 31)]
    if op in ("/", "%"):
        pairs = [(x, y) for x, y in pairs if y != 0 and (x, y) != (-(1 << 31), -1)]
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    source = pairs_program(op, xs, ys, "", 32)
    same_as_gcc(source, workdir, level)


@needs_gcc
@pytest.mark.parametrize("op", ["/", "%"])
@pytest.mark.parametrize("level", [FAST, COMPACT])
def test_unsigned_division_of_edge_words_matches_gcc(op, level, workdir):
    """Each pair of edge words as unsigned words, and small quotients of every length."""
    pairs = [(x, y) for x in EDGE_WORDS for y in EDGE_WORDS if y]
    pairs += [(q * d + d // 2, d) for d in (1, 3, 100, 65537) for q in (1, 2, 5, 2047, 4095, 4096)]
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    text = pairs_program(op, xs, ys, "", 32)
    source = text.replace("X[i] / Y[i]", "(unsigned)X[i] / (unsigned)Y[i]")
    source = source.replace("X[i] % Y[i]", "(unsigned)X[i] % (unsigned)Y[i]").replace("%d", "%u")
    same_as_gcc(source, workdir, level)


@needs_gcc
@pytest.mark.parametrize("op", ["*", "/", "%"])
@pytest.mark.parametrize("level", [FAST, COMPACT])
def test_every_bit_length_matches_gcc(op, level, workdir):
    """Operands of every bit length and sign around the unrolled paths' bounds: each length's
    smallest, largest and a middle word, against each other."""
    words = sorted({v for k in range(32) for v in (1 << k, (1 << (k + 1)) - 1, 3 << k >> 1)})
    words = [w for w in words if w < 1 << 31][::2]
    words = words + [-w for w in words[::3]]
    pairs = [(x, y) for x in words for y in words[::4]]
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    source = pairs_program(op, xs, ys, "", 32)
    same_as_gcc(source, workdir, level)


SMALL = 12  # a 12-bit word: every left operand with constants, a dense sample with variables
LO, HI = -(1 << (SMALL - 1)), (1 << (SMALL - 1)) - 1
EDGES = sorted({e for j in range(SMALL - 1) for p in (1 << j,) for e in (p - 1, p, p + 1)})
EDGES = sorted({*EDGES, *(-e for e in EDGES), LO, LO + 1, HI})


def small_lefts() -> list[int]:
    """Every ninth word and the edges: 1 and 2^j +- 1 of each sign, INT_MIN, INT_MAX."""
    return sorted({*range(LO, HI + 1, 9), *EDGES})


def small_rights(op: str) -> list[int]:
    if op in ("<<", ">>"):
        return [-3, -1, *range(SMALL + 2), 100, LO]
    edges = [1, -1, 2, -2, 3, -3, 7, 10, -10, 16, -16, 100, HI, LO, LO + 1, HI - 1, 255, 0x5A]
    if op not in ("/", "%"):
        edges.append(0)
    return edges + random.Random(op).sample(range(LO, HI + 1), 4)


def checksum_program(op: str, rights: list[int], constant: str | None) -> str:
    """For each left operand x (every word with a constant, else `small_lefts`), one line: a
    checksum of x op y over the right operands (h = 3 h + r, wrapping)."""
    if constant is not None:
        rhs, count, lefts = constant, 1, []
        first = [f"    int x = {literal(LO, SMALL)};", "    while (1) {"]
        last = [f"        if (x == {HI}) break;", "        x++;", "    }"]
    else:
        rhs, count, lefts = "Y[j]", len(rights), small_lefts()
        first = [f"    for (int i = 0; i < {len(lefts)}; i++) {{", "        int x = X[i];"]
        last = ["    }"]
    return "\n".join(
        [
            "#include <stdio.h>",
            array("Y", rights, SMALL),
            array("X", lefts, SMALL) if lefts else "",
            "int main(void) {",
            *first,
            "        int h = 0;",
            f"        for (int j = 0; j < {count}; j++) h = h * 3 + (x {op} {rhs});",
            '        printf("%d\\n", h);',
            *last,
            "    return 0;",
            "}",
            "",
        ]
    )


def checksums(op: str, lefts: list[int], rights: list[int]) -> bytes:
    lines = []
    for x in lefts:
        h = 0
        for y in rights:
            h = wrap(h * 3 + evaluate(op, x, y, SMALL), SMALL)
        lines.append(f"{h}\n")
    return "".join(lines).encode()


@pytest.mark.parametrize("op, level", BY_LEVEL)
def test_dense_left_operands_at_12_bits(op, level):
    rights = small_rights(op)
    source = checksum_program(op, rights, None)
    result = run_c(source, bits=SMALL, max_steps=100_000_000, level=level)
    assert result.output == checksums(op, small_lefts(), rights)


SMALL_CONSTANTS = [
    (op, c)
    for op, c in CONSTANT
    if c == "MIN" or LO <= c <= HI and not (op in ("<<", ">>") and c >= SMALL)
] + [(">>", 11), ("<<", 11), ("&", 0x1F0), ("/", 64), ("%", 64), ("/", 1024), ("%", 1024)]


@pytest.mark.parametrize(
    "op, constant", SMALL_CONSTANTS, ids=[f"x{o}{c}" for o, c in SMALL_CONSTANTS]
)
def test_every_left_operand_at_12_bits(op, constant):
    value = LO if constant == "MIN" else constant
    source = checksum_program(op, [value], literal(constant, SMALL))
    result = run_c(source, bits=SMALL, max_steps=100_000_000, level=FAST)
    assert result.output == checksums(op, list(range(LO, HI + 1)), [value])
