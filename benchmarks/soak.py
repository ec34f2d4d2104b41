"""Soak: run one program on the network for millions of steps, comparing the whole decoded
state (memory, pc, output, steps, how it ended) with the reference interpreter at every
checkpoint. Any difference is a failure.

Usage: python benchmarks/soak.py [--steps 10000000] [--every 100000] [--form loop]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference

PROGRAM = Path(__file__).with_name("soak.asq")
MACHINE = Machine(5, 32)  # K = 2^N: the self-modified operand is always a legal address


def soak(steps: int, every: int, form: str, out=sys.stdout) -> int:
    """Returns the number of checkpoints at which the network differed (0 is a pass)."""
    image = load_program(PROGRAM, MACHINE.bits)
    runner = Network(build_model(MACHINE, form, image)).runner()
    reference = Reference(MACHINE, image)
    differences, start = 0, time.perf_counter()
    done = 0
    while done < steps:
        chunk = min(every, steps - done)
        got, want = runner.run(chunk), reference.run(chunk)
        done += chunk
        if got != want:
            differences += 1
            print(
                f"DIFFERENCE at step {want.steps}: network {got.end} pc {got.pc}, "
                f"reference {want.end} pc {want.pc}",
                file=out,
                flush=True,
            )
        if want.end != "step-limit":
            print(f"the program stopped ({want.end}) at step {want.steps}", file=out)
            return differences + 1
        elapsed = time.perf_counter() - start
        print(
            f"{done:>12,} steps  {elapsed:8.1f} s  {done / elapsed:8,.0f} steps/s  "
            f"differences {differences}",
            file=out,
            flush=True,
        )
    print(
        f"soak: {done:,} steps on the {form} network, {differences} differences, "
        f"{time.perf_counter() - start:.0f} s",
        file=out,
    )
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10_000_000)
    parser.add_argument("--every", type=int, default=100_000)
    parser.add_argument("--form", default="loop", choices=["loop", "factored", "dense"])
    args = parser.parse_args()
    return 1 if soak(args.steps, args.every, args.form) else 0


if __name__ == "__main__":
    sys.exit(main())
