"""One program on the network, stepped on request: what the page shows, and what changed.

The run itself is a runner of the network (`Network.runner`, the same seam as `loopmlp run`:
the host loop over the network's step in ONNX Runtime); this module only reads the state back
through the layout and remembers what it last sent, so a page receives only the cells that
changed.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx

from ...compiler.build import CppOptions, Program, build_model, read_program
from ...compiler.modelfile import load_model
from ...ir.errors import LoopmlpError
from ...ir.graph import layer_name, stage_of_layer
from ...ir.layout import STOP_FIELDS
from ..network import Network
from ..reference import EOF_BYTE
from ..run import embedded_program

STATUS_FIELDS = (*STOP_FIELDS, "stepped", "in_wanted", "out_ready", "in_full", "in_eof")
LAYER_BINS = 512  # a layer strip is drawn from this many buckets, whatever the layer's width


class _WaitForInput(Exception):
    """The program reads, and the page has typed nothing yet: pause until it does."""


@dataclass
class Loaded:
    """What runs: the model (for download), its network, and the program with its sources."""

    name: str
    model: onnx.ModelProto
    network: Network
    program: Program | None
    image: list[int] | None  # None: the program embedded in the model
    sources: dict[str, list[str]] = field(default_factory=dict)


def load(
    path: str,
    bits: int | None = None,
    words: int | None = None,
    stack: int | None = None,
    io: bool = True,
    trust_model: bool = False,
    cpp: CppOptions | None = None,
    heap: int | None = None,
) -> Loaded:
    """A program (compiled to the factored form) or a .onnx model, ready to step (a model's
    layers first compared with the network loopmlp builds, unless `trust_model`)."""
    if path.lower().endswith(".onnx"):
        network = Network(path, verify=not trust_model)
        for flag, value, actual in (
            ("--bits", bits, network.machine.bits),
            ("--words", words, network.machine.words),
        ):
            if value is not None and value != actual:
                raise LoopmlpError(
                    f"{path}: the model's machine is {network.machine.describe()}, "
                    f"but {flag} says {value}"
                )
        program, image = embedded_program(network), None
        if program is None and network.info.initial_state is None:
            raise LoopmlpError(f"{path}: this model holds no program (compiled with --machine)")
        if network.form == "loop":  # the Loop model's body is this machine's factored step
            if program is None:
                raise LoopmlpError(f"{path}: this Loop model holds no program image to step")
            network, image = Network(build_model(network.machine, "factored")), program.image
        loaded = Loaded(path, load_model(path), network, program, image)  # the file, for download
    else:
        program = read_program(path, bits, words, stack, cpp, heap)
        machine = program.machine(words, io)
        model = build_model(machine, "factored", program.image, program.source_map)
        loaded = Loaded(path, model, Network(model), program, program.image)
    loaded.sources = _sources(loaded.program)
    return loaded


def _sources(program: Program | None) -> dict[str, list[str]]:
    """The text of every file the source map names (a file that cannot be read is left out)."""
    files = {p.file for p in (program.source_map if program else ()) if p is not None}
    sources = {}
    for name in sorted(files):
        try:
            sources[name] = Path(name).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
    return sources


class ViewSession:
    """The run the page looks at: reset, step, run to a breakpoint, type input."""

    def __init__(self, loaded: Loaded, given_input: bytes | None = None) -> None:
        self.loaded = loaded
        self.network = loaded.network
        self.machine = self.network.machine
        self.layout = self.network.layout
        self.given_input = given_input
        self.reset()

    def reset(self) -> None:
        self.runner = self.network.runner(self.loaded.image)
        self.pending: deque[int] = deque(self.given_input or b"")
        self.eof = self.given_input is not None
        self.waiting = False
        self.sent_memory: np.ndarray | None = None
        self.sent_output = 0

    # --- reading the state back through the layout -------------------------------------
    def memory(self) -> np.ndarray:
        row = self.runner.snapshot().astype(np.int64)
        return self.layout.bits_word(self.layout.get(row, "mem"))

    def pc(self) -> int:
        return int(
            self.layout.bits_word(self.layout.get(self.runner.snapshot().astype(np.int64), "pc"))
        )

    def status(self) -> dict[str, int]:
        row = self.runner.snapshot()
        return {name: int(self.layout.get(row, name).reshape(-1)[0]) for name in STATUS_FIELDS}

    def registers(self) -> dict[str, int]:
        row = self.runner.snapshot().astype(np.int64)
        return {
            name: int(self.layout.get(row, name) @ (1 << np.arange(8)))
            for name in ("out_byte", "in_byte")
        }

    # --- input -----------------------------------------------------------------------
    def type_input(self, data: bytes, eof: bool = False) -> None:
        self.pending.extend(data)
        self.eof = self.eof or eof
        self.waiting = False

    def _read_byte(self) -> int:
        if self.pending:
            return self.pending.popleft()
        if self.eof:
            return EOF_BYTE
        self.waiting = True
        raise _WaitForInput

    # --- running -----------------------------------------------------------------------
    def stopped(self) -> bool:
        return self.runner.stopped()

    def advance(
        self,
        steps: int,
        seconds: float = 0.2,
        break_pcs: AbstractSet[int] = frozenset(),
        break_cells: AbstractSet[int] = frozenset(),
    ) -> str:
        """Run up to `steps` instructions (or `seconds`); stop early at a breakpoint: the pc
        arriving at one of `break_pcs`, or a cell of `break_cells` changing value. Returns
        why it stopped: 'steps', 'time', 'break', 'input', or the machine's end."""
        deadline = time.perf_counter() + seconds
        if not break_pcs and not break_cells:  # one call of the host loop, stopped on time
            before = self.runner.total_steps
            try:
                self.runner.run(
                    steps,
                    self._read_byte,
                    lambda: time.perf_counter() > deadline,
                )
            except _WaitForInput:
                return "input"
            if self.stopped():
                return self.runner.result().end
            return "steps" if self.runner.total_steps - before >= steps else "time"
        watched = sorted(break_cells)
        for done in range(steps):
            if self.stopped():
                return self.runner.result().end
            pc, old = self.pc(), self.memory()[watched] if watched else None
            try:
                self.runner.run(1, self._read_byte)
            except _WaitForInput:
                return "input"
            now = self.pc()
            if now in break_pcs and (pc not in break_pcs or now <= pc):
                return "break"
            if watched and (self.memory()[watched] != old).any():
                return "break"
            if done + 1 < steps and time.perf_counter() > deadline:
                return "time"
        return self.runner.result().end if self.stopped() else "steps"

    # --- what the page receives --------------------------------------------------------
    def frame(self, full: bool = False) -> dict:
        """The state as the page draws it; memory only where it changed since the last frame
        (all of it when `full`)."""
        memory = self.memory()
        if full or self.sent_memory is None:
            cells = [[0, memory.tolist()]]
        else:
            changed = np.flatnonzero(memory != self.sent_memory)
            cells = [[int(a), [int(memory[a])]] for a in changed]
        self.sent_memory = memory
        output = bytes(self.runner.output)
        new_output = output[self.sent_output :] if not full else output
        self.sent_output = len(output)
        result = self.runner.result() if self.stopped() else None
        pc = self.pc()
        return {
            "full": bool(full),
            "steps": self.runner.total_steps,
            "pc": pc,
            "cells": cells,
            "output": list(new_output),
            "status": self.status(),
            "registers": self.registers(),
            "end": result.end if result else "",
            "reason": result.reason if result else "",
            "waiting": self.waiting,
            "pending": len(self.pending),
            "eof": self.eof,
            "named": self.named_cells(memory, pc),
        }

    def named_cells(self, memory: np.ndarray, pc: int) -> dict[str, list[int]]:
        """The cells the instruction at pc names: its three words, the cells it reads (A and B,
        or none for input), the cell it writes (B, or none for output). Only marks for the
        page: the network computes the step."""
        m = self.machine
        if not 0 <= pc < m.words:
            return {"instruction": [], "reads": [], "writes": []}
        words = [(pc + i) % m.words if m.full else pc + i for i in range(3)]
        words = [w for w in words if w < m.words]
        if len(words) < 3:
            return {"instruction": words, "reads": [], "writes": []}
        a, b = (int(memory[w]) & m.mask for w in words[:2])
        port = m.mask if m.io else None

        def cell(x):
            return x if x is not None and x != port and x < m.words else None

        if a == port and port is not None:
            reads, writes = [], [cell(b)]
        elif b == port and port is not None:
            reads, writes = [cell(a)], []
        else:
            reads, writes = [cell(a), cell(b)], [cell(b)]
        return {
            "instruction": words,
            "reads": [x for x in reads if x is not None],
            "writes": [x for x in writes if x is not None],
        }

    def describe(self) -> dict:
        """What does not change during a run: the machine, the sources, the source map."""
        program = self.loaded.program
        places = program.source_map if program else ()
        return {
            "name": self.loaded.name,
            "machine": {
                "bits": self.machine.bits,
                "words": self.machine.words,
                "io": self.machine.io,
                "text": self.machine.describe(),
            },
            "sources": self.loaded.sources,
            "source_map": [None if p is None else [p.file, p.line, p.function] for p in places],
            "given_input": self.given_input is not None,
        }

    def layers(self) -> dict:
        """The 23 layers of the next step from the current state (the data of `trace --layers`),
        each as the share of active neurons in LAYER_BINS buckets."""
        from ...compiler.build import layer_activations

        rows = layer_activations(self.machine, self.runner.snapshot())
        strips = []
        for t, row in enumerate(rows):
            values = np.asarray(row, dtype=np.float64)
            edges = np.linspace(0, len(values), min(LAYER_BINS, len(values)) + 1).astype(np.int64)
            sums = np.add.reduceat(values, edges[:-1]) if len(values) else np.zeros(0)
            shares = sums / np.maximum(np.diff(edges), 1)
            strips.append(
                {
                    "name": "state" if t == 0 else layer_name(t),
                    "stage": "state" if t == 0 else stage_of_layer(t),
                    "width": len(values),
                    "active": int(values.sum()),
                    "bins": [round(float(s), 3) for s in shares],
                }
            )
        return {"steps": self.runner.total_steps, "layers": strips}
