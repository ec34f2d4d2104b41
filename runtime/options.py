"""Typed options of the commands, built once from the command line (cli.py) and passed on."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..compiler.build import CppOptions, Program, read_program
from ..ir.errors import LoopmlpError
from ..ir.machine import Machine


def cpp_options(args: object) -> CppOptions:
    """The -D, -U and -I options of a parsed command line (none where it has none)."""
    return CppOptions(
        tuple(getattr(args, "cpp_macros", None) or ()),
        tuple(getattr(args, "cpp_include", None) or ()),
    )


@dataclass(frozen=True)
class MachineOptions:
    """--bits, --words, --no-io, --stack, --heap: the machine a program is read for and run on;
    and -D, -U, -I: how a C program is preprocessed."""

    bits: int | None = None
    words: int | None = None
    io: bool = True
    stack: int | None = None
    cpp: CppOptions = CppOptions()
    heap: int | None = None

    def read(self, path: str, machine: Machine | None = None) -> Program:
        """The program at `path`, for `machine` (a model's) or for these options."""
        if machine is None:
            return read_program(path, self.bits, self.words, self.stack, self.cpp, self.heap)
        program = read_program(path, machine.bits, machine.words, self.stack, self.cpp, self.heap)
        if program.min_words > machine.words:
            raise LoopmlpError(
                f"{path}: the program needs a machine of {program.min_words} words, "
                f"but the model's machine is {machine.describe()}"
            )
        return program

    def machine(self, program: Program) -> Machine:
        """The machine that runs `program`: these options, or the smallest that holds it."""
        return program.machine(self.words, self.io)

    def bare_machine(self) -> Machine:
        """A machine with no program (`compile --machine`): --bits defaults to 16."""
        if self.words is None:
            raise LoopmlpError("--machine needs --words K (and --bits N, default 16)")
        return Machine(16 if self.bits is None else self.bits, self.words, self.io)

    def check_model(self, source: str, machine: Machine) -> None:
        """Refuse options that contradict the machine of the model at `source`."""
        given = {"--bits": (self.bits, machine.bits), "--words": (self.words, machine.words)}
        for flag, (value, actual) in given.items():
            if value is not None and value != actual:
                raise LoopmlpError(
                    f"{source}: the model's machine is {machine.describe()}, "
                    f"but {flag} says {value}"
                )
        if not self.io and machine.io:
            raise LoopmlpError(f"{source}: the model's machine has I/O on, but --no-io was given")


@dataclass(frozen=True)
class RunOptions:
    """Everything `loopmlp run` was asked to do."""

    programs: tuple[str, ...] = ()
    program_file: str | None = None  # --program: the program for a program-free model
    machine: MachineOptions = MachineOptions()
    input_texts: tuple[str, ...] | None = None  # --input (one run each)
    input_files: tuple[str, ...] | None = None  # --input-file (one run each)
    max_steps: int | None = None
    report: str | None = None
    form: str = "factored"
    form_given: bool = False  # --form was on the command line (not just the default)
    provider: str = "cpu"
    threads: int = 0  # ONNX Runtime threads; 0 lets Network choose by machine size
    reference: bool = False
    quiet: bool = False
    profile: bool = False
    checkpoint: str | None = None
    checkpoint_every: float = 30.0
    resume: str | None = None
    trust_model: bool = False  # run a .onnx model without comparing its layers to a build
    program_args: tuple[str, ...] = ()  # after `--`: the program's argv[1..]

    @property
    def given_input(self) -> bool:
        """Whether --input or --input-file was given (else the input is standard input)."""
        return self.input_texts is not None or self.input_files is not None

    def inputs(self) -> list[bytes] | None:
        """The given inputs (one per run), or None to read standard input."""
        if self.input_texts is not None:
            # the bytes as given: text that is not UTF-8 comes back as the raw bytes it was
            return [os.fsencode(text) for text in self.input_texts]
        if self.input_files is not None:
            data = []
            for path in self.input_files:
                try:
                    data.append(Path(path).read_bytes())
                except OSError as err:
                    raise LoopmlpError(f"{path}: cannot read input file: {err.strerror}") from None
            return data
        return None
