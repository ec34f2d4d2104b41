"""The C front end's passes on their own: constant folding, the peephole passes and liveness."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from loopmlp.compiler.assembler import assemble, assemble_labels
from loopmlp.compiler.cc import check_source, compile_c_levels
from loopmlp.compiler.cc.asm import Asm, Z, render
from loopmlp.compiler.cc.codeunit import EXIT_WORD, LEVELS
from loopmlp.compiler.cc.constfold import fold_binary, fold_unary
from loopmlp.compiler.cc.liveness import Liveness
from loopmlp.compiler.cc.peephole import optimise
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from tests.compiler.cc.cgen import BINARY, Node

SMALL = range(-8, 8)
EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize("op", BINARY)
def test_folding_is_c_on_4_bit_words_exhaustively(op):
    """fold_binary against the tests' own evaluator of C, on every pair of 4-bit words where
    C defines the result; where it does not, the documented choices."""
    for a, b in itertools.product(SMALL, SMALL):
        expected = Node("bin", op, (Node("num", value=a), Node("num", value=b))).eval({}, 4)
        if expected is not None:
            assert fold_binary(op, a, b, 4) == expected, (a, op, b)
        elif op in ("/", "%"):
            assert fold_binary(op, a, b, 4) == (None if b == 0 else (-8 if op == "/" else 0))
        elif b < 0:
            assert fold_binary(op, a, b, 4) == a  # a negative count shifts by 0
        else:
            assert fold_binary(op, a, b, 4) == (0 if op == "<<" else -1 if a < 0 else 0)


@pytest.mark.parametrize("op", ["-", "~", "!", "+"])
def test_unary_folding(op):
    for a in SMALL:
        assert fold_unary(op, a, 4) == Node("un", op, (Node("num", value=a),)).eval({}, 4)


def run(asm: Asm, bits: int = 16) -> tuple[bytes, int]:
    image = assemble(render(asm), bits)
    result = run_reference(Machine.for_image(len(image), bits), image, 10_000)
    assert result.end == "halt"
    return result.output, len(image)


def counting_program() -> Asm:
    """Prints 'a'..'e' through jumps that the passes can thread, drop and merge."""
    asm = Asm(16)
    ch, left = "ch", "left"
    asm.cell(ch, [str(ord("a"))])
    asm.cell(left, ["5"])
    asm.cell(Z)
    asm.label("top")
    asm.ins(ch, "(-1)")
    asm.jump("hop")  # a jump to a jump: threaded
    asm.ins(Z, Z, "top")  # unreachable
    asm.label("hop")
    asm.jump("next")
    asm.label("next")  # a jump to the next instruction: dropped
    asm.sub(asm.const(-1), ch)
    asm.ins(asm.const(1), left, "done")
    asm.move(ch, ch)  # nothing
    asm.ins(Z, Z)  # `Z Z` then a plain jump: merged
    asm.jump("top")
    asm.label("done")
    asm.halt()
    return asm


def test_peephole_keeps_what_the_program_does_and_shrinks_it():
    before = run(counting_program())
    asm = counting_program()
    optimise(asm)
    after = run(asm)
    assert before[0] == after[0] == b"abcde"
    assert after[1] < before[1]
    assert not any(
        ins.a == ins.b == Z and ins.c == "top" and not ins.labels for ins in asm.code[:3]
    )


def test_peephole_never_touches_fixed_instructions_or_referenced_data():
    asm = Asm(16)
    asm.cell(Z)
    asm.cell("unused", ["7"])
    asm.cell("kept", ["8"])
    asm.jump("after")
    patched = asm.ins(Z, Z, "0", fixed=True)  # unreachable, but patched at run time: kept
    patched.labels.append("exit")
    asm.ins("dead", "(-1)")  # unreachable and unlabelled: dropped
    asm.ins("kept", "(-1)").labels.append("after")
    asm.halt()
    optimise(asm)
    assert any(ins.fixed and "exit" in ins.labels for ins in asm.code)
    assert not any(ins.a == "dead" for ins in asm.code)
    labels = {label for d in asm.data for label in d.labels}
    assert "kept" in labels and "unused" not in labels


def liveness_of(source: str, function: str) -> dict[int, set[str]]:
    unit = check_source(source, "p.c", 32)
    fn = unit.functions[function]
    live = Liveness(fn)
    lines: dict[int, set[str]] = {}

    def visit(stmt) -> None:
        for child in getattr(stmt, "items", []) or []:
            visit(child)
        for name in ("then", "other", "body"):
            child = getattr(stmt, name, None)
            if child is not None:
                visit(child)
        if not hasattr(stmt, "items"):
            lines.setdefault(stmt.loc.line, set()).update(v.name for v in live.needed(stmt))

    visit(fn.body)
    return lines


def test_liveness_saves_only_what_is_read_later():
    source = """int f(int n) {
    int a = n * 2;
    int b = f(n - 1);
    int c = f(a);
    return b + c;
}
int main(void) { return f(3); }
"""
    lines = liveness_of(source, "f")
    assert lines[3] == {"n", "a"}  # a is read later; n by the call itself
    assert lines[4] == {"a", "b"}  # b is read by the return; n is dead
    assert lines[5] == {"b", "c"}


def test_liveness_in_loops_keeps_what_the_next_iteration_reads():
    source = """int g(int n) {
    int i, total = 0;
    for (i = 0; i < n; i++)
        total = total + g(i);
    return total;
}
int main(void) { return g(3); }
"""
    lines = liveness_of(source, "g")
    assert {"i", "n", "total"} <= lines[4]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.c")), ids=lambda p: p.name)
def test_the_image_is_what_the_assembler_makes_of_the_text(example):
    """compile_c lays the words out itself rather than reading its text back: the text, read
    by the assembler, must give the same words, lines and labels at every level."""
    source = example.read_text()
    for level, program in compile_c_levels(source, list(range(len(LEVELS))), example.name).items():
        image, lines, labels = assemble_labels(program.text, 32, example.name)
        assert image == program.image, level
        assert lines == program.lines, level
        assert labels[EXIT_WORD] == program.exit_address, level
