"""The state vector's layout: which entry is which bit. The one place offsets are computed.

Every entry is a bit in {0, 1}. Words are two's complement, least significant bit first.
Status and I/O fields are written by the network; the host writes only the input register
(`in_full`, `in_byte`, `in_eof`) and reads `out_byte` and the status bits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .machine import Machine

# (name, meaning) in state order; shapes depend on the machine (see `fields`).
FIELD_DOCS = {
    "mem": "memory, word k bit j at k*N + j",
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


@dataclass(frozen=True)
class Field:
    name: str
    offset: int
    shape: tuple[int, ...]

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def stop(self) -> int:
        return self.offset + self.size


class StateLayout:
    """Field name -> (offset, shape) for one machine."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        shapes = {"mem": (machine.words, machine.bits), "pc": (machine.bits,),
                  "out_byte": (8,), "in_byte": (8,)}
        self.fields: dict[str, Field] = {}
        offset = 0
        for name in FIELD_DOCS:
            shape = shapes.get(name, ())
            self.fields[name] = f = Field(name, offset, shape)
            offset = f.stop
        self.size = offset

    def __getitem__(self, name: str) -> Field:
        return self.fields[name]

    def get(self, state: np.ndarray, name: str) -> np.ndarray:
        """A field of a state (or of a batch of states, last axis), in its shape."""
        f = self.fields[name]
        return state[..., f.offset : f.stop].reshape((*state.shape[:-1], *f.shape))

    def set(self, state: np.ndarray, name: str, value) -> None:
        f = self.fields[name]
        state[..., f.offset : f.stop] = np.broadcast_to(value, (*state.shape[:-1], *f.shape)).reshape(
            (*state.shape[:-1], f.size)
        )

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
            {"name": f.name, "offset": f.offset, "shape": list(f.shape), "doc": FIELD_DOCS[f.name]}
            for f in self.fields.values()
        ]
