"""Whole-run and batch throughput, with the reference interpreter timed in the same run.

Usage: python benchmarks/bench_batch.py [--threads T]
- the Loop form (one ONNX Runtime call per run) against the host loop (one call per step),
  with and without I/O binding, on the same machine and program;
- batches of B programs on N = 8, K = 64: program-steps per second at B = 1, 16, 256.
"""

from __future__ import annotations

import argparse
import time

from loopmlp.compiler.build import build_model
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import run_reference

LOOP = [9, 10, 3, 10, -1, 6, 11, 11, 0, 1, 0, 0]  # counts down and prints, forever
BATCH_TARGET = 100_000


def timed(fn, repeat: int = 3):
    """The result and the best time of a few runs (this machine's timings are noisy)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return value, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    machine, steps = Machine(8, 64), 3000
    reference, ref_s = timed(lambda: run_reference(machine, LOOP, steps))
    print(
        f"== one program, {machine.describe()}, {steps} steps "
        f"(reference: {steps / ref_s:,.0f} steps/s)"
    )
    factored = build_model(machine, "factored", LOOP)
    for label, network in [
        ("host loop, I/O binding", Network(factored, threads=args.threads, binding=True)),
        ("host loop, numpy in/out", Network(factored, threads=args.threads, binding=False)),
        (
            "Loop form, one ORT call",
            Network(build_model(machine, "loop", LOOP), threads=args.threads),
        ),
    ]:
        network.run(None, 10)
        result, seconds = timed(lambda n=network: n.run(None, steps))
        assert result == reference and result.steps == steps
        print(
            f"{label:<26}{steps / seconds:>10,.0f} steps/s   reference/network "
            f"{seconds / ref_s:,.0f}x"
        )

    print(f"== batches, {machine.describe()}: program-steps/s (target at B=256: {BATCH_TARGET:,})")
    network = Network(build_model(machine, "factored"), threads=args.threads)
    for size in (1, 16, 256):
        images = [LOOP] * size
        network.run_batch(images[:size], 5)
        per_program = max(200, 20_000 // size)
        results, seconds = timed(lambda s=size, p=per_program: network.run_batch([LOOP] * s, p))
        want = run_reference(machine, LOOP, per_program)
        assert want.steps == per_program and all(r == want for r in results)
        rate = size * per_program / seconds
        verdict = (
            ""
            if size != 256
            else (
                "  meets"
                if rate >= BATCH_TARGET
                else f"  MISSES by {100 * (1 - rate / BATCH_TARGET):.0f}%"
            )
        )
        print(f"B={size:<5}{rate:>12,.0f} program-steps/s{verdict}")


if __name__ == "__main__":
    main()
