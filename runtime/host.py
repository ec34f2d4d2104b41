"""The host side of the computer: loop a step function, move I/O bytes, stop on a status bit.

The host never computes any part of an instruction. After each pass it reads the status
bits the network wrote: it takes the output byte if `out_ready`, counts a step if
`stepped`, stops a program if it halted or faulted, and if `in_wanted` it fills that
program's input register with its next byte (or EOF) for the network to consume on the
next pass. A batch of programs (same machine) advances together; a program that stopped
or reached its step limit leaves the batch and its state no longer changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..ir.errors import LoopmlpError
from ..ir.layout import STOP_FIELDS, StateLayout
from ..ir.machine import Machine
from .result import FAULT, FAULT_OPERAND, FAULT_PAST_END, FAULT_PC, HALT, STEP_LIMIT, RunResult
from .runner import ReadByte, never, no_input

Step = Callable[[np.ndarray], np.ndarray]
"""One pass of the network over a batch of float32 states (B, S)."""

REASONS = {"fault_operand": FAULT_OPERAND, "fault_past_end": FAULT_PAST_END, "fault_pc": FAULT_PC}
BYTE_WEIGHTS = (1 << np.arange(8)).astype(np.float32)
BIT_SHIFTS = np.arange(8)


def validate_states(layout: StateLayout, states: np.ndarray) -> np.ndarray:
    """A batch (B, S) of states of this machine: the right length, every entry exactly 0 or 1."""
    array = np.asarray(states)
    if array.ndim not in (1, 2) or array.shape[-1] != layout.size:
        raise LoopmlpError(
            f"a state of {layout.machine.describe()} has {layout.size} entries, "
            f"got shape {array.shape}"
        )
    array = np.array(array, dtype=np.float32).reshape(-1, layout.size)
    bad = np.argwhere((array != 0) & (array != 1))
    if len(bad):
        row, col = (int(v) for v in bad[0])
        field = next(f for f in layout.fields.values() if f.offset <= col < f.stop)
        where = ", ".join(str(i) for i in field.locate(col - field.offset))
        raise LoopmlpError(
            f"state {row}: entry {col} ({field.name}[{where}]) is {float(array[row, col]):g}, "
            f"not 0 or 1: not a state of {layout.machine.describe()}"
        )
    return array


IDLE_PASSES = 2  # a machine waiting for input spends one pass asking; more is a broken network


class Batch:
    """B programs on one network: resumable, like the reference interpreter."""

    def __init__(self, machine: Machine, states: np.ndarray) -> None:
        self.machine = machine
        self.layout = StateLayout(machine)
        self.states = validate_states(self.layout, states)
        size = len(self.states)
        self.steps = np.zeros(size, dtype=np.int64)
        self.outputs = [bytearray() for _ in range(size)]
        self.passes = 0
        f = self.layout.fields
        self._stop = [f[name].offset for name in STOP_FIELDS]
        self._stepped, self._out_ready = f["stepped"].offset, f["out_ready"].offset
        self._in_wanted, self._in_full, self._in_eof = (
            f[n].offset for n in ("in_wanted", "in_full", "in_eof")
        )
        self._out_byte = slice(f["out_byte"].offset, f["out_byte"].stop)
        self._in_byte = slice(f["in_byte"].offset, f["in_byte"].stop)

    def __len__(self) -> int:
        return len(self.states)

    def stopped_rows(self) -> np.ndarray:
        """Which programs halted or faulted."""
        return self.states[:, self._stop].any(axis=1)

    def run(
        self,
        step: Step,
        max_steps: int | Sequence[int],
        readers: Sequence[ReadByte] | None = None,
        interrupted: Callable[[], bool] = never,
    ) -> list[RunResult]:
        """Loop until every program halted, faulted, or ran its `max_steps` more steps (or,
        between two passes, `interrupted()` says to stop: the state stays resumable)."""
        readers = list(readers) if readers is not None else [no_input] * len(self)
        limits = self.steps + np.broadcast_to(
            np.asarray(max_steps, dtype=np.int64), self.steps.shape
        )
        active = np.flatnonzero(~self.stopped_rows() & (self.steps < limits))
        states = self.states
        idle = np.zeros(len(self), dtype=np.int64)  # passes in a row without a step, per row
        try:
            while len(active) and not interrupted():
                whole = len(active) == len(states)
                new = step(states if whole else states[active])
                self.passes += 1
                stepped = new[:, self._stepped] > 0
                self.steps[active] += stepped
                if not stepped.all() or idle.any():  # the common pass costs nothing here
                    idle[active] = np.where(stepped, 0, idle[active] + 1)
                if idle.any() and (idle > IDLE_PASSES).any():
                    raise LoopmlpError(
                        f"the network ran {IDLE_PASSES + 1} passes without executing an "
                        "instruction: not a working loopmlp model"
                    )
                for row in np.flatnonzero(new[:, self._out_ready]):
                    byte = int(new[row, self._out_byte] @ BYTE_WEIGHTS)
                    if not 0 <= byte < 256:
                        raise LoopmlpError(
                            f"the network wrote {byte} as an output byte: not a working "
                            "loopmlp model"
                        )
                    self.outputs[active[row]].append(byte)
                done = new[:, self._stop].any(axis=1)
                for row in np.flatnonzero((new[:, self._in_wanted] > 0) & ~done):
                    byte = readers[active[row]]()
                    new[row, self._in_full] = 1
                    if byte < 0:
                        new[row, self._in_eof] = 1
                    else:
                        new[row, self._in_byte] = (byte >> BIT_SHIFTS) & 1
                if whole:
                    states = new
                else:
                    states[active] = new
                active = active[~done & (self.steps[active] < limits[active])]
        finally:  # also when reading input was interrupted: the last completed pass is kept
            self.states = states.copy()  # the step may reuse its output buffer on the next call
        return [self.result(i) for i in range(len(self))]

    def result(self, i: int) -> RunResult:
        """Program `i`'s run so far."""
        layout, row = self.layout, self.states[i].astype(np.int64)
        end, reason = STEP_LIMIT, ""
        if row[layout["halted"].offset]:
            end = HALT
        for name, text in REASONS.items():
            if row[layout[name].offset]:
                end, reason = FAULT, text
        return RunResult(
            output=bytes(self.outputs[i]),
            steps=int(self.steps[i]),
            end=end,
            reason=reason,
            pc=int(layout.bits_word(layout.get(row, "pc"))),
            memory=layout.bits_word(layout.get(row, "mem")).tolist(),
            bits=self.machine.bits,
            words=self.machine.words,
        )


class Host:
    """One program on a step function: the host loop of a single run (a batch of one)."""

    def __init__(self, machine: Machine, state: np.ndarray) -> None:
        self.batch = Batch(machine, state)
        self.machine, self.layout = machine, self.batch.layout

    @property
    def state(self) -> np.ndarray:
        """The state, shape (1, S)."""
        return self.batch.states

    @property
    def output(self) -> bytearray:
        """The bytes written since the start."""
        return self.batch.outputs[0]

    @property
    def total_steps(self) -> int:
        """Steps run since the start."""
        return int(self.batch.steps[0])

    def run(
        self,
        step: Step,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """Loop `step` until halt, fault, `max_steps` more steps or `interrupted()`."""
        return self.batch.run(step, max_steps, [read_byte], interrupted)[0]

    def result(self, i: int = 0) -> RunResult:
        """The run so far (`i` is 0: there is one program)."""
        return self.batch.result(i)

    def resume(self, steps: int, output: bytes) -> None:
        """Count `steps` and `output` of an earlier run as done."""
        self.batch.steps[0] += steps
        self.batch.outputs[0] += output

    def stopped(self) -> bool:
        """Whether the program halted or faulted."""
        return bool(self.batch.stopped_rows()[0])
