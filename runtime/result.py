"""The observable result of a run (docs/machine.md): output, steps, how it ended, pc and memory."""

from __future__ import annotations

from dataclasses import dataclass, field

HALT, FAULT, STEP_LIMIT = "halt", "fault", "step-limit"

FAULT_OPERAND = "operand address out of range"
FAULT_PAST_END = "instruction runs past the end of memory"
FAULT_PC = "pc out of range"

EXIT_STATUS = {HALT: 0, FAULT: 3, STEP_LIMIT: 4}


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
            **self.extra,
        }
