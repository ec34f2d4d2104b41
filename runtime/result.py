"""The observable result of a run (docs/machine.md): output, steps, how it ended, pc and memory."""

from __future__ import annotations

from dataclasses import dataclass, field

HALT, FAULT, STEP_LIMIT = "halt", "fault", "step-limit"

FAULT_OPERAND = "operand address out of range"
FAULT_PAST_END = "instruction runs past the end of memory"
FAULT_PC = "pc out of range"

EXIT_STATUS = {HALT: 0, FAULT: 3, STEP_LIMIT: 4}
"""loopmlp's own exit statuses; a halt gives the program's, when it has an exit word."""


@dataclass
class RunResult:
    """Two executions agree when every field agrees."""

    output: bytes
    steps: int
    end: str
    reason: str
    pc: int
    memory: list[int]
    bits: int
    words: int
    extra: dict = field(default_factory=dict, compare=False)
    exit_address: int | None = field(default=None, compare=False)
    """The program's exit word, if it has one (the driver that knows the program sets it)."""

    @property
    def exit_status(self) -> int:
        """The process exit status of the run: after a halt, the low 8 bits of the word at
        `exit_address` in the final memory (0 without one), as a C program's `return n` from
        main gives `n & 255`; loopmlp's own status after a fault or at the step limit."""
        if self.end == HALT and self.exit_address is not None:
            return self.memory[self.exit_address] & 255
        return EXIT_STATUS[self.end]

    def report(self) -> dict:
        """The JSON report of `loopmlp run --report`."""
        return {
            "output": self.output.decode("latin-1"),
            "steps": self.steps,
            "end": self.end,
            "reason": self.reason,
            "pc": self.pc,
            "memory": list(self.memory),
            "bits": self.bits,
            "words": self.words,
            "exit_status": self.exit_status,
            **self.extra,
        }
