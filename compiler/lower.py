"""Lowering: one SUBLEQ step of machine.md as a graph of gadgets, stage by stage.

Layer numbers in comments are where `schedule` places each gadget (as soon as its inputs
allow, within its stage's window); the stage is what the lowering decides.
"""

from __future__ import annotations

import numpy as np

from ..ir import gadgets as G
from ..ir.graph import Affine, Graph
from ..ir.layout import STOP_FIELDS
from ..ir.machine import Machine


def lower(machine: Machine) -> Graph:
    """The gadget graph of one step: state in, next state out."""
    g = Graph(machine)
    Step(g, machine, {name: g.field(name) for name in g.layout.fields}).build()
    return g


class Step:
    def __init__(self, g: Graph, machine: Machine, s: dict[str, Affine]) -> None:
        self.g, self.m, self.s = g, machine, s
        self.n, self.k, self.l = machine.bits, machine.words, machine.addr_bits

    def build(self) -> None:
        g, s = self.g, self.s
        self.stop = g.linear("stop", sum(s[f] for f in STOP_FIELDS), "halted or faulted: the step is a no-op")
        self.fetch()
        self.operand_read()
        self.subtract()
        self.write_back()
        self.next_pc()
        self.branch()

    # -- fetch: A, B, C = mem[pc], mem[pc+1], mem[pc+2] (layers 1-2)
    def fetch(self) -> None:
        g, s, k = self.g, self.s, self.k
        pc_onehot = G.match(g, "fetch.pc_onehot", "fetch", s["pc"].take(np.arange(self.l)), k,
                            doc="one-hot of pc over the K cells")
        words = {}
        for shift, word in enumerate("ABC"):
            # The one-hot of pc+shift is the one-hot of pc rotated: a permutation, linear.
            at = pc_onehot.take((np.arange(k) - shift) % k)
            words[word] = g.linear(f"fetch.{word}", G.read_word(g, f"fetch.read_{word}", "fetch", at, s["mem"]),
                                   f"instruction word {word} = mem[pc+{shift}]")
        self.A, self.B = words["A"], words["B"]
        # C is needed again only by the branch: carry its N bits, not the K*N AND neurons.
        self.C = G.carry(g, "fetch.C_carried", words["C"])
        if self.m.full:  # pc+1 and pc+2 wrap around: never past the end
            self.past_end = self.fault_past_end_new = Affine.const(0)
            return
        at_edge = pc_onehot.take([k - 2, k - 1]).sum()  # pc = K-2 or K-1
        self.past_end = G.carry(g, "fetch.past_end", at_edge, "fetch")
        self.fault_past_end_new = G.and_not(g, "fetch.fault_past_end", "fetch", at_edge, self.stop,
                                            doc="running, and pc+2 is past the end of memory")

    # -- operand read: decode A and B, then mem[A], mem[B] (layers 3-4)
    def operand_read(self) -> None:
        g, s, n, k, l = self.g, self.s, self.n, self.k, self.l
        A, B = self.A, self.B
        zero = Affine.const(0)
        if self.m.io:
            self.a_io = G.all_of(g, "operand_read.A_is_io", "operand_read", A,
                               doc="A = -1: the I/O port")
            self.b_io = G.all_of(g, "operand_read.B_is_io", "operand_read", B,
                               doc="B = -1: the I/O port")
        else:
            self.a_io = self.b_io = zero
        if self.m.full:
            a_bad = b_bad = zero
        else:
            high = np.arange(l, n)
            a_low = G.nor(g, "operand_read.A_below_K", "operand_read", A.take(high).sum(), "0 <= A < K")
            b_low = G.nor(g, "operand_read.B_below_K", "operand_read", B.take(high).sum(), "0 <= B < K")
            a_bad = 1 - self.a_io - a_low
            b_bad = 1 - self.b_io - b_low
        e_a = G.match(g, "operand_read.A_onehot", "operand_read", A, k, doc="one-hot of A over the K cells")
        e_b = G.match(g, "operand_read.B_onehot", "operand_read", B, k, doc="one-hot of B over the K cells")
        self.e_b = e_b
        self.a = g.linear("operand_read.mem_A", G.read_word(g, "operand_read.read_A", "operand_read", e_a, s["mem"]),
                          "the operand mem[A]")
        self.b = g.linear("operand_read.mem_B", G.read_word(g, "operand_read.read_B", "operand_read", e_b, s["mem"]),
                          "the operand mem[B]")
        # What the instruction is, decided in one layer from the decoded addresses.
        blocked = self.stop + self.past_end
        self.is_sub = G.nor(g, "operand_read.is_subleq", "operand_read",
                            blocked + a_bad + b_bad + self.a_io + self.b_io,
                            "running, A and B memory cells: subtract and branch")
        self.is_out = G.and_not(g, "operand_read.is_output", "operand_read", self.b_io,
                                blocked, self.a_io, a_bad, doc="running, B = -1, A a cell: output")
        in_ok = self.a_io - blocked - self.b_io - b_bad
        self.in_do = G.and_(g, "operand_read.input_now", "operand_read", in_ok, s["in_full"],
                            doc="running, A = -1, B a cell, the input register full: input")
        self.in_wait = G.and_not(g, "operand_read.input_wanted", "operand_read", in_ok, s["in_full"],
                                 doc="an input instruction meets an empty input register: wait")
        self.executed = g.linear("operand_read.executed", self.is_sub + self.is_out + self.in_do,
                                 "this pass executes an instruction (one step)")
        # mem[A] is needed again by the output register: carry N bits, not K*N neurons.
        self.a_carried = G.carry(g, "operand_read.mem_A_carried", self.a)

    # -- subtract: r = mem[B] - mem[A] = mem[B] + NOT mem[A] + 1, carry look-ahead (layers 5-7)
    def subtract(self) -> None:
        g, a, b = self.g, self.a, self.b
        gen = G.and_not(g, "subtract.generate", "subtract", b, a, doc="g_i = b_i AND NOT a_i")
        kill = G.and_not(g, "subtract.kill", "subtract", a, b, doc="a_i AND NOT b_i")
        prop = 1 - gen - kill  # p_i = b_i XOR NOT a_i
        carries = g.linear("subtract.carries", G.carry_lookahead(g, "subtract.carry", "subtract", gen, prop, 1),
                           "carries into each bit of b + NOT a + 1")
        self.r = g.linear("subtract.r", G.xor(g, "subtract.sum", "subtract", prop, carries),
                          "r = mem[B] - mem[A], wrapped to N bits")

    # -- write back: mem[B] := r or the input; status and I/O registers (layers 12-13)
    def write_back(self) -> None:
        g, s, n = self.g, self.s, self.n
        stage = "write_back"
        # The input byte's low N bits, or -1 (all ones) at EOF.
        in_value = s["in_eof"].broadcast((n,), (0,)) + s["in_byte"].matmul(np.eye(n, 8, dtype=np.int64))
        value = G.and_(g, "write_back.value_r", stage, self.r, self.is_sub.broadcast((n,), (0,)),
                       doc="r when subtracting") + G.and_(
            g, "write_back.value_in", stage, in_value, self.in_do.broadcast((n,), (0,)),
            doc="the input byte (or -1) when reading")
        enable = G.and_(g, "write_back.target", stage, self.e_b,
                        (self.is_sub + self.in_do).broadcast((self.k,), (0,)),
                        doc="one-hot of B when writing, else all zero")
        mem_next = G.write_word(g, "write_back.mem", stage, s["mem"], enable, value)
        self.mem_next = G.carry(g, "write_back.mem_next", mem_next)

        # Output register: the low 8 bits of mem[A], sign-extended below 8 bits.
        a_low8 = self.a_carried.take(np.minimum(np.arange(8), n - 1))

        def sticky(x: Affine, label: str) -> Affine:
            stop = self.stop if x.shape == () else self.stop.broadcast(x.shape, (0,))
            return G.and_(g, f"write_back.keep_{label}", stage, x, stop,
                          doc=f"a stopped machine keeps {label}")

        ones8 = (8,)
        self.out_byte = G.and_(g, "write_back.out_byte", stage, a_low8,
                               self.is_out.broadcast(ones8, (0,))) + sticky(s["out_byte"], "out_byte")
        self.out_ready = self.is_out + sticky(s["out_ready"], "out_ready")
        self.stepped = self.executed + sticky(s["stepped"], "stepped")
        consumed = self.in_do
        self.in_full = G.and_not(g, "write_back.in_full", stage, s["in_full"], consumed,
                                 doc="the input register empties when read")
        self.in_eof = G.and_not(g, "write_back.in_eof", stage, s["in_eof"], consumed)
        self.in_byte = G.and_not(g, "write_back.in_byte", stage, s["in_byte"], consumed.broadcast(ones8, (0,)))
        self.fault_operand_new = G.and_not(
            g, "write_back.fault_operand", stage, 1 - self.past_end,
            self.stop, self.is_sub, self.is_out, self.in_do, self.in_wait,
            doc="running, decoded, but no instruction kind applies: operand fault")

    # -- next pc: pc + 3 with the same carry look-ahead adder (layers 14-15)
    def next_pc(self) -> None:
        g, s, n = self.g, self.s, self.n
        three = np.zeros(n, np.int64)
        three[: min(2, n)] = 1
        pc = s["pc"]
        gen = pc.scale(three)  # x_i AND 1 = x_i where 3 has a 1
        prop = pc.scale(1 - 2 * three) + three  # x_i XOR y_i
        carries = G.carry_lookahead(g, "next_pc.carry", "next_pc", gen, prop, 0, can_generate=three.astype(bool))
        self.pc3 = g.linear("next_pc.pc_plus_3", G.xor(g, "next_pc.sum", "next_pc", prop, carries),
                            "pc + 3, wrapped to N bits")

    # -- branch: pc := C if r <= 0 else pc + 3; halt and pc faults on the new pc (layers 20-23)
    def branch(self) -> None:
        g, s, n, l = self.g, self.s, self.n, self.l
        stage = "branch"
        r_sign = self.r.take([n - 1]).sum()
        jump = G.and_(g, "branch.jump_negative", stage, self.is_sub, r_sign,
                      doc="subtract and r < 0") + G.and_not(
            g, "branch.jump_zero", stage, self.is_sub, self.r.sum(), doc="subtract and r = 0")
        advance = self.executed - jump  # every other executed instruction goes to pc + 3
        hold = 1 - self.executed
        bn = lambda x: x.broadcast((n,), (0,))
        pc_next = (G.and_(g, "branch.pc_from_C", stage, self.C, bn(jump), doc="C when the branch is taken")
                   + G.and_(g, "branch.pc_from_pc3", stage, self.pc3, bn(advance), doc="pc + 3 otherwise")
                   + G.and_(g, "branch.pc_hold", stage, s["pc"], bn(hold), doc="pc when nothing executed"))
        c_sign, pc3_sign = self.C.take([n - 1]).sum(), self.pc3.take([n - 1]).sum()
        halted_new = (G.and_(g, "branch.halt_at_C", stage, jump, c_sign, doc="jump to a negative C")
                      + G.and_(g, "branch.halt_at_pc3", stage, advance, pc3_sign, doc="pc + 3 negative"))
        high = np.arange(l, n - 1)
        if len(high) and not self.m.full:
            c_in = G.nor(g, "branch.C_below_K", stage, self.C.take(high).sum(), "C < K (or C < 0)")
            pc3_in = G.nor(g, "branch.pc3_below_K", stage, self.pc3.take(high).sum(), "pc + 3 < K (or < 0)")
            fault_pc_new = (
                G.and_not(g, "branch.fault_at_C", stage, jump, c_sign, c_in, doc="jump to C >= K")
                + G.and_not(g, "branch.fault_at_pc3", stage, advance, pc3_sign, pc3_in, doc="pc + 3 >= K"))
        else:
            fault_pc_new = Affine.const(0)

        out = g.output
        out("mem", self.mem_next)
        out("pc", pc_next)
        out("halted", s["halted"] + halted_new)
        out("fault_operand", s["fault_operand"] + self.fault_operand_new)
        out("fault_past_end", s["fault_past_end"] + self.fault_past_end_new)
        out("fault_pc", s["fault_pc"] + fault_pc_new)
        out("stepped", self.stepped)
        out("in_wanted", self.in_wait)
        out("out_ready", self.out_ready)
        out("out_byte", self.out_byte)
        out("in_full", self.in_full)
        out("in_eof", self.in_eof)
        out("in_byte", self.in_byte)
