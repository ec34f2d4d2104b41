"""Driving one run from the command line: its input, Ctrl-C, checkpoints, progress, report."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..ir.errors import LoopmlpError
from ..ir.files import write_atomically
from .checkpoint import Checkpoint
from .options import RunOptions
from .result import STEP_LIMIT, RunResult
from .runner import EOF_BYTE, Runner

UNLIMITED = 1 << 62


class Input:
    """The program's input: given bytes (a checkpoint keeps what is left of them) or stdin."""

    def __init__(self, data: bytes | None, flush: Callable[[], None]) -> None:
        self.data, self.pos, self.flush, self.reading = data, 0, flush, False

    def read(self) -> int:
        """The next byte (a ReadByte)."""
        if self.data is not None:
            if self.pos >= len(self.data):
                return EOF_BYTE
            self.pos += 1
            return self.data[self.pos - 1]
        self.flush()  # a prompt is shown before the program waits for its answer
        self.reading = True
        try:
            chunk = sys.stdin.buffer.read(1) if sys.stdin is not None else b""
        finally:
            self.reading = False
        return chunk[0] if chunk else EOF_BYTE

    def pending(self) -> bytes | None:
        """What is left of the given bytes (None: the input is standard input)."""
        return None if self.data is None else self.data[self.pos :]


class Interrupt:
    """SIGINT: the run stops after the pass in flight (or leaves a blocking read of stdin)."""

    def __init__(self, source: Input) -> None:
        self.hit, self.source = False, source

    def __call__(self, signum, frame) -> None:
        self.hit = True
        if self.source.reading:
            raise KeyboardInterrupt


def progress_bar(options: RunOptions, limit: int, done: int):
    """A live progress line on a terminal (tqdm, shown once a run lasts over a second)."""
    if options.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(
        total=None if limit >= UNLIMITED else limit,
        initial=done,
        unit=" steps",
        delay=1.0,
        file=sys.stderr,
        dynamic_ncols=True,
        leave=False,
    )


def drive(
    runner: Runner, limit: int, source: Input, interrupt: Interrupt, options: RunOptions, form: str
) -> RunResult:
    """Run to the end, the step limit or an interrupt, saving checkpoints on the way."""
    every = options.checkpoint_every
    due = time.monotonic() + every
    bar = progress_bar(options, limit, runner.total_steps)
    shown = time.monotonic()

    def show() -> None:
        nonlocal shown
        if bar is not None and time.monotonic() - shown > 0.1:
            bar.update(runner.total_steps - bar.n)
            shown = time.monotonic()

    def pause() -> bool:
        show()
        return interrupt.hit or (options.checkpoint is not None and time.monotonic() >= due)

    try:
        while True:
            remaining = limit - runner.total_steps
            try:
                if runner.chunk_steps is not None:
                    result = runner.run(min(remaining, runner.chunk_steps), source.read)
                    show()
                else:
                    result = runner.run(remaining, source.read, pause)
            except KeyboardInterrupt:  # left a blocking read; the last completed pass is kept
                interrupt.hit = True
                result = runner.result()
            if options.checkpoint:
                Checkpoint(
                    runner.machine,
                    form,
                    runner.snapshot(),
                    runner.total_steps,
                    bytes(runner.output),
                    limit,
                    runner.unread_input(source.pending()),
                ).save(options.checkpoint)
                due = time.monotonic() + every
            if interrupt.hit or result.end != STEP_LIMIT or runner.total_steps >= limit:
                return result
    finally:
        if bar is not None:
            bar.close()


def check_report_path(path: str | None) -> None:
    """Refuse, before a run, a report path that cannot be written."""
    if path is None:
        return
    if Path(path).is_dir():
        raise LoopmlpError(f"{path}: cannot write report: is a directory")
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise LoopmlpError(f"{path}: cannot write report: no such directory {parent}")
    if not os.access(parent, os.W_OK) or (Path(path).exists() and not os.access(path, os.W_OK)):
        raise LoopmlpError(f"{path}: cannot write report: permission denied")


def write_report(path: str, result: RunResult) -> None:
    """The run's result as JSON, atomically."""
    write_reports(path, result.report())


def write_reports(path: str, report: dict | list) -> None:
    """Write atomically: a reader never sees half a report."""
    write_atomically(path, json.dumps(report).encode("utf-8"), "report")
