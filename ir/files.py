"""Files on disk: opening an existing input file, and writing an output file atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import LoopmlpError


def existing_file(path: str | Path, what: str, limit: int | None = None) -> Path:
    """`path` as a Path, or the one-line error for a missing file, a directory, a file that is
    not a regular file (a device, a FIFO: reading one may never end) or one over `limit` bytes."""
    p = Path(path)
    if not p.exists():
        raise LoopmlpError(f"{path}: no such file")
    if p.is_dir():
        raise LoopmlpError(f"{path}: is a directory, not {what}")
    if not p.is_file():
        raise LoopmlpError(f"{path}: not a regular file (a device, FIFO or socket), not {what}")
    size = p.stat().st_size
    if limit is not None and size > limit:
        raise LoopmlpError(f"{path}: {size:,} bytes is too large for {what} (limit {limit:,})")
    return p


def write_atomically(path: str | Path, data: bytes, what: str) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a reader
    never sees half a file, and on any error (an interrupt too) no temporary is left.

    Every file loopmlp writes goes through here: models, checkpoints, reports, images and
    assembly. A failure is one line naming `path` and `what` was being written.
    """
    target = Path(path)
    if target.is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: is a directory")
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
