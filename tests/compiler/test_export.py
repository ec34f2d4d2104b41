"""The export package on its own: its shared parts, the held order of neurons, the bit-major
memory of the state layout, and forms that share only public names."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from loopmlp.compiler.export.model import Builder
from loopmlp.compiler.export.weights import held_order, held_swapped
from loopmlp.ir.layout import StateLayout
from loopmlp.ir.machine import Machine

EXPORT = Path(__file__).resolve().parents[2] / "compiler" / "export"


def test_builder_keeps_one_initializer_per_value_and_type():
    b = Builder()
    one = b.const([1.0, 2.0])
    assert b.const(np.array([1, 2], np.float32)) == one
    assert b.const([1, 2], np.int64) != one
    assert len(b.inits) == 2


def test_wide_two_axis_nodes_are_held_swapped_and_nothing_else():
    assert held_swapped((16, 4)) and not held_swapped((4, 4)) and not held_swapped((64,))
    assert held_order((3, 16)).tolist() == np.arange(48).reshape(3, 16).T.reshape(-1).tolist()
    assert held_order((64,)).tolist() == list(range(64))


def test_memory_is_stored_bit_major():
    machine = Machine(8, 16)
    layout = StateLayout(machine)
    state = layout.initial([3, -1])
    mem = layout["mem"]
    for k, word in enumerate([3, 255] + [0] * 14):
        for j in range(8):
            assert state[mem.offset + j * machine.words + k] == (word >> j) & 1
    assert layout.bits_word(layout.get(state, "mem"))[:2].tolist() == [3, -1]
    assert mem.locate(1 * machine.words + 2) == (2, 1)  # entry j*K + k is word k, bit j


def test_no_form_imports_another_forms_private_names():
    for path in EXPORT.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
