"""Run a c-testsuite checkout under its own contract: a test passes when its stdout equals
`T.c.expected` and it exits 0. Each test is compiled here and run on the reference
interpreter; `--network` runs the passing ones of at most `--network-steps` steps on the
network (factored form) too and checks that run equal to the reference's.

Usage: python benchmarks/c_testsuite.py PATH [--network] [--max-steps M] [--jobs J] [-v]
PATH is the checkout (its tests/single-exec folder is found) or a folder of T.c files.
Prints one line per test that does not pass (pass lines too with -v), the refusals grouped
by reason, and the totals.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from loopmlp.runtime.result import HALT, RunResult

MAX_STEPS = 20_000_000
NETWORK_STEPS = 100_000
OUTCOMES = ("pass", "wrong", "refused", "fault", "step-limit")


@dataclass(frozen=True)
class Outcome:
    """One test's outcome: pass, wrong, refused, fault or step-limit, and why."""

    name: str
    kind: str
    detail: str = ""
    steps: int = 0
    network: str = ""  # "same", "differs: ...", or "" when not run on the network


def tests_in(path: Path) -> list[Path]:
    """The T.c files of a checkout (its tests/single-exec) or of a folder, in order."""
    for folder in (path / "tests" / "single-exec", path):
        found = sorted(folder.glob("*.c"))
        if found:
            return found
    return []


def reason_of(message: str) -> str:
    """A refusal's reason without its place (`FILE:LINE:COL: not supported: X` -> the rest)."""
    return re.sub(r"^[^:]*(:\d+){1,2}: ", "", message)


def run_one(test: Path, max_steps: int, network_steps: int | None) -> Outcome:
    """Compile and run one test; on the network too when asked and short enough."""
    expected = test.with_name(test.name + ".expected")
    want = expected.read_bytes() if expected.exists() else b""
    try:
        program = compile_c(test.read_text(errors="surrogateescape"), test.name)
    except LoopmlpError as err:
        return Outcome(test.name, "refused", reason_of(str(err)))
    except RecursionError:
        return Outcome(test.name, "refused", "nesting too deep")
    machine = Machine(32, program.words)
    result = run_reference(machine, program.image, max_steps)
    result.exit_address = program.exit_address  # main's value is the exit status
    if result.end != HALT:
        kind = "fault" if result.end == "fault" else "step-limit"
        return Outcome(test.name, kind, result.reason, result.steps)
    status = result.exit_status
    if result.output != want or status != 0:
        detail = f"exit {status}" if result.output == want else _diff(want, result.output)
        return Outcome(test.name, "wrong", detail, result.steps)
    network = ""
    if network_steps is not None and result.steps <= network_steps:
        network = _on_network(machine, program.image, result)
    return Outcome(test.name, "pass", "", result.steps, network)


def _on_network(machine: Machine, image: list[int], reference: RunResult) -> str:
    from loopmlp.compiler.build import build_model
    from loopmlp.runtime.network import Network

    result = Network(build_model(machine, "factored", image)).run(None, reference.steps + 1)
    if result == reference:
        return "same"
    return f"differs (steps {result.steps} vs {reference.steps}, end {result.end})"


def _diff(want: bytes, got: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), None)
    if at is None:
        at = min(len(want), len(got))
    return (
        f"output differs at byte {at}: expected {want[at : at + 20]!r}, got {got[at : at + 20]!r}"
    )


def run_suite(
    path: Path, max_steps: int = MAX_STEPS, network_steps: int | None = None, jobs: int = 1
) -> list[Outcome]:
    """Every test's outcome, in order."""
    tests = tests_in(path)
    if jobs <= 1:
        return [run_one(t, max_steps, network_steps) for t in tests]
    with ProcessPoolExecutor(jobs) as pool:
        return list(
            pool.map(run_one, tests, [max_steps] * len(tests), [network_steps] * len(tests))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--network", action="store_true", help="passing tests on the network too")
    parser.add_argument("--network-steps", type=int, default=NETWORK_STEPS)
    parser.add_argument("--max-steps", type=int, default=MAX_STEPS)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("-v", "--verbose", action="store_true", help="a line for passes too")
    args = parser.parse_args()
    if not tests_in(args.path):
        sys.exit(f"{args.path}: no T.c tests found (give a c-testsuite checkout)")
    start = time.perf_counter()
    outcomes = run_suite(
        args.path, args.max_steps, args.network_steps if args.network else None, args.jobs
    )
    for o in outcomes:
        if o.kind != "pass" or args.verbose or o.network.startswith("differs"):
            net = f" [network {o.network}]" if o.network else ""
            print(f"{o.name:<10} {o.kind:<10} {o.detail}{net}")
    reasons = Counter(o.detail for o in outcomes if o.kind == "refused")
    if reasons:
        print("\nrefused, by reason:")
        for reason, count in reasons.most_common():
            print(f"{count:>4}  {reason}")
    counts = Counter(o.kind for o in outcomes)
    summary = ", ".join(f"{counts[k]} {k}" for k in OUTCOMES)
    print(f"\n{len(outcomes)} tests: {summary} ({time.perf_counter() - start:.0f} s)")
    if args.network:
        same = sum(o.network == "same" for o in outcomes)
        differ = sum(o.network.startswith("differs") for o in outcomes)
        print(f"network (at most {args.network_steps:,} steps): {same} same, {differ} differ")


if __name__ == "__main__":
    main()
