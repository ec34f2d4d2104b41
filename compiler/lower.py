"""Lowering: one SUBLEQ step of docs/machine.md as a graph of gadgets, stage by stage.

Each stage is a function that takes what earlier stages produced and returns a small
dataclass of what later stages use; `lower` wires them in order. Layer numbers in comments
are where `schedule` places each gadget (as soon as its inputs allow, within its stage's
window); the stage is what the lowering decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ir import gadgets as G
from ..ir.graph import Affine, Graph
from ..ir.layout import STOP_FIELDS
from ..ir.machine import Machine


def lower(machine: Machine) -> Graph:
    """The gadget graph of one step: state in, next state out."""
    g = Graph(machine)
    s = {name: g.field(name) for name in g.layout.fields}
    stop = g.linear(
        "stop", sum((s[f] for f in STOP_FIELDS), Affine.const(0)), "halted or faulted: nothing runs"
    )
    ctx = Context(g, machine, s, stop)
    fetched = fetch(ctx)
    decoded = operand_read(ctx, fetched)
    r = subtract(ctx, decoded)
    written = write_back(ctx, fetched, decoded, r)
    pc3 = next_pc(ctx)
    branch(ctx, fetched, decoded, r, pc3, written)
    return g


@dataclass(frozen=True)
class Context:
    """What every stage reads: the graph, the machine, the state's fields, the stop flag."""

    g: Graph
    m: Machine
    s: dict[str, Affine]
    stop: Affine  # halted or faulted: nothing executes

    @property
    def n(self) -> int:
        """Word width N."""
        return self.m.bits

    @property
    def k(self) -> int:
        """Memory size K."""
        return self.m.words

    @property
    def addr_bits(self) -> int:
        """Bits of a cell address."""
        return self.m.addr_bits


@dataclass(frozen=True)
class Fetched:
    """The instruction words and whether it runs past the end of memory."""

    A: Affine
    B: Affine
    C: Affine  # carried to the branch
    past_end: Affine
    fault_past_end: Affine  # the new fault_past_end bit


@dataclass(frozen=True)
class Decoded:
    """The operands and what kind of instruction this pass executes."""

    a: Affine  # mem[A]
    b: Affine  # mem[B]
    e_b: Affine  # one-hot of B
    a_carried: Affine  # mem[A], carried to the output register
    is_sub: Affine
    is_out: Affine
    in_do: Affine
    in_wait: Affine
    executed: Affine


@dataclass(frozen=True)
class Written:
    """The next memory, status and I/O registers."""

    mem: Affine
    out_byte: Affine
    out_ready: Affine
    stepped: Affine
    in_full: Affine
    in_eof: Affine
    in_byte: Affine
    fault_operand: Affine  # the new fault_operand bit


def fetch(ctx: Context) -> Fetched:
    """A, B, C = mem[pc], mem[pc+1], mem[pc+2] (layers 1-2)."""
    g, s, k = ctx.g, ctx.s, ctx.k
    pc_onehot = G.match(
        g,
        "fetch.pc_onehot",
        "fetch",
        s["pc"].take(np.arange(ctx.addr_bits)),
        k,
        doc="one-hot of pc over the K cells",
    )
    words = {}
    for shift, word in enumerate("ABC"):
        # The one-hot of pc+shift is the one-hot of pc rotated: a permutation, linear.
        at = pc_onehot.take((np.arange(k) - shift) % k)
        read = G.read_word(g, f"fetch.read_{word}", "fetch", at, s["mem"])
        words[word] = g.linear(f"fetch.{word}", read, f"instruction word {word} = mem[pc+{shift}]")
    # C is needed again only by the branch: carry its N bits, not the K*N AND neurons.
    c = G.carry(g, "fetch.C_carried", words["C"])
    if ctx.m.full:  # pc+1 and pc+2 wrap around: never past the end
        none = Affine.const(0)
        return Fetched(words["A"], words["B"], c, none, none)
    at_edge = pc_onehot.take([k - 2, k - 1]).sum()  # pc = K-2 or K-1
    past_end = G.carry(g, "fetch.past_end", at_edge, "fetch")
    fault = G.and_not(
        g,
        "fetch.fault_past_end",
        "fetch",
        at_edge,
        ctx.stop,
        doc="running, and pc+2 is past the end of memory",
    )
    return Fetched(words["A"], words["B"], c, past_end, fault)


