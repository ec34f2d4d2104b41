"""The C preprocessor: C99's translation phases 1 to 4, by pcpp, with loopmlp's headers.

The output is what pycparser reads: every line that does not follow its predecessor in the
source is preceded by a `# LINE "FILE"` marker, so the parser, the checker and the source map
place each token in the user's file (or the included header) and line, `#line` applied.
Everything the preprocessor refuses is one located `CError`; pcpp never prints.
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pcpp import Action, OutputDirective, Preprocessor
from pcpp.evaluator import Value
from pcpp.parser import trigraph

from ...ir.errors import LoopmlpError
from ..sources import CppOptions, read_text
from .errors import CError

__all__ = ["CError", "CppOptions", "location", "phases_1_to_3", "preprocess"]

INCLUDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "include")
HEADERS = sorted(name for name in os.listdir(INCLUDE) if name.endswith(".h"))
_MACRO_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEFINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?(?:=(.*))?", re.S)
Token = Any  # a pcpp token, or a list of them (pcpp declares no types)
_SPLICE = re.compile(r"\\[ \t]*$")
# the places the phase-3 scan must step over: literals, comments, and an unclosed comment
_LEXEMES = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/|//[^\n]*|(/\*)', re.S)


def own_header(file: str) -> bool:
    """Whether a file that a place names is one of loopmlp's headers."""
    if not file:
        return False
    return file.startswith("<") or os.path.abspath(file).startswith(os.path.join(INCLUDE, ""))


INCLUDE_LIMIT = 200  # files open in #include at once (gcc's limit too)
_GAP = 8  # up to this many blank lines are written out, more become a `# LINE` marker
_LITERAL = re.compile(r"(?:L|u8|u|U)?[\"']")  # a string literal or a character constant
_PLACEMARKER = "CPP_PLACEMARKER"  # an empty operand of ## (a token of no text)
# two tokens that would read as one if written together: a space between them, as gcc's
_PASTES = re.compile(
    r"[\w$][\w$]|[.][.]|[.]\d|\+\+|--|-[>=]|[-+*/%&|^!=<>]=|<<|>>|&&|\|\||##|//|/\*"
    r"|<[:%]|[:%]>|%:"
)
_PREFIXES = ("L", "u", "U", "u8")  # a string or a character right after one is another literal


def phases_1_to_3(text: str, file: str) -> str:
    """Line endings as `\\n` (form feeds and vertical tabs as spaces), trigraphs replaced,
    backslash-newline spliced (the joined line is followed by blank lines, so later lines keep
    their numbers); an unclosed comment is an error at its `/*`."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", " ").replace("\v", " ")
    lines = trigraph(text).split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line, extra = lines[i], 0
        while _SPLICE.search(line) and i + extra + 1 < len(lines):
            extra += 1
            line = _SPLICE.sub("", line) + lines[i + extra]
        out.append(line)
        out.extend([""] * extra)
        i += extra + 1
    joined = "\n".join(out)
    if "/*" in joined:
        for m in _LEXEMES.finditer(joined):
            if m.group(1):
                line_start = joined.rfind("\n", 0, m.start()) + 1
                line = joined.count("\n", 0, m.start()) + 1
                raise CError.at(file, line, m.start() - line_start + 1, "unterminated comment")
    return joined


def _literal(text: str) -> str:
    """`text` as a replacement string of re.sub."""
    return text.replace("\\", r"\\")


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _c_quotient(a: int, b: int) -> int:
    """C's `a / b`: the quotient truncated toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _division(remainder: bool) -> Callable[[Any, Any], Any]:
    """`#if`'s `/` or `%` as C's. pcpp's Value divides in floating point (a 64-bit quotient
    loses its low bits) and takes Python's modulo (`-7 % 3` is 2 there, -1 in C); its
    evaluator builds Values itself, so the operators are replaced on its class."""

    def divide(self: Any, other: Any) -> Any:  # (pcpp's Value is untyped)
        if self.exception is not None:
            return self
        other = Value(other)
        if other.exception is not None:
            return other
        unsigned = self.unsigned or other.unsigned
        a, b = (Value(int(v) % (1 << 64), True) if unsigned else v for v in (self, other))
        q = _c_quotient(int(a), int(b))
        return Value(int(a) - q * int(b) if remainder else q, unsigned)

    return divide


