"""States kept on the device between passes (buffers.Resident, the default with CUDA), run
here on the CPU provider, whose OrtValues take the same path: only the host's fields come
back after a pass, the whole states when the host asks, and every run equals the reference."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopmlp.compiler.build import build_model
from loopmlp.ir.machine import Machine
from loopmlp.runtime.buffers import Resident
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference, bytes_reader, run_reference
from tests.compiler.test_network import programs
from tests.runtime.test_host import MACHINE, PROGRAMS, new_batch


@cache
def resident(machine: Machine) -> Network:
    return Network(build_model(machine, "factored"), resident=True)


@pytest.mark.parametrize("every", [1, 7, None])
def test_a_resident_batch_stopped_every_few_passes_resumes_to_the_reference(every):
    network = resident(MACHINE)
    want = [run_reference(MACHINE, image, limit, data) for image, data, limit in PROGRAMS]
    batch = new_batch(PROGRAMS)
    readers = [bytes_reader(data) for _, data, _ in PROGRAMS]
    limits = np.array([limit for _, _, limit in PROGRAMS])
    hit, passes = True, 0

    def interrupted() -> bool:
        nonlocal hit, passes
        hit, passes = passes == every, passes + 1
        return hit

    while hit:
        hit, passes = False, 0
        results = batch.run(network.stepper(), limits - batch.steps, readers, interrupted)
    assert results == want
    assert any(isinstance(kept, Resident) for kept in network._buffers.values())


def test_a_resident_run_batch_equals_the_reference():
    network = resident(MACHINE)
    results = network.run_batch(
        [image for image, _, _ in PROGRAMS],
        [limit for _, _, limit in PROGRAMS],
        [bytes_reader(data) for _, data, _ in PROGRAMS],
    )
    assert results == [run_reference(MACHINE, image, n, data) for image, data, n in PROGRAMS]


def test_a_resident_profile_counts_the_references_visits():
    image, data, limit = PROGRAMS[1]
    runner = resident(MACHINE).runner(image)
    visits = runner.count_visits()
    reference = Reference(MACHINE, image)
    want = reference.count_visits()
    assert runner.run(limit, bytes_reader(data)) == reference.run(limit, bytes_reader(data))
    assert list(visits) == list(want)


@st.composite
def machine_and_program(draw):
    bits = draw(st.integers(4, 10))
    machine = Machine(bits, 1 << draw(st.integers(4, min(bits, 6))), draw(st.booleans()))
    return machine, draw(programs(machine))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(machine_and_program(), st.integers(1, 9))
def test_random_programs_resident_in_slices_agree_with_the_reference(case, chunk):
    machine, (image, data) = case
    reference, ref_input = Reference(machine, image), bytes_reader(data)
    runner, net_input = resident(machine).runner(image), bytes_reader(data)
    for _ in range(12):
        want = reference.run(chunk, ref_input)
        assert runner.run(chunk, net_input) == want
        assert (runner.snapshot() == runner.state[0]).all()
        if want.end != "step-limit":
            break
