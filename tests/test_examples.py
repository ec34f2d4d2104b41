"""Every example runs on the network and prints what its description promises.

The expected outputs are computed here from what each program is meant to do (Python's
own arithmetic, sieve and sort), not by loopmlp.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from pathlib import Path

import pytest

from tests.runtime.test_cli import loopmlp

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def fibonacci(n: int) -> list[int]:
    a, b, out = 0, 1, []
    for _ in range(n):
        out.append(a)
        a, b = b, a + b
    return out


def primes(limit: int) -> list[int]:
    return [n for n in range(2, limit + 1) if all(n % d for d in range(2, int(n**0.5) + 1))]


CASES = {
    "hello": ([], b"Hello from a looped ReLU MLP!\n"),
    "echo": (["--input", "copy me, byte for byte"], b"copy me, byte for byte"),
    "fibonacci": ([], "".join(f"{v}\n" for v in fibonacci(24)).encode()),
    "factorial": ([], "".join(f"{k}! = {math.factorial(k)}\n" for k in range(1, 8)).encode()),
    "sort": (["--input", "hello world\n"], "".join(sorted("hello world")).encode() + b"\n"),
    "primes": ([], (" ".join(map(str, primes(100))) + " \n").encode()),
}


def hanoi(n: int, source: str, target: str, via: str) -> list[str]:
    if n == 0:
        return []
    return [
        *hanoi(n - 1, source, via, target),
        f"move disc {n} from {source} to {target}",
        *hanoi(n - 1, via, target, source),
    ]


def fizzbuzz(n: int) -> str:
    return "Fizz" * (n % 3 == 0) + "Buzz" * (n % 5 == 0) or str(n)


def c_division(a: int, b: int) -> int:
    """C's `/`: truncation toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


CALC = {  # each expression, worked out by hand (with C's division)
    "2 * (3 + 4) - 10 / 3": 2 * 7 - c_division(10, 3),
    "(1+2)*(3+4)*(5+6)": 3 * 7 * 11,
    "-7 / 2 + 100": c_division(-7, 2) + 100,
}
CALC_LINES = list(CALC)
MOVES = hanoi(4, "A", "C", "B")
TREE_TEXT = "the cat and the hat and the bat sat on a mat the end"


def word_counts(text: str) -> bytes:
    """What tree.c prints: each distinct word in order with its count, then how many."""
    counts = Counter(text.split())
    lines = [f"{word:<10} {counts[word]}\n" for word in sorted(counts)]
    return ("".join(lines) + f"{len(counts)} distinct words\n").encode()


def crc_lines(*texts: str) -> bytes:
    return "".join(f"{zlib.crc32(t.encode()):08X}  {t}\n" for t in texts).encode()


C_CASES = {
    "hello": ([], b"Hello, world!\n"),
    "fizzbuzz": ([], "".join(f"{fizzbuzz(i)}\n" for i in range(1, 31)).encode()),
    "primes": ([], (" ".join(map(str, primes(99))) + f"\n{len(primes(99))} primes\n").encode()),
    "fib": ([], "".join(f"fib({n}) = {v}\n" for n, v in enumerate(fibonacci(11))).encode()),
    "hanoi": ([], ("\n".join(MOVES) + f"\n{len(MOVES)} moves\n").encode()),
    "reverse": (["--input", "hello, world\n"], b"dlrow ,olleh\n"),
    "calc": (
        ["--input", "\n".join(CALC_LINES) + "\n"],
        "".join(f"{CALC[x]}\n" for x in CALC_LINES).encode(),
    ),
    "tree": (["--input", TREE_TEXT], word_counts(TREE_TEXT)),
    "crc32": (["--", "hello", "world"], crc_lines("hello", "world")),
}


# The longest C examples (tens of thousands of steps, or K=4096 at N=32) take a minute
# each on the network; the default run checks them on the reference interpreter, and the
# slow tier (`pytest -m slow`) on the network as well.
HEAVY_C = {"calc", "fib", "fizzbuzz", "tree", "crc32"}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.slow) if n in HEAVY_C else n for n in sorted(C_CASES)],
)
def test_c_example_on_the_network(name):
    args, expected = C_CASES[name]
    proc = loopmlp("run", str(EXAMPLES / f"{name}.c"), *args)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == expected
    assert "network factored" in proc.stderr.decode()


@pytest.mark.parametrize("name", sorted(C_CASES))
def test_c_example_on_the_reference(name):
    args, expected = C_CASES[name]
    proc = loopmlp("run", str(EXAMPLES / f"{name}.c"), "--reference", *args)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == expected


def test_every_c_example_is_tested():
    assert {p.stem for p in EXAMPLES.glob("*.c")} == set(C_CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_on_the_network(name):
    args, expected = CASES[name]
    proc = loopmlp("run", str(EXAMPLES / f"{name}.asq"), *args)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == expected
    assert "network factored" in proc.stderr.decode()


def test_every_example_is_tested():
    assert {p.stem for p in EXAMPLES.glob("*.asq")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_inspect_and_trace_every_example(name, tmp_path):
    import json

    from loopmlp.compiler.program import load_program
    from loopmlp.ir.machine import Machine
    from loopmlp.runtime.reference import Reference, bytes_reader

    source = EXAMPLES / f"{name}.asq"
    image = load_program(source, 16)
    machine = Machine.for_image(len(image), 16)
    model = tmp_path / f"{name}.onnx"
    assert loopmlp("compile", str(source), "-o", str(model)).returncode == 0
    report = json.loads(loopmlp("inspect", str(model), "--json").stdout)
    assert report["program_words"] == len(image)
    assert report["machine"] == {"bits": 16, "words": machine.words, "io": True}
    assert len(report["layers"]) == 23 and report["form"] == "factored"

    args, _ = CASES[name]
    data = tmp_path / "trace.json"
    proc = loopmlp(
        "trace",
        str(model),
        "--steps",
        "25",
        *args,
        "-o",
        str(tmp_path / "t.png"),
        "--data",
        str(data),
    )
    assert proc.returncode == 0, proc.stderr.decode()
    drawn = json.loads(data.read_text())
    ref = Reference(machine, image)
    read = bytes_reader(args[1].encode() if args else b"")
    for row in range(1, len(drawn["pc"])):
        result = ref.run(1, read)
        assert drawn["memory"][row] == result.memory and drawn["pc"][row] == result.pc
