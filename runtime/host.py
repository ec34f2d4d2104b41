"""The host side of the computer: loop a step function, move I/O bytes, stop on a status bit.

The host never computes any part of an instruction. After each pass it reads the status
bits the network wrote: it takes the output byte if `out_ready`, counts a step if
`stepped`, stops a program if it halted or faulted, and if `in_wanted` it fills that
program's input register with its next byte (or EOF) for the network to consume on the
next pass. A batch of programs (same machine) advances together; a program that stopped
or reached its step limit leaves the batch and its state no longer changes.

`Batch.run` is the run loop of every step network: a single run is a batch of one
(`runners.StepRunner`), and the Loop form runs the same loop inside ONNX Runtime.
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
"""One pass of the network over a batch of float32 states (B, S). A step that keeps the
states on a device (buffers.Resident) returns an array in which only `HOST_FIELDS` are
current, and has `fetch(array)`: the whole states, which the host asks for before it keeps
a program's state (when it stops, and when the run ends)."""

REASONS = {"fault_operand": FAULT_OPERAND, "fault_past_end": FAULT_PAST_END, "fault_pc": FAULT_PC}
BYTE_WEIGHTS = (1 << np.arange(8)).astype(np.float32)
# out_byte's 8 float32 bits, as bytes -> the byte they stand for: a lookup that is also the
# check that each is exactly 0 or 1
BYTES = {((v >> np.arange(8)) & 1).astype(np.float32).tobytes(): v for v in range(256)}
BIT_SHIFTS = np.arange(8)
BITS = frozenset((0.0, 1.0))  # what a status bit may hold (-0.0 is 0.0; NaN is never in it)


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
        raise LoopmlpError(
            f"state {row}: entry {col} ({entry_name(layout, col)}) is "
            f"{float(array[row, col]):g}, not 0 or 1: not a state of {layout.machine.describe()}"
        )
    return array


def entry_name(layout: StateLayout, col: int) -> str:
    """The field and index of state entry `col`, e.g. `mem[5, 3]` or `halted[0]`."""
    field = next(f for f in layout.fields.values() if f.offset <= col < f.stop)
    return f"{field.name}[{', '.join(str(i) for i in field.locate(col - field.offset))}]"


def refuse_non_bits(layout: StateLayout, values: np.ndarray, first: int) -> None:
    """Refuse a network that wrote anything but 0 or 1 (NaN, inf, 0.5, 1e30) in entries the
    host reads: `values`, the entries from `first` on of one state. The host decodes bits
    only after this, so a damaged model is one line, never a conversion error."""
    bad = np.flatnonzero((values != 0) & (values != 1))
    if len(bad):
        col = first + int(bad[0])
        raise LoopmlpError(
            f"the network wrote {float(values[bad[0]]):g} in {entry_name(layout, col)}, "
            "not 0 or 1: not a working loopmlp model"
        )


IDLE_PASSES = 2  # a machine waiting for input spends one pass asking; more is a broken network
STATUS = (*STOP_FIELDS, "stepped", "in_wanted", "out_ready")
"""The status bits the host reads after every pass, next to each other in the state."""
HOST_FIELDS = (*STATUS, "out_byte", "in_full", "in_eof", "in_byte", "pc")
"""What the host (and a profile) reads or writes of a state between two passes."""


