"""The runners of a network: `StepRunner` (a step form: the host loop around one pass) and
`LoopRunner` (the Loop form: a whole run in one ONNX Runtime call).

Both take what they run as values (a step function, a session) and a context that names the
model in errors (`Network.named`), so they know nothing of how a model was loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import numpy as np
import onnxruntime as ort

from ..compiler.modelfile import (
    LOOP_FINAL_STATE,
    LOOP_INPUT,
    LOOP_INPUT_USED,
    LOOP_MAX_STEPS,
    LOOP_OUTPUT,
    LOOP_STATE,
    LOOP_STEPS,
)
from ..ir.errors import LoopmlpError
from ..ir.layout import StateLayout
from ..ir.machine import Machine
from .host import Batch, Step, read_result, validate_states
from .profile import ObservedStep
from .result import STEP_LIMIT, RunResult
from .runner import ReadByte, Runner, never, no_input

Named = Callable[[], AbstractContextManager[None]]
"""Errors raised inside it name the model (`Network.named`)."""


class StepRunner(Runner):
    """A step-form model (dense, factored), or any `host.Step`: the host loop (`Batch.run`,
    here a batch of one) loops the step one pass at a time."""

    def __init__(
        self,
        machine: Machine,
        state: np.ndarray,
        step: Step,
        form: str = "step",
        named: Named = nullcontext,
    ) -> None:
        self.machine, self.form, self.named = machine, form, named
        self.batch = Batch(machine, state)
        self.layout = self.batch.layout
        self.step = step  # one pass; an observer (a profile) may wrap it

    @property
    def output(self) -> bytearray:  # type: ignore[override]
        """The bytes written since the start."""
        return self.batch.outputs[0]

    @property
    def state(self) -> np.ndarray:
        """The current state, shape (1, S)."""
        return self.batch.states

    @property
    def total_steps(self) -> int:
        """Steps run since the start (also between two passes of `run`)."""
        return self.batch.steps_so_far(0)

    def run(
        self,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """Loop the network until halt, fault, `max_steps` more steps or `interrupted()`."""
        with self.named():
            return self.batch.run(self.step, max_steps, [read_byte], interrupted)[0]

    def result(self) -> RunResult:
        """The run so far."""
        return self.batch.result(0)

    def stopped(self) -> bool:
        """Whether the program halted or faulted."""
        return bool(self.batch.stopped_rows()[0])

    def resume(self, steps: int, output: bytes) -> None:
        """Count `steps` and `output` of an earlier run as done."""
        self.batch.steps[0] += steps
        self.batch.outputs[0] += output

    def snapshot(self) -> np.ndarray:
        """The state (S,)."""
        return self.batch.states[0]

    def count_visits(self) -> list[int] | np.ndarray:
        """Observe every pass on its way through the network and count the steps per pc."""
        visits = np.zeros(self.machine.words, dtype=np.int64)
        self.step = ObservedStep(self.step, self.machine, visits)
        return visits


class LoopRunner(Runner):
    """A Loop-form model: the whole run (up to max_steps) is one ONNX Runtime call.

    The input is handed over whole: `read_byte` is read to EOF before the run, and what the
    run did not consume is kept for the next call. `interrupted` is looked at only between
    calls (see `chunk_steps`).
    """

    chunk_steps = 10_000
    form = "loop"

    def __init__(
        self,
        machine: Machine,
        state: np.ndarray,
        session: ort.InferenceSession,
        named: Named = nullcontext,
    ) -> None:
        self.machine, self.session, self.named = machine, session, named
        self.layout = StateLayout(machine)
        self.states = validate_states(self.layout, state)  # shape (1, S)
        self.output = bytearray()
        self.steps = 0
        self.pending = bytearray()
        self.ended = False  # the input reached its end: it is not read again (a terminal's
        # end of input, Ctrl-D, is not final, and a second read would wait for more)

    @property
    def state(self) -> np.ndarray:
        """The current state, shape (1, S)."""
        return self.states

    @property
    def total_steps(self) -> int:
        """Steps run since the start."""
        return self.steps

    def run(
        self,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """One ONNX Runtime call: until halt, fault or `max_steps` more steps."""
        while not self.ended:
            byte = read_byte()
            if byte < 0:
                self.ended = True
            else:
                self.pending.append(byte)
        with self.named():
            final, output, steps, used = self.session.run(
                [LOOP_FINAL_STATE, LOOP_OUTPUT, LOOP_STEPS, LOOP_INPUT_USED],
                {
                    LOOP_STATE: self.states,
                    LOOP_INPUT: np.frombuffer(bytes(self.pending), np.uint8),
                    LOOP_MAX_STEPS: np.array(max_steps, np.int64),
                },
            )
            self.states = final
            self.output += bytes(output)
            self.steps += int(steps)
            del self.pending[: int(used)]
            result = self.result()  # reads the final state: a damaged one names the model
            if result.end == STEP_LIMIT and int(steps) < max_steps:
                # The Loop ended on its pass bound (export/loop.py: passes_for), which a
                # working network never reaches: it stopped executing instructions.
                raise LoopmlpError(
                    f"the network ran {int(steps)} of {max_steps} steps and stopped executing "
                    "instructions without halting: not a working loopmlp model"
                )
            return result

    def result(self) -> RunResult:
        """The run so far."""
        return read_result(self.layout, self.states[0], self.steps, self.output)

    def resume(self, steps: int, output: bytes) -> None:
        """Count `steps` and `output` of an earlier run as done."""
        self.steps += steps
        self.output += output

    def snapshot(self) -> np.ndarray:
        """The state (S,)."""
        return self.states[0]

    def count_visits(self) -> list[int] | np.ndarray:
        """Refused: the Loop form runs its steps inside ONNX Runtime, out of sight."""
        raise LoopmlpError(
            "--profile observes every step, which the Loop form runs inside "
            "ONNX Runtime: use --form factored (or dense)"
        )

    def unread_input(self, given: bytes | None) -> bytes | None:
        """The input read ahead and not yet consumed by the network (None where the input is
        stdin and nothing of it is left over: a resumed run reads its own stdin)."""
        if given is None and not self.pending:
            return None
        return bytes(self.pending)
