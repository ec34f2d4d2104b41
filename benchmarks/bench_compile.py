"""How long loopmlp takes to compile large C programs: a 500-case switch, a 1,000-long else-if
chain and a 2,000-line program of many small functions, each read as `loopmlp run` reads a C
file (compiled, assembled, its source map made), for the working tree and, with `--against
REV`, for that git revision, side by side in one run (each in a process of its own, best of
`--repeat`).

Usage: python benchmarks/bench_compile.py [--against REV] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_c_ops import checkout  # a revision's packages as an importable loopmlp


def switch_program(cases: int = 500) -> str:
    body = "\n".join(f"    case {i * 3}: s += {i % 7 + 1}; break;" for i in range(cases))
    return (
        "#include <stdio.h>\nint f(int x) {\n  int s = 0;\n  switch (x) {\n"
        f"{body}\n    default: s = -1;\n  }}\n  return s;\n}}\n"
        "int main(void) { int i, t = 0; for (i = 0; i < 40; i++) t += f(i);"
        ' printf("%d\\n", t); return 0; }\n'
    )


def else_if_program(links: int = 1000) -> str:
    chain = "\n".join(
        f"  {'if' if i == 0 else 'else if'} (x == {i}) s = {i * 7 % 13};" for i in range(links)
    )
    return (
        "#include <stdio.h>\nint f(int x) {\n  int s = 0;\n"
        f"{chain}\n  return s;\n}}\n"
        'int main(void) { printf("%d\\n", f(500) + f(3)); return 0; }\n'
    )


def many_functions_program(functions: int = 100) -> str:
    parts = ["#include <stdio.h>", "int g[64];"]
    for n in range(functions):
        lines = [f"int f{n}(int a, int b) {{", f"    int x = a + {n};", "    int y = b;"]
        for k in range(4):
            lines += [
                f"    if (x > {15 * k}) y = y + {3 * k}; else x = x - 1;",
                f"    x = x + y - {3 * k + 1};",
                f"    g[{(n + 3 * k + 2) % 64}] = x;",
            ]
        lines += ["    return x + y;", "}", ""]
        parts += lines
    calls = " ".join(f"t += f{n}(t & 7, {n});" for n in range(functions))
    parts.append(f'int main(void) {{ int t = 0; {calls} printf("%d\\n", t); return 0; }}')
    return "\n".join(parts) + "\n"


PROGRAMS = {
    "switch500.c": switch_program,
    "elseif1000.c": else_if_program,
    "lines2000.c": many_functions_program,
}


def worker() -> None:
    """In a child process: time reading each program (argv: folder, repeat)."""
    import time

    from loopmlp.compiler.program import read_program

    folder, repeat = Path(sys.argv[2]), int(sys.argv[3])
    results = {}
    for name in PROGRAMS:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            program = read_program(folder / name, 32)
            best = min(best, time.perf_counter() - start)
        results[name] = {"seconds": best, "words": len(program.image)}
    print(json.dumps(results))


def measure(where: Path, folder: Path, repeat: int) -> dict:
    """The timings of a worker that imports loopmlp from `where`."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", str(folder), str(repeat)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        cwd=where,
    )
    if done.returncode:
        sys.exit(f"bench_compile: the worker in {where} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", help="a git revision to time beside the working tree")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "programs"
        folder.mkdir()
        for name, make in PROGRAMS.items():
            (folder / name).write_text(make())
        columns = {}
        if args.against:
            where = checkout(args.against, Path(tmp) / "rev")
            columns[args.against] = measure(where, folder, args.repeat)
        columns["now"] = measure(checkout(None, Path(tmp) / "now"), folder, args.repeat)
    print(f"{'program':<14}{'lines':>7}" + "".join(f"{c[:12]:>14}{'words':>8}" for c in columns))
    for name, make in PROGRAMS.items():
        row = f"{name:<14}{make().count(chr(10)):>7}"
        for results in columns.values():
            row += f"{results[name]['seconds']:>13.2f}s{results[name]['words']:>8,}"
        if args.against:
            before, after = (columns[c][name]["seconds"] for c in (args.against, "now"))
            row += f"   {before / after:.1f}x faster"
        print(row)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker()
    else:
        main()
