"""`loopmlp run`: one program (or a batch) on the reference or a network, from `RunOptions`."""

from __future__ import annotations

import os
import signal
import sys
import time

from ..compiler.build import Program, SourceLocation, build_model
from ..ir.errors import LoopmlpError
from ..ir.files import refuse_overwriting
from ..ir.machine import Machine
from .checkpoint import Checkpoint
from .loader import load_arguments
from .network import Network
from .options import RunOptions
from .profile import render as render_profile
from .reference import ReferenceEngine, bytes_reader
from .result import FAULT, HALT, STEP_LIMIT, RunResult
from .runner import Engine, Runner
from .session import (
    UNLIMITED,
    Input,
    Interrupt,
    check_report_path,
    drive,
    write_reports,
)


def embedded_program(network: Network) -> Program | None:
    """The program a model holds, with its source map, for naming source lines."""
    info = network.info
    if info.program is None:
        return None
    places = tuple(None if p is None else SourceLocation(*p) for p in info.source_map or ())
    return Program(
        network.source,
        info.program,
        network.machine.bits,
        0,
        places,
        exit_address=info.exit_address,
        args=info.args,
    )


def summary(
    result: RunResult,
    engine: str,
    seconds: float,
    program: Program | None = None,
    ran: int | None = None,
    waited: float = 0.0,
) -> str:
    """The one-line summary of a run on stderr (`ran`: the steps run in this process, for the
    rate, where a resumed run counts earlier ones in `result.steps`; `waited`: the seconds of
    `seconds` spent waiting for typed input, which the rate leaves out)."""
    ran = result.steps if ran is None else ran
    busy = seconds - waited
    rate = ran / busy if busy > 0 else 0.0
    wait = f" ({waited:.3f} s waiting for input)" if waited >= 0.05 else ""
    return (
        f"loopmlp: {ending(result, program)} [{engine}, {seconds:.3f} s{wait}, {rate:,.0f} steps/s]"
    )


def ending(result: RunResult, program: Program | None = None) -> str:
    """How a run ended, e.g. `halt after 463 steps at pc -1`, `exit 7 after 16 steps at pc -1`
    (a halt of a program with an exit word), a fault or a step limit naming its source line
    where the program is known."""
    how = f"fault ({result.reason})" if result.end == FAULT else result.end
    if result.end == HALT and result.exit_address is not None:
        how = f"exit {result.exit_status}"
    where = program.location(result.pc) if program is not None and result.end != HALT else None
    if where is not None and result.end == FAULT:
        how = (
            f"fault at {where}" + (f": {where.note}" if where.note else "") + f" ({result.reason})"
        )
    elif where is not None:  # a step limit: where the program was
        how = f"{result.end} at {where}"
    return f"{how} after {steps(result.steps)} at pc {result.pc}"


def steps(count: int) -> str:
    """`1 step`, `2 steps`."""
    return f"{count} step" if count == 1 else f"{count} steps"


def engine_name(runner: Runner) -> str:
    """What ran the program, for the summary: `reference` or `network FORM`."""
    return runner.form if runner.form == "reference" else f"network {runner.form}"


def _engine(options: RunOptions, path: str) -> tuple[Runner, Program | None]:
    """(the runner; the program, for naming source lines, if known)."""
    if path.lower().endswith(".onnx"):
        if options.reference:
            raise LoopmlpError("--reference runs a program, not a .onnx model")
        if options.form_given:
            raise LoopmlpError(f"{path}: --form is fixed by the model (compile it again to change)")
        network = Network(
            path,
            provider=options.provider,
            threads=options.threads,
            verify=not options.trust_model,
        )
        options.machine.check_model(path, network.machine)
        if not options.program_file:
            program = embedded_program(network)
            runner = network.runner(
                None if program is None else load_arguments(program, path, options.program_args)
            )
            return runner, program
        program = options.machine.read(options.program_file, network.machine)
        runner = network.runner(load_arguments(program, options.program_file, options.program_args))
        if network.info.program is not None:
            print(
                f"loopmlp: running {options.program_file} instead of the program embedded in "
                f"{path}",
                file=sys.stderr,
            )
        return runner, program
    if options.program_file:
        raise LoopmlpError("--program is for a .onnx machine model; give the program directly")
    program = options.machine.read(path)
    machine = options.machine.machine(program)
    image = load_arguments(program, path, options.program_args)
    if options.reference:
        if options.form_given:
            raise LoopmlpError("--form chooses a network form: drop it, or drop --reference")
        return ReferenceEngine(machine).runner(image), program
    model = build_model(machine, options.form, program.image, program.source_map)
    network = Network(model, provider=options.provider, threads=options.threads)
    return network.runner(image), program


