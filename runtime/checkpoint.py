"""Checkpoints of a network run: everything needed to continue it exactly where it stopped."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..compiler.modelfile import FORMS
from ..ir.errors import LoopmlpError
from ..ir.files import existing_file, write_atomically
from ..ir.layout import StateLayout
from ..ir.machine import Machine
from ..ir.metadata import decode_state, encode_state, version

FORMAT = 2  # 2: memory stored bit-major in the state
MAX_CHECKPOINT_BYTES = 1 << 30  # a larger file is refused unread


@dataclass
class Checkpoint:
    """A saved network run: its machine and form, state, counts, output and unread input."""

    machine: Machine
    form: str
    state: np.ndarray  # (S,) bits
    steps: int
    output: bytes
    max_steps: int
    pending_input: bytes | None  # what is left of --input/--input-file; None: standard input
    exit_address: int | None = None  # the program's exit word, read when it halts

    def save(self, path: str | Path) -> None:
        """Atomically: an interruption while saving leaves the previous checkpoint intact."""
        doc = {
            "format": FORMAT,
            "loopmlp": version(),
            "machine": {
                "bits": self.machine.bits,
                "words": self.machine.words,
                "io": self.machine.io,
            },
            "form": self.form,
            "state": encode_state(self.state),
            "steps": self.steps,
            "output": self.output.decode("latin-1"),
            "max_steps": self.max_steps,
            "pending_input": None
            if self.pending_input is None
            else self.pending_input.decode("latin-1"),
            "exit_address": self.exit_address,
        }
        write_atomically(path, json.dumps(doc).encode("utf-8"), "checkpoint")

    @staticmethod
    def load(path: str | Path) -> Checkpoint:
        """The checkpoint at `path`, or a one-line error for anything else."""
        if not Path(path).exists():
            raise LoopmlpError(f"{path}: no such checkpoint")
        existing_file(path, "a checkpoint", MAX_CHECKPOINT_BYTES)
        try:
            doc = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise LoopmlpError(f"{path}: no such checkpoint") from None
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise LoopmlpError(f"{path}: not a loopmlp checkpoint ({type(err).__name__})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise LoopmlpError(f"{path}: not a loopmlp checkpoint of format {FORMAT}")
        try:
            missing = [key for key in KEYS if key not in doc]
            if missing:
                raise ValueError(f"no {missing[0]!r}")
            m = doc["machine"]
            if not isinstance(m, dict) or not {"bits", "words", "io"} <= m.keys():
                raise ValueError("machine must be {bits, words, io}")
            machine = Machine(m["bits"], m["words"], m["io"])
            if doc["form"] not in FORMS:
                raise ValueError(f"form must be one of {', '.join(FORMS)}")
            size = StateLayout(machine).size
            state = decode_state(_text(doc, "state"), size)
            if len(state) != size:
                raise ValueError(f"the state must have {size} entries for {machine.describe()}")
            pending = doc["pending_input"]
            exit_address = None if doc.get("exit_address") is None else _count(doc, "exit_address")
            if exit_address is not None and exit_address >= machine.words:
                raise ValueError(f"exit_address must be an address below {machine.words}")
            return Checkpoint(
                machine,
                doc["form"],
                state,
                _count(doc, "steps"),
                _text(doc, "output").encode("latin-1"),
                _count(doc, "max_steps"),
                None if pending is None else _text(doc, "pending_input").encode("latin-1"),
                exit_address,
            )
        except (TypeError, ValueError, LoopmlpError) as err:
            raise LoopmlpError(f"{path}: damaged checkpoint ({err})") from None


KEYS = ("machine", "form", "state", "steps", "output", "max_steps", "pending_input")


def _text(doc: dict, key: str) -> str:
    value = doc[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    return value


MAX_COUNT = 1 << 62  # step counts beyond this are not from a run


def _count(doc: dict, key: str) -> int:
    """A step count: a whole number from 0 to 2^62 (not a float, not negative, not a bool)."""
    value = doc[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise ValueError(f"{key} must be a whole number from 0 to 2^62, not {value!r}")
    return value
