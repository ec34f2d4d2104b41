"""Random C programs that recurse with live values, for comparison with gcc -fwrapv's build.

Each program is a few functions with a depth parameter that every call decreases (so recursion
and mutual recursion end), globals, local arrays, address-taken locals passed down, and printf
with literal and run-time formats. Expressions mix every operator with calls, assignments,
`++`/`--`, `&&`, `||`, `?:` and the comma operator on edge values; a struct with nested members
and an array (copied, passed to and returned from a function by value), 4x4 arrays, unsigned
`/ % >>` and comparisons, `long long` and `unsigned long long` arithmetic (every operator; a long
long local live across the calls; printf's `%lld %llu %llx`), globals whose every store converts
(unsigned and signed char, short, unsigned short, _Bool, bit-fields), calls through a table of
function pointers, and an array on the heap (each can be turned off: `Shapes`). What C leaves
undefined or unspecified is never generated: divisors are never 0 (nor -1 where the dividend may
be INT_MIN), shift counts are `& 31` (`& 63` for a long long), indexes are `& 7` into arrays of
8, every variable is initialised, and no two unsequenced operands touch the same object or both
call a function (calls may print and may write any global or any object whose address was
taken).
"""

from __future__ import annotations

import dataclasses
import random

from tests.compiler.cc.cfuzz_parts import (
    ANY,
    ARITH,
    BITS,
    COMPARISONS,
    COMPOUND,
    CONVERSIONS,
    DEFAULT_SHAPES,
    DIVISORS,
    EDGES,
    FOLD,
    IO,
    MIX,
    NARROW,
    NARROW_TYPES,
    OPERATIONS,
    RECORD,
    TABLE,
    TEXT,
    UNSIGNED_OPS,
    WIDE_CONVERSIONS,
    WIDE_OPS,
    WIDE_SCALES,
    WIDE_TYPES,
    Ex,
    Function,
    Scope,
    Shapes,
    fx,
    indent,
    lit,
    union,
)


