"""Verifying a model file: are its layers exactly the network this compiler builds?

The weights of a loopmlp network depend only on its machine (and form), never on the program,
so a model can be checked by building the network of the machine its metadata names and
comparing: the graph, the 23 layer functions, their weights, the opsets and the metadata that
describes the network (`modelfile.NETWORK_KEYS`). A match is remembered, per machine and
form, as the network's SHA-256 (`modelfile.digests`): in this process, and in a cache
directory keyed by a fingerprint of the compiler's own source, so a later check of any model
of that machine is one hash and no build. A mismatch always builds again and names the first
layer (or other part) that differs.

The cache lives in `$LOOPMLP_CACHE`, else `$XDG_CACHE_HOME/loopmlp`, else `~/.cache/loopmlp`;
where it cannot be written, nothing is cached on disk.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from .. import ir
from ..ir.errors import LoopmlpError
from ..ir.graph import DEPTH, layer_name
from ..ir.machine import Machine
from ..ir.metadata import version
from .build import build_model, dense_bytes
from .modelfile import DOMAIN, NETWORK_KEYS, PREFIX, ModelInfo, digests, layer_calls, properties

_known: dict[tuple[Machine, str], str] = {}  # (machine, form) -> network digest, this process


def verify_model(model: onnx.ModelProto, info: ModelInfo, source: str) -> None:
    """Refuse, in one line naming the first layer that differs, a model whose network is not
    the one this compiler builds for the machine and form in its metadata (`info`, from
    `modelfile.check_model`)."""
    machine, form = info.machine, info.form
    if info.network == expected_digest(machine, form):
        return
    if form == "dense":  # a small file claiming a large dense machine is refused unbuilt
        have, want = _weight_bytes(model), dense_bytes(machine)
        if have != want:
            raise LoopmlpError(
                f"{source}: its weights hold {have:,} bytes where the dense form of "
                f"{machine.describe()} holds {want:,}: not a model loopmlp wrote; compile the "
                "model again"
            )
    expected = _build(machine, form, source)
    digest = digests(expected)[1]
    remember(machine, form, digest)
    if info.network == digest:
        return
    raise LoopmlpError(
        f"{source}: {first_difference(model, expected)} differs from what loopmlp {version()} "
        f"builds for {machine.describe()} ({form} form): compile the model again, or give "
        "--trust-model to run it unverified"
    )


def expected_digest(machine: Machine, form: str) -> str | None:
    """The network digest of (machine, form) if known here or cached on disk, else None."""
    key = (machine, form)
    if key not in _known:
        text = _read_cache(_cache_file(machine, form))
        if text is None:
            return None
        _known[key] = text
    return _known[key]


def remember(machine: Machine, form: str, digest: str) -> None:
    """Record the network digest of (machine, form), in this process and on disk."""
    _known[(machine, form)] = digest
    path = _cache_file(machine, form)
    if path is None:
        return
    try:
        _write_cache(path, digest)
    except OSError:
        pass  # a cache that cannot be written only costs a build next time


def _weight_bytes(model: onnx.ModelProto) -> int:
    """The bytes of the model's float32 weights, from their shapes."""
    return sum(4 * int(np.prod(t.dims, dtype=np.int64)) for t in model.graph.initializer)


def _build(machine: Machine, form: str, source: str) -> onnx.ModelProto:
    """The network this compiler builds for (machine, form), or one line if it builds none."""
    try:
        return build_model(machine, form)
    except LoopmlpError as err:
        raise LoopmlpError(
            f"{source}: loopmlp {version()} builds no such model ({err}): not a model it wrote"
        ) from None


def first_difference(model: onnx.ModelProto, expected: onnx.ModelProto) -> str:
    """The first part of `model` that differs from `expected`: a layer, the rest of the graph,
    the opsets or a metadata entry."""
    have, want = _Parts(model), _Parts(expected)
    for t in range(1, DEPTH + 1):
        name = layer_name(t)
        if have.layer(name) != want.layer(name):
            return f"layer {t} ({name})"
    if have.rest() != want.rest():
        return "the graph outside the 23 layers"
    if have.opsets() != want.opsets():
        return "the opset list"
    for key in NETWORK_KEYS:
        if have.props.get(PREFIX + key) != want.props.get(PREFIX + key):
            return f"its metadata {key!r}"
    return "the model"