def operand_read(ctx: Context, f: Fetched) -> Decoded:
    """Decode A and B, then read mem[A], mem[B] (layers 3-4)."""
    g, s, n, k = ctx.g, ctx.s, ctx.n, ctx.k
    A, B = f.A, f.B
    stage = "operand_read"
    zero = Affine.const(0)
    if ctx.m.io:
        a_io = G.all_of(g, "operand_read.A_is_io", stage, A, doc="A = -1: the I/O port")
        b_io = G.all_of(g, "operand_read.B_is_io", stage, B, doc="B = -1: the I/O port")
    else:
        a_io = b_io = zero
    if ctx.m.full:
        a_bad = b_bad = zero
    else:
        high = np.arange(ctx.addr_bits, n)
        a_low = G.nor(g, "operand_read.A_below_K", stage, A.take(high).sum(), "0 <= A < K")
        b_low = G.nor(g, "operand_read.B_below_K", stage, B.take(high).sum(), "0 <= B < K")
        a_bad = 1 - a_io - a_low
        b_bad = 1 - b_io - b_low
    e_a = G.match(g, "operand_read.A_onehot", stage, A, k, doc="one-hot of A over the K cells")
    e_b = G.match(g, "operand_read.B_onehot", stage, B, k, doc="one-hot of B over the K cells")
    a = g.linear(
        "operand_read.mem_A",
        G.read_word(g, "operand_read.read_A", stage, e_a, s["mem"]),
        "the operand mem[A]",
    )
    b = g.linear(
        "operand_read.mem_B",
        G.read_word(g, "operand_read.read_B", stage, e_b, s["mem"]),
        "the operand mem[B]",
    )
    # What the instruction is, decided in one layer from the decoded addresses.
    blocked = ctx.stop + f.past_end
    is_sub = G.nor(
        g,
        "operand_read.is_subleq",
        stage,
        blocked + a_bad + b_bad + a_io + b_io,
        "running, A and B memory cells: subtract and branch",
    )
    is_out = G.and_not(
        g,
        "operand_read.is_output",
        stage,
        b_io,
        blocked,
        a_io,
        a_bad,
        doc="running, B = -1, A a cell: output",
    )
    in_ok = a_io - blocked - b_io - b_bad
    in_do = G.and_(
        g,
        "operand_read.input_now",
        stage,
        in_ok,
        s["in_full"],
        doc="running, A = -1, B a cell, the input register full: input",
    )
    in_wait = G.and_not(
        g,
        "operand_read.input_wanted",
        stage,
        in_ok,
        s["in_full"],
        doc="an input instruction meets an empty input register: wait",
    )
    executed = g.linear(
        "operand_read.executed",
        is_sub + is_out + in_do,
        "this pass executes an instruction (one step)",
    )
    # mem[A] is needed again by the output register: carry N bits, not K*N neurons.
    a_carried = G.carry(g, "operand_read.mem_A_carried", a)
    return Decoded(a, b, e_b, a_carried, is_sub, is_out, in_do, in_wait, executed)


def subtract(ctx: Context, d: Decoded) -> Affine:
    """r = mem[B] - mem[A] = mem[B] + NOT mem[A] + 1, carry look-ahead (layers 5-7)."""
    g, a, b = ctx.g, d.a, d.b
    gen = G.and_not(g, "subtract.generate", "subtract", b, a, doc="g_i = b_i AND NOT a_i")
    kill = G.and_not(g, "subtract.kill", "subtract", a, b, doc="a_i AND NOT b_i")
    prop = 1 - gen - kill  # p_i = b_i XOR NOT a_i
    lookahead = G.carry_lookahead(g, "subtract.carry", "subtract", gen, prop, 1)
    carries = g.linear("subtract.carries", lookahead, "carries into each bit of b + NOT a + 1")
    return g.linear(
        "subtract.r",
        G.xor(g, "subtract.sum", "subtract", prop, carries),
        "r = mem[B] - mem[A], wrapped to N bits",
    )


def write_back(ctx: Context, f: Fetched, d: Decoded, r: Affine) -> Written:
    """mem[B] := r or the input; status and I/O registers (layers 12-13)."""
    g, s, n = ctx.g, ctx.s, ctx.n
    stage = "write_back"
    # The input byte's low N bits, or -1 (all ones) at EOF.
    in_value = s["in_eof"].broadcast((n,), (0,)) + s["in_byte"].matmul(np.eye(n, 8, dtype=np.int64))
    value = G.and_(
        g, "write_back.value_r", stage, r, d.is_sub.broadcast((n,), (0,)), doc="r when subtracting"
    ) + G.and_(
        g,
        "write_back.value_in",
        stage,
        in_value,
        d.in_do.broadcast((n,), (0,)),
        doc="the input byte (or -1) when reading",
    )
    enable = G.and_(
        g,
        "write_back.target",
        stage,
        d.e_b,
        (d.is_sub + d.in_do).broadcast((ctx.k,), (0,)),
        doc="one-hot of B when writing, else all zero",
    )
    mem_next = G.write_word(g, "write_back.mem", stage, s["mem"], enable, value)
    mem_next = G.carry(g, "write_back.mem_next", mem_next)

    # Output register: the low 8 bits of mem[A], sign-extended below 8 bits.
    a_low8 = d.a_carried.take(np.minimum(np.arange(8), n - 1))

    def sticky(x: Affine, label: str) -> Affine:
        stop = ctx.stop if x.shape == () else ctx.stop.broadcast(x.shape, (0,))
        return G.and_(
            g, f"write_back.keep_{label}", stage, x, stop, doc=f"a stopped machine keeps {label}"
        )

    ones8 = (8,)
    out_byte = G.and_(
        g, "write_back.out_byte", stage, a_low8, d.is_out.broadcast(ones8, (0,))
    ) + sticky(s["out_byte"], "out_byte")
    out_ready = d.is_out + sticky(s["out_ready"], "out_ready")
    stepped = d.executed + sticky(s["stepped"], "stepped")
    consumed = d.in_do
    in_full = G.and_not(
        g,
        "write_back.in_full",
        stage,
        s["in_full"],
        consumed,
        doc="the input register empties when read",
    )
    in_eof = G.and_not(g, "write_back.in_eof", stage, s["in_eof"], consumed)
    in_byte = G.and_not(
        g, "write_back.in_byte", stage, s["in_byte"], consumed.broadcast(ones8, (0,))
    )
    fault_operand = G.and_not(
        g,
        "write_back.fault_operand",
        stage,
        1 - f.past_end,
        ctx.stop,
        d.is_sub,
        d.is_out,
        d.in_do,
        d.in_wait,
        doc="running, decoded, but no instruction kind applies: operand fault",
    )
    return Written(mem_next, out_byte, out_ready, stepped, in_full, in_eof, in_byte, fault_operand)


