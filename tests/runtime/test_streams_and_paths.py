"""Streams, signals and output paths: what a run does when its output is a pipe that closes,
a full disk, a symlink or a device, when it is stopped by a signal, and when a user mixes
options that do not go together. Each case is one line on stderr (or the conventional quiet
exit), a distinct status, no traceback, no temporary file, and nothing already produced lost."""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loopmlp.compiler.program import read_program
from loopmlp.ir.machine import Machine
from loopmlp.runtime.reference import run_reference
from tests.children import child
from tests.runtime.test_cli import loopmlp

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CLI = [sys.executable, "-m", "loopmlp.runtime.cli"]

# Prints "x" for ever: a run that only a signal or a step limit ends.
FOREVER = "loop: c (-1)\n      Z Z loop\n. c: 120 Z: 0\n"


def no_traceback(err: bytes) -> str:
    text = err.decode(errors="replace")
    assert "Traceback" not in text, text
    return text


def one_line(proc, status: int = 2, *words: str) -> str:
    err = no_traceback(proc.stderr)
    assert proc.returncode == status, err
    assert err.count("\n") == 1, err
    for word in words:
        assert word in err, err
    return err


def leftovers(directory: Path) -> list[str]:
    """Temporary files a writer may have left behind."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@pytest.fixture
def forever(tmp_path) -> Path:
    path = tmp_path / "forever.asq"
    path.write_text(FOREVER)
    return path


# --- output is streamed, and signals end a run like Ctrl-C ----------------------------------


@pytest.mark.parametrize("form", ["factored", "loop", "dense"])
@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_output_streams_and_signals_end_the_run_cleanly(form, sig, status, forever, tmp_path):
    report = tmp_path / "r.json"
    with child(
        [
            *CLI,
            "run",
            str(forever),
            "--bits",
            "8",
            "--words",
            "16",
            "--form",
            form,
            "--report",
            str(report),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready, "no output within 60 s of a program that prints from its first steps"
        first = os.read(proc.stdout.fileno(), 1)
        assert first == b"x"
        proc.send_signal(sig)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 2
    text = no_traceback(err)
    assert proc.returncode == status, text
    assert set(out) <= {ord("x")}
    data = json.loads(report.read_text())
    assert data["end"] == "interrupted"
    # every byte the machine produced reached stdout, no more, no less
    assert data["output"].encode("latin-1") == first + out


def test_output_reaches_stdout_before_the_run_ends(forever):
    with child(
        [*CLI, "run", str(forever), "--bits", "8", "--words", "16"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        assert ready and os.read(proc.stdout.fileno(), 1) == b"x"


@pytest.mark.parametrize("every", ["0", "-1", "1e-6", "nan", "inf", "x"])
def test_checkpoint_every_below_a_sane_minimum_is_refused(every, forever, tmp_path):
    proc = loopmlp(
        "run",
        str(forever),
        "--bits",
        "8",
        "--max-steps",
        "10",
        "--checkpoint",
        str(tmp_path / "c.json"),
        "--checkpoint-every",
        every,
    )
    one_line(proc, 2, "--checkpoint-every")
    assert not (tmp_path / "c.json").exists()


@pytest.mark.parametrize("form", ["factored", "loop"])
def test_a_resumed_run_reads_the_rest_of_stdin(form, tmp_path):
    echo = str(EXAMPLES / "echo.asq")
    ck = tmp_path / "ck.json"
    # echo.asq spends 8 steps per byte: after 16 steps it has echoed "ab" and not yet read on
    first = loopmlp(
        "run",
        echo,
        "--form",
        form,
        "--max-steps",
        "16",
        "--checkpoint",
        str(ck),
        "--quiet",
        stdin=b"ab",
    )
    assert first.returncode == 4, first.stderr.decode()
    second = loopmlp("run", "--resume", str(ck), "--max-steps", "1000", "--quiet", stdin=b"cd")
    assert second.returncode == 0, second.stderr.decode()
    image = read_program(Path(echo)).image
    whole = run_reference(Machine.for_image(len(image), 16), image, 1000, b"abcd")
    assert first.stdout + second.stdout == bytes(whole.output)


# --- broken pipes, closed and full streams --------------------------------------------------


# More output than a pipe buffer holds, so the writer must meet the closed pipe.
@pytest.mark.parametrize(
    "extra",
    [
        ["--max-steps", "1000000"],
        ["--max-steps", "1000000", "--form", "loop"],
        ["--max-steps", "400000", "--reference", "--input", "a", "--input", "b"],
    ],
)
def test_a_pipe_closed_early_is_a_quiet_exit_and_the_report_is_written(extra, forever, tmp_path):
    report = tmp_path / "r.json"
    command = " ".join(
        [*map(str, CLI), "run", str(forever), "--bits", "8", *extra, "--report", str(report)]
    )
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -c 1"],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert len(proc.stdout) == 1
    no_traceback(proc.stderr)
    assert proc.returncode == 141, proc.stderr.decode()
    data = json.loads(report.read_text())
    if "--reference" not in extra:  # a single run stops when its reader leaves, and says so
        assert data["end"] == "interrupted" and data["reason"] == "stdout closed"


def test_stdout_on_a_full_device_is_one_line_and_the_report_is_kept(tmp_path):
    report = tmp_path / "r.json"
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [*CLI, "run", str(EXAMPLES / "hello.asq"), "--report", str(report)],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
            timeout=300,
        )
    one_line(proc, 2, "stdout")
    # the run stops once its output cannot be written; the report says how far it got
    assert json.loads(report.read_text())["steps"] > 0


def test_closed_stdout_and_closed_stderr(tmp_path):
    report = tmp_path / "r.json"
    hello = str(EXAMPLES / "hello.asq")
    closed_out = subprocess.run(
        [*CLI, "run", hello, "--report", str(report)],
        stdout=None,
        stderr=subprocess.PIPE,
        check=False,
        timeout=300,
        preexec_fn=lambda: os.close(1),
    )
    no_traceback(closed_out.stderr)
    assert closed_out.returncode == 141  # like a reader that left: the run stops, quietly
    assert json.loads(report.read_text())["steps"] >= 0
    closed_err = subprocess.run(
        [*CLI, "run", hello],
        stdout=subprocess.PIPE,
        check=False,
        timeout=300,
        preexec_fn=lambda: os.close(2),
    )
    assert closed_err.returncode == 0
    assert closed_err.stdout.startswith(b"Hello")


# --- output paths: symlinks, devices, umask, inputs, full disks -----------------------------


def test_outputs_write_through_symlinks_and_keep_the_umask(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    proc = loopmlp("asm", str(EXAMPLES / "hello.asq"), "-o", str(link))
    assert proc.returncode == 0, proc.stderr.decode()
    assert link.is_symlink() and target.read_text().split()[0].lstrip("-").isdigit()
    old = os.umask(0o022)
    try:
        made = tmp_path / "made.txt"
        assert loopmlp("asm", str(EXAMPLES / "hello.asq"), "-o", str(made)).returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(made.stat().st_mode) == 0o644


def test_reports_onto_a_fifo_are_written_in_place(tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [*CLI, "run", str(EXAMPLES / "hello.asq"), "--report", str(fifo), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with open(fifo, "rb") as reader:
        data = reader.read()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert json.loads(data)["end"] == "halt"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize(
    "command",
    [
        ["compile", "{src}", "-o", "{src}"],
        ["asm", "{src}", "-o", "{src}"],
        ["run", "{src}", "--report", "{src}"],
        ["run", "{src}", "--checkpoint", "{src}", "--max-steps", "5"],
    ],
)
def test_no_command_overwrites_its_own_input(command, tmp_path):
    src = tmp_path / "prog.asq"
    src.write_text((EXAMPLES / "hello.asq").read_text())
    before = src.read_bytes()
    proc = loopmlp(*[part.replace("{src}", str(src)) for part in command])
    one_line(proc, 2, "prog.asq")
    assert src.read_bytes() == before


def _file_size_limit(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize(
    "command",
    [
        ["asm", str(EXAMPLES / "hello.asq"), "-o", "{out}/prog.txt"],
        ["compile", str(EXAMPLES / "hello.asq"), "-o", "{out}/prog.onnx"],
        ["trace", str(EXAMPLES / "hello.asq"), "--steps", "5", "-o", "{out}/t.png"],
    ],
)
def test_a_full_disk_is_one_line_and_leaves_no_file(command, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [*CLI, *[p.replace("{out}", str(out)) for p in command]],
        capture_output=True,
        check=False,
        timeout=300,
        preexec_fn=_file_size_limit(64),
    )
    one_line(proc, 2)
    assert list(out.iterdir()) == []


def test_a_failed_checkpoint_keeps_the_output(forever, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run(
        [
            *CLI,
            "run",
            str(forever),
            "--bits",
            "8",
            "--max-steps",
            "200",
            "--checkpoint",
            str(out / "ck.json"),
        ],
        capture_output=True,
        check=False,
        timeout=300,
        preexec_fn=_file_size_limit(64),
    )
    no_traceback(proc.stderr)
    assert proc.returncode == 2
    assert proc.stdout == b"x" * 100
    assert leftovers(out) == []


# --- trace's outputs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, word",
    [
        (["-o", "{tmp}/nodir/t.png"], "nodir"),
        (["-o", "{tmp}/t.txt"], "t.txt"),
        (["-o", "{tmp}/t.png", "--data", "{tmp}/nodir/t.json"], "nodir"),
    ],
)
def test_trace_output_errors_are_one_line_before_any_work(args, word, tmp_path):
    pytest.importorskip("matplotlib")
    proc = loopmlp(
        "trace",
        str(EXAMPLES / "hello.asq"),
        "--steps",
        "5",
        *[a.replace("{tmp}", str(tmp_path)) for a in args],
    )
    one_line(proc, 2, word)
    assert not (tmp_path / "t.png").exists()


def test_trace_says_which_file_it_wrote(tmp_path):
    pytest.importorskip("matplotlib")
    proc = loopmlp("trace", str(EXAMPLES / "hello.asq"), "--steps", "5", "-o", str(tmp_path / "d"))
    assert proc.returncode == 0, proc.stderr.decode()
    written = [p for p in tmp_path.iterdir()]
    assert len(written) == 1 and str(written[0]) in proc.stderr.decode()


# --- names and bytes that are not UTF-8 ------------------------------------------------------


def test_file_names_and_inputs_that_are_not_utf8(tmp_path):
    odd = tmp_path / os.fsdecode(b"\xff\xfeecho.asq")
    odd.write_bytes((EXAMPLES / "echo.asq").read_bytes())
    raw = os.fsdecode(b"a\xffb")
    proc = subprocess.run(
        [*CLI, "run", str(odd), "--input", raw, "--input", "c"],
        capture_output=True,
        check=False,
        timeout=300,
    )
    no_traceback(proc.stderr)
    assert proc.returncode == 0
    assert b"a\xffb" in proc.stdout and b"c" in proc.stdout
    missing = subprocess.run(
        [*CLI, "run", str(tmp_path / os.fsdecode(b"\xffnone.asq"))],
        capture_output=True,
        check=False,
        timeout=300,
    )
    one_line(missing, 2)


# --- options that do not go together, and the help ------------------------------------------


@pytest.mark.parametrize(
    "extra", [["--bits", "8"], ["--words", "128"], ["--form", "dense"], ["--no-io"]]
)
def test_resume_refuses_machine_options(extra, forever, tmp_path):
    ck = tmp_path / "ck.json"
    assert (
        loopmlp(
            "run", str(forever), "--bits", "8", "--max-steps", "5", "--checkpoint", str(ck)
        ).returncode
        == 4
    )
    one_line(loopmlp("run", "--resume", str(ck), *extra), 2, extra[0])


def test_form_with_a_model_or_the_reference_is_refused(tmp_path):
    model = tmp_path / "m.onnx"
    hello = str(EXAMPLES / "hello.asq")
    assert loopmlp("compile", hello, "-o", str(model)).returncode == 0
    one_line(loopmlp("run", str(model), "--form", "dense"), 2, "--form")
    one_line(loopmlp("run", hello, "--reference", "--form", "loop"), 2, "--form")


def test_a_replaced_embedded_program_is_announced(tmp_path):
    model = tmp_path / "m.onnx"
    assert loopmlp("compile", str(EXAMPLES / "hello.asq"), "-o", str(model)).returncode == 0
    proc = loopmlp("run", str(model), "--program", str(EXAMPLES / "echo.asq"), "--input", "hi")
    assert proc.returncode == 0 and proc.stdout == b"hi"
    assert "echo.asq" in proc.stderr.decode() and "instead of" in proc.stderr.decode()


def test_version_and_a_bare_command():
    from importlib.metadata import version

    proc = loopmlp("--version")
    assert proc.returncode == 0 and version("loopmlp") in proc.stdout.decode()
    bare = loopmlp()
    text = no_traceback(bare.stderr)
    assert bare.returncode == 2 and "usage" in text and "error: loopmlp:" not in text


@pytest.mark.parametrize(
    "option", ["--max-steps", "--form", "--words", "--checkpoint-every", "--bits", "--stack"]
)
def test_run_help_names_every_default(option):
    text = " ".join(loopmlp("run", "--help").stdout.decode().split())
    start = text.index(option + " ", text.index("options:"))
    following = text[start : start + 400]
    nxt = following.find(" --", len(option) + 5)
    assert "default" in (following[:nxt] if nxt > 0 else following)
