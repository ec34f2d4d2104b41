"""The C examples on the network: image words, memory K, steps, and the time of a whole run,
with the reference interpreter timed in the same run as the yardstick (and checked equal).

Usage: python benchmarks/bench_c.py [--form factored|loop] [--only NAME ...]
Also: the factorial that Mazonka's hsq compiler built into 8,978 words and 46,922 steps,
compiled here from the same C (the issue's yardstick: at most 2,048 words and 12,000 steps).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from loopmlp.compiler.build import build_model
from loopmlp.compiler.cc import compile_c
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import bytes_reader, run_reference

EXAMPLES = Path(__file__).parents[1] / "examples"
INPUTS = {"reverse.c": b"hello, world", "calc.c": b"(1+2)*(3+4)*(5+6)"}  # as in the README
HSQ_FACTORIAL = r"""#include <stdio.h>
int fact(int a) { if (a == 1) return 1; return a * fact(a - 1); }
int main() { printf("Calculating factorial of 8: "); printf("%d\n", fact(8)); return 0; }
"""


def measure(name: str, source: str, form: str, stdin: bytes) -> None:
    program = compile_c(source, name)
    machine = Machine(32, program.words)
    start = time.perf_counter()
    reference = run_reference(machine, program.image, 10**9, stdin)
    ref_s = time.perf_counter() - start
    network = Network(build_model(machine, form, program.image))
    start = time.perf_counter()
    result = network.run(None, 10**9, bytes_reader(stdin))
    net_s = time.perf_counter() - start
    assert result == reference, f"{name}: the network differs from the reference"
    print(
        f"{name:<14}{len(program.image):>7,}{program.words:>8,}{result.steps:>10,}{net_s:>10.1f}"
        f"{result.steps / net_s:>10,.0f}{ref_s * 1000:>10.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--form", choices=["factored", "loop"], default="factored")
    parser.add_argument("--only", nargs="*", help="example names (hello.c, ...)")
    args = parser.parse_args()
    print(
        f"{'program':<14}{'words':>7}{'K':>8}{'steps':>10}"
        f"{'net s':>10}{'steps/s':>10}{'ref ms':>10}"
    )
    programs = [(p.name, p.read_text()) for p in sorted(EXAMPLES.glob("*.c"))]
    programs.append(("hsq_fact8.c", HSQ_FACTORIAL))
    for name, source in programs:
        if args.only and name not in args.only:
            continue
        measure(name, source, args.form, INPUTS.get(name, b""))


if __name__ == "__main__":
    main()
