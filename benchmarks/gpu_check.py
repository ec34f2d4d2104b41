"""The CUDA path, checked and timed: exactness first, then speed.

1. Every fast and medium conformance case, and random programs, on the network with ONNX
   Runtime's CUDA provider (TF32 off), each compared with the reference interpreter: output,
   steps, end, pc and the final memory, in the factored and the Loop form.
2. Single-program steps/s and batch program-steps/s per machine size, with the reference
   interpreter timed in the same run as the yardstick.

Needs `onnxruntime-gpu` in place of `onnxruntime` (see the README) and a GPU; without them it
says so and exits 2. Usage: python benchmarks/gpu_check.py [--random N] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import onnxruntime as ort

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import ReferenceEngine, bytes_reader, run_reference

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "conformance"
SIZES = [(8, 64), (16, 1024), (16, 32768)]


def exactness(random_programs: int) -> int:
    """Mismatches against the reference over the corpus and `random_programs` programs."""
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    bad = 0
    for case in manifest["cases"]:
        if case["tier"] not in ("fast", "medium"):
            continue
        machine = Machine(case["bits"], case["words"])
        image = load_program(CORPUS / case["program"], machine.bits)
        data = case["input"].encode("latin-1")
        want = run_reference(machine, image, case["max_steps"], data)
        for form in ("factored", "loop"):
            network = Network(build_model(machine, form, image), provider="cuda")
            got = network.run(None, case["max_steps"], bytes_reader(data))
            ok = got == want
            bad += not ok
            print(f"{case['name']:<32}{form:<10}{'EXACT' if ok else 'MISMATCH'}", flush=True)
    rng = random.Random(1)
    machine = Machine(8, 64)
    network = Network(build_model(machine, "factored"), provider="cuda")
    for _ in range(random_programs):
        image = [rng.randrange(-128, 128) for _ in range(64)]
        want = ReferenceEngine(machine).runner(image).run(500)
        got = network.run(image, 500)
        bad += got != want
    print(f"{random_programs} random programs on {machine.describe()}: {bad} mismatches so far")
    return bad


def speed(seconds: float) -> None:
    """Steps/s of one program and program-steps/s of a batch of 256, per machine size."""
    loop = [0, 0, 0]  # Z Z 0: a program that never stops
    print(f"{'machine':<20}{'one program':>14}{'batch of 256':>16}{'reference':>14}")
    for bits, words in SIZES:
        machine = Machine(bits, words)
        network = Network(build_model(machine, "factored"), provider="cuda")
        network.run(loop, 10)  # warm up
        steps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            steps += network.run(loop, 100).steps
        one = steps / (time.perf_counter() - start)
        start = time.perf_counter()
        results = network.run_batch([loop] * 256, 50)
        batch = sum(r.steps for r in results) / (time.perf_counter() - start)
        start = time.perf_counter()
        ref = run_reference(machine, loop, 200_000).steps / (time.perf_counter() - start)
        print(f"{machine.describe():<20}{one:>14,.0f}{batch:>16,.0f}{ref:>14,.0f}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=200, help="random programs to check")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per speed figure")
    args = parser.parse_args()
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        print("gpu_check: ONNX Runtime's CUDA provider is not available here", file=sys.stderr)
        return 2
    bad = exactness(args.random)
    if bad:
        print(f"gpu_check: {bad} mismatches: the CUDA path is not exact", file=sys.stderr)
        return 1
    speed(args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
