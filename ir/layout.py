"""The state vector's layout: which entry is which bit. The one place offsets are computed.

Every entry is a bit in {0, 1}. Words are two's complement, least significant bit first.
Memory is stored bit-major (bit j of every word, then bit j+1): the network's reads and
writes then broadcast and sum along the long, contiguous word axis. `get` and `set` speak
of fields in their shape (memory as (K, N), word by word) whatever the stored order.
Status and I/O fields are written by the network; the host writes only the input register
(`in_full`, `in_byte`, `in_eof`) and reads `out_byte` and the status bits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .machine import Machine

# (name, meaning) in state order; shapes depend on the machine (see `fields`).
FIELD_DOCS = {
    "mem": "memory, word k bit j at j*K + k (bit-major)",
    "pc": "program counter, N bits",
    "halted": "the machine has halted (a jump to a negative address)",
    "fault_operand": "fault: operand address out of range",
    "fault_past_end": "fault: instruction runs past the end of memory",
    "fault_pc": "fault: pc out of range",
    "stepped": "the last pass executed an instruction (counts one step)",
    "in_wanted": "the last pass met an input instruction with an empty input register",
    "out_ready": "the last pass output the byte in out_byte",
    "out_byte": "output register, 8 bits",
    "in_full": "input register holds a byte (or EOF) for the next input instruction",
    "in_eof": "input register holds EOF (-1)",
    "in_byte": "input register, 8 bits",
}
STOP_FIELDS = ("halted", "fault_operand", "fault_past_end", "fault_pc")


BIT_MAJOR = frozenset({"mem"})  # fields stored with their two axes swapped


@dataclass(frozen=True)
class Field:
    """One field: its first entry, its shape, and whether it is stored with its axes swapped."""

    name: str
    offset: int
    shape: tuple[int, ...]
    swapped: bool = False

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def stop(self) -> int:
        return self.offset + self.size

    @property
    def stored_shape(self) -> tuple[int, ...]:
        """The shape whose C order is the order of the field's entries in the state."""
        return self.shape[::-1] if self.swapped else self.shape

    def order(self) -> np.ndarray:
        """For each stored entry, in state order, its index in the C order of `shape`."""
        index = np.arange(self.size).reshape(self.shape)
        return (index.T if self.swapped else index).reshape(-1)

    def locate(self, entry: int) -> tuple[int, ...]:
        """The index in `shape` of the field's stored entry `entry` (0-based within the field)."""
        return tuple(int(i) for i in np.unravel_index(self.order()[entry], self.shape or (1,)))


class StateLayout:
    """Field name -> (offset, shape) for one machine."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        shapes = {
            "mem": (machine.words, machine.bits),
            "pc": (machine.bits,),
            "out_byte": (8,),
            "in_byte": (8,),
        }
        self.fields: dict[str, Field] = {}
        offset = 0
        for name in FIELD_DOCS:
            shape = shapes.get(name, ())
            self.fields[name] = f = Field(name, offset, shape, name in BIT_MAJOR)
            offset = f.stop
        self.size = offset

    def __getitem__(self, name: str) -> Field:
        return self.fields[name]

    def span(self, names: tuple[str, ...]) -> slice:
        """The entries of the fields `names`, which must lie next to each other in that order."""
        fields = [self.fields[name] for name in names]
        for before, after in zip(fields, fields[1:], strict=False):
            if before.stop != after.offset:
                raise ValueError(f"{after.name} does not follow {before.name} in the state")
        return slice(fields[0].offset, fields[-1].stop)

    def get(self, state: np.ndarray, name: str) -> np.ndarray:
        """A field of a state (or of a batch of states, last axis), in its shape."""
        f = self.fields[name]
        stored = state[..., f.offset : f.stop].reshape((*state.shape[:-1], *f.stored_shape))
        return stored.swapaxes(-1, -2) if f.swapped else stored

    def set(self, state: np.ndarray, name: str, value) -> None:
        """Write a field (in its shape) into a state or a batch of states."""
        f = self.fields[name]
        value = np.broadcast_to(value, (*state.shape[:-1], *f.shape))
        if f.swapped:
            value = value.swapaxes(-1, -2)
        state[..., f.offset : f.stop] = value.reshape((*state.shape[:-1], f.size))

    def word_bits(self, values) -> np.ndarray:
        """Signed or unsigned ints -> their N two's-complement bits, LSB first."""
        v = np.asarray(values, dtype=np.int64) & self.machine.mask
        return ((v[..., None] >> np.arange(self.machine.bits)) & 1).astype(np.int64)

    def bits_word(self, bits: np.ndarray) -> np.ndarray:
        """N bits (LSB first, last axis) -> the signed ints they encode."""
        n = self.machine.bits
        v = (np.asarray(bits, dtype=np.int64) << np.arange(n)).sum(axis=-1)
        return np.where(v >> (n - 1), v - (1 << n), v)

    def initial(self, image: list[int]) -> np.ndarray:
        """The state with the image at address 0, pc = 0, every flag clear."""
        state = np.zeros(self.size, dtype=np.int64)
        words = np.zeros(self.machine.words, dtype=np.int64)
        words[: len(image)] = image
        self.set(state, "mem", self.word_bits(words))
        return state

    def describe(self) -> list[dict]:
        """For the model's metadata: every field's offset, shape and meaning."""
        return [
            {
                "name": f.name,
                "offset": f.offset,
                "shape": list(f.shape),
                "stored_shape": list(f.stored_shape),
                "doc": FIELD_DOCS[f.name],
            }
            for f in self.fields.values()
        ]
