"""The compiler's entry points for the runtime: reading a program (`read_program`), a machine
(and optionally a program) to a checked ONNX model in the chosen form (`build_model`), and
one pass's 23 layers as the dense weights order them (`layer_activations`), and the small
model that gathers the host's fields on a device (`export_gather`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnx

from ..ir.errors import LoopmlpError
from ..ir.evaluate import evaluate
from ..ir.graph import OFFSET, SHAPE
from ..ir.machine import MIN_WORDS, Machine
from .cc import DEFAULT_HEAP, DEFAULT_STACK
from .driver import compile_machine
from .export import GATHER_IN, GATHER_OUT, export_dense, export_factored, export_gather, export_loop
from .export.weights import dense_size, held_order
from .modelfile import FORMS, add_program_facts, save_model
from .program import Program, SourceLocation, read_program
from .sources import CppOptions

DENSE_LIMIT_BYTES = 512 << 20  # a dense model larger than this is refused


def build_model(
    machine: Machine,
    form: str = "factored",
    image: list[int] | None = None,
    source_map: Sequence[SourceLocation | None] = (),
    exit_address: int | None = None,
    args: tuple[int, int] | None = None,
) -> onnx.ModelProto:
    """The model of `machine` in `form`, with `image` embedded if given (and in the metadata its
    source map, so a run of the model can name source lines, its exit word and the block its
    arguments are loaded into)."""
    model = _export(machine, form, image)
    places = (
        [None if p is None else (p.file, p.line, p.function, p.note) for p in source_map]
        if any(place is not None for place in source_map)
        else None
    )
    if image is not None and (places is not None or exit_address is not None or args):
        add_program_facts(model, places, exit_address, args)
    return model


def _export(machine: Machine, form: str, image: list[int] | None) -> onnx.ModelProto:
    compiled = compile_machine(machine)
    if form == "dense":
        nbytes = dense_bytes(machine)
        if nbytes > DENSE_LIMIT_BYTES:
            raise LoopmlpError(
                f"the dense form of {machine.describe()} would be "
                f"{nbytes / 2**20:,.0f} MiB of weights "
                f"(limit {DENSE_LIMIT_BYTES >> 20} MiB); {_dense_hint(machine, image)}, or use the "
                "factored form (the default), which computes the same"
            )
        return export_dense(compiled, image)
    if form == "factored":
        return export_factored(compiled, image)
    if form == "loop":
        return export_loop(compiled, image)
    raise LoopmlpError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")


def dense_bytes(machine: Machine) -> int:
    """The bytes of the dense form's weights (W_t and b_t of the 23 layers, float32)."""
    compiled = compile_machine(machine)
    return 4 * dense_size(compiled.graph, compiled.layers)


def _dense_hint(machine: Machine, image: list[int] | None) -> str:
    """Where the dense form fits: the largest memory at this word width, if any."""
    words = machine.words // 2
    while words >= MIN_WORDS:
        smaller = Machine(machine.bits, words, machine.io)
        if dense_bytes(smaller) <= DENSE_LIMIT_BYTES:
            fits = f"at N={machine.bits} it fits up to K={words} (--words {words})"
            if image is not None and len(image) > words:
                fits += f", too small for this program's {len(image)} words: try a smaller --bits"
            return fits
        words //= 2
    return f"at N={machine.bits} it does not fit even at K={MIN_WORDS}: try a smaller --bits"


__all__ = [
    "DEFAULT_HEAP",
    "DEFAULT_STACK",
    "CppOptions",
    "FORMS",
    "GATHER_IN",
    "GATHER_OUT",
    "Program",
    "SourceLocation",
    "build_model",
    "dense_bytes",
    "export_gather",
    "layer_activations",
    "read_program",
    "save_model",
]


def layer_activations(machine: Machine, state: np.ndarray) -> list[list[int]]:
    """The 23 layers' outputs for one pass from `state` (index 0 is the state itself)."""
    compiled = compile_machine(machine)
    _, values = evaluate(compiled.graph, np.asarray(state, dtype=np.int64)[None], keep=True)
    g = compiled.graph.g
    layers = []
    for nodes in compiled.layers:
        width = sum(int(np.prod(g.nodes[n][SHAPE], dtype=np.int64)) for n in nodes)
        row = np.zeros(width, dtype=np.int64)
        for n in nodes:
            flat = values[n][0].reshape(-1)[
                held_order(g.nodes[n][SHAPE])
            ]  # as the weights order them
            row[g.nodes[n][OFFSET] : g.nodes[n][OFFSET] + flat.size] = flat
        layers.append(row.tolist())
    return layers
