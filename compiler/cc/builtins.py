"""The emitters of the built-in calls, compiled in place: putchar, getchar, puts, printf, exit,
sprintf, snprintf, abort, free, realloc, assert's __assert_fail, and the stream functions on
stdout and stdin (fprintf, fputs, fputc, putc, fgetc, getc, fflush, vprintf, vfprintf; another
stream is a fault at the call's line), each as its entry in library.LIBRARY names it.

putchar and getchar are one instruction each (the I/O port at -1). A printf whose format is
known when compiling (a literal, or `c ? "..." : "..."`) becomes its characters, one output
instruction each, and calls of the number printers (or of the library's `__pf` for a
conversion with flags, a width or a precision); any other format goes to the library's
run-time printf with the arguments in a block of cells. Every argument is computed before
anything is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from . import syntax as S
from .asm import IO, Z
from .formats import parse_format
from .gen import CodeGen
from .values import Val

NOT_IN_USE = "%s of a pointer that malloc did not return or that was freed"


def putchar(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    return put_byte(gen, gen.value(e.args[0]), dest, used)


def put_byte(gen: CodeGen, v: Val, dest: str | None, used: bool) -> Val:
    """v's byte written out; its value, the byte as an unsigned char (where it is used)."""
    gen.asm.ins(v.cell, IO)
    if not used:
        gen.release(v)
        return Val(Z)
    if v.const is not None:  # the value is the byte written, as an unsigned char
        return gen.deliver(gen.const(v.const & 255), dest)
    byte = gen.arith("&", v, gen.const(255), dest)
    if byte.cell != v.cell:
        gen.release(v)
    return byte


