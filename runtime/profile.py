"""`loopmlp run --profile`: the steps a run spent on each source line and in each function.

A step is counted at the pc of the instruction it executed: the reference interpreter counts
its own steps; on the network the host reads pc from the state going into each pass and counts
it when the network sets the pass's "stepped" bit, so the network's own run is what is measured.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from ..ir.layout import StateLayout
from ..ir.machine import Machine

if TYPE_CHECKING:
    from ..compiler.build import Program

SHOWN = 25  # rows per table; the rest are summed in one line


class ObservedStep:
    """A network's step function that counts, per pc, the passes that executed an instruction."""

    def __init__(self, step, machine: Machine, visits: np.ndarray) -> None:
        layout = StateLayout(machine)
        pc = layout.fields["pc"]
        self._step, self._visits = step, visits
        self._pc = slice(pc.offset, pc.stop)
        self._stepped = layout.fields["stepped"].offset
        self._weights = 1 << np.arange(machine.bits, dtype=np.int64)

        if hasattr(step, "fetch"):  # the states stay on a device: pc is among what comes back
            self.fetch = step.fetch

    def __call__(self, states: np.ndarray) -> np.ndarray:
        pcs = (states[:, self._pc] > 0).astype(np.int64) @ self._weights
        new = self._step(states)
        ran = new[:, self._stepped] > 0
        np.add.at(self._visits, pcs[ran] % len(self._visits), 1)
        return new


def render(program: Program, visits: np.ndarray | list[int]) -> str:
    """Two tables, heaviest first: steps per source line, and steps per function."""
    lines: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    for pc in np.flatnonzero(np.asarray(visits)):
        count, where = int(visits[pc]), program.location(int(pc))
        lines["(no source)" if where is None else str(where)] += count
        if where is not None and where.function:
            functions[where.function] += count
    total = sum(lines.values())
    out = [f"loopmlp: profile of {total:,} steps of {program.name}, heaviest first"]
    out += _table(lines, total, "source line")
    if functions:
        out += _table(functions, total, "function")
    return "\n".join(out)


def _table(counts: Counter[str], total: int, what: str) -> list[str]:
    rows = [f"{'steps':>12} {'%':>6}  {what}"]
    ranked = counts.most_common()
    for name, count in ranked[:SHOWN]:
        rows.append(f"{count:>12,} {100 * count / max(total, 1):>5.1f}%  {name}")
    rest = ranked[SHOWN:]
    if rest:
        count = sum(c for _, c in rest)
        rows.append(f"{count:>12,} {100 * count / max(total, 1):>5.1f}%  ({len(rest)} more)")
    return rows
