"""The `loopmlp view` subcommand: parse, load the program, serve the page until Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import webbrowser

from ...ir.errors import LoopmlpError
from ..options import cpp_options
from .replay import write_replay
from .server import make_server
from .session import ViewSession, load


def add_view_parser(sub, machine_options) -> None:
    """Register `view` on the CLI's subparsers (`machine_options` adds --bits, --words, ...)."""
    view = sub.add_parser("view", help="a live web page that steps a program on the network")
    view.add_argument("program", help="a program, or a .onnx model that holds one")
    machine_options(view)
    view.add_argument(
        "--input", help="the program's input, as UTF-8 text (default: typed in the page)"
    )
    view.add_argument(
        "--port", type=int, default=0, help="the port on 127.0.0.1 (default: a free one)"
    )
    view.add_argument("--no-browser", action="store_true", help="print the URL, open no browser")
    view.add_argument(
        "--trust-model",
        action="store_true",
        help="step a .onnx model without first checking its layers against the network loopmlp "
        "builds for its machine",
    )


def cmd_view(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise LoopmlpError(f"--port must be from 0 to 65535, got {args.port}")
    loaded = load(
        args.program,
        args.bits,
        args.words,
        args.stack,
        not args.no_io,
        args.trust_model,
        cpp_options(args),
        args.heap,
    )
    given = None if args.input is None else os.fsencode(args.input)
    server = make_server(ViewSession(loaded, given), args.port)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"loopmlp: viewing {args.program} at {url} (Ctrl-C to stop)", file=sys.stderr)
    print(url, flush=True)
    if not args.no_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    stopped_by = [signal.SIGINT]

    def stop(signum, frame) -> None:  # SIGTERM and SIGHUP stop the view like Ctrl-C
        stopped_by[0] = signum
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("loopmlp: view stopped", file=sys.stderr)
        return 128 + int(stopped_by[0])
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def trace_html(args: argparse.Namespace) -> int:
    """`loopmlp trace PROGRAM --html PAGE`: the run's first `--steps` steps as a replay page."""
    if args.output or args.layers or args.data or args.program_opt:
        raise LoopmlpError(
            "--html writes a page of its own: give no -o, --layers, --data or --program"
        )
    loaded = load(
        args.program,
        args.bits,
        args.words,
        args.stack,
        not args.no_io,
        args.trust_model,
        cpp_options(args),
        args.heap,
    )
    session = ViewSession(loaded, os.fsencode(args.input or ""))
    steps = write_replay(session, args.steps, args.html)
    print(f"loopmlp: wrote {args.html} ({steps} steps)", file=sys.stderr)
    return 0
