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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str | Path, data: bytes, what: str) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: a reader
    never sees half a file, and on any error (an interrupt, a full disk) no temporary is left.

    Every file loopmlp writes goes through here: models, checkpoints, reports, images and
    assembly. A symlink is written through to its target; a device or FIFO is written in place
    (it cannot be replaced, and a reader may be waiting on it). A new file gets the mode the
    umask gives; a replaced one keeps its mode. A failure is one line naming `path` and what
    was being written.
    """
    target = Path(path)
    if target.is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: is a directory")
    if target.exists() and not target.is_file():  # a device, FIFO or socket: in place
        try:
            with open(target, "wb") as f:
                f.write(data)
        except OSError as err:
            raise LoopmlpError(f"{path}: cannot write {what}: {err.strerror}") from None
        return
    target = target.resolve()  # through symlinks, so the link itself stays
    parent = target.parent
    if not parent.is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: no such directory {parent}")
    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{what}-", suffix=target.suffix)
    except OSError as err:
        raise LoopmlpError(f"{path}: cannot write {what}: {err.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise LoopmlpError(f"{path}: cannot write {what}: {err.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(path: str | Path, what: str) -> None:
    """Refuse, before any work, an output path that cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: is a directory")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise LoopmlpError(f"{path}: cannot write {what}: no such directory {parent}")
    if not os.access(parent, os.W_OK) and not (target.exists() and not target.is_file()):
        raise LoopmlpError(f"{path}: cannot write {what}: permission denied")
    if target.exists() and not os.access(target, os.W_OK):
        raise LoopmlpError(f"{path}: cannot write {what}: permission denied")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file (through links)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwriting(output: str | Path | None, inputs, what: str) -> None:
    """The one-line error for an output path that is one of the command's own inputs."""
    if output is None:
        return
    for given in inputs:
        if given is not None and same_file(output, given):
            raise LoopmlpError(f"{output}: the {what} would overwrite the input {given}")
