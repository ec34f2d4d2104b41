"""SUBLEQ code under construction: instructions with symbolic operands, labels, data, macros.

Every instruction is `a b c`: mem[b] -= mem[a], then jump to c if the result is <= 0 (c None:
the next instruction). Operands are sqasm expressions (labels, numbers, `label+2`). The cell
`Z` holds 0 before and after every macro; a macro that borrows it clears it again. Macros that
branch take their targets as labels, where None means "fall through to what follows".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..assembler import operand_terms

Z = "Z"  # the zero cell
IO = "(-1)"  # the I/O port


@dataclass(frozen=True)
class Where:
    """The source of an instruction: file, line and function (None for data)."""

    file: str
    line: int
    function: str | None = None
    note: str | None = None  # what a deliberate fault means ("division by zero")


@dataclass
class Ins:
    """One instruction `a b c`, its source, its labels, and what the optimiser must leave alone."""

    a: str
    b: str
    c: str | None  # None: the next instruction
    where: Where | None
    labels: list[str] = field(default_factory=list)
    fixed: bool = False  # patched at run time or referenced as data: never optimised away
    plain: bool = False  # `Z Z c` where Z is already 0: only a jump


@dataclass
class Data:
    """Data words with their labels and a comment for the listing."""

    values: list[str]  # one sqasm expression per word
    labels: list[str] = field(default_factory=list)
    comment: str = ""


class Asm:
    """A list of instructions and data words with labels, and the macros code is written in."""

    def __init__(self, bits: int) -> None:
        """An empty program for `bits`-bit words."""
        self.bits = bits
        self.code: list[Ins] = []
        self.data: list[Data] = []
        self.where: Where | None = None
        self._pending: list[str] = []
        self._consts: dict[str, str] = {}
        self._count = 0

    # -- building blocks ------------------------------------------------------------------
    def fresh(self, hint: str = "L") -> str:
        """A new label, never equal to a C name (those are prefixed by the code generator)."""
        self._count += 1
        return f"_{hint}{self._count}"

    def label(self, name: str | None) -> None:
        """Put `name` on the next instruction emitted (None: no label)."""
        if name is not None:
            self._pending.append(name)

    def ins(
        self, a: str, b: str, c: str | None = None, fixed: bool = False, plain: bool = False
    ) -> Ins:
        """Append the instruction `a b c`, with the pending labels and the current source place."""
        ins = Ins(a, b, c, self.where, self._pending, fixed, plain)
        self._pending = []
        self.code.append(ins)
        return ins

    def cell(self, label: str, values: list[str] | None = None, comment: str = "") -> str:
        """A data word (or several) named `label`; 0 unless given."""
        self.data.append(Data(values or ["0"], [label], comment))
        return label

    def const(self, value: int | str) -> str:
        """A cell holding `value` (a number, wrapped to N bits, or a label expression)."""
        if isinstance(value, int):
            value = self.wrap(value)
            text = str(value) if value >= 0 else f"({value})"
            name = f"_c{value}" if value >= 0 else f"_cm{-value}"
        else:
            text, name = value, None
        if text not in self._consts:
            label = name or self.fresh("a")
            self._consts[text] = label
            self.data.append(Data([text], [label]))
        return self._consts[text]

    def wrap(self, value: int) -> int:
        """`value` as a signed N-bit word."""
        value &= (1 << self.bits) - 1
        return value - (1 << self.bits) if value >> (self.bits - 1) else value

    def finish_labels(self) -> list[str]:
        """Labels placed after the last instruction (they name the first data word)."""
        pending, self._pending = self._pending, []
        return pending

    # -- macros: arithmetic on cells ------------------------------------------------------
    def clear(self, x: str) -> None:
        """x = 0"""
        self.ins(x, x)

    def sub(self, src: str, dst: str) -> None:
        """dst -= src"""
        self.ins(src, dst)

    def add(self, src: str, dst: str) -> None:
        """dst += src"""
        self.ins(src, Z)
        self.ins(Z, dst)
        self.ins(Z, Z)

    def move(self, src: str, dst: str) -> None:
        """dst = src"""
        if src != dst:
            self.clear(dst)
            self.add(src, dst)

    def negate(self, src: str, dst: str) -> None:
        """dst = -src (src and dst distinct)"""
        self.clear(dst)
        self.sub(src, dst)

    def double(self, x: str) -> None:
        """x += x"""
        self.ins(x, Z)
        self.ins(Z, x)
        self.ins(Z, Z)

    def add_const(self, value: int, x: str) -> None:
        """x += value"""
        if value:
            self.sub(self.const(-value), x)

    def set_const(self, value: int, x: str) -> None:
        """x = value"""
        self.clear(x)
        self.add_const(value, x)

    # -- macros: control ------------------------------------------------------------------
    def jump(self, target: str | None) -> None:
        """Go to `target` (nothing for None: fall through)."""
        if target is not None:
            self.ins(Z, Z, target, plain=True)

    def if_le0(self, x: str, target: str) -> None:
        """Go to `target` if x <= 0."""
        self.ins(Z, x, target)

    def halt(self) -> None:
        """Stop the machine: a jump to -1."""
        self.ins(Z, Z, "(-1)")

    def fault(self, note: str) -> None:
        """Stop the machine with a fault: input from the port into the port is an operand fault."""
        where = self.where
        self.where = Where(
            where.file if where else "",
            where.line if where else 0,
            where.function if where else None,
            note,
        )
        self.ins(IO, IO, "0", fixed=True)
        self.where = where

    def classify(
        self, x: str, positive: str | None, zero: str | None, negative: str | None
    ) -> None:
        """Go to one of three places by the sign of x (None: fall through), leaving x as it was.

        x <= 0 is one instruction; x < 0 is then x + 1 <= 0, tried on x itself and undone on
        both ways out (testing -x instead would overflow for INT_MIN)."""
        end = self.fresh()
        le, below = self.fresh(), self.fresh()
        self.ins(Z, x, le)
        self.jump(positive or end)
        self.label(le)
        self.ins(self.const(-1), x, below)  # x += 1; <= 0: x was negative
        self.ins(self.const(1), x, zero or end)  # back to 0: always jumps
        self.label(below)
        self.ins(self.const(1), x, negative or end)  # back to x < 0: always jumps
        self.label(end)

    def if_less(self, x: str, y: str, t: str, yes: str, no: str) -> None:
        """Go to `yes` if x < y (signed), else to `no`; t is scratch. With equal signs y - x
        cannot overflow and decides; otherwise the signs do."""
        x_neg, same = self.fresh(), self.fresh()
        self.sign(x, neg=x_neg, nonneg=None)
        self.sign(y, neg=no, nonneg=same)  # y < 0 <= x
        self.label(x_neg)
        self.sign(y, neg=same, nonneg=yes)  # x < 0 <= y
        self.label(same)
        self.move(y, t)
        self.ins(x, t, no)  # y - x <= 0
        self.jump(yes)

    def sign(self, x: str, neg: str | None, nonneg: str | None) -> None:
        """Go to `neg` if x < 0, else to `nonneg`."""
        self.classify(x, nonneg, nonneg, neg)

    def zero(self, x: str, yes: str | None, no: str | None) -> None:
        """Go to `yes` if x == 0, else to `no`."""
        self.classify(x, no, yes, no)


def size(asm: Asm) -> int:
    """The words `render(asm)` assembles to: three per instruction, and the data words."""
    return 3 * len(asm.code) + sum(len(d.values) for d in asm.data)


def render(asm: Asm) -> str:
    """sqasm text. A comment `#@ FILE:LINE FUNCTION` (with ` -- NOTE` for a deliberate fault)
    before an instruction says where the code after it came from, until the next such comment;
    `#@` alone: no source (data)."""
    return layout(asm).text


@dataclass
class Layout:
    """The sqasm text of a program, and what each word of it is: its expression and the line
    of the text it is on (counted from 1), and the address of each label."""

    text: str
    words: list[tuple[str, int]]
    labels: dict[str, int]
    duplicates: bool = False  # a label is placed twice (the assembler says where)


def layout(asm: Asm) -> Layout:
    """`render`'s text, laid out word by word as the assembler reads it (see `image`)."""
    lines: list[str] = []
    words: list[tuple[str, int]] = []
    labels: dict[str, int] = {}
    shown: Where | None | bool = False

    def place(where: Where | None) -> None:
        nonlocal shown
        if where == shown:
            return
        shown = where
        if where is None:
            lines.append("#@")
            return
        text = f"#@ {where.file}:{where.line}" + (f" {where.function}" if where.function else "")
        lines.append(text + (f" -- {where.note}" if where.note else ""))

    duplicates = False

    def name(at: list[str]) -> None:
        nonlocal duplicates
        for label in at:
            duplicates = duplicates or label in labels
            labels.setdefault(label, len(words))

    for ins in asm.code:
        place(ins.where)
        prefix = "".join(f"{label}: " for label in ins.labels)
        operands = f"{ins.a} {ins.b}" + (f" {ins.c}" if ins.c is not None else "")
        lines.append(f"{prefix:<12}{operands}")
        name(ins.labels)
        line = len(lines)
        next_address = str(len(words) + 3)
        words += [(ins.a, line), (ins.b, line), (ins.c or next_address, line)]
    place(None)
    tail = asm.finish_labels()
    for item in asm.data:
        item_labels = tail + item.labels
        tail = []
        prefix = "".join(f"{label}: " for label in item_labels)
        comment = f"  # {item.comment}" if item.comment else ""
        name(item_labels)
        if not item.values:  # a label after the last word: the address just past the image
            lines.append(f"{prefix}")
        for start in range(0, len(item.values), 16):
            head = prefix if start == 0 else ""
            chunk = item.values[start : start + 16]
            lines.append(f"{head:<12}. {' '.join(chunk)}" + (comment if start == 0 else ""))
            words += [(value, len(lines)) for value in chunk]
    for label in tail:
        lines.append(f"{label}:")
        name([label])
    return Layout("\n".join(lines) + "\n", words, labels, duplicates)


def image(laid: Layout, bits: int) -> list[int] | None:
    """The words the assembler makes of `laid.text`, computed from the layout without reading
    the text again (None where the assembler would refuse it: it then says where and why).
    `assemble_labels` stays the definition; a test holds the two equal."""
    if laid.duplicates:
        return None
    low, high = -(1 << (bits - 1)), 1 << bits
    out = []
    for address, (expression, _) in enumerate(laid.words):
        terms = operand_terms(expression)
        if terms is None:
            return None
        value = 0
        for sign, atom in terms:
            if atom is None:
                value += sign * (address + 1)
            elif isinstance(atom, int):
                value += sign * atom
            elif atom in laid.labels:
                value += sign * laid.labels[atom]
            else:
                return None
        if not low <= value < high:
            return None
        out.append(value - high if value >= high >> 1 else value)
    return out
