"""The distribution: `pip install .` gives the three packages and the `loopmlp` command,
usable from any working directory (the test run itself uses the editable install)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_plain_install_works_from_another_directory(tmp_path):
    target, source = tmp_path / "site", tmp_path / "source"
    # Build from a copy, so the build leaves nothing behind in the checkout.
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".hypothesis"
        ),
    )
    build = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(target),
        str(source),
    ]
    subprocess.run(build, check=True, cwd=tmp_path, capture_output=True, timeout=600)
    assert {p.name for p in (target / "loopmlp").iterdir()} >= {"ir", "compiler", "runtime"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    imported = subprocess.run(
        [sys.executable, "-c", "import loopmlp.runtime.cli as c; print(c.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.startswith(str(target))
    ran = subprocess.run(
        [str(target / "bin" / "loopmlp"), "run", str(ROOT / "examples/hello.asq")],
        check=False,
        cwd=elsewhere,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr.decode()
    assert ran.stdout == b"Hello from a looped ReLU MLP!\n"
