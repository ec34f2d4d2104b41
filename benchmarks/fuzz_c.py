"""Random C programs (tests/compiler/cc/cfuzz.py) built by loopmlp at each space-time level and
by gcc -std=c99 -fwrapv, compared: each difference is printed with a reduced reproducer, then
a summary line (programs, differences by level, known refusals, time).

Usage: python benchmarks/fuzz_c.py --seeds 0-999 [--levels 0,2 | --rotate] [--jobs J]
       [--exit-value] [--no SHAPE ...] [--no-reduce]
--rotate checks each program at one level, seed modulo the number of levels (five times as
many programs in the same time, each level taking every fifth).
SHAPE is a field of cfuzz.Shapes (calls_in_conditions, arg_side_effects, comma_calls,
printf_side_effects, nested_runtime_printf, address_params, calls_in_comparisons, records,
unsigned, pointers, heap, wide, narrow): --no turns it off.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from loopmlp.compiler.cc.codeunit import LEVELS  # noqa: E402
from tests.compiler.cc.cfuzz import Shapes, program  # noqa: E402
from tests.compiler.cc.fuzzcheck import (  # noqa: E402
    Invalid,
    compare,
    known_refusal,
    reduce,
    still_differs,
)


def check(seed: int, shapes: Shapes, levels: list[int], minimize: bool) -> tuple[int, list, str]:
    """(seed, [(level, kind, known)], report text) for one program."""
    source = program(seed, shapes)
    with tempfile.TemporaryDirectory() as d:
        workdir = Path(d)
        try:
            found = compare(source, workdir, levels)
        except Invalid as e:
            return seed, [(-1, "invalid", None)], f"seed {seed}: not valid C ({e})\n{source}"
        rows = [(m.level, m.kind, known_refusal(m.got.problem)) for m in found]
        unknown = [m for m in found if not known_refusal(m.got.problem)]
        if not unknown:
            return seed, rows, ""
        first = unknown[0]
        small = source
        if minimize:
            small = reduce(source, still_differs(workdir, first.level, first.kind))
        expected = compare_one(small, workdir, first.level)
        levels_text = ",".join(str(m.level) for m in unknown)
        text = (
            f"seed {seed}: differs at levels {levels_text} ({first.kind})\n{small}"
            f"gcc:     {expected[0]!r} status {expected[1]}\n"
            f"loopmlp: {expected[2]!r} {expected[3]}\n"
        )
        return seed, rows, text


def compare_one(source: str, workdir: Path, level: int) -> tuple:
    from tests.compiler.cc.fuzzcheck import gcc_run, loopmlp_run

    try:
        want = gcc_run(source, workdir)
    except Invalid as e:
        return (b"", str(e), b"", "")
    got = loopmlp_run(source, level)
    return (want.output, want.status, got.output, got.problem or f"status {got.status}")


def seeds(text: str) -> range:
    lo, _, hi = text.partition("-")
    return range(int(lo), int(hi or lo) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seeds, default=seeds("0-99"), help="A-B, inclusive")
    parser.add_argument("--levels", default=",".join(str(k) for k in range(len(LEVELS))))
    parser.add_argument("--rotate", action="store_true", help="one level per program, in turn")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--exit-value", action="store_true", help="main returns a value & 255")
    names = [f.name for f in fields(Shapes) if f.name != "exit_value"]
    parser.add_argument("--no", nargs="*", default=[], choices=names, metavar="SHAPE")
    parser.add_argument("--no-reduce", action="store_true")
    args = parser.parse_args()
    shapes = replace(Shapes(exit_value=args.exit_value), **{n: False for n in args.no})
    levels = [int(x) for x in args.levels.split(",")]
    start = time.time()
    by_level: Counter = Counter()
    known: Counter = Counter()
    bad = invalid = done = 0
    with ProcessPoolExecutor(args.jobs) as pool:
        jobs = [
            (s, shapes, [s % len(LEVELS)] if args.rotate else levels, not args.no_reduce)
            for s in args.seeds
        ]
        for seed, rows, text in pool.map(check, *zip(*jobs, strict=True), chunksize=4):
            invalid += any(kind == "invalid" for _, kind, _ in rows)
            for level, _, what in rows:
                if what:
                    known[what] += 1
                elif level >= 0:
                    by_level[level] += 1
            bad += bool(text) and not text.startswith(f"seed {seed}: not valid")
            if text:
                print(text, flush=True)
            done += 1
            if done % 100 == 0:
                print(f"... {done} programs, {bad} differ, {time.time() - start:.0f} s", flush=True)
    checked = Counter(s % len(LEVELS) for s in args.seeds) if args.rotate else None
    levels_text = " ".join(
        f"L{k}:{by_level[k]}" + (f" of {checked[k]}" if checked else "")
        for k in (range(len(LEVELS)) if args.rotate else levels)
    )
    known_text = "; ".join(f"{what}: {n}" for what, n in known.items()) or "none"
    print(
        f"{len(args.seeds)} programs, {bad} differ from gcc (by level {levels_text}), "
        f"{invalid} not valid C, known refusals: {known_text}, {time.time() - start:.0f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