Value.__truediv__ = _division(False)
Value.__div__ = _division(False)
Value.__mod__ = _division(True)


class _Cpp(Preprocessor):
    """pcpp with every diagnostic raised as a located CError, `#line`, `#error`,
    `#pragma push_macro`/`pop_macro`, and the search path: -I directories, then loopmlp's
    headers."""

    def __init__(self, file: str, bits: int, options: CppOptions) -> None:
        super().__init__()
        self.file = file
        # file -> its #line directives, in order: (from line, as line, as file)
        self.remap: dict[str, list[tuple[int, int, str]]] = {}
        self.pushed: dict[str, list[object]] = {}
        self.starts: dict[str, list[int]] = {}  # file -> the offset of each line's start
        self.pending: CError | None = None
        self.conditionals: list[bool] = []  # each open #if: whether its #else was seen
        self.depth = 0  # #include files open
        self.in_if = False  # evaluating an #if's expression
        self._line = 0
        # A file is named as gcc names it: the main file as given, an included one by the
        # directory it was found in (as given) and its name; loopmlp's headers as <NAME>.
        self.rewrite_paths = [(re.escape(os.path.abspath(file)) + "$", _literal(file))]
        for directory in (os.path.dirname(file), *options.include):
            self.rewrite_paths.append(
                (
                    re.escape(os.path.join(os.path.abspath(directory), "")) + "(.*)",
                    _literal(os.path.join(directory, "")) + r"\1",
                )
            )
        self.rewrite_paths.append((re.escape(os.path.join(INCLUDE, "")) + "(.*)", r"<\1>"))
        self.undef("__PCPP__")
        self.line_directive = None
        self.expand_filemacro = False  # __FILE__ is expand_macros', to follow #line
        self.depth = 0
        predefined = {
            "__STDC__": "1",
            "__STDC_VERSION__": "199901L",
            "__STDC_HOSTED__": "0",
            "__LOOPMLP__": "1",
            "__CHAR_BIT__": str(bits),
            "__INT_MAX__": str((1 << (bits - 1)) - 1),
        }
        for name, value in predefined.items():
            self.define(f"{name} {value}")
        for kind, text in options.macros:
            self.command_line(kind, text)
        for directory in options.include:
            self.add_path(directory)
        self.add_path(INCLUDE)

    # -- the command line -----------------------------------------------------------------
    def command_line(self, kind: str, text: str) -> None:
        """`-D NAME[=VALUE]` (VALUE defaults to 1; NAME may have parameters) or `-U NAME`."""
        match = _DEFINE.fullmatch(text) if kind == "D" else _MACRO_NAME.fullmatch(text)
        if not match:
            raise LoopmlpError(f"-{kind} {text}: not a macro name")
        if kind == "U":
            self.undef(text)
            return
        name, params, value = match.groups()
        self.define(f"{name}{params or ''} {'1' if value is None else value}")

    # -- where things are -----------------------------------------------------------------
    def place(self, source: str, line: int) -> tuple[str, int]:
        """The file and line a physical line of `source` stands for, `#line` applied."""
        for start, as_line, as_file in reversed(self.remap.get(source, ())):
            if start <= line:
                return as_file, as_line + line - start
        return source, line

    def shown(self, path: str) -> str:
        """A file's name in messages, as pcpp rewrites it (the first rule that applies)."""
        for pattern, replacement in self.rewrite_paths:
            renamed = re.sub(pattern, replacement, path)
            if renamed != path:
                return renamed
        return path

    def refuse(self, tok: Token, message: str) -> CError:
        """An error at a token's place (the column of its line's first character: pcpp keeps
        no columns)."""
        file, line = self.place(getattr(tok, "source", None) or self.file, tok.lineno)
        return CError.at(file, line, 1, message)

    @property
    def linemacro(self) -> int:
        """`__LINE__`, as `#line` says."""
        return self._line

    @linemacro.setter
    def linemacro(self, line: int) -> None:
        self._line = self.place(self.source or "", line)[1] if line else 0

    # -- pcpp's hooks ---------------------------------------------------------------------
    def on_error(self, file: str, line: int, msg: str) -> None:
        if self.pending is not None:
            raise self.pending
        msg = " ".join(msg.split())
        where = self.lastdirective if line == 0 and self.lastdirective is not None else None
        if msg == "Empty expression":
            msg = f"#{where.value if where else 'if'} with no expression"
        elif msg.startswith("Could not evaluate expression"):
            expr = msg.partition("passed to evaluator: ")[2].strip("')")
            msg = f"invalid #if expression '{expr.strip()}'"
        if where is not None:
            raise self.refuse(where, msg)
        file, line = self.place(file or self.file, line)
        raise CError.at(file, line, 1, msg[:1].lower() + msg[1:])

    def on_file_open(self, is_system_include: bool, includepath: str) -> io.StringIO:
        if not os.path.isfile(includepath):
            raise FileNotFoundError(includepath)
        shown = self.shown(includepath)
        self.remap.pop(shown, None)  # (a file included again starts without its #line)
        self.remap.pop(includepath, None)
        return io.StringIO(self.remember(shown, phases_1_to_3(read_text(includepath), shown)))

    def on_include_not_found(
        self, is_malformed: bool, is_system_include: bool, curdir: str, includepath: str
    ) -> str:
        if is_malformed:
            raise self.refuse(self.lastdirective, f"malformed #include {includepath}")
        if is_system_include:
            known = ", ".join(f"<{h}>" for h in HEADERS)
            raise self.refuse(
                self.lastdirective,
                f"not supported: #include <{includepath}> (the headers are {known})",
            )
        raise self.refuse(self.lastdirective, f'#include "{includepath}": file not found')

    def on_unknown_macro_function_in_expr(self, ident: str) -> Callable[..., int]:
        # raised by on_error, where pcpp reports the evaluator's failure
        self.pending = self.refuse(
            self.lastdirective, f"#if: '{ident}' is not a function-like macro"
        )

        def refused(*args: object) -> int:
            raise ValueError(ident)

        return refused

    def include(self, tokens: list, original_line: list) -> Iterator[object]:
        """#include, refusing one with no file."""
        if not tokens:
            raise self.refuse(self.lastdirective, '#include expects "FILE" or <FILE>')
        if self.depth >= INCLUDE_LIMIT:  # a header that includes itself with no guard
            raise self.refuse(
                self.lastdirective, f"#include nested too deeply (limit {INCLUDE_LIMIT})"
            )
        self.depth += 1
        try:
            yield from super().include(tokens, original_line)
        finally:
            self.depth -= 1

    def on_directive_handle(
        self, directive: Token, toks: list, ifpassthru: bool, precedingtoks: list
    ) -> bool:
        self.lastdirective = directive
        kind = directive.value  # (in skipped groups too: pcpp lets #elif follow #else)
        if kind in ("if", "ifdef", "ifndef"):
            self.conditionals.append(False)
        elif kind in ("elif", "else") and self.conditionals:
            if self.conditionals[-1]:
                raise self.refuse(directive, f"#{kind} after #else")
            self.conditionals[-1] = kind == "else"
        elif kind == "endif" and self.conditionals:
            self.conditionals.pop()
        if kind == "pragma" and not toks:
            raise OutputDirective(Action.IgnoreAndRemove)  # (pcpp reads its first word)
        return True

    def on_directive_unknown(
        self, directive: Token, toks: list, ifpassthru: bool, precedingtoks: list
    ) -> bool | None:
        name = directive.value
        words = "".join(tok.value for tok in toks).strip()
        if name == "error":
            raise self.refuse(directive, f"#error {words}".rstrip())
        if name == "warning":
            return True  # gcc prints it and goes on: the program is the same
        if name == "line" or directive.type == self.t_INTEGER:
            self.line(directive, toks if name == "line" else [directive, *toks])
            return True
        if name == "pragma":
            # applied once the lines before it are expanded (pcpp expands lines in chunks,
            # at a #define, #undef or #include, or a directive it passes through, as here)
            precedingtoks[0].deferred = self.pragma(directive, toks)
            return None
        raise self.refuse(directive, f"invalid preprocessing directive #{name}")

    # -- the directives pcpp leaves to its user -------------------------------------------
    def line(self, directive: Token, toks: list) -> None:
        """`#line N ["FILE"]` (macros expanded; also `# N "FILE" FLAGS...`): the next line is
        line N of FILE."""
        words = [t for t in self.expand_macros(list(toks)) if t.type not in self.t_WS]
        number = words[0].value if words else ""
        if not number.isdigit() or not 0 < int(number) <= 2147483647:
            raise self.refuse(directive, f"#line: '{number}' is not a line number (1 to 2^31-1)")
        file = self.place(directive.source, directive.lineno)[0]
        if len(words) > 1:
            if words[1].type != self.t_STRING or (len(words) > 2 and directive.value == "line"):
                raise self.refuse(directive, "#line: expected a line number and a file name")
            file = words[1].value[1:-1]
        entry = (directive.lineno + 1, int(number), file)
        for source in {directive.source, self.source}:
            self.remap.setdefault(source, []).append(entry)

    def pragma(self, directive: Token, toks: list) -> Callable[[], None]:
        """What `#pragma push_macro("X")` / `pop_macro("X")` does: save or restore X's
        definition; any other pragma is ignored, as C99 lets an implementation do."""
        words = [t.value for t in toks if t.type not in self.t_WS]
        if words[0] not in ("push_macro", "pop_macro"):
            return lambda: None
        if len(words) != 4 or words[1] != "(" or words[3] != ")" or not words[2][:1] == '"':
            raise self.refuse(directive, f'#pragma {words[0]}: expected {words[0]}("NAME")')
        name = words[2][1:-1]
        saved = self.pushed.setdefault(name, [])

        def push() -> None:
            saved.append(self.macros.get(name))

        def pop() -> None:
            if saved:
                macro = saved.pop()
                if macro is None:
                    self.macros.pop(name, None)
                else:
                    self.macros[name] = macro

        return push if words[0] == "push_macro" else pop

    def evalexpr(self, tokens: list) -> Any:
        """pcpp's `#if`, where `defined` that a macro's expansion makes is evaluated too, as
        gcc's is (see expand_macros)."""
        self.in_if = True
        try:
            return super().evalexpr(tokens)
        finally:
            self.in_if = False

    def defined_now(self, tokens: list) -> list:
        """`defined X` and `defined ( X )` in an `#if`'s tokens as 1 or 0, before X is
        expanded."""
        out, i = [], 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == self.t_ID and tok.value == "defined":
                words = [(k, t) for k, t in enumerate(tokens) if k > i and t.type not in self.t_WS]
                shape = [t.value for _, t in words[:3]]
                if words and words[0][1].type == self.t_ID:
                    name, end = words[0][1].value, words[0][0]
                elif len(words) >= 3 and shape[0] == "(" and shape[2] == ")":
                    name, end = words[1][1].value, words[2][0]
                else:
                    name, end = "", -1
                if end >= 0:
                    made = copy.copy(tok)
                    made.type = self.t_INTEGER
                    made.value = self.t_INTEGER_TYPE("1L" if name in self.macros else "0L")
                    out.append(made)
                    i = end + 1
                    continue
            out.append(tok)
            i += 1
        return out

    def expand_macros(self, tokens: list, expanding_from: list = []) -> list:  # noqa: B006
        """pcpp's expansion, with `__FILE__` replaced by its file's name: in a macro's
        argument before the argument is expanded, anywhere else once every token has its
        invocation's place (an operand of `#` stays `__FILE__`). In an `#if`, a `defined`
        that an expansion makes is evaluated before what it names is expanded."""
        if self.in_if:
            tokens = self.defined_now(tokens)
        if self.depth:
            tokens = self.file_names(tokens, lambda tok: not getattr(tok, "body", False))
        self.depth += 1
        try:
            tokens = super().expand_macros(tokens, expanding_from)
        finally:
            self.depth -= 1
        return tokens if self.depth else self.file_names(tokens, lambda tok: True)

    def macro_expand_args(self, macro: Any, args: list) -> list:
        """pcpp's substitution, with an empty argument next to `##` standing for C99's
        placemarker (6.10.3.3): `A ## B` with B empty is A alone, not A pasted to whatever
        follows (pcpp dropped the empty operand, and pasted on). Two empty operands are one.
        An argument's white space at either end goes, as C99 6.10.3.2 says (pcpp kept it in
        `__VA_ARGS__`, so that `a ## __VA_ARGS__` pasted `a` to a space)."""
        args = [self.trimmed(arg) for arg in args]
        if macro.str_patch:
            macro = self.stringized(macro, args)
        empty = [not arg for arg in args]
        keep_comma = len(args) - 1 if macro.variadic and macro.var_comma_patch else -1

        def placemarker(tok: Token) -> bool:  # an empty argument's name, as ##'s operand
            if tok.type != self.t_ID or tok.value not in macro.arglist:
                return False
            n = macro.arglist.index(tok.value)
            return empty[n] and n != keep_comma

        value = list(macro.value)
        i = 0
        while i + 2 < len(value):  # `empty ## empty` is one placemarker
            if value[i + 1].type == self.t_DPOUND and placemarker(value[i]):
                if placemarker(value[i + 2]):
                    del value[i + 1 : i + 3]
                    continue
            i += 1
        if not any(
            placemarker(tok)
            and any(0 <= j < len(value) and value[j].type == self.t_DPOUND for j in (k - 1, k + 1))
            for k, tok in enumerate(value)
        ):
            return super().macro_expand_args(macro, args)
        marked = copy.copy(macro)
        marked.value = value
        self.macro_prescan(marked)
        marker = copy.copy(macro.value[0])
        marker.type, marker.value = _PLACEMARKER, ""
        substituted = [
            [marker] if empty[n] and n != keep_comma else arg for n, arg in enumerate(args)
        ]
        expanded = super().macro_expand_args(marked, substituted)
        return [tok for tok in expanded if tok.type != _PLACEMARKER]

    def stringized(self, macro: Any, args: list) -> Any:
        """A copy of `macro` whose `#` operands are already their arguments' string literals,
        as C99 6.10.3.2 spells them: the white space between tokens one space, and `\\` and
        `"` escaped only inside a string literal or a character constant (pcpp escaped every
        backslash, so `#x` of `a\\b` was "a\\\\b")."""
        done = copy.copy(macro)
        done.value = list(macro.value)
        for n, at in macro.str_patch:
            text: list[str] = []
            space = False
            for tok in args[n]:
                if tok.type in self.t_WS or tok.type in self.t_COMMENT:
                    space = bool(text)
                    continue
                value = tok.value
                if tok.type in (self.t_STRING, self.t_CHAR) or _LITERAL.match(value):
                    value = value.replace("\\", "\\\\").replace('"', '\\"')
                text += [" "] * space + [value]
                space = False
            made = copy.copy(macro.value[at])
            made.value = '"' + "".join(text) + '"'
            done.value[at] = made
        done.str_patch = []
        return done

    def trimmed(self, tokens: list) -> list:
        """`tokens` without the white space at either end."""
        start, end = 0, len(tokens)
        while start < end and tokens[start].type in self.t_WS:
            start += 1
        while end > start and tokens[end - 1].type in self.t_WS:
            end -= 1
        return tokens[start:end]

    def file_names(self, tokens: list, here: Callable[[object], bool]) -> list:
        """`tokens` with each `__FILE__` for which `here(tok)` holds as a string (new tokens:
        pcpp shares an argument's tokens with the operand of `#`)."""
        for i, tok in enumerate(tokens):
            if tok.value == "__FILE__" and tok.type == self.t_ID and here(tok):
                tokens[i] = copy.copy(tok)
                tokens[i].type = self.t_STRING
                tokens[i].value = _c_string(self.place(tok.source or self.file, tok.lineno)[0])
        return tokens

    def define(self, tokens: Token) -> None:
        """#define, refusing a name that is not an identifier."""
        if not isinstance(tokens, str):
            if not tokens or tokens[0].type != self.t_ID:
                what = tokens[0].value if tokens else "nothing"
                raise self.refuse(self.lastdirective, f"#define of '{what}': not a macro name")
            if tokens[0].value == "defined":
                raise self.refuse(self.lastdirective, "'defined' cannot be a macro name")
        super().define(tokens)
        if not isinstance(tokens, str):
            for tok in self.macros[tokens[0].value].value:
                tok.body = True

    def undef(self, tokens: Token) -> None:
        """#undef, refusing a name that is not an identifier."""
        if not isinstance(tokens, str) and (not tokens or tokens[0].type != self.t_ID):
            what = tokens[0].value if tokens else "nothing"
            raise self.refuse(self.lastdirective, f"#undef of '{what}': not a macro name")
        super().undef(tokens)

    # -- the output -----------------------------------------------------------------------
    def remember(self, source: str, text: str) -> str:
        """`text`, with where each of its lines starts noted (pcpp's tokens know only their
        offset in the text, as pcpp's lexer reads it: each line right-stripped)."""
        starts = [0]
        for line in text.split("\n")[:-1]:
            starts.append(starts[-1] + len(line.rstrip()) + 1)
        self.starts[source] = starts
        return text

    def lines(self) -> Iterator[tuple[str, int, str]]:
        """The output, line by line: the file and line of its first token, and its text (a
        token of the source on a later line than the first starts a line of its own)."""
        text: list[str] = []
        first, skipping = None, False
        last: str | None = None  # the token just written, when no space follows it
        last_expanded = False
        while (tok := self.token()) is not None:
            if getattr(tok, "deferred", None):
                tok.deferred()
                skipping = True  # the pragma's own line
            if tok.type in self.t_COMMENT or (skipping and "\n" not in tok.value):
                continue
            skipping = False
            if "\n" in tok.value:
                if first is not None:
                    yield self.line_of(first, text)
                text, first, last = [], None, None
                continue
            if tok.type not in self.t_WS:
                own = not getattr(tok, "expanded_from", None)
                if first is None or (
                    own and tok.source == first.source and tok.lineno > first.lineno
                ):
                    if first is not None:
                        yield self.line_of(first, text)
                    first = tok
                    text = [] if own else text
                if text and last is not None and (last_expanded or not own):
                    if _pastes(last, tok.value):  # (the source's own tokens are apart already)
                        text.append(" ")
                last, last_expanded = tok.value, not own
            else:
                last = None
            text.append(tok.value)
        if first is not None:
            yield self.line_of(first, text)

    def line_of(self, first: Token, text: list[str]) -> tuple[str, int, str]:
        """A line of the output that starts at `first`: its file and line, and its text, put
        at the token's column when the token is the source's own (not from a macro)."""
        file, line = self.place(first.source or self.file, first.lineno)
        starts = self.starts.get(first.source)
        pad = ""
        if not getattr(first, "expanded_from", None) and starts and first.lineno <= len(starts):
            pad = " " * max(first.lexpos - starts[first.lineno - 1], 0)
        return file, line, pad + "".join(text).rstrip()


