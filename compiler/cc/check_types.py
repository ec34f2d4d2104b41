"""check, the types: declarators and specifiers to `syntax.CType`, structs and unions laid out
in words, typedef names, enums, and initializers flattened to the words they give."""

from __future__ import annotations

from dataclasses import replace

from pycparser import c_ast

from . import syntax as S
from .check_ints import integer_type
from .literals import Literals
from .preprocess import own_header


class TypeChecker(Literals):
    """The types of declarations (see check_expr.ExprChecker, which adds expressions)."""

    def expr(self, node: c_ast.Node) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def constant(self, node: c_ast.Node, otherwise: str = "") -> int:  # (ExprChecker's)
        raise NotImplementedError

    def ctype(self, node: c_ast.Node) -> S.CType:
        """The type a declarator or a type name describes (pycparser nests them outermost
        first: `int *a[3]` is an array of 3 pointers)."""
        if isinstance(node, c_ast.Typename):
            return self.ctype(node.type)
        if isinstance(node, c_ast.TypeDecl):
            found = self.base_type(node.type, "const" in node.quals, node)
            return S.tagged(found, "volatile") if "volatile" in node.quals else found
        if isinstance(node, c_ast.PtrDecl):
            inner = self.ctype(node.type)
            found = S.pointer(inner, const="const" in node.quals)
            for word in ("volatile", "restrict"):
                found = S.tagged(found, word) if word in node.quals else found
            return found
        if isinstance(node, c_ast.ArrayDecl):
            inner = self.ctype(node.type)
            if inner.is_void:
                raise self.error(node, "declaration of an array of void")
            if inner.is_array and inner.length == S.UNSIZED or not self.complete(inner):
                raise self.error(node, "array type has incomplete element type")
            if inner.kind == "function":
                raise self.error(node, "declaration of an array of functions")
            if node.dim is None or isinstance(node.dim, c_ast.ID) and node.dim.name == "*":
                return S.array(inner, S.UNSIZED)  # `a[]`, and `a[*]` in a prototype
            length = self.constant(node.dim, "variable-length array")
            if length < 0:  # (0: gcc's zero-length array, of no words)
                raise self.error(node.dim, f"size of array is negative ({length})")
            if length * inner.size >= 1 << (self.bits - 1):  # (gcc: more than PTRDIFF_MAX)
                raise self.error(
                    node, f"size of array is too large ({length * inner.size:,} words)"
                )
            return S.array(inner, length)
        if isinstance(node, c_ast.FuncDecl):
            return self.function_type(node)
        raise self.refuse(node)

    def function_type(self, node: c_ast.FuncDecl) -> S.CType:
        """A function's type: what it returns, and its parameters' types as they are passed
        (an array or a function parameter is a pointer); `int f()` says nothing of them."""
        returns = self.ctype(node.type)
        if returns.is_array or returns.kind == "function":
            what = "an array" if returns.is_array else "a function"
            raise self.error(node, f"a function cannot return {what}")
        if node.args is None:
            return S.CType("function", of=returns)
        params: list[S.CType] = []
        variadic = False
        for p in node.args.params:
            if isinstance(p, c_ast.EllipsisParam):
                variadic = True
                continue
            if isinstance(p, c_ast.ID):
                raise self.unsupported(p, "old-style parameter list")
            ptype = self.ctype(p.type)
            params.append(S.pointer(ptype) if ptype.kind == "function" else ptype.decayed())
        if params == [S.VOID]:
            params = []
        return S.CType("function", of=returns, params=tuple(params), variadic=variadic)

    def base_type(self, node: c_ast.Node, const: bool, place: c_ast.Node) -> S.CType:
        """The type that a declaration's specifiers name: a keyword's, a typedef's, an enum's
        (int), a struct's or a union's."""
        if isinstance(node, c_ast.IdentifierType):
            names = tuple(n for n in node.names if n not in ("const", "volatile"))
            keyword = integer_type(names)
            if keyword is not None and keyword.is_wide and self.bits != 32:
                raise self.unsupported(place, f"type 'long long' at N = {self.bits} (32 only)")
            if keyword is not None:
                found = keyword
            elif len(names) == 1 and isinstance(self.find(names[0]), S.TypeName):
                named = self.find(names[0])
                assert isinstance(named, S.TypeName)
                if named.refused:
                    raise self.unsupported(place, named.refused)
                found = named.ctype
            else:
                spelled = " ".join(node.names)
                raise self.unsupported(place, f"type '{spelled}' (integer types and void only)")
            return replace(found, const=True) if const else found
        if isinstance(node, c_ast.Enum):
            return S.tagged(replace(self.enum(node), const=const), "enum")
        if isinstance(node, c_ast.Struct | c_ast.Union):
            return S.CType("struct", record=self.record(node), const=const)
        raise self.refuse(node)

    def enum(self, node: c_ast.Enum) -> S.CType:
        """Declare an enum's constants as numbers, counting on from each explicit value (once
        for `enum {...} a, b;`, whose declarators share the specifier). The enum's type, as
        gcc's: unsigned int if no constant is negative, else int (the constants are ints)."""
        if node.values is None:  # `enum e`: the type its definition gave (before it, gcc's
            found = self.find(f"enum {node.name}")  # forward enum: unsigned, as most are)
            seen = self.defined.get(id(found)) if isinstance(found, c_ast.Enum) else None
            return seen[1] if seen is not None and isinstance(seen[1], S.CType) else S.UINT
        seen = self.defined.get(id(node))
        if seen is not None and seen[0] is node:
            assert isinstance(seen[1], S.CType)
            return seen[1]
        self.defined[id(node)] = (node, S.INT)
        if node.name:
            if f"enum {node.name}" in self.scopes[-1]:
                raise self.error(node, f"redeclaration of 'enum {node.name}'")
            self.scopes[-1][f"enum {node.name}"] = node
        value = lowest = highest = 0
        half = 1 << (self.bits - 1)
        for item in node.values.enumerators:
            if item.value is not None:
                given = self.expr(item.value)
                if given.ctype.is_wide:  # (a literal past UINT_MAX's kind: 4294967295)
                    if not isinstance(given, S.Num):
                        raise self.unsupported(item.value, "a long long enumeration value")
                    value = given.value % (1 << 64)
                    value -= 1 << 64 if value >= 1 << 63 and not given.ctype.unsigned else 0
                else:
                    value = self.constant(item.value)
                    if given.ctype.unsigned and value < 0:
                        value += 2 * half  # (an unsigned constant above INT_MAX, as gcc's)
            elif value >= 2 * half or value == half:  # (past INT_MAX, or an unsigned's end)
                raise self.error(item, f"overflow in enumeration values at '{item.name}'")
            lowest, highest = min(lowest, value), max(highest, value)
            if highest >= half and lowest < 0 or highest >= 2 * half:
                raise self.unsupported(item, "enumeration values that need a type wider than int")
            # a constant above INT_MAX is an unsigned int, as gcc makes it
            word = (
                S.Num(value, loc=self.loc(item))
                if value < half
                else S.Num(value - 2 * half, loc=self.loc(item), ctype=S.UINT)
            )
            self.declare(item.name, word, item)
            value += 1
        ctype = S.UINT if lowest >= 0 else S.INT
        self.defined[id(node)] = (node, ctype)
        return ctype

    def record(self, node: c_ast.Struct | c_ast.Union) -> S.Record:
        """The struct or union a specifier names or defines. A tag names the record of the
        innermost scope that declares it; `struct s { ... }` defines it in this scope."""
        seen = self.defined.get(id(node))
        if seen is not None and seen[0] is node:  # `struct s {...} v, w;`: one node, one type
            assert isinstance(seen[1], S.Record)
            return seen[1]
        record = self.new_record(node)
        self.defined[id(node)] = (node, record)
        return record

    def new_record(self, node: c_ast.Struct | c_ast.Union) -> S.Record:
        """`record`, the first time a specifier is met."""
        kind = "union" if isinstance(node, c_ast.Union) else "struct"
        key = f"{kind} {node.name}" if node.name else None
        if node.decls is None:  # `struct s`: a reference, or a forward declaration
            assert key is not None
            found = self.find(key)
            if isinstance(found, S.Record):
                return found
            record = S.Record(kind, node.name)
            self.scopes[-1][key] = record
            return record
        record = S.Record(kind, node.name)
        if key is not None:
            old = self.scopes[-1].get(key)
            if isinstance(old, S.Record) and not old.complete:
                record = old  # completes its forward declaration
            elif old is not None:
                raise self.error(node, f"redefinition of '{key}'")
            self.scopes[-1][key] = record
        self.lay_out(record, node)
        return record

    def lay_out(self, record: S.Record, node: c_ast.Struct | c_ast.Union) -> None:
        """Place each member: one after the other in a struct, all at 0 in a union; an
        anonymous struct or union member's members become the record's own. A bit-field is
        a word of its own (they are not packed); an unnamed one (`int : 3;`) takes none. A
        struct's last member may be a flexible array (`int a[];`), which adds no word."""
        members: list[S.Member] = []
        size = 0
        decls = node.decls or []
        for decl in decls:
            if not isinstance(decl, c_ast.Decl):
                raise self.refuse(decl)
            if isinstance(decl.type, c_ast.Struct | c_ast.Union):  # an anonymous member
                ctype = self.base_type(decl.type, False, decl)
            else:
                ctype = self.ctype(decl.type)
            if decl.bitsize is not None:
                ctype = self.bit_field(decl, ctype, record)
                if not ctype.width:
                    continue  # `int : 3;`, `int : 0;`: padding, which takes no word here
            if ctype.kind == "function":
                raise self.error(decl, f"field '{decl.name}' declared as a function")
            flexible = ctype.is_array and ctype.length == S.UNSIZED
            if flexible:
                self.flexible_member(decl, ctype, record, decl is decls[-1], members)
            elif ctype.is_void or not self.complete(ctype) or ctype.size == S.UNSIZED:
                raise self.error(decl, f"field '{decl.name}' has incomplete type")
            offset = 0 if record.kind == "union" else size
            if decl.name is None and not ctype.is_record:
                continue  # `int;` declares nothing
            added = S.Member(decl.name or "", ctype, offset)
            taken = S.Record(record.kind, None, members).names()
            for name in S.Record(record.kind, None, [added]).names():
                if name in taken:
                    raise self.error(decl, f"duplicate member '{name}'")
            members.append(added)
            size = max(size, offset + (0 if flexible else ctype.size))
        limit, what = self.address_limit()
        if size > limit:
            raise self.error(node, f"'{record}' of {size:,} words is larger than {what}")
        record.members, record.size, record.complete = members, size, True

    def bit_field(self, decl: c_ast.Decl, ctype: S.CType, record: S.Record) -> S.CType:
        """A bit-field member's type: its declared integer type with its width (0: an unnamed
        one, which only pads). Widths are checked as gcc checks them, against gcc's types
        (char 8 bits, short 16, int 32, long 64, _Bool 1)."""
        name = f"'{decl.name}'" if decl.name else "<anonymous>"
        if not ctype.is_integer:
            if ctype.is_wide:
                raise self.unsupported(decl.bitsize, f"a bit-field of type '{ctype}'")
            raise self.error(decl, f"bit-field {name} has invalid type")
        width = self.constant(decl.bitsize)
        if width < 0:
            raise self.error(decl.bitsize, f"negative width in bit-field {name}")
        if width == 0 and decl.name:
            raise self.error(decl.bitsize, f"zero width for bit-field {name}")
        gcc_bits = {"_Bool": 1, "char": 8, "short": 16}.get(
            ctype.kind, 64 if "long" in ctype.spelled.split() else 32
        )
        if width > gcc_bits:
            raise self.error(decl.bitsize, f"width of {name} exceeds its type")
        if width > self.bits or width > 32:  # (a `long` bit-field of gcc's 64-bit long)
            raise self.unsupported(
                decl.bitsize, f"a bit-field of {width} bits (an integer is {self.bits} bits here)"
            )
        if not decl.name:
            return replace(ctype, width=0)
        if record.kind == "union":  # (a store there would change the other members' words)
            raise self.unsupported(decl, "a bit-field in a union")
        return replace(ctype, width=width)

    def flexible_member(
        self,
        decl: c_ast.Decl,
        ctype: S.CType,
        record: S.Record,
        last: bool,
        members: list[S.Member],
    ) -> None:
        """Refuse a flexible array member (`T a[];`) where C does: in a union, before the
        last member, or as a struct's only named member."""
        if not self.complete(ctype.element()):
            raise self.error(decl, f"field '{decl.name}' has incomplete type")
        if record.kind == "union":
            raise self.error(decl, "flexible array member in union")
        if not last:
            raise self.error(decl, "flexible array member not at end of struct")
        if not S.Record(record.kind, None, members).names():
            raise self.error(decl, "flexible array member in a struct with no named members")

    def complete(self, ctype: S.CType) -> bool:
        """Whether objects of the type can be made: not a struct only declared so far."""
        if ctype.is_array:
            return self.complete(ctype.element())
        return not ctype.is_record or (ctype.record is not None and ctype.record.complete)

    def typedef(self, node: c_ast.Typedef) -> None:
        """`typedef T name;`: the name stands for the type from here on in this scope (<stdint.h>
        names the exact-width types wider than the machine gives by a typedef of a marker: the
        name is then refused where it is used)."""
        inner = node.type.type if isinstance(node.type, c_ast.TypeDecl) else None
        marker = inner.names if isinstance(inner, c_ast.IdentifierType) else []
        if marker == ["__loopmlp_wide"]:
            why = f"wider than a word (long long: at N = 32 only, this is N = {self.bits})"
            self.declare(node.name, S.TypeName(S.INT, f"type '{node.name}' ({why})"), node)
            return
        ctype = self.ctype(node.type)
        if own_header(self.loc(node).file):  # (`size_t` is not gcc's type)
            ctype = S.tagged(ctype, "header")
        old = self.scopes[-1].get(node.name)
        if isinstance(old, S.TypeName):
            if old.ctype != ctype:
                raise self.error(node, f"conflicting types for '{node.name}'")
            return
        self.declare(node.name, S.TypeName(ctype), node)
