"""lower on its own: the gadget graph of one step, before any pass touches it, evaluated
exactly (ir.evaluate) on hand-built instructions and judged by docs/machine.md's rules and
the reference interpreter, not by another part of the compiler."""

from __future__ import annotations

import numpy as np
import pytest

from loopmlp.compiler.lower import lower
from loopmlp.ir.evaluate import evaluate
from loopmlp.ir.graph import GADGET, KIND, NEURONS, STAGE, STAGES
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import Reference, bytes_reader

SMALL = Machine(8, 16)  # K < 2^N: addresses past the memory exist
FULL = Machine(4, 16)  # K = 2^N: every address but the port is a cell, pc wraps


def one_pass(machine: Machine, image: list[int], pc: int = 0, **bits: int) -> dict:
    """The lowered graph's next state from `image` at `pc` (with status bits or the input
    register set by name), decoded: memory, pc and every other field."""
    layout = StateLayout(machine)
    state = layout.initial(image)
    layout.set(state, "pc", layout.word_bits(pc))
    for name, value in bits.items():
        layout.set(state, name, layout.word_bits(value)[:8] if name == "in_byte" else value)
    after, _ = evaluate(lower(machine), state[None])
    row = after[0]
    fields = {name: layout.get(row, name) for name in layout.fields}
    return {
        "state": state,
        "next": row,
        "mem": layout.bits_word(fields["mem"]).tolist(),
        "pc": int(layout.bits_word(fields["pc"])),
        **{name: int(v.reshape(-1)[0]) for name, v in fields.items() if v.size == 1},
        "out_byte": int(fields["out_byte"] @ (1 << np.arange(8))),
    }


def reference_step(machine: Machine, image: list[int], pc: int = 0, data: bytes = b""):
    """The reference interpreter's one step from `image` at `pc`."""
    ref = Reference(machine, image)
    ref.pc = pc
    return ref.run(1, bytes_reader(data))


def agrees(machine: Machine, image: list[int], pc: int = 0, **bits: int) -> dict:
    """One pass, which must equal the reference's one step (memory, pc, stepped, output)."""
    got = one_pass(machine, image, pc, **bits)
    data = bytes([bits["in_byte"]]) if bits.get("in_full") and not bits.get("in_eof") else b""
    want = reference_step(machine, image, pc, data)
    assert got["mem"] == want.memory
    assert got["pc"] == want.pc
    assert got["stepped"] == want.steps
    assert (bytes([got["out_byte"]]) if got["out_ready"] else b"") == want.output
    return got


def test_subtract_wraps_at_n_bits_and_falls_through_on_a_positive_result():
    # mem[4] = -128 - 1 wraps to 127 > 0: pc = 3
    got = agrees(SMALL, [3, 4, 9, 1, -128])
    assert got["mem"][4] == 127 and got["pc"] == 3


def test_a_result_of_zero_or_below_jumps_to_c():
    assert agrees(SMALL, [3, 4, 9, 5, 5])["pc"] == 9  # 5 - 5 = 0
    assert agrees(SMALL, [3, 4, 9, 6, 5])["pc"] == 9  # 5 - 6 = -1


def test_a_jump_to_a_negative_pc_halts_and_counts():
    got = agrees(SMALL, [3, 3, -1])
    assert got["halted"] == 1 and got["stepped"] == 1


def test_a_jump_past_memory_faults_after_the_step():
    got = agrees(SMALL, [3, 3, 20])
    assert got["fault_pc"] == 1 and got["stepped"] == 1 and got["pc"] == 20


def test_an_instruction_past_the_end_of_memory_faults_and_changes_nothing():
    image = [0] * 14 + [1, 2]  # the instruction at 14 would need cells 14, 15 and 16
    got = one_pass(SMALL, image, pc=14)
    assert got["fault_past_end"] == 1 and got["stepped"] == 0
    assert got["mem"] == image and got["pc"] == 14


def test_with_k_equal_to_two_to_the_n_the_fetch_wraps_instead():
    # pc = 14: A = mem[14], B = mem[15], C = mem[0] (= 5): 0 - 0 = 0 jumps to 5, and
    # mem[0] is written after C was read
    image = [5] + [0] * 15
    got = agrees(FULL, image, pc=14)
    assert got["fault_past_end"] == 0 and got["pc"] == 5 and got["mem"][0] == 0


def test_an_operand_out_of_range_faults_at_the_instruction():
    image = [100, 3, 6, 0] + [0] * 12  # 100 is neither a cell of 16 nor the port
    got = agrees(SMALL, image)
    assert got["fault_operand"] == 1 and got["stepped"] == 0
    assert got["mem"] == image and got["pc"] == 0


def test_output_raises_out_ready_with_the_low_byte_sign_extended_below_8_bits():
    got = agrees(FULL, [3, -1, 0, -3])
    assert got["out_ready"] == 1 and got["out_byte"] == 0xFD and got["pc"] == 3
    got = agrees(SMALL, [3, -1, 0, 65])
    assert got["out_byte"] == 65


def test_input_with_an_empty_register_executes_nothing_and_asks():
    image = [-1, 3, 0, 7] + [0] * 12
    got = one_pass(SMALL, image)
    assert got["in_wanted"] == 1 and got["stepped"] == 0
    assert got["mem"] == image and got["pc"] == 0


def test_input_with_a_full_register_stores_the_byte_and_empties_it():
    got = agrees(SMALL, [-1, 3, 0, 7], in_full=1, in_byte=65)
    assert got["mem"][3] == 65 and got["in_full"] == 0 and got["pc"] == 3
    got = agrees(SMALL, [-1, 3, 0, 7], in_full=1, in_eof=1)
    assert got["mem"][3] == -1  # end of input reads as -1


@pytest.mark.parametrize("stop", ["halted", "fault_operand", "fault_past_end", "fault_pc"])
def test_a_stopped_machine_is_left_exactly_as_it_is(stop):
    got = one_pass(SMALL, [3, 4, 9, 1, -128, -1, 3, 0], pc=0, **{stop: 1})
    assert (got["next"] == got["state"]).all()


def test_every_pc_of_a_random_program_agrees_with_the_reference():
    rng = np.random.default_rng(24)
    for machine in (SMALL, FULL, Machine(8, 16, io=False)):
        low, high = -(1 << (machine.bits - 1)), 1 << (machine.bits - 1)
        for _ in range(4):
            image = rng.integers(low, min(high, machine.words), machine.words).tolist()
            for pc in range(machine.words):
                if one_pass(machine, image, pc)["in_wanted"]:  # an input: the host answers EOF
                    agrees(machine, image, pc, in_full=1, in_eof=1)
                else:
                    agrees(machine, image, pc)


def test_every_gadget_but_a_carry_belongs_to_one_of_the_six_stages():
    """A carry (`pass` neurons) is placed wherever its value must travel; every other gadget
    has the stage whose layers it may take."""
    g = lower(SMALL).g
    neurons = [a for _, a in g.nodes(data=True) if a[KIND] == NEURONS]
    assert all(a[STAGE] is not None for a in neurons if a[GADGET] != "pass")
    stages = {a[STAGE] for a in neurons if a[GADGET] != "pass"}
    assert stages == {name for name, _ in STAGES}
