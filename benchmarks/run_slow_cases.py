"""The slow conformance tier on the network (factored form), exact against the manifest, timed.

Usage: python benchmarks/run_slow_cases.py [--corpus DIR] [--threads T] [CASE ...]
The Higher Subleq factorial is not shipped with loopmlp (no license); give a conformance
corpus that holds it with --corpus, or it is skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import bytes_reader, run_reference

SHIPPED = Path(__file__).resolve().parents[1] / "tests/conformance"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cases", nargs="*", help="case names (default: every slow case)")
    parser.add_argument(
        "--corpus", default=str(SHIPPED), help="conformance folder with manifest.json"
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="ONNX Runtime threads (0: all cores)"
    )
    args = parser.parse_args()
    corpus = Path(args.corpus)
    manifest = json.loads((corpus / "manifest.json").read_text())
    wanted = [
        c
        for c in manifest["cases"]
        if c["tier"] == "slow" and (not args.cases or c["name"] in args.cases)
    ]
    if not any(c["name"].startswith("hsq_") for c in wanted) and corpus == SHIPPED:
        print(
            "note: hsq_factorial_8 is not shipped (no license); pass --corpus with the full corpus"
        )
    failures = 0
    for case in wanted:
        program = corpus / case["program"]
        if not program.exists():
            print(f"{case['name']}: skipped, {program} not found")
            continue
        machine = Machine(case["bits"], case["words"])
        image = load_program(program, machine.bits)
        data = case["input"].encode("latin-1")
        start = time.perf_counter()
        network = Network(build_model(machine, "factored", image), threads=args.threads)
        compiled = time.perf_counter() - start
        start = time.perf_counter()
        result = network.run(None, case["max_steps"], bytes_reader(data))
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        reference = run_reference(machine, image, case["max_steps"], data)
        ref_seconds = time.perf_counter() - start
        expect = case["expect"]
        ok = (
            result == reference
            and result.output == expect["output"].encode("latin-1")
            and result.steps == expect["steps"]
            and result.end == expect["end"]
            and result.pc == expect["pc"]
        )
        failures += not ok
        print(
            f"{case['name']}: {'EXACT' if ok else 'MISMATCH'}; {result.steps} steps, end "
            f"{result.end}; "
            f"compile {compiled:.1f} s; network {seconds:.0f} s "
            f"({result.steps / seconds:,.0f} steps/s); "
            f"reference {ref_seconds:.2f} s ({result.steps / ref_seconds:,.0f} steps/s)",
            flush=True,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
