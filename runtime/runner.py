"""The runner interface: one program's resumable run, the same for every engine.

The reference interpreter, the host loop around a step network (dense, factored) and the
Loop network all implement `Runner`, and `Engine` is what makes them (the reference, a
`Network`), so a driver (session.py, the CLI, trace, view) never asks which one it holds.
`advance` is how any driver runs a runner for some steps: one call where the runner looks at
`interrupted` between steps, calls sized by time where it cannot (the Loop form).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Protocol

import numpy as np

from ..ir.machine import Machine
from .result import STEP_LIMIT, RunResult

ReadByte = Callable[[], int]
"""Returns the next input byte (0..255), or -1 once the input is exhausted."""

EOF_BYTE = -1


def no_input() -> int:
    """A ReadByte with no input at all: EOF from the start."""
    return EOF_BYTE


def never() -> bool:
    """An `interrupted` that never interrupts."""
    return False


class Runner(ABC):
    """One program on one engine; `run` can be called again to continue where it stopped."""

    machine: Machine
    form: str
    """What runs the program: `reference`, or the model's form (`dense`, `factored`, `loop`)."""
    output: bytearray
    """The bytes written since the start."""
    chunk_steps: int | None = None
    """None: `run` checks `interrupted` between steps. A number: it cannot, and a driver that
    must stay responsive calls `run` for at most this many steps at a time."""

    @abstractmethod
    def run(
        self,
        max_steps: int,
        read_byte: ReadByte = no_input,
        interrupted: Callable[[], bool] = never,
    ) -> RunResult:
        """Run until halt, fault, `max_steps` more steps, or `interrupted()` (between steps)."""

    @abstractmethod
    def result(self) -> RunResult:
        """The run so far (steps, output, end, pc, memory)."""

    @property
    @abstractmethod
    def total_steps(self) -> int:
        """Steps run since the start (a resumed run counts its earlier steps)."""

    @abstractmethod
    def resume(self, steps: int, output: bytes) -> None:
        """Continue a saved run: count its `steps` and `output` as already done."""

    @abstractmethod
    def snapshot(self) -> np.ndarray:
        """The state (S,) to save in a checkpoint."""

    @abstractmethod
    def count_visits(self) -> list[int] | np.ndarray:
        """From now on count the steps run at each address (for a profile); the live counts."""

    def stopped(self) -> bool:
        """Whether the program halted or faulted."""
        return self.result().end != STEP_LIMIT

    def unread_input(self, given: bytes | None) -> bytes | None:
        """What a checkpoint must keep of the input, given what the input source has left."""
        return given


class Engine(Protocol):
    """What builds runners for one machine: the reference interpreter or a `Network`."""

    machine: Machine

    def runner(self, image: list[int] | None = None) -> Runner:
        """A resumable run of `image`."""

    def run(
        self, image: list[int] | None, max_steps: int, read_byte: ReadByte = no_input
    ) -> RunResult:
        """`image` run from the start."""

    def run_batch(
        self,
        images: list[list[int]],
        max_steps: int | list[int],
        readers: list[ReadByte] | None = None,
        interrupted: Callable[[], bool] = never,
    ) -> list[RunResult]:
        """Several programs, each with its own step limit and input, until they end or
        `interrupted()`."""


CHUNK_SECONDS = 0.25  # a runner that runs in chunks (the Loop form) is sized to about this


class Chunks:
    """Calls of a runner that cannot look at `interrupted` between steps (`chunk_steps`),
    each sized to take about CHUNK_SECONDS, so an interrupt is answered as quickly."""

    def __init__(self) -> None:
        self.size = 64

    def run(self, runner: Runner, steps: int, read_byte: ReadByte) -> RunResult:
        """One call of at most `steps` steps; the next call is sized by how long this took."""
        began = time.monotonic()
        result = runner.run(min(steps, self.size), read_byte)
        took = time.monotonic() - began
        most = runner.chunk_steps if runner.chunk_steps is not None else steps
        self.size = max(1, min(most, int(self.size * CHUNK_SECONDS / max(took, 1e-4))))
        return result


def advance(
    runner: Runner,
    steps: int,
    read_byte: ReadByte,
    interrupted: Callable[[], bool] = never,
    chunks: Chunks | None = None,
) -> RunResult:
    """Run until halt, fault, `steps` more steps or `interrupted()`, on any runner: one call of
    a runner that looks at `interrupted` between steps, else calls sized by `chunks` (kept by
    a driver that advances the same runner again) with `interrupted` asked between them."""
    if runner.chunk_steps is None:
        return runner.run(steps, read_byte, interrupted)
    chunks, limit = chunks or Chunks(), runner.total_steps + steps
    while True:
        result = chunks.run(runner, limit - runner.total_steps, read_byte)
        if result.end != STEP_LIMIT or runner.total_steps >= limit or interrupted():
            return result


def one_by_one(
    engine: Engine,
    images: list[list[int]],
    max_steps: int | list[int],
    readers: list[ReadByte] | None = None,
    interrupted: Callable[[], bool] = never,
) -> list[RunResult]:
    """`run_batch` for an engine that runs programs in turn: each with its own limit and input
    (after `interrupted()`, the programs not yet run are left at step 0)."""
    limits = np.broadcast_to(np.asarray(max_steps, dtype=np.int64), (len(images),))
    readers = readers if readers is not None else [no_input] * len(images)
    results = []
    for image, limit, read in zip(images, limits, readers, strict=True):
        runner = engine.runner(image)
        results.append(
            runner.result() if interrupted() else advance(runner, int(limit), read, interrupted)
        )
    return results
