"""gcc's `__attribute__((...))` (and `__attribute`): taken out of the parser's tokens where it
changes nothing that a program computes here, refused in one located line where it would
(`__extension__`, which only silences gcc's pedantic warnings, is taken out too).

An attribute that only guides gcc's optimiser or warnings (`noinline`, `pure`, `format`,
`unused`, ...), names a calling convention that x86-64 ignores (`stdcall`, `cdecl`) or places
or aligns an object in memory (`packed`, `aligned`, `section`: every scalar is a word here, so
layout is the word model's whatever it says) is dropped. One that changes what runs or what a
type is (`cleanup`, `constructor`, `vector_size`, `mode`, `alias`, ...), and any this list
does not know, is refused naming it.
"""

from __future__ import annotations

from collections.abc import Callable

from pycparser.c_lexer import Token

from .errors import CError

DROPPED = {
    "aligned", "always_inline", "artificial", "cdecl", "cold", "const", "deprecated",
    "designated_init", "externally_visible", "fastcall", "flatten", "format", "format_arg",
    "hot", "leaf", "malloc", "alloc_size", "alloc_align", "may_alias", "no_instrument_function",
    "no_reorder", "noclone", "noinline", "noipa", "nonnull", "noreturn", "nothrow", "optimize",
    "packed", "pure", "regparm", "returns_nonnull", "section", "sentinel", "stdcall", "unused",
    "used", "visibility", "warn_unused_result", "weak", "nonstring", "fallthrough",
    "no_stack_protector", "no_split_stack", "noplt", "retain", "warning", "assume_aligned",
}  # fmt: skip
# What the refusal says of some that would change the program (any other unknown one is
# refused by its name alone).
CHANGES = {
    "cleanup": "a function called when the variable goes out of scope",
    "constructor": "a function called before main",
    "destructor": "a function called after main",
    "vector_size": "vector types",
    "mode": "an integer of another width",
    "alias": "a second name of a definition",
    "weakref": "a second name of a definition",
    "ifunc": "a function chosen at load time",
    "transparent_union": "a union passed as its first member",
    "gnu_inline": "gcc's own inline semantics",
    "naked": "a function without its entry and exit code",
    "scalar_storage_order": "reversed byte order",
    "error": "a call that fails the build",
}

KEYWORDS = {"__attribute__", "__attribute"}


def without_attributes(
    read: Callable[[], Token | None],
) -> Callable[[], Token | None]:
    """A token reader that leaves out every `__attribute__((...))` that `read` gives, after
    checking the attributes it names (`_check`)."""

    def token() -> Token | None:
        tok = read()
        while tok is not None and tok.type == "ID" and tok.value in KEYWORDS | {"__extension__"}:
            if tok.value != "__extension__":  # (which only silences gcc's pedantic warnings)
                _skip(tok, read)
            tok = read()
        return tok

    return token


def _skip(start: Token, read: Callable[[], Token | None]) -> None:
    """Read `((name(args), ...))` after the keyword `start`, checking each name."""
    first, second = read(), read()
    if first is None or second is None or first.type != "LPAREN" or second.type != "LPAREN":
        raise _at(start, f"syntax error: expected '((' after '{start.value}'")
    depth, expect_name = 2, True
    while depth:
        tok = read()
        if tok is None:
            raise _at(start, f"syntax error: '{start.value}' not closed")
        if tok.type == "LPAREN":
            depth += 1
            expect_name = depth == 2
            continue
        if tok.type == "RPAREN":
            depth -= 1
            continue
        if depth == 2 and tok.type == "COMMA":
            expect_name = True
            continue
        if expect_name:
            _check(tok)
        expect_name = False


def _check(tok: Token) -> None:
    """Refuse an attribute that changes what the program computes, or is not known."""
    name = tok.value.strip("_") if tok.value.startswith("__") else tok.value
    if name in DROPPED:
        return
    what = f" ({CHANGES[name]})" if name in CHANGES else ""
    raise _at(tok, f"not supported: __attribute__(({name})){what}")


def _at(tok: Token, message: str) -> CError:
    """An error at a token's place."""
    return CError.at(tok.filename, tok.lineno, tok.column, message)
