"""Peephole passes over generated SUBLEQ: thread jumps, drop jumps to the next instruction and
code that nothing reaches. Each keeps the program's meaning on every input: only plain jumps
(`Z Z c` with Z known to be 0) are removed or looked through, and instructions that are patched
at run time or named as data (`fixed`) are never touched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set as AbstractSet

from .asm import Asm, Ins, Z

_NAME = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")  # as the assembler reads names


def optimise(asm: Asm, keep: AbstractSet[str] = frozenset()) -> None:
    """Run the passes until none changes anything; then drop data nothing refers to."""
    while (
        _thread(asm.code)
        | _drop_jumps_to_next(asm.code)
        | _drop_unreachable(asm)
        | _merge_clear_and_jump(asm.code)
    ):
        pass
    while _drop_unused_data(asm, keep):
        pass


def _drop_unused_data(asm: Asm, keep: AbstractSet[str]) -> bool:
    used = _referenced(asm) | set(keep)
    kept = [d for d in asm.data if not d.values or any(label in used for label in d.labels)]
    changed = len(kept) != len(asm.data)
    asm.data[:] = kept
    return changed


def _targets(code: list[Ins]) -> dict[str, int]:
    return {label: i for i, ins in enumerate(code) for label in ins.labels}


def _thread(code: list[Ins]) -> bool:
    """A branch to a plain jump goes straight to that jump's target."""
    at = _targets(code)
    changed = False
    for ins in code:
        seen = set()
        while ins.c is not None and ins.c in at and ins.c not in seen:
            seen.add(ins.c)
            target = code[at[ins.c]]
            if not target.plain or target.fixed or target.c is None or target.c == ins.c:
                break
            ins.c = target.c
            changed = True
    return changed


def _drop_jumps_to_next(code: list[Ins]) -> bool:
    changed = False
    i = 0
    while i < len(code) - 1:
        ins = code[i]
        if ins.plain and not ins.fixed and ins.c in code[i + 1].labels:
            code[i + 1].labels[:0] = ins.labels
            del code[i]
            changed = True
            continue
        if ins.c is not None and ins.c in code[i + 1].labels and not ins.fixed:
            ins.c = None  # branching to the next instruction is falling through
        i += 1
    return changed


def _merge_clear_and_jump(code: list[Ins]) -> bool:
    """`Z Z` then a plain `Z Z c` (nothing jumps between them) is one `Z Z c`: it clears Z
    and jumps."""
    changed = False
    i = 0
    while i < len(code) - 1:
        first, second = code[i], code[i + 1]
        if (
            first.a == first.b == Z
            and first.c is None
            and not first.fixed
            and second.plain
            and not second.labels
            and not second.fixed
        ):
            second.labels, second.plain = first.labels, False
            del code[i]
            changed = True
            continue
        i += 1
    return changed


def _referenced(asm: Asm) -> set[str]:
    names: set[str] = set()
    for ins in asm.code:
        names.update(_names(ins.a), _names(ins.b), _names(ins.c or ""))
    for data in asm.data:
        for value in data.values:
            names.update(_names(value))
    return names


@functools.lru_cache(maxsize=1 << 16)
def _names(operand: str) -> tuple[str, ...]:
    """The names in one operand (operands repeat: each is read once)."""
    return tuple(_NAME.findall(operand))


def _drop_unreachable(asm: Asm) -> bool:
    """Code after an unconditional jump, up to the next label something refers to."""
    used = _referenced(asm)
    kept: list[Ins] = []
    reachable = True
    changed = False
    for ins in asm.code:
        if any(label in used for label in ins.labels) or ins.fixed:
            reachable = True
        if not reachable:
            changed = True
            continue
        kept.append(ins)
        if ins.a == ins.b and ins.c is not None:  # r = 0 <= 0: always jumps
            reachable = False
    asm.code[:] = kept
    return changed
