"""The loopmlp model file: what every exporter writes and every runner reads, in one place.

A model file is an ONNX model. This module owns its contract:

- tensor names: the step forms (dense, factored) map `STATE_IN` (batch, S) to `STATE_OUT`;
  the Loop form maps (`LOOP_STATE`, `LOOP_INPUT`, `LOOP_MAX_STEPS`) to (`LOOP_FINAL_STATE`,
  `LOOP_OUTPUT`, `LOOP_STEPS`, `LOOP_INPUT_USED`);
- `DOMAIN`, the ONNX domain of the 23 layer functions;
- the metadata (`metadata_props`, each key prefixed `PREFIX`; `KEYS` says what each means) and
  `FORMAT`, the format version a runtime refuses to run if it is not its own;
- the seal: the SHA-256 of what the model computes, recorded last, checked on loading;
- what is checked of every model before it runs (`check_model`): its metadata is consistent
  (the layout is its machine's, 23 layers, a bound that keeps float32 exact, an initial state
  that holds the embedded program) and its graph has the form's inputs and outputs. Whether
  its layers are the network the compiler builds is compiler/verify.py's.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import helper

from ..ir.errors import LoopmlpError
from ..ir.files import existing_file, write_atomically
from ..ir.graph import DEPTH
from ..ir.layout import StateLayout
from ..ir.machine import Machine
from ..ir.metadata import decode_source_map, decode_state, encode_source_map, encode_state, version

FORMAT = 2  # bump when a model written by an older loopmlp can no longer be run
# 2: memory stored bit-major in the state
PREFIX = "loopmlp."
DOMAIN = "loopmlp.layers"

STATE_IN, STATE_OUT = "state", "next_state"
LOOP_STATE, LOOP_INPUT, LOOP_MAX_STEPS = "state", "input_bytes", "max_steps"
LOOP_FINAL_STATE, LOOP_OUTPUT, LOOP_STEPS, LOOP_INPUT_USED = (
    "final_state",
    "output_bytes",
    "steps",
    "input_used",
)

KEYS = {
    "format": "FORMAT of the file; another one is refused",
    "version": "the loopmlp version that wrote it",
    "machine": 'JSON {"bits": N, "words": K, "io": bool}',
    "form": "dense, factored or loop",
    "state_size": "S, the length of a state",
    "layout": "JSON: the state's fields (ir.layout.StateLayout.describe)",
    "layers": "JSON: one row per layer (index, name, stage, widths, neurons by gadget kind)",
    "bound": "JSON: the proved bound on any activation, per layer",
    "program": "JSON: the embedded image (absent in a machine model)",
    "initial_state": "base64 packed bits: the state with the program loaded",
    "source_map": "JSON runs [first_word, file, line, function, note] (optional)",
    "exit_address": "the word of the program whose low 8 bits are the exit status at a halt "
    "(optional: without it a halt exits 0)",
    "args": "JSON [address, words]: the block the loader writes the program's arguments into "
    "(optional: without it the program takes none)",
    "sha256": "the seal: SHA-256 of the graph, functions and all other metadata, written last",
}

MAX_MODEL_BYTES = 2 << 30  # protobuf's own limit on one message
FLOAT32_EXACT = 1 << 24  # float32 holds every integer below this exactly
NETWORK_KEYS = ("format", "machine", "form", "state_size", "layout", "layers", "bound")
"""The metadata that describes the network itself (not the program it holds, nor who wrote it)."""


def model_metadata(
    machine: Machine, form: str, layers: list[LayerRow], bound: list[int], image: list[int] | None
) -> dict[str, str]:
    """The metadata of a model of `machine` in `form` (keys with `PREFIX`), for set_model_props."""
    layout = StateLayout(machine)
    props = {
        "format": str(FORMAT),
        "version": version(),
        "machine": json.dumps({"bits": machine.bits, "words": machine.words, "io": machine.io}),
        "form": form,
        "state_size": str(layout.size),
        "layout": json.dumps(layout.describe()),
        "layers": json.dumps([asdict(row) for row in layers]),
        "bound": json.dumps(bound),
    }
    if image is not None:
        props["program"] = json.dumps(image)
        props["initial_state"] = encode_state(layout.initial(image))
    return {PREFIX + k: v for k, v in props.items()}


def properties(model: onnx.ModelProto) -> dict[str, str]:
    """The model's metadata_props as a dict."""
    return {p.key: p.value for p in model.metadata_props}


