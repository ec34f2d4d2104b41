"""C's integer operators on N-bit two's complement words, evaluated at compile time.

These are the semantics the generated code has at run time: arithmetic wraps (as with gcc's
-fwrapv), / and % truncate toward zero, >> of a negative is arithmetic. Where C leaves a
result undefined: x / 0 and x % 0 are not folded (the program faults when it runs them),
INT_MIN / -1 wraps to INT_MIN, and a shift by a negative count shifts by 0, by N or more
shifts every bit out (<< gives 0, >> gives 0 or -1). Unsigned operands are the same words;
the checker names the operators whose answer differs for them (`u/`, `u%`, `u>>`).
"""

from __future__ import annotations


def wrap(value: int, bits: int) -> int:
    """`value` as an N-bit two's complement word."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def fold_unary(op: str, value: int, bits: int) -> int:
    """`op value` for -, ~, ! and unary +."""
    if op == "-":
        return wrap(-value, bits)
    if op == "~":
        return wrap(~value, bits)
    if op == "!":
        return int(value == 0)
    return wrap(value, bits)  # unary +


def fold_binary(op: str, a: int, b: int, bits: int) -> int | None:
    """`a op b`, or None where the answer is a run-time fault (division by zero). `u/`, `u%`
    and `u>>` read their words unsigned (`>>` then shifts zeros in)."""
    if op in ("u/", "u%", "u>>"):
        ua, ub = a % (1 << bits), b % (1 << bits)
        if op == "u>>":
            return wrap(ua >> min(max(b, 0), bits), bits)
        if ub == 0:
            return None
        return wrap(ua // ub if op == "u/" else ua % ub, bits)
    if op in ("/", "%"):
        if b == 0:
            return None
        q = abs(a) // abs(b)
        q = q if (a < 0) == (b < 0) else -q
        return wrap(q if op == "/" else a - q * b, bits)
    if op in ("<<", ">>"):
        count = max(b, 0)
        if op == "<<":
            return wrap(a << min(count, bits), bits)
        return a >> min(count, bits - 1)
    results = {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "&": lambda: a & b,
        "|": lambda: a | b,
        "^": lambda: a ^ b,
        "<": lambda: int(a < b),
        "<=": lambda: int(a <= b),
        ">": lambda: int(a > b),
        ">=": lambda: int(a >= b),
        "==": lambda: int(a == b),
        "!=": lambda: int(a != b),
        "&&": lambda: int(bool(a) and bool(b)),
        "||": lambda: int(bool(a) or bool(b)),
    }
    return wrap(results[op](), bits)
