"""Driving one run from the command line: its input, Ctrl-C, checkpoints, progress, report."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ..ir.errors import LoopmlpError
from .checkpoint import Checkpoint
from .network import LoopRunner
from .reference import EOF_BYTE, Reference
from .result import STEP_LIMIT, RunResult

UNLIMITED = 1 << 62


class Input:
    """The program's input: given bytes (a checkpoint keeps what is left of them) or stdin."""

    def __init__(self, data: bytes | None, flush: Callable[[], None]) -> None:
        self.data, self.pos, self.flush, self.reading = data, 0, flush, False

    def read(self) -> int:
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
        return None if self.data is None else self.data[self.pos :]


class Interrupt:
    """SIGINT: the run stops after the pass in flight (or leaves a blocking read of stdin)."""

    def __init__(self, source: Input) -> None:
        self.hit, self.source = False, source

    def __call__(self, signum, frame) -> None:
        self.hit = True
        if self.source.reading:
            raise KeyboardInterrupt


CHUNK_STEPS = {Reference: 200_000, LoopRunner: 10_000}  # runners checked between calls


def steps_of(runner) -> int:
    return runner.steps if isinstance(runner, Reference) else runner.total_steps


def progress_bar(args: argparse.Namespace, limit: int, done: int):
    """A live progress line on a terminal (tqdm, shown once a run lasts over a second)."""
    if args.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=None if limit >= UNLIMITED else limit, initial=done, unit=" steps", delay=1.0,
                file=sys.stderr, dynamic_ncols=True, leave=False)


def drive(runner, limit: int, source: Input, interrupt: Interrupt, args, form: str) -> RunResult:
    """Run to the end, the step limit or an interrupt, saving checkpoints on the way."""
    every = args.checkpoint_every
    due = time.monotonic() + every
    bar = progress_bar(args, limit, steps_of(runner))
    shown = time.monotonic()

    def show() -> None:
        nonlocal shown
        if bar is not None and time.monotonic() - shown > 0.1:
            bar.update(steps_of(runner) - bar.n)
            shown = time.monotonic()

    def pause() -> bool:
        show()
        return interrupt.hit or (args.checkpoint is not None and time.monotonic() >= due)

    try:
        while True:
            remaining = limit - steps_of(runner)
            try:
                if type(runner) in CHUNK_STEPS:
                    result = runner.run(min(remaining, CHUNK_STEPS[type(runner)]), source.read)
                    show()
                else:
                    result = runner.run(remaining, source.read, pause)
            except KeyboardInterrupt:  # left a blocking read; the last completed pass is kept
                interrupt.hit = True
                result = runner.result() if isinstance(runner, Reference) else runner.result(0)
            if args.checkpoint:
                pending = bytes(runner.pending) if isinstance(runner, LoopRunner) else source.pending()
                Checkpoint(runner.machine, form, runner.states[0], steps_of(runner), bytes(runner.output),
                           limit, pending).save(args.checkpoint)
                due = time.monotonic() + every
            if interrupt.hit or result.end != STEP_LIMIT or steps_of(runner) >= limit:
                return result
    finally:
        if bar is not None:
            bar.close()


def check_report_path(path: str | None) -> None:
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
    write_reports(path, result.report())


def write_reports(path: str, report: dict | list) -> None:
    """Write atomically: a reader never sees half a report."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.resolve().parent, prefix=".report-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(report, f)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise LoopmlpError(f"{path}: cannot write report: {err.strerror}") from None


