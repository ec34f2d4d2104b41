"""The host side of the computer: loop a step function, move I/O bytes, stop on a status bit.

The host never computes any part of an instruction. After each pass it reads the status
bits the network wrote: it takes the output byte if `out_ready`, counts a step if
`stepped`, stops if halted or faulted, and if `in_wanted` it fills the input register
with the next byte (or EOF) for the network to consume on the next pass.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..ir.layout import STOP_FIELDS, StateLayout
from ..ir.machine import Machine
from .reference import EOF_BYTE, ReadByte
from .result import FAULT, FAULT_OPERAND, FAULT_PAST_END, FAULT_PC, HALT, STEP_LIMIT, RunResult

Step = Callable[[np.ndarray], np.ndarray]
"""One pass of the network over a batch of float32 states (B, S)."""

REASONS = {"fault_operand": FAULT_OPERAND, "fault_past_end": FAULT_PAST_END, "fault_pc": FAULT_PC}
BYTE_WEIGHTS = 1 << np.arange(8)


class Host:
    """One program's run on a network: resumable, like the reference interpreter."""

    def __init__(self, machine: Machine, state: np.ndarray) -> None:
        self.machine = machine
        self.layout = StateLayout(machine)
        self.state = np.asarray(state, dtype=np.float32).reshape(1, self.layout.size)
        self.steps = 0
        self.output = bytearray()
        self.passes = 0
        f = self.layout.fields
        self._stop = [f[name].offset for name in STOP_FIELDS]
        self._stepped, self._out_ready = f["stepped"].offset, f["out_ready"].offset
        self._in_wanted, self._in_full, self._in_eof = (f[n].offset for n in ("in_wanted", "in_full", "in_eof"))
        self._out_byte = slice(f["out_byte"].offset, f["out_byte"].stop)
        self._in_byte = slice(f["in_byte"].offset, f["in_byte"].stop)

    def stopped(self) -> bool:
        return bool(self.state[0, self._stop].any())

    def run(self, step: Step, max_steps: int, read_byte: ReadByte = lambda: EOF_BYTE) -> RunResult:
        """Loop until halt, fault, or `max_steps` more steps."""
        limit = self.steps + max_steps
        state = self.state
        while self.steps < limit and not state[0, self._stop].any():
            state = step(state)
            self.passes += 1
            row = state[0]
            if row[self._out_ready]:
                self.output.append(int(row[self._out_byte] @ BYTE_WEIGHTS))
            if row[self._stepped]:
                self.steps += 1
            if row[self._in_wanted] and not row[self._stop].any():
                state = state.copy()
                byte = read_byte()
                state[0, self._in_full] = 1
                if byte < 0:
                    state[0, self._in_eof] = 1
                else:
                    state[0, self._in_byte] = (byte >> np.arange(8)) & 1
        self.state = state
        return self.result()

    def result(self) -> RunResult:
        layout, row = self.layout, self.state[0].astype(np.int64)
        end, reason = STEP_LIMIT, ""
        if row[layout["halted"].offset]:
            end = HALT
        for name, text in REASONS.items():
            if row[layout[name].offset]:
                end, reason = FAULT, text
        return RunResult(
            output=bytes(self.output),
            steps=self.steps,
            end=end,
            reason=reason,
            pc=int(layout.bits_word(layout.get(row, "pc"))),
            memory=layout.bits_word(layout.get(row, "mem")).tolist(),
            bits=self.machine.bits,
            words=self.machine.words,
        )
