"""The built-in library's calls, compiled in place: putchar, getchar, puts, printf, exit.

putchar and getchar are one instruction each (the I/O port at -1). A printf whose format is
known when compiling (a literal, or `c ? "..." : "..."`) becomes its characters, one output
instruction each, and calls of the number printers; any other format goes to the library's
run-time printf with the arguments in a block of cells.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import syntax as S
from .asm import IO, Z
from .check_expr import literal_format
from .values import Val

if TYPE_CHECKING:
    from .codegen import FunctionGen


def _putchar(gen: FunctionGen, e: S.Call, dest: str | None, used: bool) -> Val:
    v = gen.value(e.args[0])
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


def _getchar(gen: FunctionGen, e: S.Call, dest: str | None, used: bool) -> Val:
    out, is_temp = gen.target(dest)
    gen.asm.ins(IO, out)  # the byte, or -1 at the end of the input
    return gen.result(out, is_temp)


def _puts(gen: FunctionGen, e: S.Call, dest: str | None, used: bool) -> Val:
    (arg,) = e.args
    if isinstance(arg, S.Str):
        gen.put_bytes(arg.data)
    else:
        v = gen.value(arg)
        gen.routine("rt_puts", [v], None, result=None)
        gen.release(v)
    gen.put_bytes(b"\n")
    return gen.deliver(gen.const(0), dest) if used else Val(Z)


def _exit(gen: FunctionGen, e: S.Call, dest: str | None, used: bool) -> Val:
    gen.value(e.args[0], gen.rv("main"))  # the exit word (codegen.EXIT_WORD), as main's return
    gen.asm.halt()
    return Val(Z)


def _routine(name: str):
    def emit(gen: FunctionGen, e: S.Call, dest: str | None, used: bool) -> Val:
        args = [gen.value(a) for a in e.args]
        gen.routine(name, args, None, result=None)
        gen.release(*args)
        return Val(Z)

    return emit


CONVERSIONS = {"d": "rt_putd", "i": "rt_putd", "u": "rt_putu", "x": "rt_putx"}


def _printf(gen: FunctionGen, e: S.Call, dest: str | None, used: bool) -> Val:
    if used:
        raise gen.program.error(e.loc, "not supported: using the value printf returns")
    fmt, args = e.args[0], e.args[1:]
    if isinstance(fmt, S.Cond) and literal_format(fmt):  # c ? "..." : "...": two printfs
        other, end = gen.asm.fresh(), gen.asm.fresh()
        gen.cond(fmt.test, None, other)
        _printf(gen, S.Call("printf", [fmt.then, *args], loc=e.loc), None, False)
        gen.asm.jump(end)
        gen.asm.label(other)
        _printf(gen, S.Call("printf", [fmt.other, *args], loc=e.loc), None, False)
        gen.asm.label(end)
        return Val(Z)
    if not isinstance(fmt, S.Str):
        for i, arg in enumerate(args):
            gen.value(
                arg, f"{gen.program.printf_args.label}+{i}" if i else gen.program.printf_args.label
            )
        gen.program.printf_used = True
        fn = gen.program.unit.functions["__printf"]
        gen.call_function(fn, [fmt, S.AddrOf(gen.program.printf_args, loc=e.loc)], None, False)
        return Val(Z)
    data, i, n = fmt.data, 0, 0  # the checker allowed only %d %i %u %x %c %s %%, one argument each
    text = bytearray()
    while i < len(data):
        if data[i] != ord("%") or data[i + 1] == ord("%"):
            text.append(data[i])
            i += 2 if data[i] == ord("%") else 1
            continue
        conv, arg = chr(data[i + 1]), args[n]
        gen.put_bytes(bytes(text))
        text.clear()
        if conv == "c":
            _putchar(gen, S.Call("putchar", [arg], loc=e.loc), None, False)
        elif conv == "s" and isinstance(arg, S.Str):
            gen.put_bytes(arg.data)
        else:
            v = gen.value(arg)
            gen.routine("rt_puts" if conv == "s" else CONVERSIONS[conv], [v], None, result=None)
            gen.release(v)
        n += 1
        i += 2
    gen.put_bytes(bytes(text))
    return Val(Z)


BUILTIN_CALLS: dict[str, Callable[[FunctionGen, S.Call, str | None, bool], Val]] = {
    "putchar": _putchar,
    "getchar": _getchar,
    "puts": _puts,
    "printf": _printf,
    "exit": _exit,
    "__putd": _routine("rt_putd"),
    "__putu": _routine("rt_putu"),
    "__putx": _routine("rt_putx"),
    "__puts": _routine("rt_puts"),
}
