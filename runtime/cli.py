"""The `loopmlp` command: `main`, and the commands compile, inspect, trace, asm, cc (`run` is
run.py's and `view` view/command.py's; the arguments are parsed in parser.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..compiler.build import (
    Program,
    SourceLocation,
    build_model,
    layer_activations,
    read_program,
)
from ..compiler.modelfile import save_model
from ..ir.errors import LoopmlpError
from ..ir.files import check_writable, refuse_overwriting, write_atomically
from .inspect import inspect_model, render
from .network import Network
from .options import cpp_options
from .parser import build_parser, machine_options, one_line, program_arguments, run_options
from .reference import bytes_reader
from .run import BROKEN_PIPE, embedded_program, run, silence_stdout, summary
from .session import write_reports
from .view.command import cmd_view, trace_html

__all__ = ["build_parser", "main", "summary"]


def cmd_run(args: argparse.Namespace) -> int:
    """`loopmlp run`."""
    return run(run_options(args))


def cmd_compile(args: argparse.Namespace) -> int:
    """`loopmlp compile`."""
    options = machine_options(args)
    if args.machine:
        if args.program:
            raise LoopmlpError("--machine compiles a program-free model: give no PROGRAM")
        machine, image, exit_address, arguments = options.bare_machine(), None, None, None
        places: tuple[SourceLocation | None, ...] = ()
        output = args.output or f"machine-n{machine.bits}-k{machine.words}.onnx"
    else:
        if not args.program:
            raise LoopmlpError("give a PROGRAM to compile, or --machine for a program-free model")
        program = options.read(args.program)
        image, machine = program.image, options.machine(program)
        places, exit_address = program.source_map, program.exit_address
        arguments = program.args
        output = args.output or str(Path(args.program).with_suffix(".onnx").name)
    refuse_overwriting(output, [args.program], "model")
    check_writable(output, "model")
    model = build_model(machine, args.form, image, places, exit_address, arguments)
    save_model(model, output)
    print(
        f"loopmlp: wrote {output} ({args.form}, {machine.describe()}, "
        f"{Path(output).stat().st_size:,} bytes)",
        file=sys.stderr,
    )
    return 0


def cmd_asm(args: argparse.Namespace) -> int:
    """`loopmlp asm`."""
    if args.output == "-":
        args.output = None
    refuse_overwriting(args.output, [args.program], "image")
    cpp = cpp_options(args)
    image = read_program(args.program, args.bits, stack=args.stack, cpp=cpp, heap=args.heap).image
    text = "".join(" ".join(map(str, image[i : i + 3])) + "\n" for i in range(0, len(image), 3))
    _write_text(text, args.output, "image")
    return 0


def cmd_cc(args: argparse.Namespace) -> int:
    """`loopmlp cc`."""
    if not args.program.lower().endswith(".c"):
        raise LoopmlpError(f"{args.program}: loopmlp cc compiles C sources (.c)")
    if args.output == "-":  # as for a C compiler: stdout
        args.output = None
    refuse_overwriting(args.output, [args.program], "assembly")
    program = read_program(
        args.program, args.bits, args.words, args.stack, cpp_options(args), args.heap
    )
    _write_text(program.assembly or "", args.output, "assembly")
    if args.output is not None:
        print(
            f"loopmlp: wrote {args.output} ({len(program.image)} words for "
            f"N={program.bits}, K={program.min_words})",
            file=sys.stderr,
        )
    return 0


def _write_text(text: str, path: str | None, what: str) -> None:
    """Text to stdout, or atomically to `path` (no partial file on any error)."""
    if path is None:
        sys.stdout.write(text)
        return
    write_atomically(path, text.encode("utf-8"), what)


def cmd_trace(args: argparse.Namespace) -> int:
    """`loopmlp trace`."""
    from . import trace

    if args.html:
        return trace_html(args)
    if not args.output:
        raise LoopmlpError("loopmlp trace: give -o PICTURE.png (or --html PAGE.html)")
    if not Path(args.output).suffix:
        args.output += ".png"
    if Path(args.output).suffix.lower() != ".png":
        raise LoopmlpError(f"{args.output}: trace draws PNG pictures: give a name ending in .png")
    for path, what in ((args.output, "picture"), (args.data, "data")):
        if path is not None:
            refuse_overwriting(path, [args.program, args.program_opt], what)
            check_writable(path, what)
    program_file, options = args.program_opt, machine_options(args)
    program: Program | None
    if args.program.lower().endswith(".onnx"):
        network = Network(args.program, verify=not args.trust_model)
        options.check_model(args.program, network.machine)
        image = None  # the model's own program
        if program_file:
            program = options.read(program_file, network.machine)
            image = program.image
        else:
            program = embedded_program(network)
        state, machine = network.initial_state(image), network.machine
        label = f"{args.program} ({network.form})"
        if network.form == "loop":  # the Loop model's body is this machine's factored step
            network = Network(build_model(machine, "factored"))
    else:
        program = options.read(args.program)
        machine = options.machine(program)
        network = Network(build_model(machine, "factored"))
        state, label = network.initial_state(program.image), args.program
    read_byte = bytes_reader(os.fsencode(args.input or ""))
    title = f"{Path(label).name} on the network, {machine.describe()}"
    data: dict  # what --data writes as JSON
    if args.layers:
        runner = network.runner(state=state)
        runner.run(args.step, read_byte)
        layers = layer_activations(machine, runner.snapshot())
        data = {"step": runner.total_steps, "layers": layers}
        heading = f"{title}: the 23 layers of step {runner.total_steps + 1}"
        trace.draw_layers(layers, heading, args.output)
    else:
        data = trace.record_run(network.runner(state=state), args.steps, read_byte)
        if program is not None and program.source_map:
            data["source"] = trace.source_lines(program, data["pc"])
        trace.draw_run(data, title, args.output)
    if args.data:
        write_reports(args.data, data)
    print(f"loopmlp: wrote {args.output}", file=sys.stderr)
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    """`loopmlp inspect`."""
    report = inspect_model(args.model, verify=not args.trust_model)
    print(json.dumps(report, indent=1) if args.json else render(report))
    return 0


COMMANDS = {
    "run": cmd_run,
    "asm": cmd_asm,
    "compile": cmd_compile,
    "inspect": cmd_inspect,
    "trace": cmd_trace,
    "cc": cmd_cc,
    "view": cmd_view,
}


def main(argv: list[str] | None = None) -> int:
    """The `loopmlp` command: the exit status (2 for bad input, with one line on stderr)."""
    if sys.stderr is None:  # started with stderr closed: messages go nowhere, runs still run
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives as long as the process)
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        parser.print_usage(sys.stderr)
        print("loopmlp: give a command (loopmlp --help lists them)", file=sys.stderr)
        return 2
    try:
        argv, program_args = program_arguments(argv)
        args = parser.parse_args(argv)
        args.program_args = program_args
        return COMMANDS[args.command](args)
    except LoopmlpError as err:
        # one line, whatever a file name or a damaged file put in the message
        print(f"loopmlp: error: {one_line(str(err))}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:  # the reader of stdout left: the conventional quiet exit
        silence_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        print("loopmlp: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