def _resume(options: RunOptions) -> tuple[Runner, int, bytes | None, int | None]:
    """A saved run, ready to continue: (runner, step limit, input, the program's exit word)."""
    if options.programs or options.program_file or options.reference or options.program_args:
        raise LoopmlpError(
            "--resume continues a saved run: give no PROGRAM, --program, --reference or "
            "arguments after --"
        )
    given = [
        flag
        for flag, on in (
            ("--bits", options.machine.bits is not None),
            ("--words", options.machine.words is not None),
            ("--no-io", not options.machine.io),
            ("--form", options.form_given),
        )
        if on
    ]
    if given:
        raise LoopmlpError(
            f"{options.resume}: {given[0]} is fixed by the saved run: --resume continues it on "
            "the same machine and form"
        )
    assert options.resume is not None  # the caller resumes only when it is given
    ck = Checkpoint.load(options.resume)
    if ck.pending_input is not None and options.given_input:
        raise LoopmlpError(
            f"{options.resume}: the checkpoint holds the rest of the run's input; give no --input"
        )
    network = Network(
        build_model(ck.machine, ck.form), provider=options.provider, threads=options.threads
    )
    runner = network.runner(state=ck.state)
    runner.resume(ck.steps, ck.output)
    limit = ck.max_steps if options.max_steps is None else options.max_steps
    data: bytes | None
    if ck.pending_input is not None:
        data = ck.pending_input
    else:
        inputs = options.inputs()
        data = inputs[0] if inputs else None
    return runner, limit, data, ck.exit_address


def run(options: RunOptions) -> int:
    """`loopmlp run`: the exit status (the program's after a halt, 0 without an exit word;
    3 fault, 4 step limit, 130 interrupted)."""
    check_report_path(options.report)
    inputs_named = [*options.programs, options.program_file, *(options.input_files or ())]
    refuse_overwriting(options.report, [*inputs_named, options.resume], "report")
    refuse_overwriting(options.checkpoint, inputs_named, "checkpoint")
    if options.resume:
        if options.profile:
            raise LoopmlpError("--profile is for a run from the start, not --resume")
        runner, limit, data, exit_address = _resume(options)
        program = None
    else:
        inputs = options.inputs()
        if not options.programs:
            raise LoopmlpError("give a PROGRAM to run (or --resume CHECKPOINT)")
        if len(options.programs) > 1 or (inputs is not None and len(inputs) > 1):
            if options.checkpoint or options.profile:
                flag = "--checkpoint" if options.checkpoint else "--profile"
                raise LoopmlpError(f"{flag} is for a single run, not a batch")
            return run_batch(options, inputs)
        runner, program = _engine(options, options.programs[0])
        limit = UNLIMITED if options.max_steps is None else options.max_steps
        data = inputs[0] if inputs else None
        exit_address = program.exit_address if program is not None else None
    if options.checkpoint and options.reference:
        raise LoopmlpError("--checkpoint saves network runs; drop --reference")
    visits = None
    if options.profile:
        if program is None:
            raise LoopmlpError("--profile needs the program: this model holds none")
        visits = runner.count_visits()
    stdout = Stdout(len(runner.output))  # a resumed run printed its earlier output already

    def flush() -> None:
        stdout.write(runner.output)
        source.closed = stdout.closed  # a reader that left ends the run

    source = Input(data, flush)
    if runner.form == "loop" and data is None and sys.stdin is not None and sys.stdin.isatty():
        print(
            "loopmlp: the Loop form reads its input whole before it runs: type it and end it "
            "with Ctrl-D (or give --input)",
            file=sys.stderr,
        )
    start, before = time.perf_counter(), runner.total_steps
    with Interrupt(source) as interrupt:
        try:
            result = drive(runner, limit, source, interrupt, options, exit_address)
        finally:  # also when a checkpoint cannot be written: what was produced is not lost
            stdout.write(runner.output)
    seconds = time.perf_counter() - start
    if options.report:
        report = _with_source(result, program).report()
        if interrupt.hit:
            report.update(end="interrupted", exit_status=interrupt.status)
        elif stdout.closed and result.end == STEP_LIMIT and runner.total_steps < limit:
            report.update(end="interrupted", reason="stdout closed", exit_status=BROKEN_PIPE)
        write_reports(options.report, report)
    if visits is not None and program is not None:  # a profile is refused without a program
        print(render_profile(program, visits), file=sys.stderr)
    stdout.check()
    if interrupt.hit:
        saved = f"; saved to {options.checkpoint}" if options.checkpoint else ""
        print(
            f"loopmlp: {interrupt.what} after {steps(result.steps)} at pc {result.pc}{saved}",
            file=sys.stderr,
        )
        return interrupt.status
    if stdout.closed:
        return BROKEN_PIPE
    if not options.quiet or result.end != HALT:  # (a fault or a step limit is always said)
        stdout.end_line()
        ran = runner.total_steps - before
        print(
            summary(result, engine_name(runner), seconds, program, ran, source.waited),
            file=sys.stderr,
        )
    return result.exit_status


