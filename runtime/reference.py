"""The reference interpreter: docs/machine.md executed directly, the oracle of network runs."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..ir.errors import LoopmlpError
from ..ir.machine import Machine
from .result import FAULT, FAULT_OPERAND, FAULT_PAST_END, FAULT_PC, HALT, STEP_LIMIT, RunResult
from .runner import EOF_BYTE, ReadByte, Runner, never, no_input, one_by_one

__all__ = ["EOF_BYTE", "ReadByte", "Reference", "ReferenceEngine", "bytes_reader", "run_reference"]


def bytes_reader(data: bytes) -> ReadByte:
    """A ReadByte over a fixed byte string: its bytes in order, then EOF forever."""
    it = iter(data)
    return lambda: next(it, EOF_BYTE)


class Reference(Runner):
    """One machine with one program loaded; `run` executes it and can be called again to resume.

    Memory is kept as unsigned N-bit integers: r <= 0 (signed) is then r == 0 or r >= 2^(N-1),
    and a negative pc is pc >= 2^(N-1).
    """

    def __init__(self, machine: Machine, image: list[int]) -> None:
        if len(image) > machine.words:
            raise ValueError(f"image of {len(image)} words does not fit {machine.words} words")
        self.machine = machine
        self.mem = [v & machine.mask for v in image] + [0] * (machine.words - len(image))
        self.pc = 0
        self.steps = 0
        self.output = bytearray()
        self.end = STEP_LIMIT  # not yet run: as a run stopped at its step limit, resumable
        self.reason = ""
        self.visits: list[int] | None = None  # set to [0] * K to count the steps run at each pc

    chunk_steps = 200_000  # `interrupted` is not looked at inside a call
    form = "reference"

    def run(
        self,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """Execute until halt, fault, or `max_steps` more steps; a step-limit stop resumes."""
        if self.end in (HALT, FAULT):
            return self.result()
        m = self.machine
        mem, pc, out = self.mem, self.pc, self.output
        k, mask, half, bits = m.words, m.mask, 1 << (m.bits - 1), m.bits
        io_port = mask if m.io else -1
        # Every value below cell_limit is a cell; with K = 2^N that is all of them but the I/O port.
        cell_limit = mask if (m.full and m.io) else (mask + 1 if m.full else k)
        wrap = k - 1 if m.full else -1
        steps, limit = self.steps, self.steps + max_steps
        visits = self.visits
        end = reason = ""
        while steps < limit:
            if wrap < 0:
                if pc + 2 >= k:
                    end, reason = FAULT, FAULT_PAST_END
                    break
                a, b, c = mem[pc], mem[pc + 1], mem[pc + 2]
            else:
                a, b, c = mem[pc], mem[(pc + 1) & wrap], mem[(pc + 2) & wrap]
            if a == io_port:
                if b >= cell_limit:
                    end, reason = FAULT, FAULT_OPERAND
                    break
                try:
                    byte = read_byte()
                except KeyboardInterrupt:  # left a blocking read: the run so far is kept
                    self.pc, self.steps = pc, steps
                    raise
                mem[b] = mask if byte < 0 else byte & mask
                npc = pc + 3
            elif b == io_port:
                if a >= cell_limit:
                    end, reason = FAULT, FAULT_OPERAND
                    break
                v = mem[a]
                out.append((v - ((v & half) << 1)) & 0xFF if bits < 8 else v & 0xFF)
                npc = pc + 3
            else:
                if a >= cell_limit or b >= cell_limit:
                    end, reason = FAULT, FAULT_OPERAND
                    break
                r = (mem[b] - mem[a]) & mask
                mem[b] = r
                npc = c if (r == 0 or r >= half) else pc + 3
            npc &= mask
            steps += 1
            if visits is not None:
                visits[pc] += 1
            pc = npc
            if npc >= half:
                end = HALT
                break
            if npc >= k:
                end, reason = FAULT, FAULT_PC
                break
        self.pc, self.steps = pc, steps
        self.end, self.reason = (end, reason) if end else (STEP_LIMIT, "")
        return self.result()

    def result(self) -> RunResult:
        """The run so far."""
        m = self.machine
        return RunResult(
            output=bytes(self.output),
            steps=self.steps,
            end=self.end,
            reason=self.reason,
            pc=m.to_signed(self.pc),
            memory=[m.to_signed(v) for v in self.mem],
            bits=m.bits,
            words=m.words,
        )

    @property
    def total_steps(self) -> int:
        """Steps run since the start."""
        return self.steps

    def resume(self, steps: int, output: bytes) -> None:
        """Count `steps` and `output` of an earlier run as done."""
        self.steps += steps
        self.output += output

    def snapshot(self) -> np.ndarray:
        """The reference keeps words, not a network state: it has nothing a checkpoint holds."""
        raise LoopmlpError("a reference run has no network state to save")

    def count_visits(self) -> list[int] | np.ndarray:
        """Count the steps run at each pc from now on."""
        self.visits = [0] * self.machine.words
        return self.visits


class ReferenceEngine:
    """The reference interpreter as an engine, beside `Network`: runners for one machine."""

    form = "reference"

    def __init__(self, machine: Machine) -> None:
        self.machine = machine

    def runner(self, image: list[int] | None = None) -> Reference:
        """A resumable reference run of `image`."""
        if image is None:
            raise LoopmlpError("the reference interpreter needs a program")
        return Reference(self.machine, image)

    def run(
        self, image: list[int] | None, max_steps: int, read_byte: ReadByte = no_input
    ) -> RunResult:
        """`image` run from the start."""
        return self.runner(image).run(max_steps, read_byte)

    def run_batch(
        self,
        images: list[list[int]],
        max_steps: int | list[int],
        readers: list[ReadByte] | None = None,
        interrupted: Callable[[], bool] = never,
    ) -> list[RunResult]:
        """Each program in turn, with its own limit and input."""
        return one_by_one(self, images, max_steps, readers, interrupted)


def run_reference(
    machine: Machine, image: list[int], max_steps: int, input_bytes: bytes = b""
) -> RunResult:
    """Run a program from the start with a fixed input."""
    return Reference(machine, image).run(max_steps, bytes_reader(input_bytes))
