"""How deep a C program may nest, and a thread deep enough for the stages that recurse on it.

The parser, the checker and the code generator recurse on the program's structure, so they
run in a thread of their own with a deep stack (`run_deep`); deeper programs than the limits
are refused with one located line, `FILE:LINE:COL: nesting too deep (limit D)`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from pycparser import c_ast

from .errors import CError
from .preprocess import location

# BRACKET_LIMIT parentheses, brackets
# and braces open at once and a tree TREE_LIMIT nodes deep (an else-if chain or a sum of many
# terms is as deep as it is long) are within RECURSION_LIMIT frames, which a stack of
# THREAD_STACK bytes holds with room to spare (a few hundred bytes of C stack a frame).
# Deeper programs get one located line, `FILE:LINE:COL: nesting too deep (limit D)`.
BRACKET_LIMIT = 1000
TREE_LIMIT = 4000
RECURSION_LIMIT = 60_000
THREAD_STACK = 256 << 20


T = TypeVar("T")

Place = tuple[int, int, int, str]  # a node's depth, line, column and file


def too_deep(file: str, place: Place) -> CError:
    """The located refusal of a program nested deeper than the compiler follows."""
    _, line, col, where = place
    return CError.at(where or file, line, col, f"nesting too deep (limit {TREE_LIMIT})")


def check_brackets(source: str, file: str) -> None:
    """Refuse, at the bracket, more than BRACKET_LIMIT of `( [ {` open at once (comments are
    gone; string and character literals are skipped)."""
    depth, line, line_start, i, n = 0, 1, 0, 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
        elif ch == "#" and i == line_start:  # a `# LINE "FILE"` marker
            end = source.find("\n", i)
            i = (end if end >= 0 else n) - 1
        elif ch in "\"'":
            j = i + 1
            while j < n and source[j] not in (ch, "\n"):
                j += 2 if source[j] == "\\" else 1
            i = j
        elif ch in "([{":
            depth += 1
            if depth > BRACKET_LIMIT:
                where, line = location(source, line)
                raise CError.at(
                    where or file,
                    line,
                    i - line_start + 1,
                    f"nesting too deep (limit {BRACKET_LIMIT} parentheses, "
                    "brackets and braces open at once)",
                )
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        i += 1


def check_depth(ast: c_ast.Node, file: str) -> Place:
    """The depth of the syntax tree and the place of its deepest node (walked without
    recursion); deeper than TREE_LIMIT is refused at the first node past it."""
    deepest = (0, 1, 1, "")
    todo: list[tuple[c_ast.Node, int, int, int, str]] = [(ast, 0, 1, 1, "")]
    while todo:
        node, depth, line, col, where = todo.pop()
        coord = getattr(node, "coord", None)
        if coord is not None and coord.line:
            line, col, where = coord.line, coord.column or 1, coord.file or ""
        if depth > TREE_LIMIT:
            raise too_deep(file, (depth, line, col, where))
        deepest = max(deepest, (depth, line, col, where))
        todo.extend((child, depth + 1, line, col, where) for _, child in node.children())
    return deepest


def run_deep(work: Callable[[], T]) -> T:
    """`work()` in a thread with a THREAD_STACK-byte stack and RECURSION_LIMIT frames (the
    limit is the interpreter's, raised for the call and put back after)."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as err:  # noqa: BLE001 (re-raised in the caller's thread)
            failure.append(err)

    old_stack, old_limit = threading.stack_size(), sys.getrecursionlimit()
    try:
        threading.stack_size(THREAD_STACK)
        deep = True
    except (ValueError, RuntimeError):  # a platform that will not give a thread this stack:
        deep = False  # the usual limit, then (a located line for what is deeper)
    thread = threading.Thread(target=run, name="loopmlp-cc", daemon=True)
    if deep:
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
    try:
        try:
            thread.start()
        finally:
            threading.stack_size(old_stack)
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return result[0]
