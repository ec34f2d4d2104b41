"""Random recursive C programs (cfuzz) print what gcc -std=c99 -fwrapv's build prints, at every
space-time level, and end with its exit status where loopmlp's run has one; more under -m slow
(benchmarks/fuzz_c.py runs any range of seeds and reduces each difference)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.compiler.cc.cfuzz import Shapes, program
from tests.compiler.cc.cgen import GCC
from tests.compiler.cc.fuzzcheck import Invalid, compare, known_refusal, reduce

needs_gcc = pytest.mark.skipif(
    GCC is None, reason="gcc is not installed: the C fuzz tests compare with its build"
)
QUICK = range(6)  # a few seconds each: every level of each program is compiled and run
SLOW = range(1000, 1300)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def differences(source: str, workdir: Path) -> list[str]:
    """Each level's difference from gcc's build, known refusals of valid C aside."""
    return [
        f"level {m.level}: {m.kind}\n  gcc:     {m.expected.output!r}\n  loopmlp: {m.got.output!r}"
        for m in compare(source, workdir)
        if not known_refusal(m.got.problem)
    ]


@needs_gcc
@pytest.mark.parametrize("seed", QUICK)
def test_random_programs_match_gcc(seed, workdir):
    source = program(seed)
    assert not differences(source, workdir), source


@needs_gcc
@pytest.mark.parametrize("seed", QUICK[:2])
def test_random_programs_exit_as_gcc_builds_do(seed, workdir):
    """main returns a computed value & 255: the exit status is compared once runs have one."""
    source = program(seed, Shapes(exit_value=True))
    assert not differences(source, workdir), source


@needs_gcc
@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW)
def test_many_random_programs_match_gcc(seed, workdir):
    source = program(seed, Shapes(exit_value=seed % 3 == 0))
    assert not differences(source, workdir), source


def test_programs_depend_on_their_seed_only():
    assert program(5) == program(5)
    assert program(5) != program(6)
    assert "exit" not in program(5) and "& 255;" in program(5, Shapes(exit_value=True))


def test_shapes_turned_off_are_not_generated():
    """With calls kept out of printf's arguments, no printf line calls a function."""
    shapes = Shapes(printf_side_effects=False, nested_runtime_printf=False)
    for seed in range(20):
        lines = program(seed, shapes).splitlines()
        assert not [x for x in lines if "printf(" in x and ("putchar(" in x or "f0(" in x)]
        body = lines[lines.index("int main(void)") :]
        functions = "\n".join(lines[: lines.index("int main(void)")])
        assert "printf(fmt" not in functions
        assert body  # main is there


@needs_gcc
def test_a_difference_is_found_and_reduced(workdir):
    """A char holds a whole word here (documented): gcc's build stores 300 as 44. The
    comparison must see that, and the reducer keep only what shows it."""
    source = program(3).replace(
        "int main(void)\n{", 'int main(void)\n{\n    char c = 300;\n    printf("%d\\n", c);', 1
    )
    found = compare(source, workdir, [0])
    assert [m.kind for m in found] == ["output"]
    assert b"44\n" in found[0].expected.output and b"300\n" in found[0].got.output

    def still(text: str) -> bool:
        try:
            return "char c = 300" in text and bool(compare(text, workdir, [0]))
        except Invalid:
            return False

    small = reduce(source, still, budget=300)
    assert still(small) and len(small) < len(source) / 2
