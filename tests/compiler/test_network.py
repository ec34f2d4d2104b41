"""The network against the reference interpreter, step by step, in every form it takes."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loopmlp.compiler.build import build_model
from loopmlp.compiler.driver import compile_machine
from loopmlp.compiler.modelfile import read_metadata
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.graph import DEPTH, layer_name
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import Reference, bytes_reader
from loopmlp.runtime.runners import StepRunner
from tests.network_engines import engines

MACHINES = [
    Machine(8, 16),  # K < 2^N
    Machine(4, 16),  # K = 2^N: every value an address, -1 the I/O port
    Machine(4, 16, io=False),  # K = 2^N without I/O: -1 is cell 15
    Machine(6, 32, io=False),
    Machine(32, 16),  # the widest words
]


@st.composite
def programs(draw, machine: Machine):
    """Programs that reach every rule: valid and invalid addresses, the port, self-modification,
    wrapping values, jumps to negative and out-of-range addresses, input with EOF."""
    k, n = machine.words, machine.bits
    word = st.one_of(
        st.integers(0, k - 1),
        st.integers(-3, -1),
        st.integers(k - 3, k + 3),
        st.integers(-(1 << (n - 1)), (1 << (n - 1)) - 1),
    ).map(lambda v: ((v + (1 << (n - 1))) % (1 << n)) - (1 << (n - 1)))
    image = draw(st.lists(word, min_size=3, max_size=k))
    data = draw(st.binary(max_size=3))
    return image, data


def lockstep(machine: Machine, image: list[int], data: bytes, max_steps: int) -> None:
    """After every step, every engine's decoded state equals the reference's."""
    ref = Reference(machine, image)
    ref_input = bytes_reader(data)
    runners = {
        name: (StepRunner(machine, StateLayout(machine).initial(image), step), bytes_reader(data))
        for name, step in engines(machine).items()
    }
    for _ in range(max_steps):
        want = ref.run(1, ref_input)
        for name, (runner, read) in runners.items():
            got = runner.run(1, read)
            assert got == want, f"{name} differs from the reference after {want.steps} steps"
        if want.end != "step-limit":
            break


@pytest.mark.parametrize("machine", MACHINES, ids=lambda m: m.describe())
def test_every_form_agrees_with_reference_step_by_step(machine):
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(programs(machine))
    def check(program):
        image, data = program
        lockstep(machine, image, data, max_steps=12)

    check()


def test_loops_and_self_modifying_code_over_long_runs():
    # An infinite loop that rewrites its own operand each pass (esolangs' example, wrapping).
    lockstep(Machine(8, 16), [3, 4, 6, 7, 7, 7, 3, 4, 0], b"", max_steps=40)


def test_halted_and_faulted_states_map_to_themselves():
    machine = Machine(8, 16)
    for image in ([3, 3, -1], [0, 0, 3, 40, 0, 6], [3, 3, 40]):
        for name, step in engines(machine).items():
            runner = StepRunner(machine, StateLayout(machine).initial(image), step)
            runner.run(10)
            assert runner.stopped()
            assert (step(runner.state) == runner.state).all(), name


@pytest.mark.parametrize(
    "machine",
    [Machine(8, 16), Machine(32, 16), Machine(4, 16, io=False)],
    ids=lambda m: m.describe(),
)
def test_dense_model_is_23_gemm_relu_layers_named_by_stage(machine):
    model = build_model(machine, "dense")
    onnx.checker.check_model(model, full_check=True)
    names = [layer_name(t) for t in range(1, DEPTH + 1)]
    assert names[0] == "fetch_1" and names[-1] == "branch_4"
    # The graph is the chain of the 23 layers, in order, from the state to the next state.
    assert [n.op_type for n in model.graph.node] == names
    previous = "state"
    weights = {i.name: i for i in model.graph.initializer}
    bodies = {f.name: f for f in model.functions}
    for call in model.graph.node:
        assert call.input[0] == previous
        body = bodies[call.op_type]
        assert [n.op_type for n in body.node] == ["Gemm", "Relu"]
        w, b = (weights[name] for name in call.input[1:])
        assert len(w.dims) == 2 and len(b.dims) == 1 and w.dims[0] == b.dims[0], "one dense matrix"
        (previous,) = call.output
    assert previous == "next_state"


@pytest.mark.parametrize("form", ["dense", "factored", "loop"])
def test_every_form_shows_the_23_layers_as_functions(form):
    model = build_model(Machine(8, 16), form)
    assert [f.name for f in model.functions] == [layer_name(t) for t in range(1, DEPTH + 1)]
    assert all("neurons" in f.doc_string for f in model.functions)


def test_factored_and_dense_compute_the_same_function_on_any_vector():
    machine = Machine(8, 16)
    dense, factored = engines(machine)["ort_dense"], engines(machine)["ort_factored"]
    size = StateLayout(machine).size
    rng = np.random.default_rng(7)
    for states in (rng.integers(0, 2, (64, size)), rng.integers(-3, 4, (64, size))):
        x = states.astype(np.float32)
        assert (dense(x) == factored(x)).all()


def test_metadata_describes_machine_layout_and_program():
    machine = Machine(8, 16)
    image = [3, 3, -1]
    for form in ("dense", "factored"):
        model = build_model(machine, form, image)
        info = read_metadata({p.key: p.value for p in model.metadata_props}, "m.onnx")
        assert info.machine == machine and info.form == form
        assert info.layout == StateLayout(machine).describe()
        assert [row.name for row in info.layers] == [layer_name(t) for t in range(1, 24)]
        assert info.program == image
        assert (info.initial_state == StateLayout(machine).initial(image)).all()


def test_n32_passes_the_bound_and_runs_exactly():
    compiled = compile_machine(Machine(32, 16))
    assert compiled.bound.worst < 2**24
    lockstep(Machine(32, 16), [7, 8, 3, 8, 8, -1, 0, 1 << 30, (1 << 31) - 1], b"", max_steps=5)


def test_bound_covers_the_largest_machine():
    compiled = compile_machine(Machine(32, 65536))
    assert 0 < compiled.bound.worst < 2**24


def test_dense_form_refused_when_too_large():
    with pytest.raises(LoopmlpError, match="MiB"):
        build_model(Machine(16, 4096), "dense")


def test_bound_pass_refuses_a_machine_it_cannot_prove(monkeypatch):
    from loopmlp.compiler import bound

    monkeypatch.setattr(bound, "FLOAT32_EXACT", 1000)  # as if float32 held only integers < 1000
    with pytest.raises(LoopmlpError, match=r"layer 3 may reach \|pre-activation\| \d+ >= 2\^24"):
        compile_machine(Machine(8, 64))
