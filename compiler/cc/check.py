"""check: pycparser's AST to the typed tree, refusing what the front end does not support.

Every refusal and every error is one line that names the file, line and column. Names are
resolved here (scopes, prototypes, the built-in library), types are checked lightly (what a
C compiler would reject is rejected), arrays used as values become their addresses, and
constant expressions (array sizes, case labels, global initialisers) are evaluated.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pycparser import c_ast

from . import syntax as S
from .check_expr import ExprChecker
from .library import LIBRARY
from .liveness import targets, uses

VA_BLOCK = S.CType("int", length=1)  # a variadic function's block, as long as its longest call


def readonly(node: c_ast.Node) -> bool:
    """Whether a declarator declares its object const (`const int n`, `int *const p`)."""
    return "const" in (getattr(node, "quals", None) or [])


class Checker(ExprChecker):
    """Checks one translation unit (the program, then the library functions it uses)."""

    # -- the unit -------------------------------------------------------------------------
    def unit(self, ast: c_ast.FileAST) -> None:
        """Check every top-level definition and declaration of a translation unit."""
        for node in ast.ext:
            if isinstance(node, c_ast.FuncDef):
                self.function_def(node)
            elif isinstance(node, c_ast.Decl):
                self.global_decl(node)
            elif isinstance(node, c_ast.Typedef):
                raise self.unsupported(node, "typedef")
            elif isinstance(node, c_ast.Pragma):
                continue
            else:
                raise self.refuse(node)
        self.undefined_objects()
        self.inline_definitions()

    def storage(self, decl: c_ast.Decl) -> bool:
        """True for `static`; refuses other storage classes that change meaning (`extern` is
        read by the declarations)."""
        for word in decl.storage:
            if word not in ("static", "register", "auto", "extern"):
                raise self.unsupported(decl, word)
        if len(decl.storage) > 1:
            raise self.error(decl, "multiple storage classes in declaration specifiers")
        return "static" in decl.storage

    def file_scope(self, decl: c_ast.Decl) -> None:
        """Refuse what gcc refuses of a file-scope declaration's storage class: `register` or
        `auto`, and a name declared `static` and not (C's internal and external linkage)."""
        self.storage(decl)
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

    def prototype(self, decl: c_ast.Decl, node: c_ast.FuncDecl) -> S.Function:
        """A function's type from its declarator: return type and parameters (arrays decayed)."""
        returns = self.ctype(node.type)
        if returns.is_array:
            raise self.error(node, "a function cannot return an array")
        params: list[S.Var] = []
        plist = node.args.params if node.args is not None else []
        if (
            len(plist) == 1
            and isinstance(plist[0], c_ast.Typename)
            and self.ctype(plist[0].type).is_void
        ):
            plist = []
        variadic = bool(plist) and isinstance(plist[-1], c_ast.EllipsisParam)
        plist = plist[:-1] if variadic else plist
        for p in plist:
            if isinstance(p, c_ast.ID):
                raise self.unsupported(p, "old-style parameter list")
            if any(word != "register" for word in getattr(p, "storage", [])):
                raise self.error(p, f"storage class specified for parameter '{p.name}'")
            ptype = self.ctype(p.type)
            if ptype.is_array:
                ptype = ptype.decayed()
            if ptype.is_void:
                raise self.error(p, "a parameter cannot be void")
            name = p.name or ""  # unnamed: in a prototype, or unused
            params.append(
                S.Var(name, ptype, "param", decl.name, self.loc(p), readonly=readonly(p.type))
            )
            if "register" in getattr(p, "storage", []):
                self.registers.add(params[-1])
        return S.Function(decl.name, returns, params, self.loc(decl), variadic=variadic)

    def builtin_prototype(self, fn: S.Function) -> bool:
        """Whether a declaration of a built-in function is its own (printf's: `const char *`
        and `...`; const aside for the others, as gcc accepts `int puts(char *)`)."""
        entry = LIBRARY[fn.name]
        params = [p.ctype for p in fn.params]
        if entry.params is None:
            same = [str(t) for t in params] == ["const char *"] and fn.variadic
        else:
            plain = [replace(t, const=False) for t in params]
            same = plain == [replace(t, const=False) for t in entry.params] and not fn.variadic
        return same and fn.returns == entry.returns

    def known_function(
        self, decl: c_ast.Decl, fn: S.Function, definition: bool = False
    ) -> S.Function:
        """Record a function's declaration (a `definition`), or return the earlier one it must
        agree with."""
        old = self.functions.get(fn.name)
        if fn.name in LIBRARY and LIBRARY[fn.name].emit is not None:
            if not definition and self.builtin_prototype(fn):
                return fn  # the C library's own prototype (`int printf(const char *, ...);`)
            raise self.error(decl, f"'{fn.name}' is built in and cannot be declared again here")
        if old is None:
            self.functions[fn.name] = fn
            self.declare(fn.name, fn, decl)
            if fn.variadic:  # the words its unnamed arguments arrive in (see `variadic_call`)
                label = self.label("va", fn.name)
                fn.va_block = S.Var(f"{fn.name}'s ...", VA_BLOCK, "global", None, fn.loc, label)
                fn.va_block.init = [0]
                self.globals.append(fn.va_block)
            return fn
        # the library's own prototypes are const-correct; a program's older `int strlen(char *)`
        # is one gcc accepts (it warns), so against the library const is left out
        library = self.file == "<library>" or fn.name in LIBRARY
        key = (lambda t: replace(t, const=False)) if library else (lambda t: t)
        if (
            [key(p.ctype) for p in old.params] != [key(p.ctype) for p in fn.params]
            or key(old.returns) != key(fn.returns)
            or old.variadic != fn.variadic
        ):
            raise self.error(decl, f"conflicting types for '{fn.name}'")
        return old

    def global_decl(self, decl: c_ast.Decl) -> None:
        """A top-level declaration: a prototype, an enum, or a global variable."""
        if isinstance(decl.type, c_ast.FuncDecl):
            self.file_scope(decl)
            self.known_function(decl, self.prototype(decl, decl.type))
            return
        if decl.name is None:  # `enum e { ... };`
            if isinstance(decl.type, c_ast.Enum):
                self.enum(decl.type)
                return
            raise self.refuse(decl.type)
        self.file_scope(decl)
        if "extern" in decl.storage and decl.init is None:
            self.linked(decl, self.external(decl))
            return
        self.linked(decl, self.static_var(decl, "g", decl.name), decl.init is not None)

    def external(self, decl: c_ast.Decl) -> S.Var:
        """The variable an `extern` declaration names, without its definition (`extern int a[]`:
        its length, too, may come later)."""
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        self.array_fits(decl, ctype)
        loc = self.loc(decl)
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

    def static_var(self, decl: c_ast.Decl, kind: str, *names: str) -> S.Var:
        """A variable with static storage and its initial words (`kind` and `names`: its
        label's, see `label`)."""
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        init_words: list[int | str]
        if ctype.is_array:
            ctype, elements = self.sized_array(decl, ctype)
            init_words = [self.static_word(e) for e in elements or []]
            init_words += [0] * (ctype.size - len(init_words))
        elif decl.init is None:
            init_words = [0] * ctype.size
        else:
            if isinstance(decl.init, c_ast.InitList):
                raise self.unsupported(decl.init, "braces around a scalar initializer")
            init_words = [self.static_word(self.rvalue(self.expr(decl.init)))]
        return S.Var(
            decl.name,
            ctype,
            "global",
            None,
            self.loc(decl),
            self.label(kind, *names),
            init=init_words,
            readonly=readonly(decl.type),
        )

    def sized_array(self, decl: c_ast.Decl, ctype: S.CType) -> tuple[S.CType, list[S.Expr] | None]:
        """An array's type, its length taken from its initializer when the declarator leaves
        it out (`int a[] = {1, 2}`), and its initial elements (None: no initializer)."""
        self.array_fits(decl, ctype)
        if decl.init is None:
            if ctype.length == S.UNSIZED:
                raise self.error(decl, f"array size missing in '{decl.name}'")
            return ctype, None
        elements = self.array_init(decl, ctype)
        if ctype.length == S.UNSIZED:
            ctype = replace(ctype, length=len(elements))
            self.array_fits(decl, ctype)
        return ctype, elements

    def array_fits(self, decl: c_ast.Decl, ctype: S.CType) -> None:
        """Refuse, at its declaration, an array larger than the memory there is."""
        limit, what = self.address_limit()
        if ctype.is_array and ctype.size > limit:
            raise self.error(
                decl, f"array '{decl.name}' of {ctype.size:,} words is larger than {what}"
            )

    def array_init(
        self, decl: c_ast.Decl, ctype: S.CType, init: c_ast.Node | None = None
    ) -> list[S.Expr]:
        """An array's initial elements: `{...}` or, for a char array, a string literal (in
        braces or not); `init`: the initializer, when not the declaration's own."""
        init = decl.init if init is None else init
        if isinstance(init, c_ast.Constant) and init.type == "string":
            if ctype.base != "char" or ctype.pointers:
                raise self.error(init, "a string initializes only a char array")
            data = self.string_bytes(init)
            elements: list[S.Expr] = [S.Num(b, loc=self.loc(init)) for b in data + b"\0"]
            if ctype.length not in (S.UNSIZED, None) and len(elements) - 1 == ctype.length:
                elements.pop()  # char s[3] = "abc": no room for the NUL, as C allows
        elif isinstance(init, c_ast.InitList):
            elements = []
            items = init.exprs
            if (
                len(items) == 1
                and isinstance(items[0], c_ast.Constant)
                and items[0].type == "string"
                and ctype.base == "char"
                and not ctype.pointers
            ):
                return self.array_init(decl, ctype, items[0])  # char s[] = {"ab"}
            for item in items:
                if isinstance(item, c_ast.NamedInitializer):
                    place = item.name[0] if item.name else item  # at the designator
                    raise self.unsupported(place, "designated initializer")
                if isinstance(item, c_ast.InitList):
                    raise self.unsupported(item, "braces inside an array's initializer")
                elements.append(self.rvalue(self.expr(item)))
        else:
            raise self.error(init, "an array needs a {...} initializer")
        if ctype.length not in (S.UNSIZED, None) and len(elements) > ctype.length:
            raise self.error(
                init, f"too many initializers for '{decl.name}' ({len(elements)} > {ctype.length})"
            )
        return elements

    def static_word(self, e: S.Expr) -> int | str:
        """A word of static data: a constant, or the address of a string or a global."""
        value = self.const_value(e)
        if value is not None:
            return value
        if isinstance(e, S.Str):
            return e.label
        if isinstance(e, S.AddrOf) and e.var.storage == "global":
            return e.var.label
        if isinstance(e, S.Binary) and e.op in "+-" and isinstance(e.left, (S.Str, S.AddrOf)):
            offset = self.const_value(e.right)
            if offset is not None:
                base = self.static_word(e.left)
                return f"{base}{'+' if e.op == '+' else '-'}{offset}"
        raise self.error_at(e, "initializer element is not constant")

    # -- variadic functions (<stdarg.h>) --------------------------------------------------
    def call(self, node: c_ast.FuncCall) -> S.Expr:
        """A call; <stdarg.h>'s `__va_start` and `__va_arg` here, and a variadic function's
        unnamed arguments counted into its block."""
        name = node.name.name if isinstance(node.name, c_ast.ID) else None
        if name in ("__va_start", "__va_arg") and self.lookup_or_none(name) is None:
            return self.va_builtin(name, node)
        e = super().call(node)
        fn = self.functions.get(name) if name is not None else None
        if isinstance(e, S.Call) and fn is not None and fn.va_block is not None:
            block = fn.va_block
            words = max(len(block.init or []), len(e.args) - len(fn.params))
            block.init = [0] * words
            block.ctype = replace(VA_BLOCK, length=words)
        return e

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
        if element.base == "char" and element.pointers == 0 or element.is_void:
            raise self.unsupported(
                node, f"va_arg of type '{element}' (an argument of it arrives as an int)"
            )
        return self.retyped(ap, kind.ctype)

    # -- functions ------------------------------------------------------------------------
    def function_def(self, node: c_ast.FuncDef) -> None:
        """A function definition: its parameters' cells and its checked body."""
        decl = node.decl
        if node.param_decls:
            raise self.unsupported(node, "old-style parameter declarations")
        self.file_scope(decl)
        fn = self.known_function(decl, self.prototype(decl, decl.type), definition=True)
        if fn.body is not None:
            raise self.error(decl, f"redefinition of '{fn.name}'")
        proto = self.prototype(decl, decl.type)
        if fn.name == "main" and proto.params and self.file != "<library>":
            if [str(p.ctype) for p in proto.params] != ["int", "char **"]:
                raise self.unsupported(
                    decl.type.args.params[0],
                    "parameters of main other than (int argc, char **argv)",
                )
        fn.params = proto.params  # the definition's names
        for p in fn.params:
            p.label = self.label("p", fn.name, p.name or "")
        fn.file = fn.loc.file or self.file
        self.function = fn
        scope: dict[str, object] = {}
        given_params = decl.type.args.params if fn.params else []
        named = [p for p in given_params if not isinstance(p, c_ast.EllipsisParam)]
        for p, given in zip(fn.params, named, strict=True):
            if p.name in scope:
                raise self.error(given, f"redefinition of parameter '{p.name}'")
            if p.name:
                scope[p.name] = p
        self.scopes.append(scope)
        self.goto_labels, self.gotos = {}, []
        fn.body = self.block(node.body, new_scope=False)
        for goto in self.gotos:
            if goto.name not in self.goto_labels:
                raise self.error(goto, f"label '{goto.name}' used but not defined")
        self.scopes.pop()
        self.function = None

    def local_decl(self, decl: c_ast.Decl) -> S.Stmt:
        """A declaration in a function: a prototype, an enum, a static or a local variable."""
        fn = self.function
        assert fn is not None
        if isinstance(decl.type, c_ast.FuncDecl):
            self.known_function(decl, self.prototype(decl, decl.type))
            return S.Block([], loc=self.loc(decl))
        if decl.name is None:
            if isinstance(decl.type, c_ast.Enum):
                self.enum(decl.type)
                return S.Block([], loc=self.loc(decl))
            raise self.refuse(decl.type)
        if "extern" in decl.storage:  # the global of that name, defined here or not
            if decl.init is not None:
                raise self.error(decl, f"'{decl.name}' has both 'extern' and initializer")
            self.linked(decl, self.external(decl))
            return S.Block([], loc=self.loc(decl))
        if self.storage(decl):
            var = self.static_var(decl, "s", fn.name, decl.name)
            self.globals.append(var)
            self.declare(decl.name, var, decl)
            return S.Block([], loc=self.loc(decl))
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        init: S.Expr | list[S.Expr] | None = None
        if ctype.is_array:
            ctype, elements = self.sized_array(decl, ctype)
            init = elements
        elif decl.init is not None:
            if isinstance(decl.init, c_ast.InitList):
                raise self.unsupported(decl.init, "braces around a scalar initializer")
            init = self.rvalue(self.expr(decl.init))
            self.assignable(ctype, init, decl.init)
        var = S.Var(
            decl.name,
            ctype,
            "local",
            fn.name,
            self.loc(decl),
            self.label("v", fn.name, decl.name),
            readonly=readonly(decl.type),
        )
        fn.locals.append(var)
        if "register" in decl.storage:
            self.registers.add(var)
        self.declare(decl.name, var, decl)
        return S.Declare(var, init, loc=self.loc(decl))

    # -- statements -----------------------------------------------------------------------
    def block(self, node: c_ast.Compound, new_scope: bool = True) -> S.Block:
        """A `{...}` block, in a scope of its own unless `new_scope` is False."""
        if new_scope:
            self.scopes.append({})
        items = [self.stmt(item) for item in (node.block_items or [])]
        if new_scope:
            self.scopes.pop()
        return S.Block(items, loc=self.loc(node))

    def stmt(self, node: c_ast.Node) -> S.Stmt:
        """A statement: a block, a declaration, if, a loop, break, continue, return, switch,
        a labelled statement or goto."""
        loc = self.loc(node)
        if isinstance(node, c_ast.Compound):
            return self.block(node)
        if isinstance(node, c_ast.Decl):
            return self.local_decl(node)
        if isinstance(node, c_ast.DeclList):
            return S.Block([self.local_decl(d) for d in node.decls], loc=loc)
        if isinstance(node, c_ast.EmptyStatement):
            return S.Block([], loc=loc)
        if isinstance(node, c_ast.If):
            return S.If(
                self.test(node.cond),
                self.stmt(node.iftrue),
                self.stmt(node.iffalse) if node.iffalse is not None else None,
                loc=loc,
            )
        if isinstance(node, (c_ast.While, c_ast.DoWhile)):
            test = self.test(node.cond)
            self.loops += 1
            body = self.stmt(node.stmt)
            self.loops -= 1
            return (
                S.While(test, body, loc=loc)
                if isinstance(node, c_ast.While)
                else S.DoWhile(body, test, loc=loc)
            )
        if isinstance(node, c_ast.For):
            self.scopes.append({})
            init = None
            if isinstance(node.init, c_ast.DeclList):
                init = self.stmt(node.init)
            elif node.init is not None:
                init = S.ExprStmt(self.expr(node.init), loc=self.loc(node.init))
            cond = self.test(node.cond) if node.cond is not None else None
            step = self.expr(node.next) if node.next is not None else None
            self.loops += 1
            body = self.stmt(node.stmt)
            self.loops -= 1
            self.scopes.pop()
            return S.For(init, cond, step, body, loc=loc)
        if isinstance(node, c_ast.Break):
            if not (self.loops or self.switches):
                raise self.error(node, "break outside a loop or switch")
            return S.Break(loc=loc)
        if isinstance(node, c_ast.Continue):
            if not self.loops:
                raise self.error(node, "continue outside a loop")
            return S.Continue(loc=loc)
        if isinstance(node, c_ast.Return):
            return self.return_stmt(node)
        if isinstance(node, c_ast.Switch):
            return self.switch(node)
        if isinstance(node, (c_ast.Case, c_ast.Default)):
            raise self.unsupported(node, "a case label that is not directly in a switch's block")
        if isinstance(node, c_ast.Label):
            if node.name in self.goto_labels:
                raise self.error(node, f"duplicate label '{node.name}'")
            self.goto_labels[node.name] = node
            return S.Labeled(node.name, self.stmt(node.stmt), loc=loc)
        if isinstance(node, c_ast.Goto):
            self.gotos.append(node)
            return S.Goto(node.name, loc=loc)
        return S.ExprStmt(self.expr(node), loc=loc)

    def return_stmt(self, node: c_ast.Return) -> S.Stmt:
        """`return`, checked against the function's type (`main` may return nothing)."""
        fn = self.function
        assert fn is not None
        loc = self.loc(node)
        if node.expr is None:
            if not fn.returns.is_void and fn.name != "main":
                raise self.error(node, f"'return' with no value in function returning {fn.returns}")
            return S.Return(None, loc=loc)
        value = self.expr(node.expr)
        if fn.returns.is_void:
            if not value.ctype.is_void:
                raise self.error(node, "'return' with a value in a void function")
            return S.Block([S.ExprStmt(value, loc=loc), S.Return(None, loc=loc)], loc=loc)
        if value.ctype.is_void:
            raise self.error(node.expr, "void value not ignored as it ought to be")
        return S.Return(self.rvalue(value), loc=loc)

    def switch(self, node: c_ast.Switch) -> S.Stmt:
        """`switch`: each case with the statements up to the next label; no label twice."""
        value = self.rvalue(self.expr(node.cond))
        body = node.stmt
        items = body.block_items or [] if isinstance(body, c_ast.Compound) else [body]
        cases: list[S.Case] = []
        seen: dict[int | None, c_ast.Node] = {}
        self.switches += 1
        self.scopes.append({})
        for item in items:
            if isinstance(item, (c_ast.Case, c_ast.Default)):
                key = self.constant(item.expr) if isinstance(item, c_ast.Case) else None
                if key in seen:
                    what = "default label" if key is None else f"case value {key}"
                    raise self.error(item, f"duplicate {what}")
                seen[key] = item
                stmts = [self.stmt(s) for s in (item.stmts or [])]
                cases.append(S.Case(key, stmts, self.loc(item)))
            elif not cases:
                if isinstance(item, c_ast.Decl):
                    raise self.unsupported(item, "a declaration before the first case")
                labels = len(self.goto_labels)
                self.stmt(item)  # checked, but never reached (but by a goto, refused here)
                if len(self.goto_labels) > labels:
                    raise self.unsupported(item, "a label before a switch's first case")
            else:
                cases[-1].body.append(self.stmt(item))
        self.scopes.pop()
        self.switches -= 1
        return S.Switch(value, cases, loc=self.loc(node))