class _Parts:
    """A model taken apart for comparison: each layer's function, calls and weights."""

    def __init__(self, model: onnx.ModelProto) -> None:
        self.model = model
        self.props = properties(model)
        self.weights = {t.name: t for t in model.graph.initializer}
        self.functions = {(f.domain, f.name): f for f in model.functions}
        self.calls: dict[str, list[onnx.NodeProto]] = {}
        for call in layer_calls(model.graph):
            self.calls.setdefault(call.op_type, []).append(call)

    def layer(self, name: str) -> tuple:
        """Layer `name`: its function, its calls, and the values of the weights they read."""
        function = self.functions.get((DOMAIN, name))
        calls = self.calls.get(name, [])
        values = [
            _tensor(self.weights[i]) for call in calls for i in call.input if i in self.weights
        ]
        return (
            None if function is None else function.SerializeToString(deterministic=True),
            [c.SerializeToString(deterministic=True) for c in calls],
            values,
        )

    def rest(self) -> tuple:
        """The graph but its weights, and the functions that are not layers."""
        graph = onnx.GraphProto()
        graph.CopyFrom(self.model.graph)
        del graph.initializer[:]
        others = [
            f.SerializeToString(deterministic=True)
            for f in self.model.functions
            if f.domain != DOMAIN or f.name not in {layer_name(t) for t in range(1, DEPTH + 1)}
        ]
        names = sorted((t.name, _tensor(t)) for t in self.model.graph.initializer)
        return graph.SerializeToString(deterministic=True), others, names

    def opsets(self) -> tuple:
        return self.model.ir_version, sorted((o.domain, o.version) for o in self.model.opset_import)


def _tensor(tensor: onnx.TensorProto) -> tuple:
    """A weight's value, whatever its encoding in the file: (type, shape, bytes)."""
    try:
        array = numpy_helper.to_array(tensor)
    except (ValueError, TypeError, AttributeError):
        return ("unreadable", tensor.SerializeToString(deterministic=True))
    return (str(array.dtype), array.shape, np.ascontiguousarray(array).tobytes())


def _cache_dir() -> Path | None:
    for variable, sub in (("LOOPMLP_CACHE", ""), ("XDG_CACHE_HOME", "loopmlp")):
        if os.environ.get(variable):
            return Path(os.environ[variable]) / sub
    try:
        return Path.home() / ".cache" / "loopmlp"
    except RuntimeError:  # no home directory
        return None


def _cache_file(machine: Machine, form: str) -> Path | None:
    where = _cache_dir()
    if where is None:
        return None
    io = "io" if machine.io else "noio"
    name = f"{form}-n{machine.bits}-k{machine.words}-{io}-{compiler_fingerprint()[:16]}.sha256"
    return where / "verified" / name


def _read_cache(path: Path | None) -> str | None:
    """The digest in a cache file: a regular file (no link, FIFO or device), 64 hex digits."""
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        text = os.read(fd, 65).decode("ascii", "replace").strip()
    except OSError:
        return None
    finally:
        os.close(fd)
    return text if re.fullmatch(r"[0-9a-f]{64}", text) else None


def _write_cache(path: Path, digest: str) -> None:
    """Write a cache file whole, by renaming a new file over the name (never through a link)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".verified-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(digest)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@cache
def compiler_fingerprint() -> str:
    """SHA-256 of the source of the packages that decide the weights (the compiler and the
    IR), so a cached digest never outlives the code that computed it."""
    digest = hashlib.sha256(version().encode("utf-8"))
    for root in (Path(__file__).resolve().parent, Path(ir.__file__).resolve().parent):
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()
