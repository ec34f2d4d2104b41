"""Ten million steps on the network, the whole state compared with the reference every
100,000 steps (tens of minutes): run with `python -m pytest -m slow`."""

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from soak import soak


@pytest.mark.slow
def test_ten_million_steps_without_a_difference():
    log = io.StringIO()
    assert soak(10_000_000, 100_000, "loop", out=log) == 0, log.getvalue()