BROKEN_PIPE = 128 + signal.SIGPIPE  # the status a shell shows for a writer whose reader left


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that nothing is flushed to a closed pipe at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class Stdout:
    """The run's output on stdout, written as it is produced. A reader that goes away (a
    closed pipe, a closed stdout) ends the run quietly; any other failure (a full device)
    is kept and reported once the run's report is written."""

    def __init__(self, written: int = 0) -> None:
        self.written, self.closed = written, False
        self.last = 10  # the last byte written (a newline before anything is)
        self.error: OSError | None = None
        self.stream = sys.stdout.buffer if sys.stdout is not None else None
        if self.stream is None:
            self.closed = True

    def write(self, output: bytes | bytearray) -> None:
        """Write what of `output` is not written yet."""
        if self.closed or self.stream is None or self.error is not None:
            return
        if len(output) <= self.written:
            return
        try:
            self.stream.write(output[self.written :])
            self.stream.flush()
            self.last = output[-1]
        except BrokenPipeError:
            self._gone()
        except OSError as err:
            self.error = err
            self._gone()
        self.written = len(output)

    def end_line(self) -> None:
        """On a terminal, end an unfinished line of output, so a message starts its own."""
        try:
            if self.stream is not None and not self.closed and self.written and self.last != 10:
                if self.stream.isatty():
                    self.stream.write(b"\n")
                    self.stream.flush()
        except (OSError, ValueError):
            pass

    def _gone(self) -> None:
        """Stop writing, and let nothing be flushed to the dead stream at exit."""
        self.closed = True
        silence_stdout()

    def check(self) -> None:
        """The one-line error for a failed write (not a reader that left)."""
        if self.error is not None:
            raise LoopmlpError(f"stdout: cannot write the program's output: {self.error.strerror}")


def _with_source(result: RunResult, program: Program | None) -> RunResult:
    """The result, naming the source line of a fault in its report."""
    where = program.location(result.pc) if program is not None and result.end == FAULT else None
    if where is not None:
        result.extra.update(source=str(where), **({"note": where.note} if where.note else {}))
    return result


def _ended(result: RunResult, max_steps: int) -> bool:
    """Whether a run of a batch came to its end: halt, fault or its step limit."""
    return result.end != STEP_LIMIT or result.steps >= max_steps