class _Live:
    """The programs of a batch still running, packed: their rows in the batch, their states as
    one dense array (the step runs on it as it is; programs that stopped cost nothing), the
    steps each has left before its limit (when `_count` has counted), and the passes in a row
    without a step of those whose last pass had none."""

    def __init__(
        self, rows: np.ndarray, states: np.ndarray, left: np.ndarray, quiet: np.ndarray
    ) -> None:
        self.rows, self.states, self.left, self.quiet_row = rows, states, left, quiet
        # batch row -> (passes in a row without a step, the last of them) of those whose
        # last pass that was not quiet had no step
        self.idle: dict[int, tuple[int, int]] = {}
        # The status block, as bytes, of a quiet pass: every program stepped and did nothing
        # else. Equal bytes are exactly that (a -0.0 or any other value differs).
        self.quiet = np.tile(quiet, (len(rows), 1)).tobytes()
        self.until = int(left.min()) if len(left) else 0  # passes until one may hit its limit

    def keep(self, kept: np.ndarray, into: np.ndarray) -> _Live:
        """Write the programs not `kept` back `into` the batch's states; pack the others."""
        gone = ~kept
        into[self.rows[gone]] = self.states[gone]
        live = _Live(self.rows[kept], self.states[kept], self.left[kept], self.quiet_row)
        live.idle = self.idle
        return live


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
        self.uncounted = 0  # quiet passes of the running programs not yet added to `steps`
        self._live: _Live | None = None  # while `run` runs
        self._fetch: Callable[[np.ndarray], np.ndarray] | None = None
        f = self.layout.fields
        self._status = self.layout.span(STATUS)
        first = self._status.start  # columns of the status block (B, len(STATUS)) below
        self._stop = slice(f[STOP_FIELDS[0]].offset - first, f[STOP_FIELDS[-1]].stop - first)
        self._stepped, self._in_wanted, self._out_ready = (
            f[n].offset - first for n in ("stepped", "in_wanted", "out_ready")
        )
        self._quiet = np.zeros(len(STATUS), dtype=np.float32)
        self._quiet[self._stepped] = 1
        self._in_full, self._in_eof = f["in_full"].offset, f["in_eof"].offset
        self._out_byte = slice(f["out_byte"].offset, f["out_byte"].stop)
        self._in_byte = slice(f["in_byte"].offset, f["in_byte"].stop)

    def __len__(self) -> int:
        return len(self.states)

    def stopped_rows(self) -> np.ndarray:
        """Which programs halted or faulted."""
        return np.asarray(self.states[:, self.layout.span(STOP_FIELDS)].any(axis=1))

    def steps_so_far(self, i: int) -> int:
        """Program `i`'s steps, also between two passes of `run`."""
        running = self._live is not None and i in self._live.rows
        return int(self.steps[i]) + (self.uncounted if running else 0)

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
        # The run's states: a program's row is written when it stops, the others at the end
        # (the step may reuse its output buffers, and an earlier snapshot stays as it was).
        states = self.states.copy()
        rows = np.flatnonzero(~self.stopped_rows() & (self.steps < limits))
        live = self._live = _Live(
            rows,
            states if len(rows) == len(states) else states[rows],
            (limits - self.steps)[rows],
            self._quiet,
        )
        status, passes = self._status, 0
        self._fetch = getattr(step, "fetch", None)
        try:
            while len(live.rows) and not interrupted():
                new = step(live.states)
                passes += 1
                flags = new[:, status]
                if flags.tobytes() == live.quiet:
                    # Its steps are counted with those of the quiet passes after it, when one
                    # program may have reached its limit or a pass is not quiet.
                    live.states, self.uncounted = new, self.uncounted + 1
                    if self.uncounted >= live.until:
                        self._count()
                        live = self._live = self._whole(live).keep(live.left > 0, states)
                    continue
                live = self._live = self._noisy_pass(live, new, flags, readers, states, passes)
        finally:  # also when reading input was interrupted: the last completed pass is kept
            self._count()
            self.passes += passes
            states[self._live.rows] = self._whole(self._live).states
            self.states, self._live = states, None
        return [self.result(i) for i in range(len(self))]

    def _whole(self, live: _Live) -> _Live:
        """`live` with its whole states (from a step that keeps them on a device)."""
        if self._fetch is not None:
            live.states = self._fetch(live.states)
        return live

    def _count(self) -> None:
        """Add the passes not yet counted to the running programs' steps."""
        live = self._live
        if self.uncounted and live is not None:
            self.steps[live.rows] += self.uncounted
            live.left -= self.uncounted
            live.until -= self.uncounted
            self.uncounted = 0

    def _noisy_pass(
        self,
        live: _Live,
        new: np.ndarray,
        flags: np.ndarray,
        readers: list[ReadByte],
        states: np.ndarray,
        now: int,
    ) -> _Live:
        """Pass `now`, which was not quiet: some program did not step, output a byte, wants
        input or stopped. Those programs are looked at one by one; the others stepped."""
        self.uncounted += 1  # this pass counts as a step of every program, corrected below
        if len(live.rows) == 1:
            looked = [(0, int(live.rows[0]), flags[0].tolist())]
        else:
            noisy = np.flatnonzero((flags != self._quiet).any(axis=1)).tolist()
            looked = list(zip(noisy, live.rows[noisy].tolist(), flags[noisy].tolist(), strict=True))
        for i, _, flag in looked:
            if not BITS.issuperset(flag):
                refuse_non_bits(self.layout, new[i, self._status], self._status.start)
        idle = {}
        for i, row, flag in looked:
            if not flag[self._stepped] > 0:
                self.steps[row] -= 1
                live.left[i] += 1
                count, last = live.idle.get(row, (0, 0))
                idle[row] = (count + 1 if last == now - 1 else 1, now)
        live.idle = idle
        if any(count > IDLE_PASSES for count, _ in idle.values()):
            raise LoopmlpError(
                f"the network ran {IDLE_PASSES + 1} passes without executing an "
                "instruction: not a working loopmlp model"
            )
        for i, row, flag in looked:
            if flag[self._out_ready]:
                bits = new[i, self._out_byte]
                byte = BYTES.get(bits.tobytes())
                if byte is None:  # not 8 bits, or bits with a -0.0 among them
                    refuse_non_bits(self.layout, bits, self._out_byte.start)
                    byte = int(bits @ BYTE_WEIGHTS)
                self.outputs[row].append(byte)
        stopped = []
        for i, row, flag in looked:
            if any(flag[self._stop]):
                stopped.append(i)
            elif flag[self._in_wanted] > 0:
                byte = readers[row]()
                new[i, self._in_full] = 1
                if byte < 0:
                    new[i, self._in_eof] = 1
                else:
                    new[i, self._in_byte] = (byte >> BIT_SHIFTS) & 1
        live.states = new
        if stopped or self.uncounted >= live.until:
            self._count()
            kept = live.left > 0
            kept[stopped] = False
            if not kept.all():
                return self._whole(live).keep(kept, states)
            live.until = int(live.left.min())
        return live

    def result(self, i: int) -> RunResult:
        """Program `i`'s run so far."""
        return read_result(self.layout, self.states[i], int(self.steps[i]), self.outputs[i])


def read_result(
    layout: StateLayout, state: np.ndarray, steps: int, output: bytes | bytearray
) -> RunResult:
    """The observable result of a run in `state` (S,), after `steps` steps that wrote
    `output`: how it ended, its pc and memory (a damaged state is refused in one line)."""
    machine = layout.machine
    refuse_non_bits(layout, state, 0)
    row = state.astype(np.int64)
    end, reason = STEP_LIMIT, ""
    if row[layout["halted"].offset]:
        end = HALT
    for name, text in REASONS.items():
        if row[layout[name].offset]:
            end, reason = FAULT, text
    return RunResult(
        output=bytes(output),
        steps=steps,
        end=end,
        reason=reason,
        pc=int(layout.bits_word(layout.get(row, "pc"))),
        memory=layout.bits_word(layout.get(row, "mem")).tolist(),
        bits=machine.bits,
        words=machine.words,
    )