def _pastes(left: str, right: str) -> bool:
    """Whether the tokens `left` and `right`, written together, could read as one token. A
    number never does: pcpp reads `1LL` as `1L` and `L`, which must stay together (no valid C
    puts a name or a number right after a number)."""
    if not left or not right or re.match(r"\.?\d", left):
        return False
    if right[0] in "'\"" and left in _PREFIXES:
        return True
    return bool(_PASTES.match(left[-1] + right[0]))


def _render(lines: Iterable[tuple[str, int, str]], file: str) -> str:
    """The lines with `# LINE "FILE"` markers wherever they do not follow on."""
    out: list[str] = []
    at_file, at_line = file, 1
    for where_file, line, text in lines:
        gap = line - at_line
        if where_file != at_file or not 0 <= gap <= _GAP:
            out.append(f"# {line} {_c_string(where_file)}")
            at_file = where_file
        else:
            out.extend([""] * gap)
        out.append(text)
        at_line = line + 1
    return "\n".join(out) + "\n"


def preprocess(text: str, file: str, bits: int = 32, options: CppOptions | None = None) -> str:
    """The source as pycparser reads it, with `# LINE "FILE"` markers where lines move."""
    cpp = _Cpp(file, bits, options or CppOptions())
    cpp.parse(cpp.remember(file, phases_1_to_3(text, file)), file)
    try:
        return _render(cpp.lines(), file)
    except (IndexError, AttributeError, TypeError) as err:  # a directive pcpp cannot read
        where = cpp.lastdirective
        if where is None:
            raise CError.at(file, 1, 1, f"cannot preprocess: {err}") from None
        raise cpp.refuse(where, f"malformed #{where.value}") from None


def location(source: str, line: int) -> tuple[str | None, int]:
    """The file and line (None: the main file) a line of `preprocess`'s output stands for."""
    lines = source.split("\n")
    file, number = None, line
    for i in range(min(line, len(lines)) - 1, -1, -1):
        m = re.match(r'# (\d+) "((?:[^"\\]|\\.)*)"$', lines[i])
        if m:
            file = re.sub(r"\\(.)", r"\1", m.group(2))
            number = int(m.group(1)) + line - i - 2
            break
    return file, number
