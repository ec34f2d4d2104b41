"""The reference interpreter, rule by rule of the machine's semantics."""

import pytest

from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import Reference, bytes_reader, run_reference
from loopmlp.runtime.result import FAULT_OPERAND, FAULT_PAST_END, FAULT_PC

M8 = Machine(8, 16)


def test_subtract_and_fall_through():
    # mem[7] := 5 - 2 = 3 > 0: no jump, pc = 3; then 8 8 -1 clears mem[8] and halts.
    r = run_reference(M8, [6, 7, 9, 8, 8, -1, 2, 5, 1], 10)
    assert r.memory[7] == 3 and r.end == "halt" and r.steps == 2 and r.pc == -1


@pytest.mark.parametrize("b_value, jumps", [(2, True), (1, True), (3, False)])
def test_branch_when_result_is_zero_or_negative(b_value, jumps):
    # r = b - 2; jump to 6 (a halting instruction) when r <= 0, else fall to 3 (halt at -2).
    image = [9, 10, 6, 0, 0, -2, 0, 0, -1, 2, b_value]
    r = run_reference(M8, image, 10)
    assert r.pc == (-1 if jumps else -2)
    assert r.steps == 2


def test_arithmetic_wraps_at_n_bits():
    r = run_reference(M8, [4, 5, -1, 0, 1, -128], 1)  # -128 - 1 wraps to 127 > 0
    assert r.memory[5] == 127 and r.pc == 3 and r.end == "step-limit"


def test_all_three_words_read_before_write():
    # The instruction writes its own C (address 2) with 9 - 12 = -3 <= 0; the jump goes to the
    # old C (9). Run again, it jumps to the changed C (-3, a halt) while writing -15 there.
    image = [3, 2, 9, 12, 0, 0, 0, 0, 0, 12, 12, 0]  # at 9: clear mem[12], jump back to 0
    r = run_reference(Machine(8, 16), image, 10)
    assert r.memory[2] == -15 and r.pc == -3 and r.end == "halt" and r.steps == 3


def test_input_is_stored_then_eof_is_minus_one():
    image = [-1, 9, 3, -1, 10, 6, 0, 0, -1, 0, 0]
    r = run_reference(M8, image, 10, b"A")
    assert r.memory[9] == 65 and r.memory[10] == -1 and r.steps == 3


def test_input_byte_wraps_at_small_widths():
    r = run_reference(Machine(4, 16), [-1, 6, 3, 0, 0, -1, 0], 10, b"\xff")
    assert r.memory[6] == -1


def test_output_low_byte_sign_extended_below_8_bits():
    r = run_reference(Machine(4, 16), [6, -1, 3, 0, 0, -1, -2], 10)
    assert r.output == bytes([0xFE])


def test_output_low_8_bits():
    r = run_reference(Machine(16, 16), [6, -1, 3, 0, 0, -1, 0x1241], 10)
    assert r.output == b"A" and r.steps == 2


def test_operand_fault_is_not_counted_and_changes_nothing():
    r = run_reference(M8, [0, 0, 3, 40, 0, 6], 10)
    assert r.end == "fault" and r.reason == FAULT_OPERAND and r.pc == 3 and r.steps == 1
    assert r.memory[:6] == [0, 0, 3, 40, 0, 6]


def test_input_needs_a_memory_cell():
    r = run_reference(M8, [-1, -1, 3], 10)
    assert (r.end, r.reason, r.steps) == ("fault", FAULT_OPERAND, 0)


def test_output_needs_a_memory_cell():
    r = run_reference(M8, [99, -1, 3], 10)
    assert (r.end, r.reason, r.steps) == ("fault", FAULT_OPERAND, 0)


def test_past_end_fault_names_pc_and_is_not_counted():
    image = [15, 15, 14] + [0] * 11 + [0, 0]
    r = run_reference(M8, image, 10)
    assert (r.end, r.reason, r.pc, r.steps) == ("fault", FAULT_PAST_END, 14, 1)


def test_pc_out_of_range_fault_is_counted_and_names_new_pc():
    r = run_reference(M8, [3, 3, 40], 10)
    assert (r.end, r.reason, r.pc, r.steps) == ("fault", FAULT_PC, 40, 1)


def test_full_memory_wraps_addresses_and_pc():
    # K = 2^N = 16 at N = 4: the word -3 is cell 13; pc+1, pc+2 wrap past 15.
    m = Machine(4, 16, io=False)
    image = [0] * 16
    image[14:16] = [-3, -3]  # A = mem[14] = -3 -> cell 13; B = mem[15] = -3; C = mem[0]
    image[0] = 4  # jumps to 4 when r <= 0
    r = Reference(m, image)
    r.pc = 14
    result = r.run(1)
    assert result.memory[13] == 0 and result.pc == 4


def test_full_memory_keeps_minus_one_as_io_port():
    m = Machine(4, 16, io=True)
    r = run_reference(m, [5, -1, 3, 0, 0, 7], 3)
    assert r.output == b"\x07"


def test_negative_pc_halts_after_the_instruction_completes():
    r = run_reference(M8, [3, 4, -5, 2, 1], 10)
    assert r.end == "halt" and r.pc == -5 and r.steps == 1 and r.memory[4] == -1


def test_step_limit_then_resume_equals_one_run():
    image = [3, 4, 6, 7, 7, 7, 3, 4, 0]
    whole = run_reference(Machine(16, 16), image, 1000)
    interp = Reference(Machine(16, 16), image)
    for _ in range(10):
        part = interp.run(100)
    assert part == whole and part.end == "step-limit" and part.steps == 1000


def test_halt_reported_over_step_limit_when_together():
    r = run_reference(M8, [3, 3, -1], 1)
    assert r.end == "halt" and r.steps == 1


def test_input_is_read_lazily():
    calls = []

    def read():
        calls.append(1)
        return 66

    interp = Reference(M8, [6, -1, 3, -1, 7, 0, 65, 0])
    interp.run(1, read)
    assert interp.output == b"A" and not calls
    interp.run(1, read)
    assert calls == [1] and interp.mem[7] == 66


def test_bytes_reader_then_eof():
    read = bytes_reader(b"ab")
    assert [read(), read(), read(), read()] == [97, 98, -1, -1]


@pytest.mark.parametrize(
    "bits, words", [(3, 16), (33, 16), (8, 8), (8, 24), (8, 512), (32, 131072)]
)
def test_invalid_machines_are_refused(bits, words):
    with pytest.raises(LoopmlpError):
        Machine(bits, words)


def test_image_larger_than_memory_is_refused():
    with pytest.raises(LoopmlpError, match="17 words"):
        Machine.for_image(17, 8, 16)
