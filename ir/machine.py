"""The SUBLEQ machine (N-bit words, K words of memory, optional I/O at -1) as an immutable value."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import LoopmlpError

MIN_BITS, MAX_BITS = 4, 32
MIN_WORDS, MAX_WORDS = 16, 65536


def check_bits(bits: int) -> None:
    """Word widths the machine allows; checked before a program is read at that width."""
    if not isinstance(bits, int) or not MIN_BITS <= bits <= MAX_BITS:
        raise LoopmlpError(f"bits must be an integer from {MIN_BITS} to {MAX_BITS}, got {bits!r}")


@dataclass(frozen=True)
class Machine:
    """A machine is fully described by (bits, words, io); the network depends on nothing else."""

    bits: int = 16
    words: int = 16
    io: bool = True

    def __post_init__(self) -> None:
        check_bits(self.bits)
        if not isinstance(self.io, bool):
            raise LoopmlpError(f"io must be true or false, got {self.io!r}")
        w = self.words
        if not isinstance(w, int) or w < MIN_WORDS or w & (w - 1):
            raise LoopmlpError(f"words must be a power of two >= {MIN_WORDS}, got {w!r}")
        if w > min(1 << self.bits, MAX_WORDS):
            raise LoopmlpError(
                f"words must be at most min(2^bits, {MAX_WORDS}) = "
                f"{min(1 << self.bits, MAX_WORDS)} for bits={self.bits}, got {w!r}"
            )

    @property
    def addr_bits(self) -> int:
        """L = log2(K): the width of a memory address."""
        return self.words.bit_length() - 1

    @property
    def full(self) -> bool:
        """K = 2^N: every word value is a memory address (except -1 when io is on)."""
        return self.words == 1 << self.bits

    @property
    def mask(self) -> int:
        """2^N - 1: the N-bit mask."""
        return (1 << self.bits) - 1

    def to_signed(self, value: int) -> int:
        """The signed N-bit reading of an unsigned N-bit value."""
        return value - (1 << self.bits) if value >> (self.bits - 1) else value

    def describe(self) -> str:
        """The machine in words, e.g. `N=16 K=256 io=on`."""
        return f"N={self.bits} K={self.words} io={'on' if self.io else 'off'}"

    @staticmethod
    def for_image(
        length: int, bits: int = 16, words: int | None = None, io: bool = True
    ) -> Machine:
        """The machine for an image: K defaults to the smallest power of two >= length (>= 16)."""
        if words is None:
            words = MIN_WORDS
            while words < length:
                words *= 2
        machine = Machine(bits, words, io)
        if length > machine.words:
            raise LoopmlpError(
                f"the program has {length} words but the machine has only {machine.words}"
            )
        return machine
