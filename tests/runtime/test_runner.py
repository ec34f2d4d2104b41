"""One runner interface: the reference, the host-loop network and the Loop network run,
stop, save and resume the same way, each against the reference interpreter."""

from __future__ import annotations

import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import ReferenceEngine, bytes_reader, run_reference
from loopmlp.runtime.result import STEP_LIMIT
from loopmlp.runtime.runner import Runner

MACHINE = Machine(8, 32)
ECHO = load_program("examples/echo.asq", 8)
DATA = b"seams"


def engines() -> dict:
    """Every engine of the machine, by name."""
    return {
        "reference": ReferenceEngine(MACHINE),
        **{form: Network(build_model(MACHINE, form)) for form in ("factored", "loop")},
    }


@pytest.mark.parametrize("name", ["reference", "factored", "loop"])
def test_every_runner_runs_in_pieces_to_the_reference_result(name):
    want = run_reference(MACHINE, ECHO, 1000, DATA)
    runner = engines()[name].runner(ECHO)
    assert isinstance(runner, Runner)
    read = bytes_reader(DATA)
    first = runner.run(7, read)
    assert first.end == STEP_LIMIT and first.steps == runner.total_steps == 7
    assert runner.result() == first
    assert runner.run(1000 - 7, read) == want
    assert bytes(runner.output) == want.output


@pytest.mark.parametrize("form", ["factored", "loop"])
def test_a_network_run_resumes_from_its_snapshot(form):
    want = run_reference(MACHINE, ECHO, 1000, DATA)
    network = Network(build_model(MACHINE, form))
    read = bytes_reader(DATA)
    first = network.runner(ECHO)
    first.run(20, read)
    rest = network.runner(state=first.snapshot())
    rest.resume(first.total_steps, bytes(first.output))
    assert rest.run(1000, bytes_reader(first.unread_input(b"") + bytes(iter(read, -1)))) == want


def test_engines_share_run_batch():
    images, limits = [ECHO, ECHO], [1000, 9]
    want = [run_reference(MACHINE, ECHO, n, b"ab") for n in limits]
    for name, engine in engines().items():
        got = engine.run_batch(images, limits, [bytes_reader(b"ab") for _ in images])
        assert got == want, name
