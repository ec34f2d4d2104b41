"""The slow conformance tier on the network (minutes each): run with `python -m pytest -m slow`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import bytes_reader
from tests.conformance_cases import CONFORMANCE, cases, check_report

# The Higher Subleq factorial is not shipped (no license); a full corpus beside the checkout
# holds it.
FULL_CORPUS = Path(__file__).resolve().parents[3] / "shared/conformance"


def slow_cases() -> list[tuple[Path, dict]]:
    found = [(CONFORMANCE, c) for c in cases("slow")]
    if (FULL_CORPUS / "manifest.json").exists():
        full = json.loads((FULL_CORPUS / "manifest.json").read_text())["cases"]
        found += [
            (FULL_CORPUS, c) for c in full if c["tier"] == "slow" and c["name"].startswith("hsq_")
        ]
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    "corpus, case", slow_cases(), ids=lambda x: x["name"] if isinstance(x, dict) else ""
)
def test_slow_case_on_the_network(corpus, case):
    machine = Machine(case["bits"], case["words"])
    image = load_program(corpus / case["program"], machine.bits)
    network = Network(build_model(machine, "factored", image))
    result = network.run(None, case["max_steps"], bytes_reader(case["input"].encode("latin-1")))
    check_report(result.report(), case)
