"""The number printers behind printf (decimal signed and unsigned, hexadecimal both cases,
octal) print what glibc prints: on 32-bit words against gcc -fwrapv's build, with the digit
boundaries of every base and the edges drawn often, and on every 12-bit word against Python."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.compiler.cc.cgen import values, wrap
from tests.compiler.cc.running import needs_gcc, run_c, same_as_gcc

BITS = 32
# plain conversions, and widths, flags and precisions that print through the same routines
FORMAT = "%d %i %u %x %X %o|%12d|%-11u|%#x|%08X|%+d|% o|%.3d|%#o|%5x|%-3X|%i\\n"
CONVERSIONS = FORMAT.count("%")


def literal(value: int, bits: int) -> str:
    """A C int literal for a word (INT_MIN as an int expression)."""
    return f"({value + 1} - 1)" if value == -(1 << (bits - 1)) else str(value)


def boundaries(bits: int) -> st.SearchStrategy[int]:
    """Words next to a power of 10, 16 or 8 (where a digit more is printed), of either sign,
    and next to 2^N minus such a power (where the unsigned top digit changes)."""
    powers = [b**k for b in (10, 16, 8) for k in range(1, 12) if b**k < 1 << bits]
    return st.builds(
        lambda p, d, negate, from_top: wrap(
            -(p + d) if negate else ((1 << bits) - p + d if from_top else p + d), bits
        ),
        st.sampled_from(powers),
        st.integers(-2, 2),
        st.booleans(),
        st.booleans(),
    )


def program(words: list[int], bits: int) -> str:
    lines = ["#include <stdio.h>", "int main(void)", "{"]
    for w in words:
        args = ", ".join([literal(w, bits)] * CONVERSIONS)
        lines.append(f'    printf("{FORMAT}", {args});')
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@needs_gcc
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(values(BITS), boundaries(BITS)), min_size=1, max_size=12))
def test_every_number_conversion_prints_what_gcc_prints(workdir, words):
    source = program(words, BITS)
    same_as_gcc(source, workdir, bits=BITS, max_steps=50_000_000)


def test_every_12_bit_word_prints_as_python_formats_it():
    bits = 12
    fmt = "%d %i %u %x %X %o|"  # (the width machinery does not fit 2,048 words)
    source = "\n".join(
        [
            "#include <stdio.h>",
            "int main(void)",
            "{",
            f"    int i = {literal(-(1 << (bits - 1)), bits)};",
            f'    do {{ printf("{fmt}", i, i, i, i, i, i); i++; }}'
            f" while (i != {literal(-(1 << (bits - 1)), bits)});",
            "    return 0;",
            "}",
            "",
        ]
    )
    result = run_c(source, bits=bits, max_steps=200_000_000)
    assert result.end == "halt"
    want = []
    for i in range(-(1 << (bits - 1)), 1 << (bits - 1)):
        u = i & ((1 << bits) - 1)
        want.append(f"{i} {i} {u} {u:x} {u:X} {u:o}|")
    assert result.output.decode() == "".join(want)