def add_program_facts(
    model: onnx.ModelProto,
    places: list[tuple[str, int, str | None, str | None] | None] | None = None,
    exit_address: int | None = None,
    args: tuple[int, int] | None = None,
) -> None:
    """Record what is known of the embedded program, its source map (one place or None per
    word), its exit word and its arguments' block, and seal the model again."""
    props = properties(model)
    if places is not None:
        props[PREFIX + "source_map"] = encode_source_map(places)
    if exit_address is not None:
        props[PREFIX + "exit_address"] = str(exit_address)
    if args is not None:
        props[PREFIX + "args"] = json.dumps(list(args))
    helper.set_model_props(model, props)
    seal(model)


def digests(model: onnx.ModelProto) -> tuple[str, str]:
    """(content, network): SHA-256 of the whole model but its seal (the graph, the functions and
    every metadata entry, to detect damage and edits), and of the network alone (the graph,
    the functions, the opsets and `NETWORK_KEYS`: equal for every model of one machine and
    form, whatever program it holds), from one serialisation."""
    parts = [model.graph.SerializeToString(deterministic=True)]
    parts += [f.SerializeToString(deterministic=True) for f in model.functions]
    content, network = hashlib.sha256(), hashlib.sha256()
    for part in parts:
        content.update(part)
        network.update(part)
    props = properties(model)
    for key, value in sorted(props.items()):
        if key != PREFIX + "sha256":
            content.update(json.dumps([key, value]).encode("utf-8"))
    opsets = sorted((o.domain, o.version) for o in model.opset_import)
    network.update(json.dumps([model.ir_version, opsets]).encode("utf-8"))
    for key in NETWORK_KEYS:
        network.update(json.dumps([key, props.get(PREFIX + key)]).encode("utf-8"))
    return content.hexdigest(), network.hexdigest()


def content_digest(model: onnx.ModelProto) -> str:
    """SHA-256 of the whole model but its seal (see `digests`)."""
    return digests(model)[0]


def seal(model: onnx.ModelProto) -> None:
    """Record the model's content digest in its metadata (after everything else is set)."""
    props = {k: v for k, v in properties(model).items() if k != PREFIX + "sha256"}
    helper.set_model_props(model, {**props, PREFIX + "sha256": content_digest(model)})


def check_seal(model: onnx.ModelProto, source: str, digest: str | None = None) -> None:
    """Refuse a model whose contents no longer match its recorded digest (`digest`: the
    content digest, if already computed)."""
    recorded = properties(model).get(PREFIX + "sha256")
    if recorded is None:
        raise LoopmlpError(f"{source}: unsealed model: it has no recorded SHA-256")
    if recorded != (digest or content_digest(model)):
        raise LoopmlpError(
            f"{source}: damaged model: its contents do not match its recorded SHA-256"
        )


def _ours(props: dict[str, str], source: str) -> dict[str, str]:
    """The loopmlp metadata (keys without `PREFIX`) of a model of this `FORMAT`."""
    ours = {k[len(PREFIX) :]: v for k, v in props.items() if k.startswith(PREFIX)}
    if "format" not in ours:
        raise LoopmlpError(f"{source}: not a loopmlp model (no loopmlp metadata)")
    if ours["format"] != str(FORMAT):
        raise LoopmlpError(
            f"{source}: model format {ours['format']} (loopmlp {ours.get('version', '?')}) is not "
            f"format {FORMAT} that this loopmlp {version()} runs; compile it again"
        )
    return ours


@dataclass(frozen=True)
class LayerRow:
    """One row of the layer table a model's metadata holds (`layers`, as JSON objects with
    these keys in this order)."""

    index: int  # 1..23
    name: str  # e.g. fetch_1 (the layer function's name)
    stage: str  # the stage the layer belongs to
    inputs: int  # the width of the layer's input
    outputs: int  # the width of its output (its neurons)
    neurons: dict[str, int]  # neurons by gadget kind


def layer_rows(value: object) -> list[LayerRow]:
    """The layer table from its JSON (`ValueError` unless it is DEPTH rows numbered 1..DEPTH)."""
    if not (
        isinstance(value, list)
        and len(value) == DEPTH
        and all(_layer_row(r) for r in value)
        and [r["index"] for r in value] == list(range(1, DEPTH + 1))
    ):
        raise ValueError(f"layers must be {DEPTH} rows numbered 1 to {DEPTH}")
    return [LayerRow(**{k: r[k] for k in LAYER_ROW}) for r in value]


