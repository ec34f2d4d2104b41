"""The `loopmlp` command line's parser: every command's arguments and options, and the typed
options (`RunOptions`, `MachineOptions`) built from them once."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable

from ..compiler.build import DEFAULT_HEAP, DEFAULT_STACK, FORMS
from ..ir.errors import LoopmlpError
from ..ir.metadata import version
from .checkpoint import MAX_COUNT
from .options import MachineOptions, RunOptions, cpp_options
from .providers import PROVIDERS
from .view.command import add_view_parser


def one_line(text: str) -> str:
    """`text` with its line breaks shown as escapes."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2 like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse says "argument --x: --x must be ..." where our own check names the option
        message = re.sub(r"^argument (\S+): \1 ", r"\1 ", message)
        raise LoopmlpError(f"{message} (see {self.prog} --help)")


def _positive_int(name: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be an integer, got '{text}'") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{name} must be >= 0, got {value}")
        if value > MAX_COUNT:
            raise argparse.ArgumentTypeError(f"{name} must be at most 2^62, got {value}")
        return value

    return parse


MIN_CHECKPOINT_SECONDS = 0.5  # saving more often than this would be most of the run


def _seconds(name: str, least: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be seconds, got '{text}'") from None
        if not least <= value < float("inf"):
            raise argparse.ArgumentTypeError(
                f"{name} must be at least {least} seconds (and finite), got {text}"
            )
        return value

    return parse


TRUST_HELP = (
    "run a .onnx model without first checking that its layers are the network loopmlp builds "
    "for its machine (saves a build on the first run of a machine; the seal and metadata are "
    "still checked)"
)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = _Parser(prog="loopmlp", description="SUBLEQ programs on a looped 23-layer ReLU MLP.")
    parser.add_argument("--version", action="version", version=f"loopmlp {version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run a program (or a compiled .onnx model)")
    run.add_argument(
        "program",
        nargs="*",
        help="C (.c), sqasm (.asq .sq .s), a numeric image, or a .onnx model; "
        "several run as a batch",
    )
    _machine_options(run)
    src = run.add_mutually_exclusive_group()
    src.add_argument(
        "--input",
        action="append",
        help="the program's input, as UTF-8 text (repeat: one run per input)",
    )
    src.add_argument(
        "--input-file",
        action="append",
        help="the program's input, raw bytes from a file (repeat: one run per file)",
    )
    run.add_argument(
        "--max-steps",
        type=_positive_int("--max-steps"),
        default=None,
        help="stop after this many steps (default: no limit)",
    )
    run.add_argument("--report", help="write the run's result as JSON to this path")
    run.add_argument(
        "--program",
        dest="program_opt",
        metavar="PROGRAM",
        help="the program to load into a program-free .onnx machine model",
    )
    run.add_argument(
        "--form", choices=FORMS, default=None, help="network form to compile to (default factored)"
    )
    run.add_argument(
        "--provider",
        choices=sorted(PROVIDERS),
        default="cpu",
        help="ONNX Runtime execution provider (falls back to cpu with a notice)",
    )
    run.add_argument(
        "--threads",
        type=int,
        default=0,
        help="ONNX Runtime threads (default 0: one below 65,536 state entries, else one per core)",
    )
    run.add_argument("--reference", action="store_true", help="run on the reference interpreter")
    run.add_argument(
        "--quiet",
        action="store_true",
        help="no summary line on stderr (a fault or a step limit still has one)",
    )
    run.add_argument(
        "--profile",
        action="store_true",
        help="after the run, print the steps spent per source line and per function",
    )
    run.add_argument(
        "--checkpoint", help="save the run's state here periodically and when interrupted"
    )
    run.add_argument(
        "--checkpoint-every",
        type=_seconds("--checkpoint-every", MIN_CHECKPOINT_SECONDS),
        default=30.0,
        metavar="SECONDS",
        help=f"seconds between checkpoint saves (default 30, at least {MIN_CHECKPOINT_SECONDS})",
    )
    run.add_argument("--resume", help="continue the run saved in this checkpoint")
    run.add_argument("--trust-model", action="store_true", help=TRUST_HELP)

    comp = sub.add_parser("compile", help="compile a program (or a bare machine) to an ONNX model")
    comp.add_argument("program", nargs="?", help="the program to embed (omit with --machine)")
    comp.add_argument("--machine", action="store_true", help="a program-free machine model")
    comp.add_argument("-o", "--output", help="the .onnx file to write")
    comp.add_argument("--form", choices=FORMS, default="factored")
    _machine_options(comp)

    tr = sub.add_parser(
        "trace", help="draw a run (memory and pc over time) or one step's 23 layers"
    )
    tr.add_argument("program", help="a program, or a .onnx model")
    tr.add_argument(
        "--program", dest="program_opt", help="the program for a program-free .onnx model"
    )
    _machine_options(tr)
    tr.add_argument("--input", help="the program's input, as UTF-8 text")
    tr.add_argument(
        "--steps", type=_positive_int("--steps"), default=200, help="steps to draw (default 200)"
    )
    tr.add_argument(
        "--layers", action="store_true", help="draw the 23 layers' activations for one step"
    )
    tr.add_argument(
        "--step",
        type=_positive_int("--step"),
        default=0,
        help="with --layers: the step to draw (default 0, the first)",
    )
    tr.add_argument("-o", "--output", help="the .png to write")
    tr.add_argument("--html", help="write the run as one self-contained page that replays it")
    tr.add_argument("--data", help="also write the drawn values as JSON")
    tr.add_argument("--trust-model", action="store_true", help=TRUST_HELP)

    insp = sub.add_parser(
        "inspect", help="describe a model: machine, layers, weights, state layout"
    )
    insp.add_argument("model")
    insp.add_argument("--json", action="store_true", help="print JSON for scripts")
    insp.add_argument(
        "--trust-model",
        action="store_true",
        help="describe the model without checking its layers against the network loopmlp builds",
    )

    asm = sub.add_parser("asm", help="assemble sqasm (or compile C) to a numeric image")
    asm.add_argument("program")
    asm.add_argument("-o", "--output", help="image file to write (default and -: stdout)")
    asm.add_argument(
        "--bits",
        type=_positive_int("--bits"),
        default=None,
        help="word width N (default 32 for C, 16 otherwise)",
    )
    _memory_options(asm)
    _cpp_options(asm)

    cc = sub.add_parser("cc", help="compile C to sqasm (with source-line comments)")
    cc.add_argument("program", help="the C source (.c)")
    cc.add_argument("-o", "--output", help="the .asq file to write (default and -: stdout)")
    cc.add_argument(
        "--bits", type=_positive_int("--bits"), default=None, help="word width N (default 32)"
    )
    cc.add_argument(
        "--words",
        type=_positive_int("--words"),
        default=None,
        help="memory size K (default: the smallest that holds code, data and stack)",
    )
    _memory_options(cc)
    _cpp_options(cc)
    add_view_parser(sub, _machine_options)
    return parser


def _memory_options(p: argparse.ArgumentParser) -> None:
    """--stack and --heap: the words a C program's stack and heap get."""
    p.add_argument(
        "--stack",
        type=_positive_int("--stack"),
        default=None,
        metavar="WORDS",
        help=f"C: words of stack for recursion (default {DEFAULT_STACK})",
    )
    p.add_argument(
        "--heap",
        type=_positive_int("--heap"),
        default=None,
        metavar="WORDS",
        help=f"C: words of heap for malloc, when the program calls it (default {DEFAULT_HEAP})",
    )


def _cpp_options(p: argparse.ArgumentParser) -> None:
    """-D, -U and -I, as gcc takes them (repeatable; -D and -U apply in the order given)."""
    p.add_argument(
        "-D",
        dest="cpp_macros",
        action="append",
        type=lambda text: ("D", text),
        metavar="NAME[=VALUE]",
        help="C: define a macro (VALUE defaults to 1)",
    )
    p.add_argument(
        "-U",
        dest="cpp_macros",
        action="append",
        type=lambda text: ("U", text),
        metavar="NAME",
        help="C: undefine a macro",
    )
    p.add_argument(
        "-I",
        dest="cpp_include",
        action="append",
        metavar="DIR",
        help="C: search DIR for #include files (before loopmlp's own headers)",
    )


def _machine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--bits",
        type=_positive_int("--bits"),
        default=None,
        help="word width N (4..32; default 32 for C, 16 otherwise)",
    )
    p.add_argument(
        "--words",
        type=_positive_int("--words"),
        default=None,
        help="memory size K (default: the smallest power of two that holds the program)",
    )
    p.add_argument("--no-io", action="store_true", help="no memory-mapped I/O at address -1")
    _memory_options(p)
    _cpp_options(p)


