"""One fuzz program built by gcc -std=c99 -fwrapv and by loopmlp at each space-time level,
compared byte for byte (and by exit status where loopmlp's run has one), and a reducer that
shrinks a program while a difference persists."""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loopmlp.compiler.cc import CompiledC, compile_c_levels
from loopmlp.compiler.cc.codeunit import LEVELS
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from tests.compiler.cc.cgen import GCC
from tests.compiler.cc.running import run_c

# Refusals of valid C that are known defects: a program refused with one of these is reported
# by its count, not as a failure of the generator.
KNOWN_REFUSALS = {
    r"unknown label '\w+'": "an address-taken parameter of a recursive function",
    r"duplicate label": "a generated name collides with a user name",
    # (not a wrong answer: at the level that spends memory for speed, a large program with the
    # fuzzer's 4,096-word stack can outgrow the 65,536 words a C program addresses at N = 32)
    r"more than the [\d,]+ words a C program can address": "a program larger than memory",
}
# Steps a run may take: a program whose long long values are printed in loops takes a few
# million (seed 710074: 4.0 million); a run past the limit counts as a difference.
MAX_STEPS = 20_000_000
# Words of stack: gcc's build has megabytes, and a recursive function's struct and array locals
# take many words a frame; the fuzzer compares what programs compute, not where memory ends.
STACK = 4096
# The generator's own check: gcc's build with the undefined-behaviour sanitizer stops at
# anything C leaves undefined (a left shift of a negative is defined under -fwrapv in gcc).
# A function that ends without a return is an error: the reducer may not delete the return.
GCC_FLAGS = ["-std=c99", "-fwrapv", "-O0", "-Werror=return-type"]
SANITIZE = ["-fsanitize=undefined", "-fno-sanitize=shift-base", "-fno-sanitize-recover=all"]


@functools.cache
def gcc_flags(workdir: Path) -> list[str]:
    """gcc's flags, with the sanitizer where gcc can link it."""
    src, exe = workdir / "probe.c", workdir / "probe"
    src.write_text("int main(void) { return 0; }\n")
    linked = subprocess.run(
        [GCC, *GCC_FLAGS, *SANITIZE, "-o", str(exe), str(src)], capture_output=True
    )
    return GCC_FLAGS + SANITIZE if linked.returncode == 0 else GCC_FLAGS


@dataclass(frozen=True)
class Run:
    """What one build of a program did: its output and exit status, or why it has none."""

    output: bytes = b""
    status: int | None = None  # None: loopmlp's runs have no exit status (yet)
    problem: str = ""  # a refusal, a fault, a step limit; "" when the run halted


class Invalid(Exception):
    """gcc's build did not compile, ran into undefined behaviour, or did not end."""


