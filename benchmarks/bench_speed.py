"""This version's network speed against an earlier commit's, side by side in one run.

Usage: python benchmarks/bench_speed.py [--baseline REV] [--repeat R] [--threads T] [--eforth]

The baseline is a clean `git archive` of REV (default b51bb95) in a temporary directory with
its own virtual environment (kept in $TMPDIR between runs). Each version runs in its own
worker process, which builds each model once and checks every run against the reference
interpreter; the timed runs are interleaved (baseline, this version, baseline, ...) and the
best of `--repeat` counts, so load from other processes hurts both alike. The floor is the
machine's copy bandwidth, measured in the same run, as steps/s for 8*K*N bytes a step (every
memory bit read and written once, float32); each version's fraction of it is printed.
With --eforth, the eForth boot (92,438 steps, N=16, K=32768) runs on this version's network.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `loop: one c; c (-1); Z Z loop` with one = 1, c = 0, Z = 0: counts down and prints the
# counter forever, on any machine.
LOOP = [9, 10, 3, 10, -1, 6, 11, 11, 0, 1, 0, 0]
# (name, N, K, batch, steps per timed run, target ratio against the baseline)
CASES = [
    ("K=64 N=8", 8, 64, 1, 3000, 1.5),
    ("K=1024 N=16", 16, 1024, 1, 1500, 2.5),
    ("K=32768 N=16", 16, 32768, 1, 150, 3.5),
    ("K=1024 N=16 B=256", 16, 1024, 256, 40, 2.5),
]


def worker() -> None:
    """Answer one JSON request a line: build (once) and time a case, checked against the
    reference."""
    import numpy as np

    from loopmlp.compiler.build import build_model
    from loopmlp.ir.machine import Machine
    from loopmlp.runtime.network import Network
    from loopmlp.runtime.reference import run_reference

    networks: dict = {}
    for line in sys.stdin:
        req = json.loads(line)
        n, k, batch, steps, threads = req["N"], req["K"], req["batch"], req["steps"], req["threads"]
        key = (n, k)
        machine = Machine(n, k)
        if key not in networks:
            kwargs = {} if threads is None else {"threads": threads}
            networks[key] = Network(build_model(machine, "factored", LOOP), **kwargs)
            networks[key].run(None, 3)  # warm up the session
        network = networks[key]
        # Programs of a batch start at different points of the count, so their states differ.
        images = [LOOP[:10] + [int(x) % 100, 0] for x in np.arange(batch)]
        start = time.perf_counter()
        if batch == 1:
            results = [network.run(images[0], steps)]
        else:
            results = network.run_batch(images, steps)
        seconds = time.perf_counter() - start
        ok = all(
            r == run_reference(machine, image, steps)
            for r, image in zip(results, images, strict=True)
        )
        print(json.dumps({"rate": batch * steps / seconds, "ok": ok}), flush=True)


def baseline_python(rev: str) -> str:
    """The interpreter of a virtual environment holding a clean checkout of `rev`."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", rev], check=True, capture_output=True, text=True
    ).stdout.strip()
    home = Path(tempfile.gettempdir()) / f"loopmlp-bench-{commit[:12]}"
    python = home / ".venv/bin/python"
    if not (home / ".ready").exists():
        home.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(home)], input=archive.stdout, check=True)
        subprocess.run([sys.executable, "-m", "venv", str(home / ".venv")], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-e", str(home)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (home / ".ready").touch()
    return str(python)


class Worker:
    """One version's worker process."""

    def __init__(self, python: str) -> None:
        env = {**os.environ, "PYTHONPATH": ""}
        self.proc = subprocess.Popen(
            [python, str(Path(__file__).resolve()), "--worker"],
            cwd=tempfile.gettempdir(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def time(self, **case) -> float:
        self.proc.stdin.write(json.dumps(case) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        if not answer["ok"]:
            raise SystemExit("a network run differs from the reference interpreter")
        return answer["rate"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def copy_bandwidth(nbytes: int = 128 << 20, repeat: int = 5) -> float:
    """Bytes moved per second (read + write) by a large float32 copy."""
    import numpy as np

    src = np.ones(nbytes // 4, np.float32)
    dst = np.empty_like(src)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        np.copyto(dst, src)
        best = min(best, time.perf_counter() - start)
    return 2 * nbytes / best


def eforth(threads: int | None) -> None:
    from loopmlp.compiler.build import build_model
    from loopmlp.compiler.program import load_program
    from loopmlp.ir.machine import Machine
    from loopmlp.runtime.network import Network
    from loopmlp.runtime.reference import run_reference

    machine = Machine(16, 32768)
    image = load_program(ROOT / "tests/conformance/howerj_eforth/subleq.dec", 16)
    network = Network(
        build_model(machine, "factored", image), **({} if threads is None else {"threads": threads})
    )
    start = time.perf_counter()
    result = network.run(None, 10**7)
    seconds = time.perf_counter() - start
    exact = result == run_reference(machine, image, 10**7)
    print(
        f"eForth boot on the network: {result.steps:,} steps in {seconds:.0f} s "
        f"({result.steps / seconds:,.0f} steps/s), {result.end}, "
        f"{'equal to' if exact else 'DIFFERENT FROM'} the reference"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", default="b51bb95", help="the commit to compare with")
    parser.add_argument(
        "--repeat", type=int, default=5, help="interleaved timed runs per case; the best counts"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="ONNX Runtime threads (default: each version's own)",
    )
    parser.add_argument(
        "--eforth", action="store_true", help="also time the eForth boot on this version"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker()
    try:
        import loopmlp.compiler  # noqa: F401  (this version's worker runs under this interpreter)
    except ImportError:
        raise SystemExit(
            "bench_speed.py: run it with the interpreter of the environment loopmlp "
            "is installed in (. .venv/bin/activate)"
        ) from None
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    workers = {"baseline": Worker(baseline_python(args.baseline)), "this": Worker(sys.executable)}
    bandwidth = copy_bandwidth()
    best = {(name, v): 0.0 for name, *_ in CASES for v in workers}
    for _ in range(args.repeat):
        for name, n, k, batch, steps, _target in CASES:
            for version, w in workers.items():
                rate = w.time(N=n, K=k, batch=batch, steps=steps, threads=args.threads)
                best[name, version] = max(best[name, version], rate)
    for w in workers.values():
        w.close()
    bandwidth = max(bandwidth, copy_bandwidth())
    print(
        f"copy bandwidth {bandwidth / 1e9:.1f} GB/s; floor = bandwidth / (8*K*N bytes a step); "
        f"load average at end: {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'case':<20}{'floor steps/s':>14}{args.baseline + ' steps/s':>16}{'of floor':>9}"
        f"{'this steps/s':>14}{'of floor':>9}{'ratio':>8}{'target':>8}  verdict"
    )
    for name, n, k, _batch, _steps, target in CASES:
        floor = bandwidth / (8 * k * n)
        old, new = best[name, "baseline"], best[name, "this"]
        verdict = "meets" if new / old >= target else "MISSES"
        print(
            f"{name:<20}{floor:>14,.0f}{old:>16,.0f}{old / floor:>9.1%}"
            f"{new:>14,.0f}{new / floor:>9.1%}"
            f"{new / old:>7.2f}x{target:>7.1f}x  {verdict}",
            flush=True,
        )
    if args.eforth:
        eforth(args.threads)


if __name__ == "__main__":
    main()
