"""Network speed per machine (factored form, one program, ONNX Runtime on CPU), with the
reference interpreter timed in the same run as the yardstick.

Usage: python benchmarks/bench_network.py [--threads T]
Prints, per machine: compile time, model size, network steps/s, reference steps/s, ratio.
"""

from __future__ import annotations

import argparse
import time

from loopmlp.compiler.build import build_model
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import run_reference

# `loop: one c; c (-1); Z Z loop` with one = 1, c = 0, Z = 0: counts down and prints the
# counter forever, on any machine; and a target in steps/s on 2 CPU cores for each machine.
LOOP = [9, 10, 3, 10, -1, 6, 11, 11, 0, 1, 0, 0]
MACHINES = [
    (Machine(8, 64), 3000, 5000),
    (Machine(16, 1024), 1500, 1500),
    (Machine(32, 2048), 600, 500),
    (Machine(16, 32768), 200, 100),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--threads", type=int, default=0, help="ONNX Runtime threads (0: all cores)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per machine; the best counts"
    )
    args = parser.parse_args()
    print(
        f"{'machine':<20}{'compile s':>10}{'model MB':>10}{'net steps/s':>13}{'ref steps/s':>13}"
        f"{'ref/net':>9}{'target':>8}  verdict"
    )
    for machine, steps, target in MACHINES:
        start = time.perf_counter()
        model = build_model(machine, "factored", LOOP)
        compile_s = time.perf_counter() - start
        network = Network(model, threads=args.threads)
        network.run(None, 5)  # warm up the session
        net_rate = ref_rate = 0.0
        for _ in range(args.repeat):  # the best of a few runs: this machine's timings are noisy
            start = time.perf_counter()
            result = network.run(None, steps)
            net_rate = max(net_rate, result.steps / (time.perf_counter() - start))
            start = time.perf_counter()
            reference = run_reference(machine, LOOP, steps)
            ref_rate = max(ref_rate, reference.steps / (time.perf_counter() - start))
        assert result == reference and result.steps == steps, (
            "the network differs from the reference"
        )
        verdict = (
            "meets" if net_rate >= target else f"MISSES by {100 * (1 - net_rate / target):.0f}%"
        )
        print(
            f"{machine.describe():<20}{compile_s:>10.2f}{model.ByteSize() / 1e6:>10.2f}"
            f"{net_rate:>13,.0f}"
            f"{ref_rate:>13,.0f}{ref_rate / net_rate:>9,.0f}{target:>8,}  {verdict}",
            flush=True,
        )


if __name__ == "__main__":
    main()
