"""The conformance manifest, shared by every test that runs real programs."""

from __future__ import annotations

import json
from pathlib import Path

CONFORMANCE = Path(__file__).parent / "conformance"
MANIFEST = json.loads((CONFORMANCE / "manifest.json").read_text())


def cases(*tiers: str) -> list[dict]:
    return [c for c in MANIFEST["cases"] if c["tier"] in tiers]


def check_report(report: dict, case: dict) -> None:
    """Every field of the case's `expect` against a `--report` JSON (or RunResult.report())."""
    expect = case["expect"]
    assert report["output"] == expect["output"]
    assert report["steps"] == expect["steps"]
    assert report["end"] == expect["end"]
    assert report["pc"] == expect["pc"]
    assert report["reason"] == expect.get("reason", "")
    for address, value in expect.get("memory", {}).items():
        assert report["memory"][int(address)] == value, f"memory[{address}]"
    assert report["bits"] == case["bits"] and report["words"] == case["words"]
