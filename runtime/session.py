"""Driving one run from the command line: its input, Ctrl-C, checkpoints, progress, report."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from ..ir.files import check_writable, write_atomically
from .checkpoint import Checkpoint
from .options import RunOptions
from .result import STEP_LIMIT, RunResult
from .runner import EOF_BYTE, Chunks, Runner, advance

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None

UNLIMITED = 1 << 62


class Input:
    """The program's input: given bytes (a checkpoint keeps what is left of them) or stdin.

    It also holds the way out: `flush` writes the output produced so far, and `closed` says
    that stdout went away (a closed pipe), which ends the run."""

    def __init__(self, data: bytes | None, flush: Callable[[], None]) -> None:
        self.data, self.pos, self._flush, self.reading = data, 0, flush, False
        self.closed = False
        self.waited = 0.0  # seconds spent blocked on standard input

    def flush(self) -> None:
        """Write the output produced so far to stdout."""
        self._flush()

    def read(self) -> int:
        """The next byte (a ReadByte)."""
        if self.data is not None:
            if self.pos >= len(self.data):
                return EOF_BYTE
            self.pos += 1
            return self.data[self.pos - 1]
        self.flush()  # a prompt is shown before the program waits for its answer
        self.reading, began = True, time.monotonic()
        try:
            chunk = sys.stdin.buffer.read(1) if sys.stdin is not None else b""
        finally:
            self.reading = False
            self.waited += time.monotonic() - began
        return chunk[0] if chunk else EOF_BYTE

    def pending(self) -> bytes | None:
        """What is left of the given bytes (None: the input is standard input)."""
        return None if self.data is None else self.data[self.pos :]


class Interrupt:
    """SIGINT, SIGTERM, SIGHUP: the run stops after the pass in flight (or leaves a blocking
    read of stdin); `signum` says which came, for the exit status 128 + signum."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, source: Input) -> None:
        self.hit, self.source, self.signum = False, source, signal.SIGINT
        self.previous: dict[int, Handler] = {}  # what each signal had before

    def __call__(self, signum, frame) -> None:
        self.hit, self.signum = True, signum
        if self.source.reading:
            raise KeyboardInterrupt

    def __enter__(self) -> Interrupt:
        for sig in self.SIGNALS:
            self.previous[sig] = signal.signal(sig, self)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)

    @property
    def status(self) -> int:
        """The conventional exit status of a run ended by this signal."""
        return 128 + int(self.signum)

    @property
    def what(self) -> str:
        """What happened to the run, for its message: `interrupted` (Ctrl-C) or `stopped by
        SIGTERM` (SIGHUP)."""
        return "interrupted" if self.signum == signal.SIGINT else f"stopped by {self.name}"

    @property
    def name(self) -> str:
        """The signal's name (SIGINT, SIGTERM, SIGHUP)."""
        return signal.Signals(self.signum).name


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


FLUSH_SECONDS = 0.1  # output reaches stdout at least this often while a run goes on


def drive(
    runner: Runner,
    limit: int,
    source: Input,
    interrupt: Interrupt,
    options: RunOptions,
    exit_address: int | None = None,
) -> RunResult:
    """Run to the end, the step limit or an interrupt, saving checkpoints on the way (with the
    program's `exit_address`, for a resumed run's exit status), and streaming the output as
    the machine produces it."""
    every = options.checkpoint_every
    due = time.monotonic() + every
    bar = progress_bar(options, limit, runner.total_steps)
    shown = flushed = time.monotonic()
    chunks = Chunks()  # a Loop-form call's steps, grown or shrunk to take about CHUNK_SECONDS

    def show() -> None:
        nonlocal shown, flushed
        now = time.monotonic()
        if now - flushed >= FLUSH_SECONDS:
            source.flush()
            flushed = now
        if bar is not None and now - shown > 0.1:
            bar.update(runner.total_steps - bar.n)
            shown = now

    def pause() -> bool:
        show()
        return (
            interrupt.hit
            or source.closed
            or (options.checkpoint is not None and time.monotonic() >= due)
        )

    try:
        while True:
            remaining = limit - runner.total_steps
            try:
                result = advance(runner, remaining, source.read, pause, chunks)
            except KeyboardInterrupt:  # left a blocking read; the last completed pass is kept
                interrupt.hit = True
                result = runner.result()
            if options.checkpoint:
                Checkpoint(
                    runner.machine,
                    runner.form,
                    runner.snapshot(),
                    runner.total_steps,
                    bytes(runner.output),
                    limit,
                    runner.unread_input(source.pending()),
                    exit_address,
                ).save(options.checkpoint)
                due = time.monotonic() + every
            done = result.end != STEP_LIMIT or runner.total_steps >= limit
            if interrupt.hit or source.closed or done:
                result.exit_address = exit_address
                return result
    finally:
        if bar is not None:
            bar.close()


def check_report_path(path: str | None) -> None:
    """Refuse, before a run, a report path that cannot be written."""
    if path is not None:
        check_writable(path, "report")


def write_report(path: str, result: RunResult) -> None:
    """The run's result as JSON, atomically."""
    write_reports(path, result.report())


def write_reports(path: str, report: dict | list) -> None:
    """Write atomically: a reader never sees half a report."""
    write_atomically(path, json.dumps(report).encode("utf-8"), "report")
