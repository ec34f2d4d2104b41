"""The live progress line: on a terminal, for runs over a second; never in pipes."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios

from tests.children import child
from tests.runtime.test_cli import loopmlp

COUNTER = "loop: one c; c (-1); Z Z loop\n. one:1 c:0 Z:0\n"


def stderr_on_a_terminal(*args: str, stop_after: bytes | None = None) -> tuple[int, bytes]:
    """Run with stderr on a terminal; with `stop_after`, Ctrl-C once the terminal shows it
    and a little more (however fast the run)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    with child(
        [sys.executable, "-m", "loopmlp.runtime.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=slave,
    ) as proc:
        os.close(slave)
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
                if stop_after is not None and seen.count(stop_after) >= 2:
                    proc.send_signal(signal.SIGINT)
                    stop_after = None
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=60), seen


def test_progress_with_bar_and_eta_when_the_limit_is_known(tmp_path):
    program = tmp_path / "count.asq"
    program.write_text(COUNTER)
    # A limit far beyond what runs before the line shows: the run is stopped once it has.
    status, seen = stderr_on_a_terminal(
        "run",
        str(program),
        "--bits",
        "16",
        "--words",
        "4096",
        "--max-steps",
        "100000000",
        stop_after=b"/100000000",
    )
    assert status == 130
    text = seen.decode("utf-8", "replace")
    assert "/100000000" in text and "steps/s" in text and "<" in text  # count, rate, elapsed<ETA
    assert "interrupted after" in text


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    program = tmp_path / "count.asq"
    program.write_text(COUNTER)
    proc = loopmlp("run", str(program), "--bits", "8", "--max-steps", "6000")
    assert proc.stderr.decode().count("\n") == 1 and "steps/s]" in proc.stderr.decode()
    assert "\r" not in proc.stderr.decode()