def run_batch(options: RunOptions, inputs: list[bytes] | None) -> int:
    """Several runs on one machine, advancing together through one network."""
    programs, inputs = list(options.programs), inputs or [b""]
    if len(programs) > 1 and len(inputs) not in (1, len(programs)):
        raise LoopmlpError(
            f"{len(programs)} programs but {len(inputs)} inputs: give one input, or one per program"
        )
    if options.program_file:
        raise LoopmlpError(
            "--program loads a program into one .onnx machine model; a batch runs the programs "
            "it is given on a machine it compiles"
        )
    model = next((p for p in programs if p.lower().endswith(".onnx")), None)
    if model is not None:
        raise LoopmlpError(
            f"{model}: a batch runs programs (not .onnx models) on a machine it compiles"
        )
    runs = (
        [(p, i) for p in programs for i in range(len(inputs))]
        if len(programs) == 1
        else [(p, i if len(inputs) > 1 else 0) for i, p in enumerate(programs)]
    )
    read = {p: options.machine.read(p) for p in programs}
    images = {p: load_arguments(program, p, options.program_args) for p, program in read.items()}
    if len({program.bits for program in read.values()}) > 1:
        raise LoopmlpError(
            "a batch runs on one machine: give --bits for programs of different languages"
        )
    largest = max(read, key=lambda p: max(len(read[p].image), read[p].min_words))
    need = max(len(read[largest].image), read[largest].min_words)
    try:
        machine = Machine.for_image(
            need, read[largest].bits, options.machine.words, options.machine.io
        )
    except LoopmlpError as err:
        raise LoopmlpError(f"{largest}: {err}") from None
    max_steps = UNLIMITED if options.max_steps is None else options.max_steps
    start = time.perf_counter()
    engine: Engine
    if options.reference:
        engine, name = ReferenceEngine(machine), "reference"
    else:
        engine = Network(
            build_model(machine, options.form), provider=options.provider, threads=options.threads
        )
        name = (
            "network loop"
            if options.form == "loop"
            else f"network {options.form} batch of {len(runs)}"
        )
    with Interrupt(Input(b"", lambda: None)) as interrupt:  # a batch reads no stdin
        results = engine.run_batch(
            [images[p] for p, _ in runs],
            max_steps,
            [bytes_reader(inputs[i]) for _, i in runs],
            lambda: interrupt.hit,
        )
    seconds = time.perf_counter() - start
    for (program, _), result in zip(runs, results, strict=True):
        result.exit_address = read[program].exit_address
    stdout, text = Stdout(), bytearray()
    for (program, i), result in zip(runs, results, strict=True):
        label = program if len(inputs) == 1 else f"{program} (input {i + 1})"
        text += os.fsencode(f"==> {label} <==\n")  # a file name's own bytes
        text += result.output
        text += b"\n" if result.output and not result.output.endswith(b"\n") else b""
        stdout.write(text)
        if not options.quiet and not interrupt.hit:
            print(f"loopmlp: {label}: {ending(result, read[program])}", file=sys.stderr)
    if not options.quiet and not interrupt.hit:
        total = sum(r.steps for r in results)
        rate = total / seconds if seconds > 0 else 0.0
        print(
            f"loopmlp: {len(runs)} runs, {steps(total)} in all "
            f"[{name}, {seconds:.3f} s, {rate:,.0f} program-steps/s]",
            file=sys.stderr,
        )
    if options.report:
        reports = []
        for (p, i), r in zip(runs, results, strict=True):
            report = dict(r.report(), program=p, input=i)
            if interrupt.hit and not _ended(r, max_steps):
                report.update(end="interrupted", exit_status=interrupt.status)
            reports.append(report)
        write_reports(options.report, reports)
    stdout.check()
    if interrupt.hit:
        ended = sum(_ended(r, max_steps) for r in results)
        print(
            f"loopmlp: {interrupt.what}: {ended} of {len(runs)} runs had ended; "
            "the output so far is written",
            file=sys.stderr,
        )
        return interrupt.status
    if stdout.closed:
        return BROKEN_PIPE
    return max(r.exit_status for r in results)