class Generator:
    """One program per seed."""

    def __init__(self, seed: int, shapes: Shapes = DEFAULT_SHAPES) -> None:
        self.rng = random.Random(seed)
        self.shapes = shapes
        self.globals = ["g0", "g1", "g2"]
        self.narrow = NARROW if shapes.narrow else []  # (not int: never passed as `int *`)
        self.formats: list[tuple[str, list[str]]] = []  # name, conversions
        self.functions: list[Function] = []
        self.labels = 0

    # -- helpers ----------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def clash(self, a: Ex, b: Ex, sc: Scope, store: bool = False) -> bool:
        """Whether a and b may not be unsequenced operands of one expression (store: a is the
        left side of `=`, whose store follows b's reads)."""
        if a.calls and b.calls:
            return True

        def hits(writes: frozenset, other: frozenset) -> bool:
            for w in writes:
                for o in other:
                    if w == o or (w == ANY and o in sc.visible) or (o == ANY and w in sc.visible):
                        return True
            return False

        if store:
            return hits(a.writes, b.writes) or hits(b.writes, a.reads | a.writes)
        return hits(a.writes, b.reads | b.writes) or hits(b.writes, a.reads | a.writes)

    def var(self, name: str, sc: Scope) -> Ex:
        return Ex(name, frozenset({name}))

    def pure(self, sc: Scope, depth: int = 2) -> Ex:
        return self.expr(sc, depth, side=False, calls=False)

    # -- expressions ------------------------------------------------------------------------
    def narrow_global(self, store: bool) -> Ex:
        """One of the globals whose stores convert (a member names its whole struct)."""
        name = self.rng.choice(self.narrow)
        whole = frozenset({name.split(".")[0]})
        return Ex(name, whole, whole if store else frozenset())

    def leaf(self, sc: Scope) -> Ex:
        if self.narrow and self.chance(0.1):
            return self.narrow_global(store=False)
        r = self.rng.random()
        if r < 0.35:
            return Ex(lit(self.rng.choice(EDGES)))
        if r < 0.75:
            return self.var(self.rng.choice(sc.scalars + self.globals + sc.counters), sc)
        if r < 0.85 and sc.fn and sc.fn.pointer:
            return Ex("(*p)", frozenset({ANY}))
        if r < 0.92 and sc.fn:
            return self.var("d", sc)
        if self.chance(0.4) and (sc.records or sc.matrices):
            return self.member(sc, store=False)
        arr = self.rng.choice(sc.arrays + ["ga"])
        idx = self.pure(sc, 0)
        return Ex(f"{arr}[({idx.text}) & 7]", idx.reads | {arr})

    def expr(self, sc: Scope, depth: int, side: bool = True, calls: bool = True) -> Ex:
        """A random int expression; side: assignments, ++/-- allowed; calls: calls allowed."""
        calls = calls and sc.calls_left > 0
        if depth <= 0 or self.chance(0.2):
            return self.leaf(sc)
        kinds = ["bin"] * 5 + ["un", "div", "shift", "logic", "cond", "leaf"]
        if self.shapes.unsigned:
            kinds.append("unsigned")
        if self.shapes.pointers:
            kinds.append("table")
        if self.shapes.wide:
            kinds.append("wide")
        if side:
            kinds += ["assign", "incdec", "comma"]
        if calls:
            kinds += ["call"] * 4 + ["putchar"]
        kind = self.rng.choice(kinds)
        sub = lambda s=side, c=calls, d=depth - 1: self.expr(sc, d, s, c)  # noqa: E731
        if kind == "leaf":
            return self.leaf(sc)
        if kind == "unsigned":  # C's unsigned arithmetic, converted back (gcc wraps it)
            op = self.rng.choice(UNSIGNED_OPS)
            a = sub()
            b = self.unsequenced(sc, a, sub)
            right = f"(unsigned)({b.text})"
            if op in ("/", "%"):
                right = f"({right} | 1u)"
            elif op == ">>":
                right = f"({right} & 31u)"
            return Ex(f"((int)((unsigned)({a.text}) {op} {right}))", *fx(a | b))
        if kind == "wide":
            a = sub()
            return self.wide(a, self.unsequenced(sc, a, sub))
        if kind == "table":  # a call through a pointer to a pure function
            a = sub()
            b = self.unsequenced(sc, a, sub)
            i = self.unsequenced(sc, a | b, lambda: self.pure(sc, 0))
            return Ex(f"ops[({i.text}) & 3]({a.text}, {b.text})", *fx(a | b | i))
        if kind == "un":
            op = self.rng.choice(["-", "~", "!", "+"])
            a = sub() if op != "!" or self.shapes.calls_in_comparisons else sub(c=False)
            return Ex(f"({op} {a.text})", *fx(a))
        if kind == "bin":
            op = self.rng.choice(ARITH)
            if op in COMPARISONS and not self.shapes.calls_in_comparisons:
                sub = lambda s=side, d=depth - 1: self.expr(sc, d, s, False)  # noqa: E731
            a = sub()
            b = self.unsequenced(sc, a, sub)
            return Ex(f"({a.text} {op} {b.text})", *fx(a | b))
        if kind == "div":
            op = self.rng.choice(["/", "%"])
            a = sub()
            b = self.unsequenced(sc, a, sub)
            return Ex(f"({a.text} {op} {self.divisor(b)})", *fx(a | b))
        if kind == "shift":
            op = self.rng.choice(["<<", ">>"])
            a = sub()
            if self.chance(0.4):
                return Ex(f"({a.text} {op} {self.rng.choice([0, 1, 4, 30, 31])})", *fx(a))
            b = self.unsequenced(sc, a, sub)
            return Ex(f"({a.text} {op} (({b.text}) & 31))", *fx(a | b))
        cond_calls = calls and self.shapes.calls_in_conditions
        if kind == "logic":
            a = self.expr(sc, depth - 1, side, cond_calls)
            b = self.expr(sc, depth - 1, side, cond_calls)
            return Ex(f"({a.text} {self.rng.choice(['&&', '||'])} {b.text})", *fx(a | b))
        if kind == "cond":
            a, b, c = (self.expr(sc, depth - 1, side, cond_calls) for _ in range(3))
            return Ex(f"({a.text} ? {b.text} : {c.text})", *fx(a | b | c))
        if kind == "comma":
            comma_calls = calls and self.shapes.comma_calls
            a = self.expr(sc, depth - 1, True, comma_calls)
            b = self.expr(sc, depth - 1, side, comma_calls)
            return Ex(f"({a.text}, {b.text})", *fx(a | b))
        if kind == "assign":
            return self.assignment(sc, depth - 1, calls)
        if kind == "incdec":
            target = self.lvalue(sc)
            op = self.rng.choice(["++", "--"])
            text = f"({op}{target.text})" if self.chance(0.5) else f"({target.text}{op})"
            return Ex(text, target.reads, target.writes)
        if kind == "putchar":
            a = self.expr(sc, depth - 1, side, False)
            return Ex(f"putchar(48 + (({a.text}) & 31))", a.reads, a.writes | {IO}, True)
        return self.call(sc, depth - 1)

    def scaled(self, e: Ex, ctype: str) -> str:
        """An int expression converted to a 64-bit type and scaled into its high word."""
        return f"(({ctype})({e.text}) * {self.rng.choice(WIDE_SCALES)})"

    def wide(self, a: Ex, b: Ex) -> Ex:
        """`a op b` in long long or unsigned long long (two words here), folded into an int:
        a is scaled into the high word; a divisor is odd; a shift count is below 64."""
        op, ctype = self.rng.choice(WIDE_OPS), self.rng.choice(WIDE_TYPES)
        right = f"({ctype})({b.text})"
        if op in ("/", "%"):
            right = f"({right} | 1)"
        elif op in ("<<", ">>"):
            right = f"(({b.text}) & 63)"
        text = f"({self.scaled(a, ctype)} {op} {right})"
        return Ex(text if op in COMPARISONS else f"fold({text})", *fx(a | b))

    def unsequenced(self, sc: Scope, a: Ex, make, store: bool = False) -> Ex:
        """An operand unsequenced with a: made again (then pure) while the two clash."""
        for _ in range(3):
            b = make()
            if not self.clash(a, b, sc, store):
                return b
        return self.pure(sc, 1) if a.pure else Ex(lit(self.rng.choice(EDGES)))

    def divisor(self, b: Ex) -> str:
        """A divisor that is never 0 nor -1 (the dividend may be INT_MIN)."""
        r = self.rng.random()
        if r < 0.3:
            return lit(self.rng.choice(DIVISORS))
        if r < 0.65:
            return f"((({b.text}) & 15) + 1)"
        if r < 0.8:
            return f"(-((({b.text}) & 15) + 2))"
        return f"((({b.text}) | 256) & -2)"  # bit 8 set, bit 0 clear: never 0 nor -1

    def lvalue(self, sc: Scope) -> Ex:
        if self.narrow and self.chance(0.12):
            return self.narrow_global(store=True)
        r = self.rng.random()
        if r < 0.55 and sc.scalars:
            name = self.rng.choice(sc.scalars)
            return Ex(name, frozenset({name}), frozenset({name}))
        if r < 0.7:
            name = self.rng.choice(self.globals)
            return Ex(name, frozenset({name}), frozenset({name}))
        if r < 0.8 and sc.fn and sc.fn.pointer:
            return Ex("(*p)", frozenset({ANY}), frozenset({ANY}))
        if self.chance(0.3) and (sc.records or sc.matrices):
            return self.member(sc, store=True)
        arr = self.rng.choice(sc.arrays + ["ga"])
        idx = self.pure(sc, 0)
        return Ex(f"{arr}[({idx.text}) & 7]", idx.reads | {arr}, frozenset({arr}))

    def member(self, sc: Scope, store: bool) -> Ex:
        """A member of a struct S or an element of a 4x4 array (the whole object is what it
        reads and writes, for the unsequenced checks)."""
        names = sc.records + sc.matrices
        name = self.rng.choice(names)
        i, j = self.pure(sc, 0), self.pure(sc, 0)
        if name in sc.matrices:
            text = f"{name}[({i.text}) & 3][({j.text}) & 3]"
            reads = i.reads | j.reads | {name}
        else:
            text = name + self.rng.choice([".a", ".in.x", ".in.y", f".b[({i.text}) & 3]"])
            reads = i.reads | {name}
        return Ex(text, reads, frozenset({name}) if store else frozenset())

    def assignment(self, sc: Scope, depth: int, calls: bool) -> Ex:
        target = self.lvalue(sc)
        op = self.rng.choice(["="] * 3 + COMPOUND)

        def value() -> Ex:
            return self.expr(sc, depth, True, calls)

        # `x = x + 1` is defined (the store follows both operands), `x += x++` is not
        if op == "=":
            lhs = Ex(target.text, target.reads - target.writes, target.writes)
            v = self.unsequenced(sc, lhs, value, store=True)
        else:
            v = self.unsequenced(sc, target, value)
        if op in ("/=", "%="):
            text = self.divisor(v)
        elif op in ("<<=", ">>="):
            text = f"(({v.text}) & 31)"
        else:
            text = v.text
        return Ex(f"({target.text} {op} {text})", *fx(target | v))

    def call(self, sc: Scope, depth: int) -> Ex:
        sc.calls_left -= 1
        fn = self.rng.choice(self.functions)
        args = [Ex(self.depth_arg(sc), frozenset({"d"}))]
        side = self.shapes.arg_side_effects
        for _ in fn.params:
            args.append(self.unsequenced(sc, union(args), lambda: self.expr(sc, depth, side)))
        if fn.pointer:
            args.append(self.pointer_arg(sc))
        total = union(args)
        text = f"{fn.name}({', '.join(a.text for a in args)})"
        return Ex(text, total.reads | {ANY}, total.writes | {ANY, IO}, True)

    def pointer_arg(self, sc: Scope) -> Ex:
        options = [f"&{g}" for g in self.globals] + [f"&{n}" for n in sc.addressable]
        options += ["&ga[" + str(self.rng.randrange(8)) + "]"]
        options += [f"&{a}[{self.rng.randrange(8)}]" for a in sc.arrays if a in sc.visible]
        if sc.fn and sc.fn.pointer:
            options += ["p"] * 2
        return Ex(self.rng.choice(options))

    # -- printf -----------------------------------------------------------------------------
    def printf(self, sc: Scope) -> str:
        side = self.shapes.printf_side_effects
        runtime = self.formats and (sc.fn is None or self.shapes.nested_runtime_printf)
        if runtime and self.chance(0.4):
            name, convs = self.rng.choice(self.formats)
            fmt = name
        else:
            choices = CONVERSIONS + (list(WIDE_CONVERSIONS) if self.shapes.wide else [])
            convs = [self.rng.choice(choices) for _ in range(self.rng.randrange(5))]
            fmt = '"' + self.format_text(convs) + '"'
        args: list[Ex] = []
        for c in convs:
            if c == "%s":
                arg = self.string_arg(sc)
                if self.clash(union(args), arg, sc):  # an earlier argument writes what it reads
                    arg = Ex('"str"')
            else:
                arg = self.unsequenced(sc, union(args), lambda: self.expr(sc, 2, side, side))
                if c in WIDE_CONVERSIONS:
                    arg = Ex(self.scaled(arg, WIDE_CONVERSIONS[c]), *fx(arg))
            args.append(arg)
        return f"printf({', '.join([fmt] + [a.text for a in args])});"

    def format_text(self, convs: list[str]) -> str:
        parts = [self.rng.choice(TEXT)]
        for c in convs:
            parts += [c, self.rng.choice(TEXT)]
        return "".join(parts) + "\\n"

    def string_arg(self, sc: Scope) -> Ex:
        options = ['"str"', '""', "gs", '(g0 & 1 ? "odd" : "even")']
        if sc.fn is None:
            options.append("cb")
        choice = self.rng.choice(options)
        return Ex(choice, frozenset({"g0"} if "g0" in choice else ()))

    # -- statements -------------------------------------------------------------------------
    def statements(self, sc: Scope, depth: int, count: int) -> list[str]:
        return [line for _ in range(count) for line in self.statement(sc, depth)]

    def statement(self, sc: Scope, depth: int) -> list[str]:
        kinds = ["expr"] * 4 + ["printf"] * 3 + ["puts", "putchar"]
        if sc.records:
            kinds += ["record"]
        if sc.wide:
            kinds += ["wide"]
        if depth < 2:
            kinds += ["if", "if", "loop", "switch"]
        if sc.fn:
            kinds.append("return")
        if sc.in_loop:
            kinds += ["break", "continue"]
        if sc.calls_left > 0 and self.chance(0.4):
            kinds = ["shaped"]
        kind = self.rng.choice(kinds)
        if kind == "shaped":
            return [self.shaped(sc)]
        if kind == "expr":
            e = self.assignment(sc, 2, True) if self.chance(0.6) else self.expr(sc, 3)
            return [e.text + ";"]
        if kind == "printf":
            return [self.printf(sc)]
        if kind == "record":
            return [self.record_statement(sc)]
        if kind == "wide":  # the long long local, live across the calls its value may make
            e = self.expr(sc, 2)
            update = self.rng.choice(["* 3 +", "^", "-", "* -7 +"])
            return [f"{sc.wide} = {sc.wide} {update} {self.scaled(e, 'long long')};"]
        if kind == "puts":
            return [f'puts("{self.format_text([]).replace("%%", "%")[:-2]}");']
        if kind == "putchar":
            return [f"putchar({self.pure(sc).text});"]
        if kind == "return":
            return [f"if ({self.pure(sc).text}) return {self.expr(sc, 2).text};"]
        if kind in ("break", "continue"):
            return [f"if ({self.pure(sc).text}) {kind};"]
        inner = lambda: self.statements(sc, depth + 1, self.rng.randint(1, 3))  # noqa: E731
        if kind == "if":
            out = [f"if ({self.expr(sc, 3).text}) {{", *indent(inner()), "}"]
            if self.chance(0.5):
                out[-1:] = ["} else {", *indent(inner()), "}"]
            return out
        if kind == "switch":
            out = [f"switch (({self.expr(sc, 2).text}) & 3) {{"]
            for value in sorted(self.rng.sample(range(4), self.rng.randint(1, 3))):
                out += [f"case {value}:", *indent(inner())]
                if self.chance(0.6):
                    out.append("    break;")
            if self.chance(0.5):
                out += ["default:", *indent(inner())]
            return out + ["}"]
        return self.loop(sc, depth)

    def shaped(self, sc: Scope) -> str:
        """A statement of a shape where a value must live across a call: `x = c && f(..)`,
        `f(d - 1, x++)`, `x = e, y = f(..)`, then x is used again (as every function prints
        its locals before returning)."""
        private = [n for n in sc.scalars if n not in sc.visible] or ["g0"]
        x, y = self.rng.sample(private, 2) if len(private) > 1 else private * 2
        shapes = ["call"]
        shapes += ["cond", "cond"] if self.shapes.calls_in_conditions else []
        shapes += ["arg", "arg"] if self.shapes.arg_side_effects else []
        shapes += ["comma", "comma"] if self.shapes.comma_calls else []
        shape = self.rng.choice(shapes)
        # the statement itself does not read x or y: only what follows needs their values
        other = dataclasses.replace(sc, scalars=[n for n in sc.scalars if n not in (x, y)])
        if shape == "arg":
            callees = [f for f in self.functions if f.params]
            if callees:
                fn = self.rng.choice(callees)
                sc.calls_left -= 1
                step = self.rng.choice(
                    [f"{x}++", f"--{x}", f"({x} += {lit(self.rng.choice(EDGES))})"]
                )
                args = [self.depth_arg(sc), step]
                stepped = Ex(step, frozenset({x}), frozenset({x}))  # unsequenced with the rest
                args += [
                    self.unsequenced(other, stepped, lambda: self.pure(other, 1)).text
                    for _ in fn.params[1:]
                ]
                args += [self.pointer_arg(sc).text] if fn.pointer else []
                target = self.rng.choice(["", f"{y} = ", f"{y} += "]) if y != x else ""
                return f"{target}{fn.name}({', '.join(args)});"
        called = self.call(other, 1)
        call = called.text
        sc.calls_left = other.calls_left
        a = self.pure(other, 1).text
        # b and the call are unsequenced operands (of a comparison): b reads nothing it writes
        b = self.unsequenced(other, called, lambda: self.pure(other, 1)).text
        if shape == "cond":
            cmp = ">" if self.shapes.calls_in_comparisons else "&"
            form = self.rng.choice(
                [
                    f"({a} && {call})",
                    f"({a} || {call})",
                    f"({a} ? ({call} {cmp} {b}) : {b})",
                    f"(({call} {cmp} {b}) ? {a} : {b})",
                    f"({a} && ({b} || {call}))",
                ]
            )
            return f"{x} = {form};" if self.chance(0.7) else f"if ({form}) {x}++;"
        if shape == "comma":
            return f"{x} = {a}, {y} = {call};" if x != y else f"{x} = ({a}, {call});"
        return f"{x} = {call};"

    def record_statement(self, sc: Scope) -> str:
        """A struct copied, or passed through `mix` by value and assigned its result."""
        target, source = self.rng.choice(sc.records), self.rng.choice(sc.records)
        if self.chance(0.4):
            return f"{target} = {source};"
        k = self.pure(sc, 1).text
        if self.chance(0.3):
            return f"{self.lvalue(sc).text} = mix({source}, {k}).{self.rng.choice(['a', 'in.x'])};"
        return f"{target} = mix({source}, {k});"

    def depth_arg(self, sc: Scope) -> str:
        if sc.fn is None:
            return str(self.rng.choice([0, 1, 2, 3, 3]))
        return self.rng.choice(["d - 1", "d - 1", "d - 2"])

    def loop(self, sc: Scope, depth: int) -> list[str]:
        self.labels += 1
        i, n = f"i{self.labels}", self.rng.randint(0, 3)
        saved = (sc.in_loop, sc.calls_left)
        sc.in_loop, sc.counters = True, sc.counters + [i]
        if sc.fn:  # calls in a loop of a recursive function would multiply its run time
            sc.calls_left = 0
        body = indent(self.statements(sc, depth + 1, self.rng.randint(1, 3)))
        sc.in_loop, sc.counters = saved[0], sc.counters[:-1]
        sc.calls_left = saved[1] if sc.fn else sc.calls_left
        form = self.rng.randrange(3)
        if form == 0:
            return [f"for (int {i} = 0; {i} < {n}; {i}++) {{", *body, "}"]
        if form == 1:  # the counter steps first: continue must not skip it
            return [f"{{ int {i} = 0; while ({i}++ < {n}) {{", *body, "} }"]
        return [f"{{ int {i} = 0; do {{", *body, f"}} while (++{i} < {n}); }}"]

    # -- whole program ----------------------------------------------------------------------
    def global_records(self) -> set[str]:
        return {"gst", "gm"} if self.shapes.records else set()

    def record_locals(self) -> list[str]:
        """A local struct S with a designated initializer, and a local 4x4 array with some
        braces left out."""
        e = lambda: lit(self.rng.choice(EDGES))  # noqa: E731
        rows = ", ".join(
            "{" + ", ".join(e() for _ in range(self.rng.randint(1, 4))) + "}"
            for _ in range(self.rng.randint(1, 4))
        )
        return [
            f"    struct S ls = {{ .in = {{ {e()}, {e()} }}, .a = {e()}, "
            f".b = {{ {e()}, {e()} }} }};",
            f"    int lm[4][4] = {{ {rows} }};",
        ]

    def function(self, fn: Function) -> list[str]:
        locals_ = [f"x{k}" for k in range(self.rng.randint(2, 3))]
        arrays = ["la"] if self.chance(0.5) else []
        addressable = [n for n in locals_ if self.chance(0.3)]
        if self.shapes.address_params:
            addressable += [n for n in fn.params if self.chance(0.3)]
        visible = {*self.globals, "ga", ANY, *addressable} | self.global_records()
        visible |= {n.split(".")[0] for n in self.narrow}
        sc = Scope(fn, locals_ + fn.params, arrays, visible, addressable, self.rng.randint(2, 3))
        records = self.shapes.records and self.chance(0.5)
        sc.records = ["gst", "ls"] if records else []
        sc.matrices = ["gm", "lm"] if records else []
        params = ["int d"] + [f"int {n}" for n in fn.params] + (["int *p"] if fn.pointer else [])
        lines = [f"int {fn.name}({', '.join(params)})", "{"]
        for a in arrays:
            init = ", ".join(lit(self.rng.choice(EDGES)) for _ in range(8))
            lines.append(f"    int {a}[8] = {{{init}}};")
        if records:
            lines += self.record_locals()
        sc.scalars = list(fn.params)  # an initialiser sees the locals declared before it
        for n in locals_:
            lines.append(f"    int {n} = {self.pure(sc, 1).text};")
            sc.scalars.append(n)
        if self.shapes.wide and self.chance(0.5):
            lines.append(f"    long long w = {self.scaled(self.pure(sc, 1), 'long long')};")
            sc.wide = "w"
        base = Scope(fn, sc.scalars, arrays, visible, addressable, 0)
        base.records, base.matrices = sc.records, sc.matrices
        lines.append(f"    if (d <= 0) return {self.expr(base, 2).text};")
        lines += indent(self.statements(sc, 0, self.rng.randint(2, 5)))
        if self.chance(0.9):  # what the locals hold after the calls, in order
            shown = sc.scalars + [f"{a}[{self.rng.randrange(8)}]" for a in arrays]
            if records:
                shown += ["ls.a", "ls.b[3]", "ls.in.y", f"lm[{self.rng.randrange(4)}][2]"]
            wide = [sc.wide] if sc.wide else []
            convs = " %d" * len(shown) + " %lld" * len(wide)
            lines.append(f'    printf("{fn.name}:{convs}\\n", {", ".join(shown + wide)});')
        lines.append(f"    return {self.expr(sc, 3).text};")
        return lines + ["}"]

    def program(self) -> str:
        rng = self.rng
        for k in range(rng.randint(1, 4)):
            params = [f"a{j}" for j in range(rng.randint(0, 2))]
            self.functions.append(Function(f"f{k}", params, self.chance(0.5)))
        for k in range(rng.randint(0, 3)):
            convs = [rng.choice(CONVERSIONS) for _ in range(rng.randrange(4))]
            self.formats.append((f"fmt{k}", convs))
        out = ["#include <stdio.h>", "#include <stdlib.h>"]
        out += [f"int {g} = {lit(rng.choice(EDGES))};" for g in self.globals]
        out.append(f"int ga[8] = {{{', '.join(lit(rng.choice(EDGES)) for _ in range(8))}}};")
        if self.shapes.pointers:
            out += [*OPERATIONS, TABLE]
        if self.shapes.wide:
            out.append(FOLD)
        if self.narrow:
            e = lambda: lit(rng.choice(EDGES))  # noqa: E731
            out += [f"{t} {n} = {e()};" for n, t in NARROW_TYPES.items()]
            out += [BITS, f"struct B gb = {{ {e()}, {e()}, {e()}, {e()} }};"]
        if self.shapes.records:
            flat = ", ".join(lit(rng.choice(EDGES)) for _ in range(rng.randint(0, 16)))
            e = lambda: lit(rng.choice(EDGES))  # noqa: E731
            out += [RECORD, MIX, f"struct S gst = {{ {e()}, {{ {e()}, {e()} }}, {{ {e()} }} }};"]
            out.append(f"int gm[4][4] = {{ {flat} }};")
        out.append(f'char gs[8] = "{rng.choice(["", "g", "glob", "strin"])}";')
        out += [f'char *{n} = "{self.format_text(c)}";' for n, c in self.formats]
        for fn in self.functions:
            params = ["int d"] + ["int"] * len(fn.params) + (["int *p"] if fn.pointer else [])
            out.append(f"int {fn.name}({', '.join(params)});")
        for fn in self.functions:
            out += self.function(fn)
        out += self.main()
        return "\n".join(out) + "\n"

    def main(self) -> list[str]:
        locals_ = ["m0", "m1", "m2"]
        visible = {*self.globals, "ga", "la", "m0", "m1"} | self.global_records()
        visible |= {n.split(".")[0] for n in self.narrow}
        sc = Scope(None, locals_, ["la"], visible, ["m0", "m1"], self.rng.randint(3, 7))
        if self.shapes.records:
            sc.records, sc.matrices = ["gst"], ["gm"]
        lines = ["int main(void)", "{"]
        for n in locals_:
            lines.append(f"    int {n} = {lit(self.rng.choice(EDGES))};")
        lines.append(f"    int la[8] = {{{', '.join(str(k * 3 - 5) for k in range(8))}}};")
        lines.append(f'    char cb[8] = "{self.rng.choice(["", "c", "main"])}";')
        if self.shapes.heap:  # an array on the heap, used as main's arrays are
            lines.append("    int *hp = malloc(8 * sizeof *hp);")
            lines.append("    if (hp == NULL) return 99;")
            init = ", ".join(lit(self.rng.choice(EDGES)) for _ in range(8))
            lines.append(
                f"    {{ int init[8] = {{{init}}}; for (int k = 0; k < 8; k++) hp[k] = init[k]; }}"
            )
            sc.arrays = sc.arrays + ["hp"]
        lines += indent(self.statements(sc, 0, self.rng.randint(3, 8)))
        for fn in self.functions:  # each function at depth 3 at least once
            args = [str(self.rng.choice([3, 3, 4]))] + [self.pure(sc, 1).text for _ in fn.params]
            args += [self.pointer_arg(sc).text] if fn.pointer else []
            lines.append(f"    m2 += {fn.name}({', '.join(args)});")
        state = " ".join(["%d"] * 6)
        lines.append(f'    printf("{state}\\n", m0, m1, m2, g0, g1, g2);')
        lines.append('    for (int k = 0; k < 8; k++) printf("%d %d ", ga[k], la[k]);')
        lines.append('    printf("%s %s\\n", gs, cb);')
        if self.shapes.heap:
            lines.append('    for (int k = 0; k < 8; k++) printf("%d ", hp[k]);')
            lines.append("    free(hp);")
        if self.shapes.records:
            lines.append(
                '    printf("%d %d %d %d %d %d %d\\n", gst.a, gst.b[0], gst.b[1], gst.b[2], '
                "gst.b[3], gst.in.x, gst.in.y);"
            )
            lines.append('    for (int k = 0; k < 16; k++) printf("%d ", gm[k / 4][k % 4]);')
        if self.narrow:
            convs = " ".join(["%d"] * len(self.narrow))
            lines.append(f'    printf("{convs}\\n", {", ".join(self.narrow)});')
        if self.shapes.exit_value:
            sc.calls_left = 0
            lines.append(f"    return ({self.expr(sc, 2, side=False).text}) & 255;")
        else:
            lines.append("    return 0;")
        return lines + ["}"]


def program(seed: int, shapes: Shapes = DEFAULT_SHAPES) -> str:
    """The program of one seed."""
    return Generator(seed, shapes).program()