def program_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """`loopmlp run ... -- ARG...`: (the command line before `--`, the program's arguments)."""
    if argv[:1] == ["run"] and "--" in argv:
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1 :]
    return argv, []


def machine_options(args: argparse.Namespace) -> MachineOptions:
    """The machine options of a parsed command line."""
    words, io = getattr(args, "words", None), not getattr(args, "no_io", False)
    return MachineOptions(args.bits, words, io, args.stack, cpp_options(args), args.heap)


def run_options(args: argparse.Namespace) -> RunOptions:
    """The options of a parsed `loopmlp run` command line."""
    return RunOptions(
        programs=tuple(args.program),
        program_file=args.program_opt,
        machine=machine_options(args),
        input_texts=None if args.input is None else tuple(args.input),
        input_files=None if args.input_file is None else tuple(args.input_file),
        max_steps=args.max_steps,
        report=args.report,
        form=args.form or "factored",
        form_given=args.form is not None,
        provider=args.provider,
        threads=args.threads,
        reference=args.reference,
        quiet=args.quiet,
        profile=args.profile,
        checkpoint=args.checkpoint,
        checkpoint_every=args.checkpoint_every,
        resume=args.resume,
        trust_model=args.trust_model,
        program_args=tuple(getattr(args, "program_args", ())),
    )
