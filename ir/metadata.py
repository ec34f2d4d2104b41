"""What a loopmlp model file says about itself (ONNX metadata_props), written and read here only."""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import metadata as _pkg

import numpy as np

from .errors import LoopmlpError
from .layout import StateLayout
from .machine import Machine

FORMAT = 1  # bump when a model written by an older loopmlp can no longer be run
PREFIX = "loopmlp."


def version() -> str:
    try:
        return _pkg.version("loopmlp")
    except _pkg.PackageNotFoundError:
        return "0+unknown"


def encode_state(state: np.ndarray) -> str:
    return base64.b64encode(np.packbits(np.asarray(state, dtype=np.uint8))).decode("ascii")


def decode_state(text: str, size: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(base64.b64decode(text), dtype=np.uint8))[:size].astype(np.int64)


def encode_source_map(places: list[tuple[str, int, str | None, str | None] | None]) -> str:
    """A source map (one (file, line, function, note) or None per word) as JSON runs
    `[first_word, file, line, function, note]`, one for each run of words from the same place."""
    runs: list[list] = []
    previous: object = object()
    for address, place in enumerate(places):
        if place != previous:
            runs.append([address, *(place if place is not None else (None, None, None, None))])
            previous = place
    return json.dumps(runs, separators=(",", ":"))


def decode_source_map(text: str, length: int) -> list[tuple[str, int, str | None, str | None] | None]:
    """The per-word source map of `encode_source_map`, for an image of `length` words."""
    runs = json.loads(text)
    places: list = [None] * length
    for i, (start, file, line, function, note) in enumerate(runs):
        end = runs[i + 1][0] if i + 1 < len(runs) else length
        if not (isinstance(start, int) and 0 <= start <= end <= length):
            raise ValueError("source map runs out of order")
        place = None if file is None else (str(file), int(line), function, note)
        places[start:end] = [place] * (end - start)
    return places


def model_metadata(machine: Machine, form: str, layers: list[dict], bound: list[int],
                   image: list[int] | None) -> dict[str, str]:
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


def content_digest(model) -> str:
    """SHA-256 of what the model computes (its graph and functions), to detect damage."""
    digest = hashlib.sha256(model.graph.SerializeToString(deterministic=True))
    for function in model.functions:
        digest.update(function.SerializeToString(deterministic=True))
    return digest.hexdigest()


def seal(model) -> None:
    """Record the model's content digest in its metadata (after everything else is set)."""
    props = [p for p in model.metadata_props if p.key != PREFIX + "sha256"]
    del model.metadata_props[:]
    model.metadata_props.extend(props)
    entry = model.metadata_props.add()
    entry.key, entry.value = PREFIX + "sha256", content_digest(model)


def check_seal(model, source: str) -> None:
    props = {p.key: p.value for p in model.metadata_props}
    recorded = props.get(PREFIX + "sha256")
    if recorded is not None and recorded != content_digest(model):
        raise LoopmlpError(f"{source}: damaged model: its contents do not match its recorded SHA-256")


def read_metadata(props: dict[str, str], source: str) -> dict:
    """The parsed metadata of a model file, refusing files that are not (current) loopmlp models."""
    ours = {k[len(PREFIX):]: v for k, v in props.items() if k.startswith(PREFIX)}
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
