"""The host loop on its own: a batch whose programs stop at different passes, stopped between
passes and resumed, against the reference; a network that breaks the host's contract."""

from __future__ import annotations

import re

import numpy as np
import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine
from loopmlp.runtime.host import Batch
from loopmlp.runtime.network import KEPT_SHAPES, ONE_THREAD_BELOW, Network
from loopmlp.runtime.reference import bytes_reader, run_reference

MACHINE = Machine(8, 128)
HELLO = load_program("examples/hello.asq", 8)
ECHO = load_program("examples/echo.asq", 8)
COUNT = [9, 10, 3, 10, -1, 6, 11, 11, 0, 1, 0, 0]  # prints a count down forever
FAULT = [0, 0, 126]  # jumps to 126, whose instruction runs past the end of memory
# (image, input, step limit): programs that halt, fault, wait for input and reach their
# limits at different passes, one of them already stopped after its first run
PROGRAMS = [
    (HELLO, b"", 10_000),
    (ECHO, b"batch", 200),
    (COUNT, b"", 333),
    (FAULT, b"", 50),
    (ECHO, b"", 10_000),
    (COUNT, b"", 1),
    (ECHO, b"abcdefgh", 75),
    (HELLO, b"", 128),
]


@pytest.fixture(scope="module")
def network() -> Network:
    return Network(build_model(MACHINE, "factored"))


def new_batch(programs) -> Batch:
    layout = StateLayout(MACHINE)
    return Batch(MACHINE, np.stack([layout.initial(image) for image, _, _ in programs]))


@pytest.mark.parametrize("every", [1, 3, 50, None])
def test_a_batch_stopped_every_few_passes_resumes_to_the_reference(network, every):
    want = [run_reference(MACHINE, image, limit, data) for image, data, limit in PROGRAMS]
    batch = new_batch(PROGRAMS)
    readers = [bytes_reader(data) for _, data, _ in PROGRAMS]
    limits = np.array([limit for _, _, limit in PROGRAMS])
    seen, hit, passes, runs = [], True, 0, 0

    def interrupted() -> bool:  # after `every` passes of a run
        nonlocal hit, passes
        seen.append([batch.steps_so_far(i) for i in range(len(PROGRAMS))])
        hit, passes = passes == every, passes + 1
        return hit

    while hit:
        hit, passes, runs = False, 0, runs + 1
        results = batch.run(network.step, limits - batch.steps, readers, interrupted)
        if runs % 10 == 1:  # a run stopped between passes is the reference's run of its steps
            for r, w, (image, data, _) in zip(results, want, PROGRAMS, strict=True):
                assert r == (
                    w if r.end != "step-limit" else run_reference(MACHINE, image, r.steps, data)
                )
    assert results == want
    assert [batch.result(i) for i in range(len(PROGRAMS))] == want
    assert runs > 1 if every else runs == 1
    # Between two passes every program has its steps counted: none or one more each pass.
    steps = np.diff(np.array([*seen, batch.steps.tolist()]), axis=0)
    assert seen[0] == [0] * len(PROGRAMS) and ((steps >= 0) & (steps <= 1)).all()


def test_a_stopped_batch_runs_no_more_passes(network):
    batch = new_batch(PROGRAMS[:1])
    first = batch.run(network.step, 10_000)
    passes = batch.passes
    assert batch.run(network.step, 10_000) == first and batch.passes == passes


def test_a_snapshot_stays_as_it_was_when_the_run_goes_on(network):
    batch = new_batch(PROGRAMS[2:3])
    batch.run(network.step, 10)
    before = batch.states[0]
    kept = before.copy()
    batch.run(network.step, 10)
    assert (before == kept).all() and not (batch.states[0] == kept).all()


def test_a_program_that_stops_stepping_stops_the_batch_with_one_line(network):
    layout = StateLayout(MACHINE)
    stepped = layout["stepped"].offset

    def step(states):
        new = network.step(states).copy()
        new[1, stepped] = 0  # the second program's passes never execute an instruction
        return new

    batch = new_batch([(COUNT, b"", 100)] * 3)
    with pytest.raises(LoopmlpError, match="ran 3 passes without executing an instruction"):
        batch.run(step, 100)
    assert batch.passes == 3


def test_an_output_byte_out_of_range_stops_the_run(network):
    layout = StateLayout(MACHINE)

    def step(states):
        new = network.step(states).copy()
        if new[0, layout["out_ready"].offset]:
            new[0, layout["out_byte"].offset + 7] = 2
        return new

    batch = new_batch([(HELLO, b"", 100)])
    with pytest.raises(LoopmlpError, match=r"wrote 2 in out_byte\[7\], not 0 or 1"):
        batch.run(step, 100)


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf, 1e30, 0.5, -1.0])
@pytest.mark.parametrize("field", ["halted", "fault_pc", "stepped", "in_wanted", "out_ready"])
def test_a_status_bit_that_is_not_a_bit_stops_the_run_keeping_its_output(network, field, value):
    layout = StateLayout(MACHINE)
    passes = []

    def step(states):
        new = network.step(states).copy()
        passes.append(1)
        if len(passes) == 40:  # hello has printed its first bytes by now
            new[1, layout[field].offset] = value
        return new

    batch = new_batch([(HELLO, b"", 1000)] * 3)
    with pytest.raises(LoopmlpError, match=re.escape(f"wrote {value:g} in {field}[0], not 0 or 1")):
        batch.run(step, 1000)
    expected = run_reference(MACHINE, HELLO, max_steps=39).output
    assert len(expected) > 1 and all(bytes(out) == expected for out in batch.outputs)


@pytest.mark.parametrize("value", [np.nan, np.inf, 1e30])
def test_output_bits_that_are_not_bits_stop_the_run(network, value):
    layout = StateLayout(MACHINE)

    def step(states):
        new = network.step(states).copy()
        if new[0, layout["out_ready"].offset]:
            new[0, layout["out_byte"].offset + 3] = value
        return new

    with pytest.raises(LoopmlpError, match=re.escape(f"wrote {value:g} in out_byte[3]")):
        new_batch([(HELLO, b"", 100)]).run(step, 100)


def test_a_damaged_memory_is_refused_when_the_program_stops(network):
    layout = StateLayout(MACHINE)
    mem = layout["mem"]

    def step(states):
        new = network.step(states).copy()
        if new[0, layout["halted"].offset]:  # the pass that halts leaves word 5 damaged
            new[0, mem.offset + 5] = np.nan
        return new

    with pytest.raises(LoopmlpError, match=r"wrote nan in mem\[5, 0\]"):
        new_batch([(HELLO, b"", 10_000)]).run(step, 10_000)


@pytest.mark.parametrize("threads", [1, 3])
def test_a_large_batch_runs_in_chunks_to_the_reference(threads):
    network = Network(build_model(MACHINE, "factored"), threads=threads)
    programs = [PROGRAMS[i % len(PROGRAMS)] for i in range(67)]  # chunks of unequal rows
    assert len(programs) * network.layout.size >= ONE_THREAD_BELOW
    results = network.run_batch(
        [image for image, _, _ in programs],
        [limit for _, _, limit in programs],
        [bytes_reader(data) for _, data, _ in programs],
    )
    assert results == [run_reference(MACHINE, image, n, data) for image, data, n in programs]
    assert len(network._buffers) <= KEPT_SHAPES
