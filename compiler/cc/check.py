"""check: pycparser's AST to the typed tree, refusing what the front end does not support.

Every refusal and every error is one line that names the file, line and column. Names are
resolved here (scopes, prototypes, the built-in library), types are checked lightly (what a
C compiler would reject is rejected), arrays used as values become their addresses, and
constant expressions (array sizes, case labels, global initialisers) are evaluated.
"""

from __future__ import annotations

from dataclasses import replace

from pycparser import c_ast

from . import syntax as S
from .check_switch import Switches
from .library import LIBRARY
from .linkage import Linkage, readonly
from .parse import StatementExpression
from .variadic import Variadic


class Checker(Linkage, Variadic, Switches):
    """Checks one translation unit (the program, then the library functions it uses)."""

    # -- the unit -------------------------------------------------------------------------
    def unit(self, ast: c_ast.FileAST) -> None:
        """Check every top-level definition and declaration of a translation unit."""
        if self.file != "<library>":
            self.program_defines |= {n.decl.name for n in ast.ext if isinstance(n, c_ast.FuncDef)}
        for node in ast.ext:
            if isinstance(node, c_ast.FuncDef):
                self.function_def(node)
            elif isinstance(node, c_ast.Decl):
                self.global_decl(node)
            elif isinstance(node, c_ast.Typedef):
                self.typedef(node)
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
            elif ptype.kind == "function":  # `int f(int g(int))`: g is a pointer
                ptype = S.pointer(ptype)
            ptype = replace(ptype, const=False)  # `int *const p`: the type is `int *` (p is const)
            if ptype.is_void:
                raise self.error(p, "a parameter cannot be void")
            name = p.name or ""  # unnamed: in a prototype, or unused
            params.append(
                S.Var(name, ptype, "param", decl.name, self.loc(p), readonly=readonly(p.type))
            )
            if "register" in getattr(p, "storage", []):
                self.registers.add(params[-1])
        signature = tuple(p.ctype for p in params)
        fn = S.Function(
            decl.name, returns, params, self.loc(decl), variadic=variadic, signature=signature
        )
        fn.prototyped = node.args is not None  # `int f();` says nothing of its parameters
        return fn

    def builtin_prototype(self, fn: S.Function) -> bool:
        """Whether a declaration of a built-in function is its own (printf's: `const char *`
        and `...`, after sprintf's buffer or fprintf's stream; const aside for the others, as
        gcc accepts `int puts(char *)`; a stream, `void *` in the table, is a `FILE *`)."""
        entry = LIBRARY[fn.name]
        params = [p.ctype for p in fn.params]
        if entry.params is None:
            same = len(params) == entry.format_at + 1 and fn.variadic
            same = same and str(params[-1]) == "const char *"
        else:
            plain = [t.unqualified() for t in params]
            wanted = [t.unqualified() for t in entry.params]
            same = len(plain) == len(wanted) and not fn.variadic
            same = same and all(
                have == want or (want.is_pointer and want.element().is_void and have.is_pointer)
                for have, want in zip(plain, wanted, strict=False)
            )
        return same and fn.returns == entry.returns

    @staticmethod
    def promoted(fn: S.Function) -> bool:
        """Whether a prototype agrees with a declaration `int f();` (C99 6.7.5.3: no `...`,
        and no parameter that the default argument promotions change, char, short, _Bool)."""
        return not fn.variadic and all(
            t.kind not in ("char", "short", "bool") for t in fn.param_types()
        )

    def prototyped(self, fn: S.Function) -> None:
        """The calls made of `fn` before its prototype, checked against it: as many arguments
        as parameters, and integers where it takes integers and pointers where pointers
        (anything else is undefined in C and differs between this machine and gcc's build)."""
        params = fn.param_types()
        for types, node in self.unprototyped_calls.pop(fn.name, []):
            if len(types) != len(params):
                raise self.unsupported(
                    node,
                    f"a call of '{fn.name}' with {len(types)} argument(s) before its prototype, "
                    f"which takes {len(params)}",
                )
            for k, (arg, param) in enumerate(zip(types, params, strict=True)):
                if arg.is_pointer or arg.is_array or param.is_pointer or param.is_wide:
                    same = (arg.is_pointer or arg.is_array) and param.is_pointer
                    if not same:
                        raise self.unsupported(
                            node,
                            f"argument {k + 1} of '{fn.name}' before its prototype is a "
                            f"'{arg}' where it takes a '{param}'",
                        )

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
            if fn.variadic:
                self.va_block(fn)
            return fn
        # the library's own prototypes are const-correct; a program's older `int strlen(char *)`
        # and its `size_t strlen(const char *)` are ones gcc accepts (it warns), so against
        # the library const and signedness are left out
        library = self.file == "<library>" or fn.name in LIBRARY
        key = (lambda t: replace(t.unqualified(), unsigned=False)) if library else (lambda t: t)
        both = old.prototyped and fn.prototyped  # (else only the return types must agree)
        if (
            both
            and [key(t) for t in old.param_types()] != [key(t) for t in fn.param_types()]
            or key(old.returns) != key(fn.returns)
            or both
            and old.variadic != fn.variadic
        ):
            raise self.error(decl, f"conflicting types for '{fn.name}'")
        if fn.prototyped != old.prototyped and not self.promoted(fn if fn.prototyped else old):
            raise self.error(decl, f"conflicting types for '{fn.name}'")
        if fn.prototyped and not old.prototyped:  # the prototype says what calls must pass
            self.prototyped(fn)
            old.signature, old.variadic, old.prototyped = fn.signature, fn.variadic, True
            if old.body is None:
                old.params = fn.params
        return old

    def global_decl(self, decl: c_ast.Decl) -> None:
        """A top-level declaration: a prototype, an enum, or a global variable."""
        if isinstance(decl.type, c_ast.FuncDecl):
            self.storage(decl)
            self.file_scope(decl)
            self.known_function(decl, self.prototype(decl, decl.type))
            return
        if decl.name is None:  # `enum e { ... };`, `struct s { ... };`
            self.tag_declaration(decl)
            return
        self.storage(decl)
        self.file_scope(decl)
        if "extern" in decl.storage and decl.init is None:
            self.linked(decl, self.external(decl))
            return
        if (
            decl.init is not None
            and decl.name not in self.objects
            and mentions(decl.init, decl.name)
        ):
            self.linked(decl, self.external(decl))  # (in scope in its initializer: `n = {&n}`)
        self.linked(decl, self.static_var(decl, "g", decl.name), decl.init is not None)

    def static_var(self, decl: c_ast.Decl, kind: str, *names: str) -> S.Var:
        """A variable with static storage and its initial words (`kind` and `names`: its
        label's, see `label`)."""
        ctype = self.object_type(decl)
        ctype, init = self.initializer(decl, ctype, static=True)
        self.array_fits(decl, ctype)
        elements = init if isinstance(init, list) else [] if init is None else [init]
        init_words = [self.static_word(e) for e in elements]
        init_words += [0] * (ctype.size - len(init_words))
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

    def early_static(self, decl: c_ast.Decl, function: str) -> S.Var:
        """A static local declared before its initializer is checked, which names it (its
        scope begins at its declarator, as C has it); the initializer's words come later."""
        var = S.Var(
            decl.name,
            self.object_type(decl),
            "global",
            None,
            self.loc(decl),
            self.label("s", function, decl.name),
            readonly=readonly(decl.type),
        )
        self.declare(decl.name, var, decl)
        return var

    def object_type(self, decl: c_ast.Decl) -> S.CType:
        """The type of a variable being declared: a complete object type (an array's length
        may wait for its initializer)."""
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        if ctype.kind == "function":
            raise self.unsupported(decl, "a function declared through a typedef name")
        if not self.complete(ctype):
            raise self.error(decl, f"storage size of '{decl.name}' isn't known")
        return ctype

    def tag_declaration(self, decl: c_ast.Decl) -> None:
        """A declaration that declares no object: of an enum's constants, or a struct or
        union's tag (`struct s;` alone declares the tag anew in this scope)."""
        node = decl.type
        if isinstance(node, c_ast.Enum):
            self.enum(node)
        elif isinstance(node, c_ast.Struct | c_ast.Union):
            if node.decls is None and node.name:
                kind = "union" if isinstance(node, c_ast.Union) else "struct"
                key = f"{kind} {node.name}"
                if key not in self.scopes[-1]:
                    self.scopes[-1][key] = S.Record(kind, node.name)
            else:
                self.record(node)
        else:
            raise self.refuse(node)

    def array_fits(self, decl: c_ast.Decl, ctype: S.CType) -> None:
        """Refuse, at its declaration, an array larger than the memory there is."""
        limit, what = self.address_limit()
        if ctype.size > limit:
            kind = "array" if ctype.is_array else "variable"
            raise self.error(
                decl, f"{kind} '{decl.name}' of {ctype.size:,} words is larger than {what}"
            )

    # -- functions ------------------------------------------------------------------------
    def function_def(self, node: c_ast.FuncDef) -> None:
        """A function definition: its parameters' cells and its checked body."""
        decl = node.decl
        if node.param_decls:
            raise self.unsupported(node, "old-style parameter declarations")
        self.storage(decl)
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
        if proto.prototyped:  # (`int f();` then `int f(int x) {...}`)
            fn.signature, fn.prototyped = proto.signature, True
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
        copies = self.by_value(fn, scope)
        self.scopes.append(scope)
        self.goto_labels, self.gotos = {}, []
        fn.body = self.block(node.body, new_scope=False)
        fn.body.items[0:0] = copies
        for goto in self.gotos:
            if goto.name not in self.goto_labels:
                raise self.error(goto, f"label '{goto.name}' used but not defined")
        self.no_jumps_into_statement_expressions()
        self.scopes.pop()
        self.function = None

    def local_decl(self, decl: c_ast.Decl) -> S.Stmt:
        """A declaration in a function: a prototype, an enum, a static or a local variable."""
        fn = self.function
        assert fn is not None
        if isinstance(decl.type, c_ast.FuncDecl):
            self.known_function(decl, self.prototype(decl, decl.type))
            return S.Block([], loc=self.loc(decl))
        if decl.name is None:  # `enum e { ... };`, `struct s { ... };`
            self.tag_declaration(decl)
            return S.Block([], loc=self.loc(decl))
        if "extern" in decl.storage:  # the global of that name, defined here or not
            if decl.init is not None:
                raise self.error(decl, f"'{decl.name}' has both 'extern' and initializer")
            self.linked(decl, self.external(decl))
            return S.Block([], loc=self.loc(decl))
        if self.storage(decl):
            early = None
            if decl.init is not None and mentions(decl.init, decl.name):  # (`n = {&n}`)
                early = self.early_static(decl, fn.name)
            var = self.static_var(decl, "s", fn.name, decl.name)
            if early is not None:  # the object its initializer named
                early.ctype, early.init, var = var.ctype, var.init, early
            else:
                self.declare(decl.name, var, decl)
            self.globals.append(var)
            return S.Block([], loc=self.loc(decl))
        var = S.Var(
            decl.name,
            self.object_type(decl),
            "local",
            fn.name,
            self.loc(decl),
            self.label("v", fn.name, decl.name),
            readonly=readonly(decl.type),
        )
        self.declare(decl.name, var, decl)  # in scope in its own initializer, as C has it
        var.ctype, init = self.initializer(decl, var.ctype)
        self.array_fits(decl, var.ctype)
        fn.locals.append(var)
        if "register" in decl.storage:
            self.registers.add(var)
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
        if isinstance(node, c_ast.Compound) and not (
            isinstance(node, StatementExpression) and id(node) in self.valued
        ):  # (a bare `({ ... });` is a block, unless it gives a statement expression its value)
            return self.block(node)
        if isinstance(node, c_ast.Decl):
            return self.local_decl(node)
        if isinstance(node, c_ast.DeclList):
            return S.Block([self.local_decl(d) for d in node.decls], loc=loc)
        if isinstance(node, c_ast.Typedef):
            self.typedef(node)
            return S.Block([], loc=loc)
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
            self.breaks.append(None)
            body = self.stmt(node.stmt)
            self.breaks.pop()
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
                init = S.ExprStmt(self.expr(discarded(node.init)), loc=self.loc(node.init))
            cond = self.test(node.cond) if node.cond is not None else None
            step = self.expr(discarded(node.next)) if node.next is not None else None
            self.loops += 1
            self.breaks.append(None)
            body = self.stmt(node.stmt)
            self.breaks.pop()
            self.loops -= 1
            self.scopes.pop()
            return S.For(init, cond, step, body, loc=loc)
        if isinstance(node, c_ast.Break):
            if not (self.loops or self.switches):
                raise self.error(node, "break outside a loop or switch")
            if self.breaks and self.breaks[-1] is not None:  # out of a switch made of labels
                return S.Goto(self.breaks[-1], loc=loc)
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
            return self.nested_case(node)
        if isinstance(node, c_ast.Label):
            if node.name in self.goto_labels:
                raise self.error(node, f"duplicate label '{node.name}'")
            self.goto_labels[node.name] = node
            return S.Labeled(node.name, self.stmt(node.stmt), loc=loc)
        if isinstance(node, c_ast.Goto):
            self.gotos.append(node)
            return S.Goto(node.name, loc=loc)
        if id(node) in self.valued:  # (a statement expression's value: `x++` is not `++x`)
            return S.ExprStmt(self.expr(node), loc=loc)
        return S.ExprStmt(self.expr(discarded(node)), loc=loc)

    def return_stmt(self, node: c_ast.Return) -> S.Stmt:
        """`return`, checked against the function's type (`main` may return nothing)."""
        fn = self.function
        assert fn is not None
        loc = self.loc(node)
        if node.expr is None:
            if not fn.returns.is_void and fn.name != "main":
                raise self.error(node, f"'return' with no value in function returning {fn.returns}")
            return S.Return(None, loc=loc)
        if fn.returns.is_wide:
            value = self.converted(fn.returns, self.operand(node.expr), node.expr)
            return self.return_record(node, fn, self.made(value))
        if fn.returns.is_record:
            return self.return_record(node, fn)
        value = self.expr(node.expr)
        if fn.returns.is_void:
            if not value.ctype.is_void:
                raise self.error(node, "'return' with a value in a void function")
            return S.Block([S.ExprStmt(value, loc=loc), S.Return(None, loc=loc)], loc=loc)
        if value.ctype.is_void:
            raise self.error(node.expr, "void value not ignored as it ought to be")
        value = self.rvalue(value)
        if value.ctype.is_struct:
            raise self.error(node.expr, f"incompatible types when returning type '{value.ctype}'")
        value = self.converted(fn.returns, value, node.expr)
        self.convertible(fn.returns, value, node)
        return S.Return(value, loc=loc)


def discarded(node: c_ast.Node) -> c_ast.Node:
    """An expression whose value is not used (a statement, a `for`'s first and third parts):
    `x++` there is `++x` (the same store, and the value before it, which a char or short
    would convert again, is not needed); so are those of a comma's operands."""
    if isinstance(node, c_ast.UnaryOp) and node.op in ("p++", "p--"):
        return c_ast.UnaryOp(node.op[1:], node.expr, node.coord)
    if isinstance(node, c_ast.ExprList):
        return c_ast.ExprList([discarded(e) for e in node.exprs], node.coord)
    return node


def mentions(node: c_ast.Node, name: str) -> bool:
    """Whether the identifier `name` appears in a syntax tree."""
    if isinstance(node, c_ast.ID) and node.name == name:
        return True
    return any(mentions(child, name) for _, child in node.children())
