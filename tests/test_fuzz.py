"""Fuzzing: arbitrary files give a program or the documented one-line error, and random
machines running random programs never disagree with the reference interpreter."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import load_program
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.machine import Machine
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference, bytes_reader
from tests.compiler.test_network import programs

SUFFIXES = st.sampled_from([".asq", ".sq", ".s", ".txt", ".dec", ""])


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: t.encode("utf-8"))),
    suffix=SUFFIXES,
    bits=st.integers(4, 32),
)
def test_any_file_is_a_program_or_the_documented_error(tmp_path, data, suffix, bits):
    path = tmp_path / f"program{suffix}"
    path.write_bytes(data)
    try:
        image = load_program(path, bits)
    except LoopmlpError as err:
        message = str(err)
        assert message.startswith(str(path)) and "\n" not in message
    else:
        assert image and all(-(1 << (bits - 1)) <= v < (1 << (bits - 1)) for v in image)


@cache
def network(machine: Machine) -> Network:
    return Network(build_model(machine, "factored"))


@st.composite
def machine_and_program(draw):
    bits = draw(st.integers(4, 12))
    words = 1 << draw(st.integers(4, min(bits, 6)))
    machine = Machine(bits, words, draw(st.booleans()))
    return machine, draw(programs(machine))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(machine_and_program())
def test_random_machines_and_programs_agree_with_the_reference(case):
    machine, (image, data) = case
    ref, ref_input = Reference(machine, image), bytes_reader(data)
    runner, net_input = network(machine).runner(image), bytes_reader(data)
    for _ in range(8):
        want = ref.run(1, ref_input)
        assert runner.run(1, net_input) == want
        if want.end != "step-limit":
            break
