"""Text encodings shared by model files and checkpoints: the package version, a state's bits,
a program's source map. (What a model file holds, and its names, are compiler/modelfile.py's.)"""

from __future__ import annotations

import base64
import json
from importlib import metadata as _pkg

import numpy as np


def version() -> str:
    """The installed loopmlp version (0+unknown when it runs from an uninstalled tree)."""
    try:
        return _pkg.version("loopmlp")
    except _pkg.PackageNotFoundError:
        return "0+unknown"


def encode_state(state: np.ndarray) -> str:
    """A state (entries 0 or 1) as base64 text of its packed bits."""
    packed = np.packbits(np.asarray(state, dtype=np.uint8)).tobytes()
    return base64.b64encode(packed).decode("ascii")


def decode_state(text: str, size: int) -> np.ndarray:
    """The state of `size` entries that `encode_state` wrote as `text`."""
    return np.unpackbits(np.frombuffer(base64.b64decode(text), dtype=np.uint8))[:size].astype(
        np.int64
    )


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


def decode_source_map(
    text: str, length: int
) -> list[tuple[str, int, str | None, str | None] | None]:
    """The per-word source map of `encode_source_map`, for an image of `length` words."""
    runs = json.loads(text)
    places: list = [None] * length
    for i, (start, file, line, function, note) in enumerate(runs):
        end = runs[i + 1][0] if i + 1 < len(runs) else length
        if not (isinstance(start, int) and 0 <= start <= end <= length):
            raise ValueError("source map runs out of order")
        if file is not None and not (
            isinstance(file, str)
            and isinstance(line, int)
            and not isinstance(line, bool)
            and all(v is None or isinstance(v, str) for v in (function, note))
        ):
            raise ValueError(
                "a source map place must be (file, line, function or null, note or null)"
            )
        place = None if file is None else (file, line, function, note)
        places[start:end] = [place] * (end - start)
    return places