def next_pc(ctx: Context) -> Affine:
    """pc + 3 with the same carry look-ahead adder (layers 14-15)."""
    g, s, n = ctx.g, ctx.s, ctx.n
    three = np.zeros(n, np.int64)
    three[: min(2, n)] = 1
    pc = s["pc"]
    gen = pc.scale(three)  # x_i AND 1 = x_i where 3 has a 1
    prop = pc.scale(1 - 2 * three) + three  # x_i XOR y_i
    carries = G.carry_lookahead(
        g, "next_pc.carry", "next_pc", gen, prop, 0, can_generate=three.astype(bool)
    )
    return g.linear(
        "next_pc.pc_plus_3",
        G.xor(g, "next_pc.sum", "next_pc", prop, carries),
        "pc + 3, wrapped to N bits",
    )


def branch(ctx: Context, f: Fetched, d: Decoded, r: Affine, pc3: Affine, w: Written) -> None:
    """pc := C if r <= 0 else pc + 3; halt and pc faults on the new pc; the next state
    (layers 20-23)."""
    g, s, n = ctx.g, ctx.s, ctx.n
    stage = "branch"
    r_sign = r.take([n - 1]).sum()
    jump = G.and_(
        g, "branch.jump_negative", stage, d.is_sub, r_sign, doc="subtract and r < 0"
    ) + G.and_not(g, "branch.jump_zero", stage, d.is_sub, r.sum(), doc="subtract and r = 0")
    advance = d.executed - jump  # every other executed instruction goes to pc + 3
    hold = 1 - d.executed

    def bn(x: Affine) -> Affine:
        return x.broadcast((n,), (0,))

    pc_next = (
        G.and_(g, "branch.pc_from_C", stage, f.C, bn(jump), doc="C when the branch is taken")
        + G.and_(g, "branch.pc_from_pc3", stage, pc3, bn(advance), doc="pc + 3 otherwise")
        + G.and_(g, "branch.pc_hold", stage, s["pc"], bn(hold), doc="pc when nothing executed")
    )
    c_sign, pc3_sign = f.C.take([n - 1]).sum(), pc3.take([n - 1]).sum()
    halted_new = G.and_(
        g, "branch.halt_at_C", stage, jump, c_sign, doc="jump to a negative C"
    ) + G.and_(g, "branch.halt_at_pc3", stage, advance, pc3_sign, doc="pc + 3 negative")
    high = np.arange(ctx.addr_bits, n - 1)
    if len(high) and not ctx.m.full:
        c_in = G.nor(g, "branch.C_below_K", stage, f.C.take(high).sum(), "C < K (or C < 0)")
        pc3_in = G.nor(g, "branch.pc3_below_K", stage, pc3.take(high).sum(), "pc + 3 < K (or < 0)")
        fault_pc_new = G.and_not(
            g, "branch.fault_at_C", stage, jump, c_sign, c_in, doc="jump to C >= K"
        ) + G.and_not(g, "branch.fault_at_pc3", stage, advance, pc3_sign, pc3_in, doc="pc + 3 >= K")
    else:
        fault_pc_new = Affine.const(0)

    out = g.output
    out("mem", w.mem)
    out("pc", pc_next)
    out("halted", s["halted"] + halted_new)
    out("fault_operand", s["fault_operand"] + w.fault_operand)
    out("fault_past_end", s["fault_past_end"] + f.fault_past_end)
    out("fault_pc", s["fault_pc"] + fault_pc_new)
    out("stepped", w.stepped)
    out("in_wanted", d.in_wait)
    out("out_ready", w.out_ready)
    out("out_byte", w.out_byte)
    out("in_full", w.in_full)
    out("in_eof", w.in_eof)
    out("in_byte", w.in_byte)
