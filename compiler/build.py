"""From a machine (and optionally a program) to a checked ONNX model in the chosen form, and to disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import onnx

from ..ir.errors import LoopmlpError
from ..ir.machine import Machine
from .driver import compile_machine
from .emit import dense_size
from .export import export_dense
from .factored import export_factored
from .loop import export_loop

FORMS = ("factored", "dense", "loop")
DENSE_LIMIT_BYTES = 512 << 20  # a dense model larger than this is refused


def build_model(machine: Machine, form: str = "factored", image: list[int] | None = None) -> onnx.ModelProto:
    compiled = compile_machine(machine)
    if form == "dense":
        nbytes = 4 * dense_size(compiled.graph, compiled.layers)
        if nbytes > DENSE_LIMIT_BYTES:
            raise LoopmlpError(
                f"the dense form of {machine.describe()} would be {nbytes / 2**20:,.0f} MiB of weights "
                f"(limit {DENSE_LIMIT_BYTES >> 20} MiB); use the factored form (the default)"
            )
        return export_dense(compiled, image)
    if form == "factored":
        return export_factored(compiled, image)
    if form == "loop":
        return export_loop(compiled, image)
    raise LoopmlpError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")


def save_model(model: onnx.ModelProto, path: str | Path) -> None:
    """Write atomically, so an interrupted write never leaves half a model behind."""
    target = Path(path)
    if target.is_dir():
        raise LoopmlpError(f"{path}: is a directory")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise LoopmlpError(f"{path}: cannot write model: no such directory {parent}")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=".model-", suffix=".onnx")
    except OSError as err:
        raise LoopmlpError(f"{path}: cannot write model: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(model.SerializeToString())
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise LoopmlpError(f"{path}: cannot write model: {err.strerror}") from None
