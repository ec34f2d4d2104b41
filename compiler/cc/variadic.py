"""check, variadic functions: a block of words for each one's unnamed arguments, and the
built-ins <stdarg.h> expands to (`__va_start`, `__va_arg`)."""

from __future__ import annotations

from dataclasses import replace

from pycparser import c_ast

from . import syntax as S
from .check_init import Initializers

VA_BLOCK = S.array(S.INT, 1)  # a variadic function's block, as long as its longest call


class Variadic(Initializers):
    """The checker's variadic functions and <stdarg.h> (a part of Checker)."""

    def va_block(self, fn: S.Function) -> None:
        """Give a variadic function the words its unnamed arguments arrive in (as many as its
        call with the most of them has; codegen's `call_function` writes them)."""
        label = self.label("va", fn.name)
        fn.va_block = S.Var(f"{fn.name}'s ...", VA_BLOCK, "global", None, fn.loc, label)
        fn.va_block.init = [0]
        self.globals.append(fn.va_block)

    def call(self, node: c_ast.FuncCall) -> S.Expr:
        """A call; <stdarg.h>'s `__va_start` and `__va_arg` here, and a variadic function's
        unnamed arguments counted into its block."""
        name = node.name.name if isinstance(node.name, c_ast.ID) else None
        if name in ("__va_start", "__va_arg") and self.lookup_or_none(name) is None:
            return self.va_builtin(name, node)
        e = super().call(node)
        fn = self.functions.get(name) if name is not None else None
        if isinstance(e, S.Call) and fn is not None and fn.va_block is not None:
            self.va_words(fn, len(e.args) - len(fn.params))
        return e

    def va_words(self, fn: S.Function, words: int) -> None:
        """Make a variadic function's block hold at least `words` unnamed arguments."""
        block = fn.va_block
        assert block is not None
        words = max(len(block.init or []), words)
        block.init = [0] * words
        block.ctype = replace(VA_BLOCK, length=words)

    def pointer_va_blocks(self) -> None:
        """Make the block of each variadic function whose address is taken hold the unnamed
        arguments of every call through a pointer that may reach it (once all are checked)."""
        for fn in self.functions.values():
            if fn.va_block is not None and fn.address:
                self.va_words(fn, self.va_pointer_calls.get(len(fn.params), 0))

    def lookup_or_none(self, name: str) -> object | None:
        """What a name means where it is used, or None where it is not declared."""
        return next((scope[name] for scope in reversed(self.scopes) if name in scope), None)

    def va_builtin(self, name: str, node: c_ast.FuncCall) -> S.Expr:
        """`__va_start(last)`: the address of the function's first unnamed argument;
        `__va_arg(ap++, (T *)0)`: ap++ as a T * (refused for a type no argument keeps)."""
        loc = self.loc(node)
        args = node.args.exprs if node.args is not None else []
        fn = self.function
        if name == "__va_start":
            if fn is None or fn.va_block is None:
                raise self.error(node, "'va_start' used in function with fixed arguments")
            last = self.expr(args[0]) if len(args) == 1 else None
            if not (isinstance(last, S.VarRef) and fn.params and last.var is fn.params[-1]):
                raise self.unsupported(
                    node, "va_start whose second argument is not the last named parameter"
                )
            fn.va_block.address_taken = True
            return S.AddrOf(fn.va_block, loc=loc, ctype=S.INT)
        ap, kind = (self.expr(a) for a in args)
        element = kind.ctype.element()
        if element.kind in ("char", "short", "_Bool") or element.is_void or not element.is_scalar:
            raise self.unsupported(
                node, f"va_arg of type '{element}' (an argument of it arrives as an int)"
            )
        return self.retyped(ap, kind.ctype)
