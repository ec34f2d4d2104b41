"""Reference interpreter speed on the eForth boot (92,438 steps, N = 16, K = 32768).

Usage: python benchmarks/bench_reference.py [--repeat R]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference

EFORTH = Path(__file__).resolve().parents[1] / "tests/conformance/howerj_eforth/subleq.dec"
TARGET = 500_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    image = load_program(EFORTH, 16)
    machine = Machine(16, 32768)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = run_reference(machine, image, 10**7)
        best = min(best, time.perf_counter() - start)
    assert result.end == "halt" and result.steps == 92_438, result
    rate = result.steps / best
    verdict = "meets" if rate >= TARGET else "MISSES"
    print(f"reference, eForth boot: {result.steps} steps in {best:.3f} s (best of {args.repeat})")
    print(f"reference steps/s: {rate:,.0f} ({verdict} the {TARGET:,} target)")


if __name__ == "__main__":
    main()
