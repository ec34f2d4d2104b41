"""check, the initializers: `= {...}` of any type to the words it gives an object.

C's rules (C99 6.7.8): braces may be left out around an inner aggregate (its elements are then
taken from the enclosing list), a designator (`.x =`, `[i] =`) moves on to the member or element
it names (a member of an anonymous struct or union too), what no initializer names is 0, a
string literal initializes a char array, and an array declared `a[]` takes its length from its
initializer. gcc's range designator `[a ... b] = v` gives each of those elements v (a value
without side effects: gcc computes it once), and a static struct's flexible array member may
be initialized, as gcc allows, in words past the struct's own.
"""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .check_expr import ExprChecker
from .check_wide import signed
from .values import has_call, has_effect

Words = dict[int, S.Expr]  # word offset in the object -> its initial value


class Initializers(ExprChecker):
    """Initializers to words (see check.Checker, which adds declarations and statements)."""

    outermost: S.CType | None = None  # the object being initialized (its flexible array may be)

    def initializer(
        self, decl: c_ast.Decl, ctype: S.CType, static: bool = False
    ) -> tuple[S.CType, list[S.Expr] | S.Expr | None]:
        """An object's type (an unsized array's length taken from its initializer) and its
        initial value: one expression for a scalar, the words of an aggregate (0 where no
        initializer names a word; None: no initializer; for a `static` struct, words past its
        own where its flexible array member is initialized)."""
        outer, self.outermost = self.outermost, ctype
        try:
            return self.initial_words(decl, ctype, static)
        finally:
            self.outermost = outer

    def initial_words(
        self, decl: c_ast.Decl, ctype: S.CType, static: bool
    ) -> tuple[S.CType, list[S.Expr] | S.Expr | None]:
        """`initializer`, for `self.outermost`."""
        init = decl.init
        if init is None:
            if ctype.is_array and ctype.length == S.UNSIZED:
                raise self.error(decl, f"array size missing in '{decl.name}'")
            return ctype, None
        if ctype.is_scalar:
            return ctype, self.scalar_init(ctype, init)
        words: Words = {}
        if isinstance(init, c_ast.InitList) and len(init.exprs) == 1 and ctype.is_array:
            if self.is_string(init.exprs[0]) and ctype.element().is_integer:
                init = init.exprs[0]  # char s[] = {"ab"}
        if ctype.is_array and self.is_string(init) and ctype.element().is_integer:
            length = self.string_init(ctype, init, words, 0)
        elif isinstance(init, c_ast.InitList):
            length = self.braced(ctype, init.exprs, words, 0)
        elif ctype.is_record:
            value = self.rvalue(self.expr(init))
            self.copy_words(ctype, value, init, words, 0)
            length = 1
        else:
            raise self.error(init, "an array needs a {...} initializer")
        if ctype.is_array and ctype.length == S.UNSIZED:
            ctype = S.array(ctype.element(), length)
        end = max(words, default=-1) + 1
        if ctype.is_record and end > ctype.size and not static:  # (gcc: a static one's only)
            raise self.error(init, "non-static initialization of a flexible array member")
        return ctype, [words.get(i, S.Num(0, loc=self.loc(init))) for i in range(end)]

    def scalar_init(self, ctype: S.CType, init: c_ast.Node) -> S.Expr:
        """A scalar's initial value: an expression, in braces or not (`int x = {3};`)."""
        if isinstance(init, c_ast.InitList):
            if not init.exprs:
                raise self.error(init, "empty scalar initializer")
            if len(init.exprs) != 1:
                raise self.error(init, "excess elements in scalar initializer")
            return self.scalar_init(ctype, init.exprs[0])
        if isinstance(init, c_ast.NamedInitializer):
            raise self.error(init, "a designator in a scalar's initializer")
        value = self.rvalue(self.expr(init))
        self.assignable(ctype, value, init)
        return self.converted(ctype, value, init)

    def braced(self, ctype: S.CType, items: list[c_ast.Node], words: Words, at: int) -> int:
        """`{items}` for an aggregate at word `at`: every item is used. The count of elements
        (an array's) or 1."""
        end, used = self.elements(ctype, items, 0, words, at, braced=True)
        if used < len(items):
            what = "array" if ctype.is_array else str(ctype.record)
            raise self.error(items[used], f"excess elements in {what} initializer")
        return end

    def elements(
        self,
        ctype: S.CType,
        items: list[c_ast.Node],
        i: int,
        words: Words,
        at: int,
        braced: bool,
        lead: bool = False,
    ) -> tuple[int, int]:
        """Initialize the members or elements of an aggregate from `items[i:]`, as many as it
        has (braced: all it is given, designators included; `lead`: the first item's
        designators go on into this aggregate, `[1][2] = x`). Returns the count of elements
        initialized (one past the highest; 1 for a record) and the index of the next item."""
        first = i
        parts = self.parts(ctype)
        if parts is not None:
            limit: int | None = len(parts)
        else:
            limit = None if ctype.length == S.UNSIZED else ctype.length
        union = ctype.is_record and ctype.record is not None and ctype.record.kind == "union"
        k = high = 0
        while i < len(items):
            item = items[i]
            if isinstance(item, c_ast.NamedInitializer):
                if not braced and not (lead and i == first):
                    break  # a designator names a part of the enclosing braced object
                low, k, inner = self.designated(ctype, item.name[0])
                names = [*inner, *item.name[1:]]
                for each in range(low, k):  # a range's elements but its last: the value alone
                    self.designation(ctype, parts, each, names, item, [], words, at)
                i += self.designation(ctype, parts, k, names, item, items[i + 1 :], words, at)
                if low < k:
                    self.computed_once(ctype, parts, low, words, at, item)
                k += 1
                high = max(high, k)
                continue
            if union and high:
                break  # a union takes one initializer, or one for each designator
            if limit is not None and k >= limit:
                break
            offset, part = self.part(ctype, parts, k)
            self.flexible_here(ctype, part, item)
            i = self.one(part, items, i, item, words, at + offset)
            k += 1
            high = max(high, k)
        return (high if ctype.is_array else 1), i

    def designation(
        self,
        ctype: S.CType,
        parts: list[S.Member] | None,
        k: int,
        names: list[c_ast.Node],
        item: c_ast.NamedInitializer,
        after: list[c_ast.Node],
        words: Words,
        at: int,
    ) -> int:
        """Initialize part `k` from a designated item (`names`: its designators after the one
        naming k), and go on into that part with `after` as C goes on; how many of `[item,
        *after]` were used. `[1][2] = x`, `.a.b = x`: on into that part, whose next parts
        come next."""
        offset, part = self.part(ctype, parts, k)
        self.flexible_here(ctype, part, item)
        if not names:
            return self.one(part, [item.expr, *after], 0, item.expr, words, at + offset)
        if part.is_scalar:
            raise self.error(names[0], "a designator of a scalar's part")
        rest = c_ast.NamedInitializer(names, item.expr, item.coord)
        _, used = self.elements(part, [rest, *after], 0, words, at + offset, False, lead=True)
        return used

    def flexible_here(self, ctype: S.CType, part: S.CType, item: c_ast.Node) -> None:
        """Refuse initializing a flexible array member of a struct inside another object."""
        flexible = ctype.is_record and part.is_array and part.length == S.UNSIZED
        if flexible and ctype is not self.outermost:
            raise self.error(item, "initialization of flexible array member in a nested context")

    def computed_once(
        self,
        ctype: S.CType,
        parts: list[S.Member] | None,
        k: int,
        words: Words,
        at: int,
        item: c_ast.Node,
    ) -> None:
        """Refuse a range designator's value that calls or assigns: gcc computes it once,
        where each of the elements here computes it again."""
        offset, part = self.part(ctype, parts, k)
        for w in range(at + offset, at + offset + part.size):
            if w in words and (has_call(words[w]) or has_effect(words[w])):
                raise self.unsupported(item, "a range designator's value with side effects")

    def one(
        self,
        part: S.CType,
        items: list[c_ast.Node],
        i: int,
        item: c_ast.Node,
        words: Words,
        at: int,
    ) -> int:
        """Initialize one member or element of type `part` from `item` (`items[i]`, its
        designator read); the index of the next item."""
        if part.is_scalar:
            words[at] = self.scalar_init(part, item)
            return i + 1
        if isinstance(item, c_ast.InitList) or self.is_string(item):
            for w in range(at, at + part.size):  # (one designated again starts anew)
                words.pop(w, None)
        if isinstance(item, c_ast.InitList):
            if part.is_array and len(item.exprs) == 1 and self.is_string(item.exprs[0]):
                self.string_init(part, item.exprs[0], words, at)
            else:
                self.braced(part, item.exprs, words, at)
            return i + 1
        if part.is_array and self.is_string(item) and part.element().is_integer:
            self.string_init(part, item, words, at)
            return i + 1
        if part.is_record and not isinstance(item, c_ast.NamedInitializer):
            value = self.rvalue(self.expr(item))
            if value.ctype.is_record or part.is_wide:
                self.copy_words(part, value, item, words, at)
                return i + 1
        # braces left out: the part's own members or elements come from this list
        rest = [item, *items[i + 1 :]]
        _, used = self.elements(part, rest, 0, words, at, braced=False)
        return i + max(used, 1)

    def parts(self, ctype: S.CType) -> list[S.Member] | None:
        """A record's members in order (None for an array: its elements)."""
        if ctype.is_record:
            assert ctype.record is not None
            if not ctype.record.complete:
                raise self.error(None, f"'{ctype}' has incomplete type")
            return ctype.record.members
        return None

    def part(self, ctype: S.CType, parts: list[S.Member] | None, k: int) -> tuple[int, S.CType]:
        """The word offset and type of member or element `k`."""
        if parts is not None:
            return parts[k].offset, parts[k].ctype
        element = ctype.element()
        return k * element.size, element

    def designated(
        self, ctype: S.CType, designator: c_ast.Node
    ) -> tuple[int, int, list[c_ast.Node]]:
        """The indexes of the first and the last member or element a designator names (the
        same but for a range, `[a ... b]`), and the designators it stands for inside that
        part (`.b` of an anonymous member's b is `.<that member>.b`)."""
        if isinstance(designator, c_ast.ID):
            if not ctype.is_record:
                raise self.error(designator, "field name not in record or union initializer")
            assert ctype.record is not None
            for k, m in enumerate(ctype.record.members):
                if m.name == designator.name:
                    return k, k, []
                inner = m.ctype.record
                if not m.name and inner is not None and designator.name in inner.names():
                    return k, k, [designator]
            raise self.error(designator, f"'{ctype}' has no member named '{designator.name}'")
        if not ctype.is_array:
            raise self.error(designator, "array index in non-array initializer")
        index = getattr(designator, "expr", designator)  # (ArrayDesignator's)
        low, high = (index.left, index.right) if is_range(index) else (index, index)
        first, last = self.constant(low), self.constant(high)
        if last < first:
            raise self.error(designator, "empty index range in initializer")
        if first < 0 or (ctype.length != S.UNSIZED and last >= (ctype.length or 0)):
            raise self.error(designator, "array index in initializer exceeds array bounds")
        limit, what = self.address_limit()
        if (last + 1) * ctype.element().size > limit:  # (before its words are counted out)
            words = (last + 1) * ctype.element().size
            raise self.error(designator, f"an array of {words:,} words is larger than {what}")
        return first, last, []

    def is_string(self, node: c_ast.Node) -> bool:
        return isinstance(node, c_ast.Constant) and node.type == "string"

    def string_init(self, ctype: S.CType, init: c_ast.Node, words: Words, at: int) -> int:
        """A char array from a string literal, or a wchar_t (`int`) array from a wide one
        (its NUL left out when it just fills the array, as C allows); the count of elements."""
        assert isinstance(init, c_ast.Constant)
        element = ctype.element()
        data: bytes | tuple[int, ...]
        if element.kind == "int" and not element.unsigned and "long" not in element.spelled.split():
            data = self.wide_points(init) + (0,)
        elif element.kind == "char":
            data = self.string_bytes(init) + b"\0"
        else:
            raise self.error(init, "a string initializes only a char or wchar_t array")
        if ctype.length != S.UNSIZED:
            assert ctype.length is not None
            if len(data) - 1 > ctype.length:
                what = "char" if element.kind == "char" else "wchar_t"
                raise self.error(init, f"initializer-string for array of {what} is too long")
            data = data[: ctype.length]
        for k, byte in enumerate(data):  # (a signed char's wrap: "\xff" is -1 there)
            words[at + k] = self.stored(element, S.Num(byte, loc=self.loc(init)))
        return len(data)

    def copy_words(
        self, ctype: S.CType, value: S.Expr, node: c_ast.Node, words: Words, at: int
    ) -> None:
        """A record initialized from a record value: each of its words."""
        if ctype.is_wide:
            value = self.converted(ctype, value, node)
            if isinstance(value, S.Num):  # (a constant: its two words)
                for k in range(2):
                    words[at + k] = S.Num(signed(value.value >> 32 * k, 32), loc=value.loc)
                return
            value = self.made(value)
        if not value.ctype.is_record or value.ctype.record is not ctype.record:
            raise self.error(node, f"incompatible types when initializing type '{ctype}'")
        literal = self.static_literals.get(value.var) if isinstance(value, S.VarRef) else None
        if literal is not None:  # (a compound literal outside functions: its words, as gcc)
            for k in range(ctype.size):
                words[at + k] = literal[k] if k < len(literal) else S.Num(0, loc=value.loc)
            return
        for k, word in enumerate(self.record_words(value, node)):
            words[at + k] = word

    def static_word(self, e: S.Expr) -> int | str:
        """A word of static data: a constant, or the address of a string or a global."""
        value = self.const_value(e)
        if value is not None:
            return value
        if isinstance(e, S.Str | S.WideStr):
            return e.label
        if isinstance(e, S.FuncAddr):
            return self.functions[e.name].address
        if isinstance(e, S.AddrOf) and e.var.storage == "global":
            return e.var.label
        if (
            isinstance(e, S.Binary)
            and e.op in "+-"
            and isinstance(e.left, (S.Str, S.WideStr, S.AddrOf))
        ):
            offset = self.const_value(e.right)
            if offset is not None:
                base = self.static_word(e.left)
                return f"{base}{'+' if e.op == '+' else '-'}{offset}"
        raise self.error_at(e, "initializer element is not constant")

    def compound_literal(self, node: c_ast.CompoundLiteral) -> S.Expr:
        """`(T){...}`: an object of its own, initialized where the literal is (each time it is
        evaluated), or, outside a function, static data."""
        ctype = self.ctype(node.type)
        if ctype.is_void or ctype.kind == "function" or not self.complete(ctype):
            raise self.error(node, f"compound literal of type '{ctype}'")
        shape = c_ast.Decl("(compound literal)", [], [], [], [], None, node.init, None, None)
        shape.coord = node.coord
        ctype, init = self.initializer(shape, ctype, static=self.function is None)
        elements = init if isinstance(init, list) else [] if init is None else [init]
        loc = self.loc(node)
        fn = self.function
        if fn is None:
            words = [self.static_word(e) for e in elements]
            words += [0] * (ctype.size - len(words))
            var = S.Var("", ctype, "global", None, loc, self.label("c", "literal"), init=words)
            self.globals.append(var)
            self.static_literals[var] = elements
            return S.VarRef(var, loc=loc, ctype=ctype)
        var = S.Var("", ctype, "local", fn.name, loc, self.label("c", fn.name, "literal"))
        var.address_taken = True
        fn.locals.append(var)
        stores: list[S.Expr] = []
        for k in range(ctype.size):
            value = elements[k] if k < len(elements) else S.Num(0, loc=loc)
            at = S.AddrOf(var, loc=loc, ctype=S.pointer(S.INT))
            word = S.Binary("+", at, S.Num(k, loc=loc), loc=loc, ctype=at.ctype) if k else at
            stores.append(
                S.Assign("=", S.Deref(word, loc=loc, ctype=S.INT), value, loc=loc, ctype=S.INT)
            )
        address = S.AddrOf(var, loc=loc, ctype=ctype.address())
        return S.Deref(
            S.Comma([*stores, address], loc=loc, ctype=address.ctype), loc=loc, ctype=ctype
        )


def is_range(node: c_ast.Node) -> bool:
    """Whether a designator's index is gcc's range, `a ... b` (see parse)."""
    return isinstance(node, c_ast.BinaryOp) and node.op == "..."
