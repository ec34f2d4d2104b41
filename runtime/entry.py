"""The `loopmlp` console command. Ctrl-C while its modules load (about a second) is answered
like Ctrl-C anywhere else: one line and exit status 130, never a traceback."""

from __future__ import annotations

import signal
import sys


def main() -> int:
    """Load the command line with Ctrl-C held back, then run it."""
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))
    try:
        from .cli import main as cli_main
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        print("loopmlp: interrupted", file=sys.stderr)
        return 130
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
