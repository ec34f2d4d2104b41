"""The `loopmlp` command line: run, compile, inspect, trace, asm, cc."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..compiler.build import FORMS, build_model, save_model, write_atomically
from ..compiler.cc import DEFAULT_STACK
from ..compiler.program import Program, SourceLocation, read_program
from ..ir.errors import LoopmlpError
from ..ir.machine import Machine
from .checkpoint import MAX_COUNT, Checkpoint
from .host import Host
from .inspect import inspect_model, render
from .network import PROVIDERS, Network
from .profile import ObservedStep
from .profile import render as render_profile
from .reference import Reference, bytes_reader
from .result import EXIT_STATUS, FAULT, RunResult
from .session import (
    UNLIMITED,
    Input,
    Interrupt,
    check_report_path,
    drive,
    write_report,
    write_reports,
)
from .view.command import add_view_parser, cmd_view, trace_html


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2 like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise LoopmlpError(f"{self.prog}: {message}")


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="loopmlp", description="SUBLEQ programs on a looped 23-layer ReLU MLP.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run a program (or a compiled .onnx model)")
    run.add_argument("program", nargs="*",
                     help="C (.c), sqasm (.asq .sq .s), a numeric image, or a .onnx model; "
                          "several run as a batch")
    _machine_options(run)
    src = run.add_mutually_exclusive_group()
    src.add_argument("--input", action="append",
                     help="the program's input, as UTF-8 text (repeat: one run per input)")
    src.add_argument("--input-file", action="append",
                     help="the program's input, raw bytes from a file (repeat: one run per file)")
    run.add_argument("--max-steps", type=_positive_int("--max-steps"), default=None)
    run.add_argument("--report", help="write the run's result as JSON to this path")
    run.add_argument("--program", dest="program_opt",
                     help="the program to load into a program-free .onnx machine model")
    run.add_argument("--form", choices=FORMS, default="factored", help="network form to compile to")
    run.add_argument("--provider", choices=sorted(PROVIDERS), default="cpu",
                     help="ONNX Runtime execution provider (falls back to cpu with a notice)")
    run.add_argument("--reference", action="store_true", help="run on the reference interpreter")
    run.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    run.add_argument("--profile", action="store_true",
                     help="after the run, print the steps spent per source line and per function")
    run.add_argument("--checkpoint", help="save the run's state here periodically and when interrupted")
    run.add_argument("--checkpoint-every", type=float, default=30.0, metavar="SECONDS")
    run.add_argument("--resume", help="continue the run saved in this checkpoint")

    comp = sub.add_parser("compile", help="compile a program (or a bare machine) to an ONNX model")
    comp.add_argument("program", nargs="?", help="the program to embed (omit with --machine)")
    comp.add_argument("--machine", action="store_true", help="a program-free machine model")
    comp.add_argument("-o", "--output", help="the .onnx file to write")
    comp.add_argument("--form", choices=FORMS, default="factored")
    _machine_options(comp)

    tr = sub.add_parser("trace", help="draw a run (memory and pc over time) or one step's 23 layers")
    tr.add_argument("program", help="a program, or a .onnx model")
    tr.add_argument("--program", dest="program_opt", help="the program for a program-free .onnx model")
    _machine_options(tr)
    tr.add_argument("--input", help="the program's input, as UTF-8 text")
    tr.add_argument("--steps", type=_positive_int("--steps"), default=200, help="steps to draw (default 200)")
    tr.add_argument("--layers", action="store_true", help="draw the 23 layers' activations for one step")
    tr.add_argument("--step", type=_positive_int("--step"), default=0,
                    help="with --layers: the step to draw (default 0, the first)")
    tr.add_argument("-o", "--output", help="the .png to write")
    tr.add_argument("--html", help="write the run as one self-contained page that replays it")
    tr.add_argument("--data", help="also write the drawn values as JSON")

    insp = sub.add_parser("inspect", help="describe a model: machine, layers, weights, state layout")
    insp.add_argument("model")
    insp.add_argument("--json", action="store_true", help="print JSON for scripts")

    asm = sub.add_parser("asm", help="assemble sqasm (or compile C) to a numeric image")
    asm.add_argument("program")
    asm.add_argument("-o", "--output", help="image file to write (default: stdout)")
    asm.add_argument("--bits", type=_positive_int("--bits"), default=None,
                     help="word width N (default 32 for C, 16 otherwise)")
    asm.add_argument("--stack", type=_positive_int("--stack"), default=None, metavar="WORDS",
                     help=f"C: words of stack (default {DEFAULT_STACK})")

    cc = sub.add_parser("cc", help="compile C to sqasm (with source-line comments)")
    cc.add_argument("program", help="the C source (.c)")
    cc.add_argument("-o", "--output", help="the .asq file to write (default: stdout)")
    cc.add_argument("--bits", type=_positive_int("--bits"), default=None, help="word width N (default 32)")
    cc.add_argument("--words", type=_positive_int("--words"), default=None,
                    help="memory size K (default: the smallest that holds code, data and stack)")
    cc.add_argument("--stack", type=_positive_int("--stack"), default=None, metavar="WORDS",
                    help=f"words of stack for recursion (default {DEFAULT_STACK})")
    add_view_parser(sub, _machine_options)
    return parser


def _machine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bits", type=_positive_int("--bits"), default=None,
                   help="word width N (4..32; default 32 for C, 16 otherwise)")
    p.add_argument("--words", type=_positive_int("--words"), default=None, help="memory size K")
    p.add_argument("--no-io", action="store_true", help="no memory-mapped I/O at address -1")
    p.add_argument("--stack", type=_positive_int("--stack"), default=None, metavar="WORDS",
                   help=f"C programs: words of stack for recursion (default {DEFAULT_STACK})")


def _read(args: argparse.Namespace, path: str, machine: Machine | None = None) -> Program:
    """The program at `path`, for `machine` (a model's) or for the machine options given."""
    if machine is None:
        return read_program(path, args.bits, args.words, args.stack)
    program = read_program(path, machine.bits, machine.words, args.stack)
    if program.min_words > machine.words:
        raise LoopmlpError(f"{path}: the program needs a machine of {program.min_words} words, "
                           f"but the model's machine is {machine.describe()}")
    return program


def _embedded(network: Network) -> Program | None:
    """The program a model holds, with its source map, for naming source lines."""
    info = network.info
    if info.get("program") is None:
        return None
    places = tuple(None if p is None else SourceLocation(*p) for p in info.get("source_map") or ())
    return Program(network.source, info["program"], network.machine.bits, 0, places)


def _given_input(args: argparse.Namespace) -> bytes | None:
    inputs = _inputs(args)
    return inputs[0] if inputs else None


def _inputs(args: argparse.Namespace) -> list[bytes] | None:
    """The given inputs (one per run), or None to read standard input."""
    if args.input is not None:
        return [text.encode("utf-8") for text in args.input]
    if args.input_file is not None:
        data = []
        for path in args.input_file:
            try:
                data.append(Path(path).read_bytes())
            except OSError as err:
                raise LoopmlpError(f"{path}: cannot read input file: {err.strerror}") from None
        return data
    return None


def summary(result: RunResult, engine: str, seconds: float, program: Program | None = None) -> str:
    how = f"fault ({result.reason})" if result.end == FAULT else result.end
    where = program.location(result.pc) if program is not None and result.end == FAULT else None
    if where is not None:
        how = f"fault at {where}" + (f": {where.note}" if where.note else "") + f" ({result.reason})"
    rate = result.steps / seconds if seconds > 0 else float("inf")
    return (
        f"loopmlp: {how} after {result.steps} steps at pc {result.pc} "
        f"[{engine}, {seconds:.3f} s, {rate:,.0f} steps/s]"
    )


def _model_machine_matches(args: argparse.Namespace, machine: Machine) -> None:
    given = {"--bits": (args.bits, machine.bits), "--words": (args.words, machine.words)}
    for flag, (value, actual) in given.items():
        if value is not None and value != actual:
            raise LoopmlpError(
                f"{args.program}: the model's machine is {machine.describe()}, but {flag} says {value}"
            )
    if args.no_io and machine.io:
        raise LoopmlpError(f"{args.program}: the model's machine has I/O on, but --no-io was given")


def _engine(args: argparse.Namespace):
    """(the runner: `.run(max_steps, read_byte)` and `.output`; its name for the summary; the
    program, for naming source lines, if known)."""
    if args.program.lower().endswith(".onnx"):
        if args.reference:
            raise LoopmlpError("--reference runs a program, not a .onnx model")
        network = Network(args.program, provider=args.provider)
        _model_machine_matches(args, network.machine)
        program = _read(args, args.program_file, network.machine) if args.program_file else None
        runner = network.runner(program.image if program else None)
        return runner, f"network {network.form}", program or _embedded(network)
    if args.program_file:
        raise LoopmlpError("--program is for a .onnx machine model; give the program directly")
    program = _read(args, args.program)
    machine = program.machine(args.words, not args.no_io)
    if args.reference:
        return Reference(machine, program.image), "reference", program
    model = build_model(machine, args.form, program.image, program.source_map)
    network = Network(model, provider=args.provider)
    return network.runner(), f"network {args.form}", program


def _resume(args: argparse.Namespace):
    if args.program or args.program_file or args.reference:
        raise LoopmlpError("--resume continues a saved run: give no PROGRAM, --program or --reference")
    ck = Checkpoint.load(args.resume)
    if ck.pending_input is not None and (args.input or args.input_file):
        raise LoopmlpError(f"{args.resume}: the checkpoint holds the rest of the run's input; give no --input")
    network = Network(build_model(ck.machine, ck.form), provider=args.provider)
    runner = network.runner(state=ck.state)
    runner.steps[0] = ck.steps
    runner.outputs[0] += ck.output
    limit = ck.max_steps if args.max_steps is None else args.max_steps
    data = ck.pending_input if ck.pending_input is not None else _given_input(args)
    return runner, f"network {ck.form}", limit, data, ck.form


def cmd_run(args: argparse.Namespace) -> int:
    check_report_path(args.report)
    args.program_file = args.__dict__.pop("program_opt", None)
    if args.resume:
        if args.profile:
            raise LoopmlpError("--profile is for a run from the start, not --resume")
        runner, engine, limit, data, form = _resume(args)
        program = None
    else:
        inputs = _inputs(args)
        if not args.program:
            raise LoopmlpError("give a PROGRAM to run (or --resume CHECKPOINT)")
        if len(args.program) > 1 or (inputs is not None and len(inputs) > 1):
            if args.checkpoint or args.profile:
                flag = "--checkpoint" if args.checkpoint else "--profile"
                raise LoopmlpError(f"{flag} is for a single run, not a batch")
            return run_batch(args, inputs)
        args.program = args.program[0]
        runner, engine, program = _engine(args)
        limit = UNLIMITED if args.max_steps is None else args.max_steps
        data, form = (inputs[0] if inputs else None), engine.split()[-1]
    if args.checkpoint and isinstance(runner, Reference):
        raise LoopmlpError("--checkpoint saves network runs; drop --reference")
    visits = _profile(args, runner, program) if args.profile else None
    out = sys.stdout.buffer
    written = len(runner.output)  # a resumed run printed its earlier output already

    def flush() -> None:
        nonlocal written
        out.write(runner.output[written:])
        out.flush()
        written = len(runner.output)

    source = Input(data, flush)
    interrupt = Interrupt(source)
    previous = signal.signal(signal.SIGINT, interrupt)
    start = time.perf_counter()
    try:
        result = drive(runner, limit, source, interrupt, args, form)
    finally:
        signal.signal(signal.SIGINT, previous)
    seconds = time.perf_counter() - start
    flush()
    if args.report:
        write_report(args.report, _with_source(result, program))
    if visits is not None:
        print(render_profile(program, visits), file=sys.stderr)
    if interrupt.hit:
        saved = f"; saved to {args.checkpoint}" if args.checkpoint else ""
        print(f"loopmlp: interrupted after {result.steps} steps at pc {result.pc}{saved}", file=sys.stderr)
        return 130
    if not args.quiet:
        print(summary(result, engine, seconds, program), file=sys.stderr)
    return EXIT_STATUS[result.end]


def _profile(args: argparse.Namespace, runner, program: Program | None):
    """Count the steps run at each pc: the reference counts its own; a network's passes are
    observed on their way through the network."""
    if program is None:
        raise LoopmlpError("--profile needs the program: this model holds none")
    if isinstance(runner, Reference):
        runner.visits = [0] * runner.machine.words
        return runner.visits
    if runner.network.form == "loop":
        raise LoopmlpError("--profile observes every step, which the Loop form runs inside "
                           "ONNX Runtime: use --form factored (or dense)")
    visits = np.zeros(runner.machine.words, dtype=np.int64)
    runner.step = ObservedStep(runner.step, runner.machine, visits)
    return visits


def _with_source(result: RunResult, program: Program | None) -> RunResult:
    """The result, naming the source line of a fault in its report."""
    where = program.location(result.pc) if program is not None and result.end == FAULT else None
    if where is not None:
        result.extra.update(source=str(where), **({"note": where.note} if where.note else {}))
    return result


def run_batch(args: argparse.Namespace, inputs: list[bytes] | None) -> int:
    """Several runs on one machine, advancing together through one network."""
    programs, inputs = args.program, inputs or [b""]
    if len(programs) > 1 and len(inputs) not in (1, len(programs)):
        raise LoopmlpError(f"{len(programs)} programs but {len(inputs)} inputs: give one input, or one per program")
    if any(p.lower().endswith(".onnx") for p in programs) or args.program_file:
        raise LoopmlpError("a batch runs programs (not .onnx models) on a machine it compiles")
    runs = [(p, i) for p in programs for i in range(len(inputs))] if len(programs) == 1 else \
        [(p, i if len(inputs) > 1 else 0) for i, p in enumerate(programs)]
    read = {p: _read(args, p) for p in programs}
    images = {p: program.image for p, program in read.items()}
    if len({program.bits for program in read.values()}) > 1:
        raise LoopmlpError("a batch runs on one machine: give --bits for programs of different languages")
    need = max(max(len(p.image), p.min_words) for p in read.values())
    machine = Machine.for_image(need, next(iter(read.values())).bits, args.words, not args.no_io)
    max_steps = UNLIMITED if args.max_steps is None else args.max_steps
    start = time.perf_counter()
    if args.reference or args.form == "loop":
        engine = "reference" if args.reference else "network loop"
        network = None if args.reference else Network(build_model(machine, "loop"), provider=args.provider)
        results = [(Reference(machine, images[p]) if network is None else network.runner(images[p]))
                   .run(max_steps, bytes_reader(inputs[i])) for p, i in runs]
    else:
        engine = f"network {args.form} batch of {len(runs)}"
        network = Network(build_model(machine, args.form), provider=args.provider)
        results = network.run_batch([images[p] for p, _ in runs], max_steps,
                                    [bytes_reader(inputs[i]) for _, i in runs])
    seconds = time.perf_counter() - start
    out = sys.stdout.buffer
    for (program, i), result in zip(runs, results):
        label = program if len(inputs) == 1 else f"{program} (input {i + 1})"
        out.write(f"==> {label} <==\n".encode())
        out.write(result.output)
        out.write(b"\n" if result.output and not result.output.endswith(b"\n") else b"")
        if not args.quiet:
            print(f"{label}: {summary(result, engine, seconds)}", file=sys.stderr)
    out.flush()
    if args.report:
        write_reports(args.report, [dict(r.report(), program=p, input=i) for (p, i), r in zip(runs, results)])
    return max(EXIT_STATUS[r.end] for r in results)


def cmd_compile(args: argparse.Namespace) -> int:
    bits = 16 if args.bits is None else args.bits
    if args.machine:
        if args.program:
            raise LoopmlpError("--machine compiles a program-free model: give no PROGRAM")
        if args.words is None:
            raise LoopmlpError("--machine needs --words K (and --bits N, default 16)")
        machine, image, places = Machine(bits, args.words, not args.no_io), None, ()
        output = args.output or f"machine-n{machine.bits}-k{machine.words}.onnx"
    else:
        if not args.program:
            raise LoopmlpError("give a PROGRAM to compile, or --machine for a program-free model")
        program = _read(args, args.program)
        image, machine = program.image, program.machine(args.words, not args.no_io)
        places = program.source_map
        output = args.output or str(Path(args.program).with_suffix(".onnx").name)
    model = build_model(machine, args.form, image, places)
    save_model(model, output)
    print(f"loopmlp: wrote {output} ({args.form}, {machine.describe()}, "
          f"{Path(output).stat().st_size:,} bytes)", file=sys.stderr)
    return 0


def cmd_asm(args: argparse.Namespace) -> int:
    image = read_program(args.program, args.bits, stack=args.stack).image
    text = "".join(" ".join(map(str, image[i : i + 3])) + "\n" for i in range(0, len(image), 3))
    _write_text(text, args.output, "image")
    return 0


def cmd_cc(args: argparse.Namespace) -> int:
    if not args.program.lower().endswith(".c"):
        raise LoopmlpError(f"{args.program}: loopmlp cc compiles C sources (.c)")
    program = read_program(args.program, args.bits, args.words, args.stack)
    _write_text(program.assembly or "", args.output, "assembly")
    if args.output is not None:
        print(f"loopmlp: wrote {args.output} ({len(program.image)} words for "
              f"N={program.bits}, K={program.min_words})", file=sys.stderr)
    return 0


def _write_text(text: str, path: str | None, what: str) -> None:
    """Text to stdout, or atomically to `path` (no partial file on any error)."""
    if path is None:
        sys.stdout.write(text)
        return
    if Path(path).is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: is a directory")
    write_atomically(path, text.encode("utf-8"), what)


def cmd_trace(args: argparse.Namespace) -> int:
    from . import trace

    if args.html:
        return trace_html(args)
    if not args.output:
        raise LoopmlpError("loopmlp trace: give -o PICTURE.png (or --html PAGE.html)")
    program_file = args.program_opt
    if args.program.lower().endswith(".onnx"):
        network = Network(args.program)
        _model_machine_matches(args, network.machine)
        program = _read(args, program_file, network.machine) if program_file else _embedded(network)
        image = program.image if program_file else None
        state, machine, label = network.initial_state(image), network.machine, f"{args.program} ({network.form})"
        if network.form == "loop":  # the Loop model's body is this machine's factored step
            network = Network(build_model(machine, "factored"))
    else:
        program = _read(args, args.program)
        machine = program.machine(args.words, not args.no_io)
        network = Network(build_model(machine, "factored"))
        state, label = network.initial_state(program.image), args.program
    read_byte = bytes_reader((args.input or "").encode("utf-8"))
    title = f"{Path(label).name} on the network, {machine.describe()}"
    if args.layers:
        host = Host(machine, state)
        host.run(network.step, args.step, read_byte)
        data = {"step": host.total_steps, "layers": trace.layer_activations(machine, host.state[0])}
        trace.draw_layers(data["layers"], f"{title}: the 23 layers of step {host.total_steps + 1}", args.output)
    else:
        data = trace.record_run(network.step, machine, state, args.steps, read_byte)
        if program is not None and program.source_map:
            data["source"] = trace.source_lines(program, data["pc"])
        trace.draw_run(data, title, args.output)
    if args.data:
        write_reports(args.data, data)
    print(f"loopmlp: wrote {args.output}", file=sys.stderr)
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    report = inspect_model(args.model)
    print(json.dumps(report, indent=1) if args.json else render(report))
    return 0


COMMANDS = {"run": cmd_run, "asm": cmd_asm, "compile": cmd_compile, "inspect": cmd_inspect,
            "trace": cmd_trace, "cc": cmd_cc, "view": cmd_view}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except LoopmlpError as err:
        print(f"loopmlp: error: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
