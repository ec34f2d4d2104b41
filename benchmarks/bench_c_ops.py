"""Steps per C operation on the reference interpreter, and the C examples' steps and sizes,
for the working tree and (with --against REV) another revision, side by side in one run.

Each operation is summed over 64 operand pairs in a loop (`s += A[i] op B[i]`), and the same
loop with `+` in its place is subtracted (printf: the loop `s += A[i]`): what remains, over 64,
is the operation's cost. Shift counts are drawn from 0..31 (0..4, 5..15, 16..31 with small,
medium and full operands). The
default operands mix sizes and signs (a third of the words below 1,000 in magnitude, a third
below 2^16, a third full 32-bit; pair i takes its two from the classes i mod 3 and i / 3 mod 3).
`--sizes` adds a table per class of operand (small, medium, full, negative, positive, edge
values), where no operation should cost more than in the revision compared against.

Every program is compiled at the fastest space-time level (so every loop reads its arrays the
same way) and its sum is checked against C's semantics computed here; the examples are
compiled as `loopmlp` compiles them (the level with the smallest memory).

`--pairs` (with --against) costs each operation, printf's too, on each of a set of edge pairs
(0, +-1, INT_MIN, INT_MAX, powers of two, against each other and small and large words) and
lists those that cost more than in the revision compared against.

`--program FILE` (repeatable) adds C programs to the examples' table, compiled and run as they
are (c-testsuite's 00041, a sieve by trial division, is `t*t <= n` and `n % t` in a loop).

Usage: python benchmarks/bench_c_ops.py [--against REV] [--sizes] [--pairs] [--no-examples]
       [--seed S] [--program FILE ...]
The revision is taken from git (`git archive`) into a temporary folder and run there, in a
process of its own, as is the working tree.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ir", "compiler", "runtime")
BITS = 32
PAIRS = 64
SEED_VALUE = 0x5EED1234  # s starts here, so its cell is found in the image and read at the end
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
EXAMPLE_INPUTS = {"reverse.c": b"hello, world", "calc.c": b"(1+2)*(3+4)*(5+6)"}

# (name, loop body, the body subtracted): A, B and K hold the operands and the shift counts.
OPS = [
    ("a+b", "s += A[i] + B[i];", None),
    ("a-b", "s += A[i] - B[i];", "+"),
    ("a*b", "s += A[i] * B[i];", "+"),
    ("a/b", "s += A[i] / B[i];", "+"),
    ("a%b", "s += A[i] % B[i];", "+"),
    ("a>>k", "s += A[i] >> K[i];", "+"),
    ("a&b", "s += A[i] & B[i];", "+"),
    ("a|b", "s += A[i] | B[i];", "+"),
    ("a^b", "s += A[i] ^ B[i];", "+"),
    ("a<<k", "s += A[i] << K[i];", "+"),
    ("a*10", "s += A[i] * 10;", "+"),
    ("a/10", "s += A[i] / 10;", "+"),
    ("a%16", "s += A[i] % 16;", "+"),
    ("a>>5", "s += A[i] >> 5;", "+"),
    ("x/8", "s += A[i] / 8;", "+"),
    ("x%10", "s += A[i] % 10;", "+"),
    ("x&255", "s += A[i] & 255;", "+"),
    ("x&0xF0", "s += A[i] & 0xF0;", "+"),
    ("x<<3", "s += A[i] << 3;", "+"),
    ("u/v", "s += (unsigned)A[i] / (unsigned)B[i];", "+"),
    ("u%v", "s += (unsigned)A[i] % (unsigned)B[i];", "+"),
    ("u>>k", "s += (unsigned)A[i] >> K[i];", "+"),
    ("u/8", "s += (unsigned)A[i] / 8;", "+"),
    ("u%16", "s += (unsigned)A[i] % 16;", "+"),
    ("a<b", "s += A[i] < B[i];", "+"),
    ("a<100", "s += A[i] < 100;", "+"),
    ("printf %d", 'printf("%d", A[i]);', "a"),
    ("printf %x", 'printf("%x", A[i]);', "a"),
    ("printf %u", 'printf("%u", A[i]);', "a"),
    ("call", "s += add(A[i], B[i]);", "+"),
    ("recursive call", "s += rec(4);", "rec0"),
]
BASELINES = {
    "+": "s += A[i] + B[i];",
    "a": "s += A[i];",
    "rec0": "s += rec(0);",
}
PER_CALL = {"recursive call": 4}  # the loop body makes this many calls
TABLE_OPS = ["a*b", "a/b", "a%b", "a>>k", "a&b", "a|b", "a^b", "a<<k", "a*10", "a/10", "a%16"]
TABLE_OPS.append("a>>5")
Wanted = list[tuple[int | None, bytes]]  # the sum s ends with (None: unused), the output
PRINTF_OPS = ["printf %d", "printf %x", "printf %u"]


# -- operands -----------------------------------------------------------------------------
def word(rng: random.Random, size: str) -> int:
    """A word of one size class, of either sign."""
    lo, hi = {"small": (0, 999), "medium": (1000, 65535), "full": (65536, INT_MAX)}[size]
    v = rng.randint(lo, hi)
    return -v if rng.random() < 0.5 else v


def operands(kind: str, seed: int) -> tuple[list[int], list[int], list[int]]:
    """A, B (no zero: B divides) and the shift counts K for one class of operands."""
    rng = random.Random(f"{seed}-{kind}")
    sizes = ["small", "medium", "full"]
    a, b = [], []
    for i in range(PAIRS):
        if kind == "mixed":
            x, y = word(rng, sizes[i % 3]), word(rng, sizes[i // 3 % 3])
        elif kind in sizes:
            x, y = word(rng, kind), word(rng, kind)
        elif kind in ("negative", "positive"):
            x, y = (abs(word(rng, sizes[rng.randrange(3)])) for _ in "xy")
            x, y = (x, y) if kind == "positive" else (-x, -y)
        else:  # edge values against edge values and words of every size
            edges = [0, 1, -1, 2, -2, INT_MIN, INT_MAX, INT_MIN + 1, INT_MAX - 1, 1 << 30]
            x = rng.choice(edges)
            y = rng.choice(edges) if rng.random() < 0.5 else word(rng, rng.choice(sizes))
            if rng.random() < 0.5:
                x, y = y, x
        a.append(x)
        b.append(y or 1)
    counts = {"small": (0, 4), "medium": (5, 15), "full": (16, BITS - 1)}.get(kind, (0, BITS - 1))
    shifts = [rng.randint(*counts) for _ in range(PAIRS)]
    if kind == "edge":
        shifts = [rng.choice([0, 1, BITS - 2, BITS - 1]) for _ in range(PAIRS)]
    return a, b, shifts


def wrap(v: int) -> int:
    v &= (1 << BITS) - 1
    return v - (1 << BITS) if v >> (BITS - 1) else v


def c_value(expr: str, a: int, b: int, k: int) -> int:
    """C's value (gcc -fwrapv, 32 bits) of a loop body's expression for one pair."""

    def div(x: int, y: int) -> tuple[int, int]:
        q = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)
        return wrap(q), wrap(x - q * y)

    return {
        "A[i] + B[i]": lambda: a + b,
        "A[i] - B[i]": lambda: a - b,
        "A[i] * B[i]": lambda: a * b,
        "A[i] / B[i]": lambda: div(a, b)[0],
        "A[i] % B[i]": lambda: div(a, b)[1],
        "A[i] >> K[i]": lambda: a >> k,
        "A[i] & B[i]": lambda: a & b,
        "A[i] | B[i]": lambda: a | b,
        "A[i] ^ B[i]": lambda: a ^ b,
        "A[i] << K[i]": lambda: a << k,
        "A[i] * 10": lambda: a * 10,
        "A[i] / 10": lambda: div(a, 10)[0],
        "A[i] % 16": lambda: div(a, 16)[1],
        "A[i] >> 5": lambda: a >> 5,
        "A[i] / 8": lambda: div(a, 8)[0],
        "A[i] % 10": lambda: div(a, 10)[1],
        "A[i] & 255": lambda: a & 255,
        "A[i] & 0xF0": lambda: a & 0xF0,
        "A[i] << 3": lambda: a << 3,
        "(unsigned)A[i] / (unsigned)B[i]": lambda: (a % 2**BITS) // (b % 2**BITS),
        "(unsigned)A[i] % (unsigned)B[i]": lambda: (a % 2**BITS) % (b % 2**BITS),
        "(unsigned)A[i] >> K[i]": lambda: (a % 2**BITS) >> k,
        "(unsigned)A[i] / 8": lambda: (a % 2**BITS) // 8,
        "(unsigned)A[i] % 16": lambda: (a % 2**BITS) % 16,
        "A[i] < B[i]": lambda: int(a < b),
        "A[i] < 100": lambda: int(a < 100),
        "add(A[i], B[i])": lambda: a + b,
        "A[i]": lambda: a,
        "rec(4)": lambda: 4,
        "rec(0)": lambda: 0,
    }[expr]()


def expected(body: str, a: list[int], b: list[int], k: list[int]) -> tuple[int | None, bytes]:
    """The sum s ends with, and what the loop prints."""
    if body.startswith("printf"):
        conv = body.split('"')[1]
        fmt = {"%d": lambda v: str(v), "%x": lambda v: f"{v & 0xFFFFFFFF:x}"}
        fmt["%u"] = lambda v: str(v & 0xFFFFFFFF)
        return None, "".join(fmt[conv](v) for v in a).encode()  # s unused (and dropped)
    expr = body.removeprefix("s += ").removesuffix(";")
    total = SEED_VALUE + sum(c_value(expr, x, y, n) for x, y, n in zip(a, b, k, strict=True))
    return wrap(total), b""


def c_array(name: str, values: list[int]) -> str:
    words = ", ".join(str(v) if v != INT_MIN else "-2147483647 - 1" for v in values)
    return f"int {name}[{len(values)}] = {{{words}}};"


def program(body: str, a: list[int], b: list[int], k: list[int]) -> str:
    return "\n".join(
        [
            "#include <stdio.h>",
            c_array("A", a),
            c_array("B", b),
            c_array("K", k),
            f"int s = {SEED_VALUE};",
            "int add(int x, int y) { return x + y; }",
            "int rec(int n) { if (n == 0) return 0; return rec(n - 1) + 1; }",
            "int main(void)",
            "{",
            "    int i;",
            f"    for (i = 0; i < {PAIRS}; i++) {body}",
            "    return 0;",
            "}",
            "",
        ]
    )


# -- running a revision ---------------------------------------------------------------------
def worker() -> None:
    """Compile and run the jobs on stdin (JSON) with the `loopmlp` importable here."""
    from loopmlp.compiler.cc import compile_c
    from loopmlp.ir.machine import Machine
    from loopmlp.runtime.reference import run_reference

    results = []
    for job in json.loads(sys.stdin.read()):
        start = time.perf_counter()
        compiled = compile_c(job["source"], job["name"], BITS, level=job["level"])
        compile_s = time.perf_counter() - start
        image = compiled.image
        start = time.perf_counter()
        run = run_reference(
            Machine(BITS, compiled.words), image, 10**9, job["stdin"].encode("latin-1")
        )
        ref_s = time.perf_counter() - start
        seeds = [i for i, v in enumerate(image) if v == SEED_VALUE]
        results.append(
            {
                "words": len(image),
                "K": compiled.words,
                "steps": run.steps,
                "end": run.end,
                "output": run.output.decode("latin-1"),
                "s": wrap(run.memory[seeds[0]]) if len(seeds) == 1 else None,
                "compile_s": compile_s,
                "ref_s": ref_s,
            }
        )
    json.dump(results, sys.stdout)


def checkout(rev: str | None, into: Path) -> Path:
    """A folder holding the revision's `loopmlp` package (None: the working tree's)."""
    package = into / "loopmlp"
    package.mkdir(parents=True)
    if rev is None:
        for name in PACKAGES:
            (package / name).symlink_to(ROOT / name)
    else:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, *PACKAGES], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    return into


def run_jobs(where: Path, jobs: list[dict]) -> list[dict]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker"],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        cwd=where,
    )
    if done.returncode:
        sys.exit(f"bench_c_ops: the worker in {where} failed:\n{done.stderr}")
    return json.loads(done.stdout)


# -- the tables -----------------------------------------------------------------------------
def op_jobs(kind: str, seed: int) -> tuple[list[dict], Wanted]:
    a, b, k = operands(kind, seed)
    bodies = [body for _, body, _ in OPS] + list(BASELINES.values())
    jobs = [
        {"name": "ops.c", "source": program(body, a, b, k), "stdin": "", "level": 0}
        for body in bodies
    ]
    return jobs, [expected(body, a, b, k) for body in bodies]


def op_costs(results: list[dict], wanted: Wanted, label: str) -> dict[str, float]:
    """Steps per operation, after checking every sum and output."""
    bodies = [body for _, body, _ in OPS] + list(BASELINES.values())
    for body, result, (s, output) in zip(bodies, results, wanted, strict=True):
        got = (result["end"], result["s"], result["output"].encode("latin-1"))
        if got != ("halt", s, output):
            sys.exit(f"bench_c_ops: {label}: `{body}` gave {got}, C gives {('halt', s, output)}")
    steps = dict(zip(bodies, (r["steps"] for r in results), strict=True))
    costs = {}
    for name, body, base in OPS:
        minus = steps[BASELINES[base]] if base else 0
        costs[name] = (steps[body] - minus) / PAIRS / PER_CALL.get(name, 1)
    return costs


EDGE_PAIRS = [
    (0, 5), (5, 0), (0, 0), (1, 1), (-1, 1), (1, -1), (-1, -1), (INT_MIN, 1), (INT_MIN, -1),
    (INT_MIN, INT_MIN), (INT_MAX, 1), (INT_MAX, INT_MAX), (3, 1000000), (1000000, 3), (-7, 3),
    (12345, -77), (1 << 30, 3), (-(1 << 30), 7), (255, 256), (2, INT_MIN), (INT_MIN, 2),
    (-2, INT_MAX), (65535, 65535), (100, 7),
]  # fmt: skip
PAIR_OPS = [op for op in OPS if op[2] in ("+", "a")]
PAIR_BASES = list(BASELINES)[:2]  # the loops with `+` and with `s += A[i]`, after the ops


def pair_jobs() -> list[dict]:
    """For each edge pair, each operation on 64 copies of it, then the loops subtracted."""
    jobs = []
    for a, b in EDGE_PAIRS:
        k = [min(abs(b), BITS - 1)] * PAIRS
        for body in [body for _, body, _ in PAIR_OPS] + [BASELINES[key] for key in PAIR_BASES]:
            source = program(body, [a] * PAIRS, [b or 1] * PAIRS, k)
            jobs.append({"name": "pair.c", "source": source, "stdin": "", "level": 0})
    return jobs


def show_pairs(results: dict[str, list[dict]]) -> None:
    """The pairs on which an operation costs more now than in the revision compared against."""
    before, now = next(iter(results.values())), results["now"]
    n, worse = len(PAIR_OPS) + len(PAIR_BASES), 0
    print("\nedge pairs that cost more than before (steps per operation)")
    for i, (a, b) in enumerate(EDGE_PAIRS):
        base = slice(i * n, (i + 1) * n)
        old, new = before[base], now[base]
        for j, (name, _, baseline) in enumerate(PAIR_OPS):
            k = len(PAIR_OPS) + PAIR_BASES.index(baseline)
            was = (old[j]["steps"] - old[k]["steps"]) / PAIRS
            is_ = (new[j]["steps"] - new[k]["steps"]) / PAIRS
            if is_ > was + 0.01:
                worse += 1
                print(f"  {name:<8} a={a} b={b}: {was:.1f} -> {is_:.1f}")
    print(f"  {worse} of {len(EDGE_PAIRS) * len(PAIR_OPS)}")


def example_jobs(more: list[Path]) -> list[dict]:
    return [
        {
            "name": p.name,
            "source": p.read_text(),
            "stdin": EXAMPLE_INPUTS.get(p.name, b"").decode("latin-1"),
            "level": None,
        }
        for p in sorted((ROOT / "examples").glob("*.c")) + more
    ]


def show_costs(columns: dict[str, dict[str, float]], title: str) -> list[str]:
    """Table lines; with two columns a ratio, and `WORSE` where the second costs more."""
    names = list(columns)
    print(f"\n{title}")
    ratio = "   after/before" if len(names) > 1 else ""
    print(f"{'op':<16}" + "".join(f"{n:>12}" for n in names) + ratio)
    worse = []
    for op, _, _ in OPS:
        values = [columns[n][op] for n in names]
        line = f"{op:<16}" + "".join(f"{v:>12.1f}" for v in values)
        if len(values) == 2:
            before, after = values
            line += f"{after / before:>15.2f}" if before > 0 else f"{'':>15}"
            if after > before + 0.05:
                line += "  WORSE"
                worse.append(op)
        print(line)
    for group, ops in (("the 12 ops of the table", TABLE_OPS), ("printf %d %x %u", PRINTF_OPS)):
        totals = [sum(columns[n][op] for op in ops) for n in names]
        print(f"{'sum: ' + group:<40}" + "".join(f"{t:>12.0f}" for t in totals))
    return worse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", metavar="REV", help="a git revision to compare with")
    parser.add_argument("--sizes", action="store_true", help="a table per class of operands")
    parser.add_argument("--pairs", action="store_true", help="edge pairs, one by one")
    parser.add_argument("--no-examples", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--program", type=Path, action="append", default=[], metavar="FILE")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    kinds = ["mixed"] + (["small", "medium", "full", "negative", "positive", "edge"] * args.sizes)
    with tempfile.TemporaryDirectory() as tmp:
        revisions = {"now": checkout(None, Path(tmp) / "now")}
        if args.against:
            revisions = {args.against: checkout(args.against, Path(tmp) / "rev"), **revisions}
        jobs, wanted = [], []
        for kind in kinds:
            more, sums = op_jobs(kind, args.seed)
            jobs += more
            wanted += sums
        examples = [] if args.no_examples else example_jobs(args.program)
        pairs = pair_jobs() if args.pairs and args.against else []
        results = {}
        for label, where in revisions.items():
            results[label] = run_jobs(where, jobs + examples + pairs)
    each = len(OPS) + len(BASELINES)
    worse = []
    for n, kind in enumerate(kinds):
        part = slice(n * each, (n + 1) * each)
        columns = {name: op_costs(res[part], wanted[part], name) for name, res in results.items()}
        worse += [f"{op} ({kind})" for op in show_costs(columns, f"steps per operation: {kind}")]
    if examples:
        print("\nexamples (as compiled by default; reference interpreter)")
        head = "".join(f"{'words':>8}{'K':>7}{'steps':>12}{'ref ms':>9}" for _ in results)
        print(f"{'':<14}" + "".join(f"{label:>36}" for label in results))
        print(f"{'program':<14}{head}")
        for i, job in enumerate(examples):
            line = f"{job['name']:<14}"
            outputs = set()
            for res in results.values():
                r = res[len(jobs) + i]
                line += f"{r['words']:>8,}{r['K']:>7,}{r['steps']:>12,}{r['ref_s'] * 1000:>9.1f}"
                outputs.add(r["output"])
            print(line + ("" if len(outputs) == 1 else "  OUTPUTS DIFFER"))
    if pairs:
        show_pairs({label: res[len(jobs) + len(examples) :] for label, res in results.items()})
    for label, res in results.items():
        compile_s = sum(r["compile_s"] for r in res)
        ref_s = sum(r["ref_s"] for r in res)
        print(f"{label}: {len(res)} programs compiled in {compile_s:.1f} s, run in {ref_s:.1f} s")
    if worse:
        print("costs more than before: " + ", ".join(worse))


if __name__ == "__main__":
    main()