@dataclass
class ModelInfo:
    """What a model file's metadata says, parsed (`read_metadata`) and checked (`check_model`).

    `layout` and `bound` are the metadata's JSON as written, `layers` its rows typed (`KEYS`
    says what each holds); the checks compare them with what the machine's network has."""

    machine: Machine
    form: str
    state_size: int
    layout: list
    layers: list[LayerRow]
    bound: list[int]
    version: str
    program: list[int] | None
    source_map: list[tuple[str, int, str | None, str | None] | None] | None = None  # per word
    initial_state: np.ndarray | None = None
    network: str = ""  # the network digest (see `digests`), set by `check_model`
    exit_address: int | None = None  # the word holding the program's exit status
    args: tuple[int, int] | None = None  # the arguments' block: address and words


def read_metadata(props: dict[str, str], source: str) -> ModelInfo:
    """The parsed metadata of a model file, refusing files that are not (current) loopmlp models."""
    ours = _ours(props, source)
    try:
        m = json.loads(ours["machine"])
        machine = Machine(m["bits"], m["words"], m["io"])
        info = ModelInfo(
            machine=machine,
            form=ours["form"],
            state_size=int(ours["state_size"]),
            layout=json.loads(ours["layout"]),
            layers=layer_rows(json.loads(ours["layers"])),
            bound=json.loads(ours["bound"]),
            version=ours.get("version", "?"),
            program=json.loads(ours["program"]) if "program" in ours else None,
        )
        if "source_map" in ours and info.program is not None:
            info.source_map = decode_source_map(ours["source_map"], len(info.program))
        if "exit_address" in ours:
            if not re.fullmatch(r"[0-9]{1,10}", ours["exit_address"]):
                raise ValueError("exit_address must be an address")
            info.exit_address = int(ours["exit_address"])
        if "args" in ours:
            block = json.loads(ours["args"])
            if not (isinstance(block, list) and len(block) == 2 and all(_count(v) for v in block)):
                raise ValueError("args must be [address, words]")
            info.args = (block[0], block[1])
        if "initial_state" in ours:
            info.initial_state = decode_state(ours["initial_state"], info.state_size)
    except (KeyError, ValueError, TypeError, OverflowError, LoopmlpError) as err:
        raise LoopmlpError(f"{source}: damaged loopmlp metadata ({err})") from None
    except RecursionError:
        raise LoopmlpError(f"{source}: damaged loopmlp metadata (nested too deeply)") from None
    _check_metadata(info, source)
    return info


def _check_metadata(info: ModelInfo, source: str) -> None:
    """Refuse metadata that contradicts itself or its machine (one line each)."""
    machine, layout = info.machine, StateLayout(info.machine)

    def bad(what: str) -> LoopmlpError:
        return LoopmlpError(f"{source}: damaged loopmlp metadata ({what})")

    if info.form not in FORMS:
        raise bad(f"form {info.form!r} is not one of {', '.join(FORMS)}")
    if info.state_size != layout.size:
        raise LoopmlpError(f"{source}: state layout does not match machine {machine.describe()}")
    if info.layout != json.loads(json.dumps(layout.describe())):
        raise bad(f"the state layout is not the one of {machine.describe()}")
    bound = info.bound
    if not (isinstance(bound, list) and len(bound) == DEPTH and all(_count(b) for b in bound)):
        raise bad(f"bound must be {DEPTH} whole numbers, one per layer")
    if max(bound) >= FLOAT32_EXACT:
        raise bad(f"bound {max(bound):,} is not below 2^24: float32 would not be exact")
    if not re.fullmatch(r"[0-9A-Za-z.+!_-]{1,40}|\?", info.version):
        raise bad("the version is not a version")
    program = info.program
    if program is None and info.initial_state is not None:
        raise bad("an initial state but no program")
    if program is not None:
        low, high = -(1 << (machine.bits - 1)), 1 << machine.bits
        words = program if isinstance(program, list) else [None]
        if len(words) > machine.words or not all(
            isinstance(v, int) and not isinstance(v, bool) and low <= v < high for v in words
        ):
            raise bad(f"the program is not at most {machine.words} words of {machine.bits} bits")
        state = info.initial_state
        if state is None or not np.array_equal(state, layout.initial(program)):
            raise bad("the initial state does not hold the embedded program")
    exit_address = info.exit_address
    if exit_address is not None and (program is None or exit_address >= len(program)):
        raise bad("exit_address is not a word of the embedded program")
    if info.args is not None and (
        program is None or info.args[1] < 2 or sum(info.args) > len(program)
    ):
        raise bad("args is not a block of the embedded program")


LAYER_ROW = ("index", "name", "stage", "inputs", "outputs", "neurons")
FORMS = ("factored", "dense", "loop")


