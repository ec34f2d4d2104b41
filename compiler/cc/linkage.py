"""check, declarations across the unit: storage classes, linkage (one object per global name,
however often it is declared: `extern`, tentative definitions), and what a linker refuses."""

from __future__ import annotations

import re

from pycparser import c_ast

from . import syntax as S
from .check_init import Initializers
from .liveness import targets, uses


def readonly(node: c_ast.Node) -> bool:
    """Whether a declarator declares its object const (`const int n`, `int *const p`)."""
    return "const" in (getattr(node, "quals", None) or [])


class Linkage(Initializers):
    """The checker's declarations of globals and functions with linkage (a part of Checker)."""

    def file_scope(self, decl: c_ast.Decl) -> None:
        """Refuse what gcc refuses of a file-scope declaration's storage class: `register` or
        `auto`, and a name declared `static` and not (C's internal and external linkage)."""
        name, static = decl.name, "static" in decl.storage
        if "register" in decl.storage:
            raise self.error(decl, f"register name not specified for '{name}'")
        if "auto" in decl.storage:
            raise self.error(decl, f"file-scope declaration of '{name}' specifies 'auto'")
        if isinstance(decl.type, c_ast.FuncDecl):
            inline = "inline" in decl.funcspec
            if name == "main" and (static or inline):
                what = "static" if static else "inline"
                raise self.error(decl, f"'main' declared {what} (it must be an external function)")
            if "extern" in decl.storage or not inline:
                self.external_functions.add(name)
        first = self.linkages.setdefault(name, static)
        if static and not first:
            raise self.error(decl, f"static declaration of '{name}' follows non-static declaration")
        bare = "extern" not in decl.storage and not isinstance(decl.type, c_ast.FuncDecl)
        if first and not static and bare:  # (extern and a function take the earlier linkage)
            raise self.error(decl, f"non-static declaration of '{name}' follows static declaration")

    def external(self, decl: c_ast.Decl) -> S.Var:
        """The variable an `extern` declaration names, without its definition (`extern int a[]`:
        its length, too, may come later)."""
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        loc = self.loc(decl)  # (its size is checked where it is defined)
        label = self.label("g", decl.name)
        return S.Var(decl.name, ctype, "global", None, loc, label, readonly=readonly(decl.type))

    def linked(self, decl: c_ast.Decl, var: S.Var, initialised: bool = False) -> S.Var:
        """Declare a global with linkage: every declaration of a name is one object (`extern int
        x;`, the tentative `int x;`, `int x = 3;`), whose types must agree, and which one
        initializer at most defines. `var` is this declaration's; the object is returned."""
        name = decl.name
        old = self.objects.setdefault(name, var)
        if old is var:
            self.globals.append(var)
        else:
            same = old.ctype == var.ctype or (
                old.ctype.is_array
                and var.ctype.is_array
                and old.ctype.element() == var.ctype.element()
                and S.UNSIZED in (old.ctype.length, var.ctype.length)
            )
            if not same or old.readonly != var.readonly:
                raise self.error(decl, f"conflicting types for '{name}'")
            if initialised and name in self.initialised:
                raise self.error(decl, f"redefinition of '{name}'")
            if var.ctype.length != S.UNSIZED:
                old.ctype = var.ctype  # (`extern int a[];` then `int a[3];`)
            if var.init is not None and (initialised or old.init is None):
                old.init = var.init
        if initialised:
            self.initialised.add(name)
        if self.scopes[-1].get(name) is not old:
            self.declare(name, old, decl)
        return old

    def inline_definitions(self) -> None:
        """Refuse a call of a C99 inline definition (every file-scope declaration `inline`,
        none `static` or `extern`): it defines no function that a call can reach, and gcc's
        build does not link."""
        inline = {
            name
            for name, fn in self.functions.items()
            if fn.body is not None
            and name not in self.external_functions
            and not self.linkages.get(name, False)
            and fn.file != "<library>"
        }
        for fn in self.functions.values():
            called = sorted(inline & fn.calls)
            if fn.body is not None and fn.name not in inline and called:
                callee = self.functions[called[0]]
                raise self.error_at(
                    callee,
                    f"undefined reference to '{callee.name}' (an inline definition without "
                    "static or extern defines no external function in C99)",
                )

    def undefined_objects(self) -> None:
        """Refuse a global declared `extern` and never defined that the program uses (as a
        linker does); one it never uses is dropped."""
        used = set()
        for fn in self.functions.values():
            if fn.body is not None:
                used |= uses(fn.body) | targets(fn.body)
        named = {
            label
            for var in self.globals
            for word in var.init or []
            for label in re.findall(r"\w+", str(word))
        }
        for var in list(self.objects.values()):
            if var.init is None:
                if var in used or var.label in named:
                    raise self.error_at(var, f"undefined reference to '{var.name}'")
                self.globals.remove(var)
                del self.objects[var.name]
