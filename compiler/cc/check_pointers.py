"""check, function pointers: a function's name as a value (its address), calls through a
pointer, and which conversions between function pointers are kept.

A call through a pointer is recorded by its number of arguments (`Function.pointer_calls`;
through a pointer to a variadic function, of named ones, and the unnamed ones go to the block
of each variadic function it may reach): the code generator takes it as a call of every
function whose address is taken and that has that many parameters (and `...` or not, as the
pointer), so a conversion that would make a pointer call a function of another shape (which C
leaves undefined) is refused where it is written. A function
pointer may be held in a `void *` and converted back, as POSIX allows: the functions whose
address may be in one (`Function.escapes`) are then taken to be reachable by every call through
a pointer, so what such calls save stays right whatever shape the pointer comes back as.
"""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .check_records import Records
from .library import LIBRARY


class FunctionPointers(Records):
    """Functions as values and calls through pointers (see check_expr.ExprChecker)."""

    # a function pointer that is not a function's name went into a `void *`: every function
    # whose address is taken escapes (see `escape`)
    pointers_escape = False

    def call(self, node: c_ast.FuncCall) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def library_prototype(self, name: str) -> S.Function:  # (ExprChecker's)
        raise NotImplementedError

    def designates_function(self, name: str) -> bool:
        """Whether a name, where it is used, is a function's (the program's or the library's)."""
        found = self.find(name)
        return isinstance(found, S.Function) or (found is None and name in LIBRARY)

    def function_value(self, node: c_ast.ID) -> S.Expr:
        """A function's name used as a value: a pointer to it."""
        name = node.name
        fn = self.find(name)
        entry = LIBRARY.get(name)
        if entry is not None and entry.address is not None and name not in self.functions:
            name = entry.address  # (fprintf's calls are built in, its address is a C function)
            fn = self.functions.get(name)
        if fn is None:
            entry = LIBRARY[name]
            if entry.source is None:
                raise self.unsupported(node, f"the address of built-in '{name}'")
            fn = self.library_prototype(name)
        assert isinstance(fn, S.Function)
        if not fn.address:
            fn.address = self.label("a", name)
            fn.escapes = self.pointers_escape
        return S.FuncAddr(name, loc=self.loc(node), ctype=S.pointer(S.function_type(fn)))

    def pointer_call(self, node: c_ast.FuncCall) -> S.Expr:
        """A call through a pointer (`p(x)`, `(*p)(x)`, `s.op(x)`, `table[i](x)`); `(*f)(x)`
        and `(&f)(x)` call f by its name."""
        callee = self.scalar(node.name)
        if isinstance(callee, S.FuncAddr):
            by_name = c_ast.FuncCall(c_ast.ID(callee.name, node.name.coord), node.args, node.coord)
            return self.call(by_name)
        if not S.points_to_function(callee.ctype):
            what = f" '{node.name.name}'" if isinstance(node.name, c_ast.ID) else ""
            raise self.error(node, f"called object{what} is not a function or function pointer")
        ftype = callee.ctype.element()
        returns = ftype.element()
        if returns.is_wide or any(p.is_wide for p in ftype.params or ()):
            raise self.unsupported(node, "a call through a pointer to a function of long long")
        if returns.is_record:
            raise self.unsupported(
                node, "a call through a pointer to a function returning a struct or union"
            )
        if any(p.is_record for p in ftype.params or ()):
            raise self.unsupported(
                node, "a call through a pointer to a function taking a struct or union by value"
            )
        args = [self.scalar(a) for a in (node.args.exprs if node.args is not None else [])]
        named = len(args)
        if ftype.params is not None:
            named = len(ftype.params)
            if len(args) < named or len(args) > named and not ftype.variadic:
                more = "many" if len(args) > named else "few"
                raise self.error(node, f"too {more} arguments to a function pointer")
            for k, (param, arg) in enumerate(zip(ftype.params, args[:named], strict=True)):
                self.convertible(param, arg, node)
                args[k] = self.stored(param, arg)
            if any(a.ctype.is_wide for a in args[named:]):
                raise self.unsupported(node, "a long long as a variadic argument")
            if ftype.variadic:  # (the blocks of the functions it may reach hold as many)
                unnamed = self.va_pointer_calls.get(named, 0)
                self.va_pointer_calls[named] = max(unnamed, len(args) - named)
        if self.function is not None:  # (outside one: an initializer, refused as not constant)
            self.function.pointer_calls.add((named, ftype.variadic))
        return S.Call("", args, pointer=callee, loc=self.loc(node), ctype=returns)

    def escape(self, value: S.Expr) -> None:
        """A function pointer goes into a `void *`: the function it names, or (any other
        pointer) every function whose address is or will be taken, may be reached by any call
        through a pointer."""
        if not S.points_to_function(value.ctype):
            return  # (a `void *` coming back as a function pointer)
        if isinstance(value, S.FuncAddr):
            fn = self.find(value.name)
            if isinstance(fn, S.Function):
                fn.escapes = True
            return
        self.pointers_escape = True
        for fn in self.functions.values():
            fn.escapes = fn.escapes or bool(fn.address)

    def convertible(self, to: S.CType, value: S.Expr, node: c_ast.Node) -> None:
        """Refuse converting a function pointer to a type a call through which could reach a
        function of another shape (other parameters' count, void against a value), or to or
        from anything but a function pointer (0, the null pointer, and `void *` aside)."""
        have = value.ctype
        if not (S.points_to_function(to) or S.points_to_function(have)) or to.kind == "_Bool":
            return
        if isinstance(value, S.Num) and value.value == 0:
            return
        if any(t.is_pointer and t.element().is_void for t in (to, have)):
            self.escape(value)  # a function pointer in a `void *`, or back from one
            return
        if not (S.points_to_function(to) and S.points_to_function(have)):
            raise self.unsupported(node, f"converting '{have}' to '{to}'")
        want, got = to.element(), have.element()
        counts = {len(t.params) for t in (want, got) if t.params is not None}
        variadic = want.variadic != got.variadic
        if len(counts) > 1 or variadic or want.element().is_void != got.element().is_void:
            raise self.unsupported(
                node, f"converting '{have}' to '{to}' (a call through it would be undefined)"
            )
