"""The loopmlp model file: what every exporter writes and every runner reads, in one place.

A model file is an ONNX model. This module owns its contract:

- tensor names: the step forms (dense, factored) map `STATE_IN` (batch, S) to `STATE_OUT`;
  the Loop form maps (`LOOP_STATE`, `LOOP_INPUT`, `LOOP_MAX_STEPS`) to (`LOOP_FINAL_STATE`,
  `LOOP_OUTPUT`, `LOOP_STEPS`, `LOOP_INPUT_USED`);
- `DOMAIN`, the ONNX domain of the 23 layer functions;
- the metadata (`metadata_props`, each key prefixed `PREFIX`; `KEYS` says what each means) and
  `FORMAT`, the format version a runtime refuses to run if it is not its own;
- the seal: the SHA-256 of what the model computes, recorded last, checked on loading.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import onnx
from google.protobuf.message import DecodeError
from onnx import helper

from ..ir.errors import LoopmlpError
from ..ir.files import existing_file, write_atomically
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
    "sha256": "the seal: SHA-256 of the graph, functions and all other metadata, written last",
}

MAX_MODEL_BYTES = 2 << 30  # protobuf's own limit on one message


def model_metadata(
    machine: Machine, form: str, layers: list[dict], bound: list[int], image: list[int] | None
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
        "layers": json.dumps(layers),
        "bound": json.dumps(bound),
    }
    if image is not None:
        props["program"] = json.dumps(image)
        props["initial_state"] = encode_state(layout.initial(image))
    return {PREFIX + k: v for k, v in props.items()}


def properties(model: onnx.ModelProto) -> dict[str, str]:
    """The model's metadata_props as a dict."""
    return {p.key: p.value for p in model.metadata_props}


def add_source_map(
    model: onnx.ModelProto, places: list[tuple[str, int, str | None, str | None] | None]
) -> None:
    """Record a program's source map (one place or None per word) and seal the model again."""
    helper.set_model_props(
        model, {**properties(model), PREFIX + "source_map": encode_source_map(places)}
    )
    seal(model)


def content_digest(model: onnx.ModelProto) -> str:
    """SHA-256 of the whole model but its seal: the graph, the functions and every metadata
    entry (the program, the initial state, the layout), to detect damage and edits."""
    digest = hashlib.sha256(model.graph.SerializeToString(deterministic=True))
    for function in model.functions:
        digest.update(function.SerializeToString(deterministic=True))
    for key, value in sorted(properties(model).items()):
        if key != PREFIX + "sha256":
            digest.update(json.dumps([key, value]).encode("utf-8"))
    return digest.hexdigest()


def seal(model: onnx.ModelProto) -> None:
    """Record the model's content digest in its metadata (after everything else is set)."""
    props = {k: v for k, v in properties(model).items() if k != PREFIX + "sha256"}
    helper.set_model_props(model, {**props, PREFIX + "sha256": content_digest(model)})


def check_seal(model: onnx.ModelProto, source: str) -> None:
    """Refuse a model whose contents no longer match its recorded digest."""
    recorded = properties(model).get(PREFIX + "sha256")
    if recorded is None:
        raise LoopmlpError(f"{source}: unsealed model: it has no recorded SHA-256")
    if recorded != content_digest(model):
        raise LoopmlpError(
            f"{source}: damaged model: its contents do not match its recorded SHA-256"
        )


def read_metadata(props: dict[str, str], source: str) -> dict:
    """The parsed metadata of a model file, refusing files that are not (current) loopmlp models."""
    ours = {k[len(PREFIX) :]: v for k, v in props.items() if k.startswith(PREFIX)}
    if "format" not in ours:
        raise LoopmlpError(f"{source}: not a loopmlp model (no loopmlp metadata)")
    if ours["format"] != str(FORMAT):
        raise LoopmlpError(
            f"{source}: model format {ours['format']} (loopmlp {ours.get('version', '?')}) is not "
            f"format {FORMAT} that this loopmlp {version()} runs; compile it again"
        )
    try:
        m = json.loads(ours["machine"])
        machine = Machine(m["bits"], m["words"], m["io"])
        info = {
            "machine": machine,
            "form": ours["form"],
            "state_size": int(ours["state_size"]),
            "layout": json.loads(ours["layout"]),
            "layers": json.loads(ours["layers"]),
            "bound": json.loads(ours["bound"]),
            "version": ours.get("version", "?"),
            "program": json.loads(ours["program"]) if "program" in ours else None,
        }
        if "source_map" in ours and info["program"] is not None:
            info["source_map"] = decode_source_map(ours["source_map"], len(info["program"]))
        if "initial_state" in ours:
            info["initial_state"] = decode_state(ours["initial_state"], info["state_size"])
    except (KeyError, ValueError, TypeError) as err:
        raise LoopmlpError(f"{source}: damaged loopmlp metadata ({err})") from None
    if info["state_size"] != StateLayout(machine).size:
        raise LoopmlpError(f"{source}: state layout does not match machine {machine.describe()}")
    return info


def check_model(model: onnx.ModelProto, source: str) -> dict:
    """The parsed metadata of a loaded model, after checking that it is an intact loopmlp model."""
    info = read_metadata(properties(model), source)
    check_seal(model, source)
    return info


def load_model(path: str | Path) -> onnx.ModelProto:
    """The ONNX model at `path`, or a one-line error (missing, too large, not ONNX)."""
    p = existing_file(path, "a model", MAX_MODEL_BYTES)
    try:
        return onnx.load(str(p))
    except (DecodeError, OSError, ValueError) as err:
        raise LoopmlpError(f"{path}: not a readable ONNX model ({type(err).__name__})") from None


def save_model(model: onnx.ModelProto, path: str | Path) -> None:
    """Write atomically, so an interrupted write never leaves half a model behind."""
    if Path(path).is_dir():
        raise LoopmlpError(f"{path}: is a directory")
    write_atomically(path, model.SerializeToString(), "model")