def getchar(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """The next input byte, or -1 at its end: one instruction, or in a program that calls
    scanf or ungetc the library's __getchar, which returns first a character given back."""
    functions = gen.program.unit.functions
    if "__getchar" in functions and gen.fn.name != "__getchar":
        return gen.call_function(functions["__getchar"], [], dest, used)
    out, is_temp = gen.target(dest)
    gen.asm.ins(IO, out)  # the byte, or -1 at the end of the input
    return gen.result(out, is_temp)


def puts(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """The string and a newline; the value glibc's puts returns, its length + 1."""
    (arg,) = e.args
    count: Val = Val(Z)
    if isinstance(arg, S.Str):
        text = arg.data.split(b"\0", 1)[0]
        gen.put_bytes(text)
        count = gen.const(len(text) + 1)
    else:
        v = gen.value(arg)
        gen.routine("rt_puts", [v], None, result=None)
        if used:  # rt_puts ends with minus the NUL's address in its cell `ns`
            out, is_temp = gen.target(dest)
            gen.asm.clear(out)
            gen.asm.sub(RT_PUTS_END, out)
            gen.asm.sub(v.cell, out)
            gen.asm.sub(gen.asm.const(-1), out)
            count = gen.result(out, is_temp)
        gen.release(v)
    gen.put_bytes(b"\n")
    return gen.deliver(count, dest) if used else Val(Z)


# <stdio.h>'s streams, `((FILE *)1)`, `((FILE *)2)` and `((FILE *)3)` there: the machine's one
# input and one output; stderr has nowhere to go
STDIN, STDOUT, STDERR = 1, 2, 3
RT_PUTS_END = "rt_puts_ns"  # (printing.puts_'s cell `ns`)
ONE_OUTPUT = "(the machine has one input and one output)"


def on_stream(gen: CodeGen, stream: Val, wanted: int, what: str) -> None:
    """A fault here unless `stream` is `wanted` (stdout or stdin): a stream that is neither has
    nowhere to be written or read, and stderr's text must not join stdout's."""
    name = "stdout" if wanted == STDOUT else "stdin"
    note = f"{what} on a stream other than {name} {ONE_OUTPUT}"
    if stream.const is not None:
        if stream.const != wanted:
            gen.asm.fault(note)
        return
    fine = gen.asm.fresh()
    gen.equal(stream, gen.const(wanted), fine, gen.cold(note))
    gen.asm.label(fine)


def stream_fault(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """A fault here: fprintf called through a pointer (libc/stdio.c) on another stream."""
    gen.asm.fault(f"fprintf on a stream other than stdout {ONE_OUTPUT}")
    return Val(Z)


def fputs(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """fputs(s, stdout): puts without the newline; glibc's fputs returns 1."""
    text, stream = e.args
    v = to_stdout(gen, e, text, stream)
    if isinstance(text, S.Str):
        gen.put_bytes(text.data.split(b"\0", 1)[0])
    else:
        gen.routine("rt_puts", [v], None, result=None)
    gen.release(v)
    return gen.deliver(gen.const(1), dest) if used else Val(Z)


def fputc(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """fputc(c, stdout) and putc(c, stdout): putchar(c)."""
    char, stream = e.args
    return put_byte(gen, to_stdout(gen, e, char, stream), dest, used)


def to_stdout(gen: CodeGen, e: S.Call, what: S.Expr, stream: S.Expr) -> Val:
    """What a call writes, computed, and a fault here unless its stream is stdout."""
    v = gen.hold(gen.value(what), stream)
    where = gen.value(stream)
    on_stream(gen, where, STDOUT, e.name)
    gen.release(where)
    return v


def fgetc(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """fgetc(stdin) and getc(stdin): getchar()."""
    where = gen.value(e.args[0])
    on_stream(gen, where, STDIN, e.name)
    gen.release(where)
    return getchar(gen, e, dest, used)


def stdin_only(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """The library's check that ungetc's or fgets's stream is stdin: a fault here if not."""
    where = gen.value(e.args[0])
    on_stream(gen, where, STDIN, "reading")
    gen.release(where)
    return Val(Z)


def fflush(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """fflush(stream): the output is written as it is made, so nothing is left to flush: 0."""
    gen.release(gen.value(e.args[0]))
    return gen.deliver(gen.const(0), dest) if used else Val(Z)


def vprintf(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """vprintf(format, ap) and vfprintf(stdout, format, ap): the library's run-time printf on
    the arguments ap points at (a va_list is the address of the next argument's word)."""
    if used:
        raise gen.program.error(e.loc, f"not supported: using the value {e.name} returns")
    vals = [gen.hold(gen.value(a), *e.args[i + 1 :]) for i, a in enumerate(e.args)]
    if e.name == "vfprintf":
        on_stream(gen, vals[0], STDOUT, e.name)
        gen.release(vals.pop(0))
    fn = gen.program.unit.functions["__printf"]
    gen.call_function(fn, [_cell(v, e.loc) for v in vals], None, False)
    gen.release(*vals)
    return Val(Z)


def exit_(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    gen.value(e.args[0], gen.rv("main"))  # the exit word (codeunit.EXIT_WORD), as main's return
    gen.asm.halt()
    return Val(Z)


def free(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """The library's __free, and a fault here when it was given a pointer not in use."""
    status = gen.call_function(gen.program.unit.functions["__free"], list(e.args), None, True)
    fine = gen.asm.fresh()
    gen.asm.if_le0(status.cell, fine)  # (1: not a pointer malloc returned, or freed already)
    gen.asm.jump(gen.cold(NOT_IN_USE % "free"))
    gen.asm.label(fine)
    gen.release(status)
    return Val(Z)


def realloc(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """The library's __realloc, and a fault here when it was given a pointer not in use."""
    fn = gen.program.unit.functions["__realloc"]
    block = gen.call_function(fn, list(e.args), dest, True)
    fine = gen.asm.fresh()
    gen.equal(block, gen.const(-1), gen.cold(NOT_IN_USE % "realloc"), fine)
    gen.asm.label(fine)
    return block


def abort(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """A fault here: gcc's build dies of SIGABRT, and the run ends naming this line."""
    gen.asm.fault("abort")
    return Val(Z)


def format_fault(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """A fault here: a format read at run time asks for a conversion the library's printf does
    not print (%f, %e, %n, %jd, ...), where glibc would print something else."""
    gen.asm.fault("a printf conversion that is not supported (floating point, %n, ...)")
    return Val(Z)


def scan_fault(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """A fault here: scanf's format asks for a conversion it does not store (%f, %p, %lld),
    its input holds a numeral that may be past 2^63, which glibc's saturates, or a ninth
    character is given back (glibc's buffer would grow)."""
    gen.asm.fault("not supported by scanf here (%f, %p, %lld, a numeral past 2^63, a 9th ungetc)")
    return Val(Z)


def assert_fail(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """<assert.h>'s failed assertion (its macro passes #e, __FILE__ and __LINE__): glibc's
    message, on the one output, then a fault here."""
    expr, file, line = e.args
    if not (isinstance(expr, S.Str) and isinstance(file, S.Str) and isinstance(line, S.Num)):
        raise gen.program.error(e.loc, "__assert_fail takes what assert passes it")
    program = PurePath(gen.program.unit.file).stem
    gen.put_bytes(
        b"%s: %s:%d: %s: Assertion `%s' failed.\n"
        % (program.encode(), file.data, line.value, gen.fn.name.encode(), expr.data)
    )
    gen.asm.fault("assertion failed")
    return Val(Z)


def routine_call(name: str) -> Callable[[CodeGen, S.Call, str | None, bool], Val]:
    """The emitter of a call of a printer: its argument to the routine `name`."""

    def emit(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
        args = [gen.value(a) for a in e.args]
        gen.routine(name, args, None, result=None)
        gen.release(*args)
        return Val(Z)

    return emit


ROUTINES = {
    "d": "rt_putd",
    "i": "rt_putd",
    "u": "rt_putu",
    "x": "rt_putx",
    "X": "rt_putX",
    "o": "rt_puto",
    "s": "rt_puts",
}


def printf(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """Every argument first, left to right as in every call, then the printing: a literal
    format (or `c ? "..." : "..."`) piece by piece, any other by the library's `__printf`."""
    if used:
        raise gen.program.error(e.loc, f"not supported: using the value {e.name} returns")
    streams = 1 if e.name == "fprintf" else 0  # fprintf's stream, checked once all are computed
    head, fmt, args = e.args[:streams], e.args[streams], e.args[streams + 1 :]
    literal = S.literal_format(fmt)
    exprs = [*head, *(args if literal else [fmt, *args])]
    later = [fmt] if literal else []  # the test of `c ? "..." : "..."` comes after them
    vals = [gen.hold(gen.value(a), *exprs[i + 1 :], *later) for i, a in enumerate(exprs)]
    if head:
        on_stream(gen, vals[0], STDOUT, e.name)
        gen.release(vals.pop(0))
    if literal:
        _print_format(gen, fmt, args, vals, e.loc)
        gen.release(*vals)
        return Val(Z)
    block = gen.program.printf_args.label
    for i, v in enumerate(vals[1:]):
        gen.deliver(v, f"{block}+{i}" if i else block)
    gen.program.printf_words = max(gen.program.printf_words, len(args), 1)
    fn = gen.program.unit.functions["__printf"]
    gen.call_function(
        fn, [_cell(vals[0], e.loc), S.AddrOf(gen.program.printf_args, loc=e.loc)], None, False
    )
    gen.release(vals[0])
    return Val(Z)


def sprintf(gen: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
    """sprintf(buf, format, ...) and snprintf(buf, size, format, ...): every argument first,
    then the library's __snprintf, which prints into buf as the run-time printf prints."""
    at = 2 if e.name == "snprintf" else 1
    vals = [gen.hold(gen.value(a), *e.args[i + 1 :]) for i, a in enumerate(e.args)]
    block = gen.program.printf_args.label
    for i, v in enumerate(vals[at + 1 :]):
        gen.deliver(v, f"{block}+{i}" if i else block)
    gen.program.printf_words = max(gen.program.printf_words, len(vals) - at - 1, 1)
    size = _cell(vals[1], e.loc) if at == 2 else S.Num(-1, loc=e.loc)  # (-1: no limit)
    args = [_cell(vals[0], e.loc), size, _cell(vals[at], e.loc)]
    args.append(S.AddrOf(gen.program.printf_args, loc=e.loc))
    count = gen.call_function(gen.program.unit.functions["__snprintf"], args, dest, used)
    gen.release(*vals[: at + 1])
    return count


def _print_format(
    gen: CodeGen, fmt: S.Expr, args: list[S.Expr], vals: list[Val], loc: S.Loc
) -> None:
    """Print a format known when compiling, with the arguments' values in `vals`."""
    if isinstance(fmt, S.Cond):  # two formats, one printed
        other, end = gen.asm.fresh(), gen.asm.fresh()
        gen.cond(fmt.test, None, other)
        _print_format(gen, fmt.then, args, vals, loc)
        gen.asm.jump(end)
        gen.asm.label(other)
        _print_format(gen, fmt.other, args, vals, loc)
        gen.asm.label(end)
        return
    assert isinstance(fmt, S.Str)
    n = 0
    for piece in parse_format(fmt.data):
        if isinstance(piece, bytes):
            gen.put_bytes(piece)
            continue
        taken, n = vals[n : n + piece.arguments], n + piece.arguments
        arg, v = args[n - 1], taken[-1]
        if not piece.plain:
            # __pf(conversion, flags, width (0: none), precision (-1: none), value)
            width, precision = piece.width, piece.precision
            width_arg = (
                _cell(taken[0], loc) if isinstance(width, str) else S.Num(width or 0, loc=loc)
            )
            precision_arg = (
                _cell(taken[-2], loc)
                if isinstance(precision, str)  # (STAR)
                else S.Num(-1 if precision is None else precision, loc=loc)
            )
            conv, flags = S.Num(ord(piece.conv), loc=loc), S.Num(piece.flags, loc=loc)
            fn = gen.program.unit.functions["__pf"]
            pf_args = [conv, flags, width_arg, precision_arg, _cell(v, loc)]
            gen.call_function(fn, pf_args, None, False)
        elif piece.conv == "c":
            gen.asm.ins(v.cell, IO)
        elif piece.conv == "s" and isinstance(arg, S.Str):
            gen.put_bytes(arg.data.split(b"\0", 1)[0])
        else:
            gen.routine(ROUTINES[piece.conv], [v], None, result=None)


def _cell(v: Val, loc: S.Loc) -> S.Expr:
    """A value already in a cell, as an expression that reads that cell."""
    return S.VarRef(S.Var(v.cell, S.INT, "local", None, loc, v.cell), loc=loc)
