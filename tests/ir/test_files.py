"""ir/files: the one atomic write: all or nothing, and never a temporary left behind."""

from __future__ import annotations

import os

import pytest

from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.files import write_atomically


def test_the_file_is_replaced_whole(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new", "report")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.json"]


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_an_error_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, error):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def fail(*_):
        raise error

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(LoopmlpError if isinstance(error, OSError) else KeyboardInterrupt) as info:
        write_atomically(target, b"new", "checkpoint")
    if isinstance(error, OSError):
        assert str(info.value) == f"{target}: cannot write checkpoint: No space left on device"
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.json"]


def test_a_missing_directory_or_a_directory_target_is_one_line(tmp_path):
    with pytest.raises(LoopmlpError, match="no such directory"):
        write_atomically(tmp_path / "nowhere" / "x", b"", "model")
    with pytest.raises(LoopmlpError, match="is a directory"):
        write_atomically(tmp_path, b"", "image")