def _layer_row(row: object) -> bool:
    """A row of the layer table: index, name, stage, widths and neurons by gadget kind."""
    return (
        isinstance(row, dict)
        and set(LAYER_ROW) <= row.keys()
        and isinstance(row["name"], str)
        and isinstance(row["stage"], str)
        and all(_count(row[k]) for k in ("index", "inputs", "outputs"))
        and isinstance(row["neurons"], dict)
        and all(isinstance(k, str) and _count(n) for k, n in row["neurons"].items())
    )


def _count(value: object) -> bool:
    """A whole number >= 0 (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def graph_signature(form: str, state_size: int) -> tuple[list, list]:
    """The (inputs, outputs) a graph of `form` has: [(name, shape or None)]."""
    state = ["batch", state_size]
    if form == "loop":  # one program a call
        return (
            [(LOOP_STATE, [1, state_size]), (LOOP_INPUT, None), (LOOP_MAX_STEPS, None)],
            [
                (LOOP_FINAL_STATE, [1, state_size]),
                (LOOP_OUTPUT, None),
                (LOOP_STEPS, None),
                (LOOP_INPUT_USED, None),
            ],
        )
    return [(STATE_IN, state)], [(STATE_OUT, state)]


def _shape(value: onnx.ValueInfoProto) -> list:
    dims = value.type.tensor_type.shape.dim
    return [d.dim_param if d.HasField("dim_param") else d.dim_value for d in dims]


def _check_graph(model: onnx.ModelProto, info: ModelInfo, source: str) -> None:
    """Refuse a graph whose inputs and outputs are not those of the form its metadata names."""
    inputs, outputs = graph_signature(info.form, info.state_size)
    for kind, want, have in (
        ("inputs", inputs, model.graph.input),
        ("outputs", outputs, model.graph.output),
    ):
        found = [(v.name, _shape(v)) for v in have]
        if [name for name, _ in want] != [name for name, _ in found] or any(
            shape is not None and shape != got
            for (_, shape), (_, got) in zip(want, found, strict=True)
        ):
            names = ", ".join(f"{n}{s if s else ''}" for n, s in found) or "none"
            raise LoopmlpError(
                f"{source}: the graph's {kind} ({names}) are not those of the "
                f"{info.form} form of {info.machine.describe()}"
            )


def layer_calls(graph: onnx.GraphProto) -> list[onnx.NodeProto]:
    """The calls of the layer functions, also inside a Loop's body."""
    calls = []
    for node in graph.node:
        if node.domain == DOMAIN:
            calls.append(node)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                calls += layer_calls(attr.g)
    return calls


def check_model(model: onnx.ModelProto, source: str) -> ModelInfo:
    """The parsed metadata of a loaded model, after checking that it is an intact loopmlp
    model: consistent metadata, the form's inputs and outputs, the seal. `info.network` is
    its network digest (see `digests`), for compiler/verify.py."""
    _ours(properties(model), source)
    content, network = digests(model)
    check_seal(model, source, content)
    info = read_metadata(properties(model), source)
    _check_graph(model, info, source)
    info.network = network
    return info


def load_model(path: str | Path) -> onnx.ModelProto:
    """The ONNX model at `path`, or a one-line error (missing, too large, not ONNX)."""
    p = existing_file(path, "a model", MAX_MODEL_BYTES)
    try:
        # loopmlp writes a model whole: tensors kept in other files are never read
        model = onnx.load(str(p), load_external_data=False)
    except (DecodeError, OSError, ValueError) as err:
        raise LoopmlpError(f"{path}: not a readable ONNX model ({type(err).__name__})") from None
    if any(uses_external_data(t) for t in _tensors(model)):
        raise LoopmlpError(f"{path}: the model keeps tensors in other files; loopmlp reads none")
    return model


def uses_external_data(tensor: onnx.TensorProto) -> bool:
    """Whether a tensor's values are stored outside the model file."""
    return tensor.data_location == onnx.TensorProto.EXTERNAL or len(tensor.external_data) > 0


def _tensors(model: onnx.ModelProto):
    """Every tensor in the model: initializers, constants and attributes, in every graph."""
    graphs = [model.graph]
    for function in model.functions:
        graphs.append(onnx.helper.make_graph(list(function.node), function.name, [], []))
    while graphs:
        graph = graphs.pop()
        yield from graph.initializer
        for node in graph.node:
            for attr in node.attribute:
                if attr.HasField("t"):
                    yield attr.t
                yield from attr.tensors
                if attr.HasField("g"):
                    graphs.append(attr.g)
                graphs.extend(attr.graphs)


def save_model(model: onnx.ModelProto, path: str | Path) -> None:
    """Write atomically, so an interrupted write never leaves half a model behind."""
    if Path(path).is_dir():
        raise LoopmlpError(f"{path}: is a directory")
    write_atomically(path, model.SerializeToString(), "model")