def gcc_run(source: str, workdir: Path) -> Run:
    """The output and exit status of gcc's build (Invalid when the program is not valid C)."""
    src, exe = workdir / "fuzz.c", workdir / "fuzz"
    src.write_text(source)
    built = subprocess.run(
        [GCC, *gcc_flags(workdir), "-o", str(exe), str(src)], capture_output=True
    )
    if built.returncode:
        raise Invalid("gcc: " + built.stderr.decode(errors="replace").strip()[:300])
    try:
        ran = subprocess.run([str(exe)], capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        raise Invalid("gcc's build ran for over 10 s") from None
    if ran.returncode < 0 or b"runtime error" in ran.stderr:
        raise Invalid(f"gcc's build: status {ran.returncode} {ran.stderr[:300]!r}")
    return Run(ran.stdout, ran.returncode)


def reference_run(program: CompiledC) -> Run:
    """What a compiled program does on the reference interpreter."""
    result = run_reference(Machine(32, program.words), program.image, MAX_STEPS)
    result.exit_address = program.exit_address
    problem = "" if result.end == "halt" else f"{result.end}: {result.reason}"
    return Run(result.output, result.exit_status, problem)


def loopmlp_run(source: str, level: int) -> Run:
    """The output of loopmlp's build at one level on the reference interpreter."""
    try:
        result = run_c(source, max_steps=MAX_STEPS, file="fuzz.c", level=level, stack=STACK)
    except LoopmlpError as e:
        return Run(problem=f"refused: {e}")
    status = getattr(result, "exit_status", None)
    problem = "" if result.end == "halt" else f"{result.end}: {result.reason}"
    return Run(result.output, status, problem)


def known_refusal(problem: str) -> str | None:
    """The known defect a refusal is, or None."""
    for pattern, what in KNOWN_REFUSALS.items():
        if problem.startswith("refused") and re.search(pattern, problem):
            return what
    return None


def differs(expected: Run, got: Run) -> str:
    """How loopmlp's run differs from gcc's ("" when it does not)."""
    if got.problem:
        return got.problem
    if got.output != expected.output:
        return "output"
    if got.status is not None and got.status != expected.status:
        return f"exit status {got.status}, gcc {expected.status}"
    return ""


@dataclass
class Mismatch:
    level: int
    kind: str  # what differs: "output", an exit status, a refusal, a fault
    expected: Run
    got: Run


def compare(source: str, workdir: Path, levels: list[int] | None = None) -> list[Mismatch]:
    """Each level at which loopmlp's build does not do what gcc's does (Invalid propagates).
    The levels are compiled together (one front end); a refusal sends each level on alone,
    so that each says for itself what it refuses."""
    expected = gcc_run(source, workdir)
    levels = list(range(len(LEVELS))) if levels is None else levels
    try:
        programs = compile_c_levels(source, levels, "fuzz.c", stack=STACK)
    except LoopmlpError:
        programs = {}
    found = []
    for level in levels:
        if level in programs:
            got = reference_run(programs[level])
        else:
            got = loopmlp_run(source, level)
        kind = differs(expected, got)
        if kind:
            found.append(Mismatch(level, kind, expected, got))
    return found


def same_kind(a: str, b: str) -> bool:
    """Two differences with one cause, as far as the reducer can tell."""
    return a.split(":")[0] == b.split(":")[0] and (
        not a.startswith("refused") or a.split(": ", 2)[-1] == b.split(": ", 2)[-1]
    )


def still_differs(workdir: Path, level: int, kind: str) -> Callable[[str], bool]:
    """The reducer's test: the candidate is valid C and differs at the level in the same way."""

    def test(source: str) -> bool:
        try:
            expected = gcc_run(source, workdir)
        except Invalid:
            return False
        got = differs(expected, loopmlp_run(source, level))
        return bool(got) and same_kind(got, kind)

    return test


def _block_end(lines: list[str], start: int) -> int:
    depth = 0
    for k in range(start, len(lines)):
        depth += lines[k].count("{") - lines[k].count("}")
        if depth <= 0:
            return k
    return start


def _groups(line: str) -> list[tuple[int, int]]:
    """The parenthesised spans of a line outside string literals, outermost first."""
    spans, stack, quoted, k = [], [], False, 0
    while k < len(line):
        c = line[k]
        if c == "\\" and quoted:
            k += 2
            continue
        if c == '"':
            quoted = not quoted
        elif not quoted and c == "(":
            stack.append(k)
        elif not quoted and c == ")" and stack:
            spans.append((stack.pop(), k + 1))
        k += 1
    return sorted(spans, key=lambda s: (s[0], -s[1]))


def reduce(source: str, test: Callable[[str], bool], budget: int = 600) -> str:
    """A smaller program for which test still holds: statements, blocks and functions
    deleted, parenthesised expressions replaced by 0 or 1, while test holds (at most
    `budget` tries)."""
    lines = source.splitlines()
    tries = 0

    def attempt(candidate: list[str]) -> bool:
        nonlocal tries
        tries += 1
        return tries <= budget and test("\n".join(candidate) + "\n")

    progress = True
    while progress and tries < budget:
        progress = False
        k = len(lines) - 1
        while k >= 1:  # deletions, from the bottom: main's last lines are the cheapest to keep
            end = _block_end(lines, k) if lines[k].rstrip().endswith("{") else k
            start = k - 1 if lines[k].strip() == "{" else k
            if k < len(lines) and attempt(lines[:start] + lines[end + 1 :]):
                lines, progress = lines[:start] + lines[end + 1 :], True
            k = min(k, len(lines)) - 1
        for k in range(len(lines)):  # expressions
            spans = _groups(lines[k])
            while spans and tries < budget:
                a, b = spans.pop(0)
                for value in ("0", "1"):
                    candidate = lines[k][:a] + value + lines[k][b:]
                    if candidate != lines[k] and attempt(lines[:k] + [candidate] + lines[k + 1 :]):
                        lines[k], progress = candidate, True
                        spans = [s for s in _groups(lines[k]) if s[0] > a]
                        break
    return "\n".join(lines) + "\n"
