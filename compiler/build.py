"""From a machine (and optionally a program) to a checked ONNX model in the chosen form, and to disk."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import onnx

from ..ir.errors import LoopmlpError
from ..ir.machine import MIN_WORDS, Machine
from ..ir.metadata import PREFIX, encode_source_map, seal
from .driver import compile_machine
from .export import export_dense, export_factored, export_loop
from .export.weights import dense_size
from .program import SourceLocation

FORMS = ("factored", "dense", "loop")
DENSE_LIMIT_BYTES = 512 << 20  # a dense model larger than this is refused


def build_model(machine: Machine, form: str = "factored", image: list[int] | None = None,
                source_map: Sequence[SourceLocation | None] = ()) -> onnx.ModelProto:
    """The model of `machine` in `form`, with `image` embedded if given (and its source map
    in the metadata, so a run of the model can name source lines)."""
    model = _export(machine, form, image)
    if image is not None and any(place is not None for place in source_map):
        entry = model.metadata_props.add()
        entry.key = PREFIX + "source_map"
        entry.value = encode_source_map(
            [None if p is None else (p.file, p.line, p.function, p.note) for p in source_map])
        seal(model)
    return model


def _export(machine: Machine, form: str, image: list[int] | None) -> onnx.ModelProto:
    compiled = compile_machine(machine)
    if form == "dense":
        nbytes = _dense_bytes(machine)
        if nbytes > DENSE_LIMIT_BYTES:
            raise LoopmlpError(
                f"the dense form of {machine.describe()} would be {nbytes / 2**20:,.0f} MiB of weights "
                f"(limit {DENSE_LIMIT_BYTES >> 20} MiB); {_dense_hint(machine, image)}, or use the "
                "factored form (the default), which computes the same"
            )
        return export_dense(compiled, image)
    if form == "factored":
        return export_factored(compiled, image)
    if form == "loop":
        return export_loop(compiled, image)
    raise LoopmlpError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")


def _dense_bytes(machine: Machine) -> int:
    compiled = compile_machine(machine)
    return 4 * dense_size(compiled.graph, compiled.layers)


def _dense_hint(machine: Machine, image: list[int] | None) -> str:
    """Where the dense form fits: the largest memory at this word width, if any."""
    words = machine.words // 2
    while words >= MIN_WORDS:
        smaller = Machine(machine.bits, words, machine.io)
        if _dense_bytes(smaller) <= DENSE_LIMIT_BYTES:
            fits = f"at N={machine.bits} it fits up to K={words} (--words {words})"
            if image is not None and len(image) > words:
                fits += f", too small for this program's {len(image)} words: try a smaller --bits"
            return fits
        words //= 2
    return f"at N={machine.bits} it does not fit even at K={MIN_WORDS}: try a smaller --bits"


def save_model(model: onnx.ModelProto, path: str | Path) -> None:
    """Write atomically, so an interrupted write never leaves half a model behind."""
    if Path(path).is_dir():
        raise LoopmlpError(f"{path}: is a directory")
    write_atomically(path, model.SerializeToString(), "model")


def write_atomically(path: str | Path, data: bytes, what: str) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a reader
    never sees half a file, and on any error (an interrupt too) no temporary is left."""
    target = Path(path)
    parent = target.resolve().parent
    if not parent.is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: no such directory {parent}")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{what}-", suffix=target.suffix)
    except OSError as err:
        raise LoopmlpError(f"{path}: cannot write {what}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise LoopmlpError(f"{path}: cannot write {what}: {err.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
