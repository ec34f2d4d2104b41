"""c-testsuite under its own contract (stdout equal to T.c.expected, exit status 0): the number
of tests that pass on the reference interpreter never falls, and (slow) every passing test of at
most 100,000 steps runs the same on the network."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
SUITE = ROOT.parent / "shared" / "c-testsuite"
PASSING_AT_LEAST = 205  # raise it as the C front end grows; it must never fall

needs_suite = pytest.mark.skipif(
    not (SUITE / "tests" / "single-exec").is_dir(),
    reason=f"no c-testsuite checkout at {SUITE}",
)


def _runner():
    spec = importlib.util.spec_from_file_location(
        "c_testsuite", ROOT / "benchmarks" / "c_testsuite.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses and worker processes look it up
    spec.loader.exec_module(module)
    return module


@needs_suite
def test_the_passing_count_does_not_fall():
    runner = _runner()  # (at the runner's own limit: 00041 takes 19.9 million steps, about 5 s)
    outcomes = runner.run_suite(SUITE, max_steps=runner.MAX_STEPS, jobs=2)
    counts = Counter(o.kind for o in outcomes)
    failing = [
        f"{o.name} {o.kind} {o.detail}" for o in outcomes if o.kind not in ("pass", "refused")
    ]
    assert counts["pass"] >= PASSING_AT_LEAST, "\n".join(failing)


@needs_suite
@pytest.mark.slow
def test_passing_tests_run_the_same_on_the_network():
    outcomes = _runner().run_suite(SUITE, max_steps=5_000_000, network_steps=100_000, jobs=2)
    differ = [f"{o.name}: {o.network}" for o in outcomes if o.network.startswith("differs")]
    assert not differ
    assert sum(o.network == "same" for o in outcomes) > 0
