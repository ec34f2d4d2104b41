"""check, switch: its cases in its block, or anywhere inside it (Duff's device, a case inside
an `if`): such a switch becomes a jump to labels placed where its cases are."""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .check_init import Initializers


def nested_cases(body: c_ast.Node) -> bool:
    """Whether a switch's body has a case or default label that is not one of its block's own
    items (inner switches' cases are theirs)."""
    direct = body.block_items or [] if isinstance(body, c_ast.Compound) else [body]
    todo: list[c_ast.Node] = []
    for item in direct:
        if isinstance(item, c_ast.Case | c_ast.Default):
            todo += item.stmts or []
        else:
            todo.append(item)
    while todo:
        node = todo.pop()
        if isinstance(node, c_ast.Case | c_ast.Default):
            return True
        if not isinstance(node, c_ast.Switch):
            todo += [child for _, child in node.children()]
    return False


def starts_with_case(body: c_ast.Node) -> bool:
    """Whether a switch's body is a block whose first item is a case or default label (else
    what comes before is checked, and reached by no case, in a switch made of labels)."""
    items = body.block_items or [] if isinstance(body, c_ast.Compound) else [body]
    return not items or isinstance(items[0], c_ast.Case | c_ast.Default)


class Switches(Initializers):
    """`switch` (a part of Checker)."""

    def stmt(self, node: c_ast.Node) -> S.Stmt:  # (Checker's)
        raise NotImplementedError

    def switch(self, node: c_ast.Switch) -> S.Stmt:
        """`switch`: each case with the statements up to the next label; no label twice."""
        value = self.scalar(node.cond)
        if not value.ctype.is_integer:
            raise self.error(node.cond, "switch quantity not an integer")
        if nested_cases(node.stmt) or not starts_with_case(node.stmt):
            return self.labelled_switch(node, value)
        body = node.stmt
        items = body.block_items or [] if isinstance(body, c_ast.Compound) else [body]
        cases: list[S.Case] = []
        seen: dict[int | None, c_ast.Node] = {}
        self.switches += 1
        self.breaks.append(None)
        self.cases.append(None)
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
            else:  # (the first item is a case: see starts_with_case)
                cases[-1].body.append(self.stmt(item))
        self.scopes.pop()
        self.cases.pop()
        self.breaks.pop()
        self.switches -= 1
        return S.Switch(value, cases, loc=self.loc(node))

    def labelled_switch(self, node: c_ast.Switch, value: S.Expr) -> S.Stmt:
        """A switch whose cases are not all in its block: the switch jumps to a label for each
        case, placed where the case is in the body; `break` jumps past the body."""
        self.labelled += 1
        end = f" switch{self.labelled} end"  # (no C label has a space)
        found: list[tuple[int | None, str, c_ast.Node]] = []
        self.switches += 1
        self.breaks.append(end)
        self.cases.append((found, self.labelled))
        self.scopes.append({})
        body = self.stmt(node.stmt)
        self.scopes.pop()
        self.cases.pop()
        self.breaks.pop()
        self.switches -= 1
        loc = self.loc(node)
        jumps = [S.Case(key, [S.Goto(label, loc=loc)], self.loc(at)) for key, label, at in found]
        if all(key is not None for key, _, _ in found):
            jumps.append(S.Case(None, [S.Goto(end, loc=loc)], loc))
        done = S.Labeled(end, S.Block([], loc=loc), loc=loc)
        return S.Block([S.Switch(value, jumps, loc=loc), body, done], loc=loc)

    def nested_case(self, node: c_ast.Case | c_ast.Default) -> S.Stmt:
        """A case label inside a switch made of labels: a label there."""
        if not self.cases or self.cases[-1] is None:
            raise self.error(node, "a case label not within a switch statement")
        found, number = self.cases[-1]
        key = self.constant(node.expr) if isinstance(node, c_ast.Case) else None
        if any(key == old for old, _, _ in found):
            what = "default label" if key is None else f"case value {key}"
            raise self.error(node, f"duplicate {what}")
        label = f" switch{number} case{len(found)}"
        found.append((key, label, node))
        body = [self.stmt(s) for s in node.stmts or []]
        return S.Labeled(label, S.Block(body, loc=self.loc(node)), loc=self.loc(node))
