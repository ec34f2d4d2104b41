"""Child processes that tests signal: started with the signals' default dispositions, and
always killed when the test ends.

A shell starts a background job (`python -m pytest &` from a script) with SIGINT and SIGQUIT
ignored, and a child inherits that: a test that sends SIGINT to such a child would wait for
an exit that never comes and leave the child running. So every child a test signals gets
the default disposition of the signals tests send, whatever the test run inherited.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

SENT = (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP)


def default_signals() -> None:
    """In the child, before it runs its program: the default disposition of every signal
    the tests send (Python then installs its own SIGINT handler, KeyboardInterrupt)."""
    for sig in SENT:
        signal.signal(sig, signal.SIG_DFL)


@contextmanager
def child(args: Sequence[str], **popen: Any) -> Iterator[subprocess.Popen]:
    """`subprocess.Popen(args, **popen)` with default signal dispositions, killed (if still
    running) and its pipes closed when the block ends, however it ends."""
    proc = subprocess.Popen(args, preexec_fn=default_signals, **popen)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
