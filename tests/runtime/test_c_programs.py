"""C programs on the network: step by step against the reference, against gcc, and through the
command line (run, compile, cc, asm, trace, --profile, faults named by C line, one-line errors)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.program import read_program
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference, bytes_reader
from tests.runtime.test_cli import loopmlp

EXAMPLES = Path(__file__).parents[2] / "examples"

# Multiply, divide and modulo of negatives, shifts, printf, recursion, getchar to EOF, arrays.
LIBRARY_TOUR = r"""#include <stdio.h>
int sq(int x) { return x * x; }
int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
int main() {
    int a = -77, b = 5;
    char s[8];
    int i = 0, c;
    printf("%d %d %d %x\n", a / b, a % b, a >> 2, 200 << 3);
    printf("%d\n", fact(5) + sq(-7));
    while ((c = getchar()) != EOF && i < 7) s[i++] = c;
    s[i] = 0;
    puts(s);
    return 0;
}
"""

# Small enough for N = 8 and the dense form.
COUNTING = r"""int main() {
    int i, t = 0;
    for (i = 1; i <= 5; i++) { t += i; putchar('a' + t); }
    putchar('\n');
    return t;
}
"""

DIVIDE = """#include <stdio.h>
int quotient(int a, int b) {
    return a / b;
}
int main() {
    printf("%d\\n", quotient(7, 2));
    printf("%d\\n", quotient(7, 0));
    return 0;
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def lockstep(path: Path, bits: int, form: str, data: bytes) -> int:
    """Run the C program on the network one step at a time; after every step the decoded
    state equals the reference interpreter's. Returns the number of steps."""
    program = read_program(path, bits)
    machine = program.machine()
    network = Network(build_model(machine, form, program.image))
    ref, ref_input = Reference(machine, program.image), bytes_reader(data)
    runner, net_input = network.runner(), bytes_reader(data)
    while True:
        want = ref.run(1, ref_input)
        got = runner.run(1, net_input)
        assert got == want, f"{form} differs from the reference after {want.steps} steps"
        if want.end != "step-limit":
            return want.steps


def test_c_program_on_the_factored_network_step_by_step(tmp_path):
    path = write(tmp_path, "tour.c", LIBRARY_TOUR)
    assert lockstep(path, 16, "factored", b"hi there") > 1000


def test_c_program_on_the_dense_network_step_by_step(tmp_path):
    path = write(tmp_path, "count.c", COUNTING)
    assert lockstep(path, 8, "dense", b"") > 50


def test_c_program_on_the_loop_network_equals_the_reference(tmp_path):
    program = read_program(write(tmp_path, "tour.c", LIBRARY_TOUR), 16)
    machine = program.machine()
    want = Reference(machine, program.image).run(100_000, bytes_reader(b"abc"))
    got = (
        Network(build_model(machine, "loop", program.image))
        .runner()
        .run(100_000, bytes_reader(b"abc"))
    )
    assert got == want and want.end == "halt"


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is the oracle for C programs")
def test_c_program_through_the_cli_prints_what_gcc_prints(tmp_path):
    path = write(tmp_path, "tour.c", LIBRARY_TOUR)
    binary = tmp_path / "tour"
    subprocess.run(["gcc", "-fwrapv", "-w", "-o", str(binary), str(path)], check=True)
    want = subprocess.run([str(binary)], input=b"gcc", capture_output=True, check=True).stdout
    for flags in ([], ["--reference"], ["--form", "loop"]):
        run = loopmlp("run", str(path), "--quiet", *flags, stdin=b"gcc")
        assert run.returncode == 0, run.stderr
        assert run.stdout == want, flags


def test_cc_writes_sqasm_that_runs_as_the_c_program_does(tmp_path):
    source = EXAMPLES / "hello.c"
    out = tmp_path / "hello.asq"
    made = loopmlp("cc", str(source), "-o", str(out))
    assert made.returncode == 0 and made.stdout == b"", made.stderr
    text = out.read_text()
    assert "#@ bits 32" in text and f"#@ {source}:6 main" in text
    from_c = loopmlp("run", str(source), "--reference", "--report", str(tmp_path / "c.json"))
    from_asq = loopmlp("run", str(out), "--reference", "--report", str(tmp_path / "a.json"))
    assert from_c.stdout == from_asq.stdout == b"Hello, world!\n"
    assert json.loads((tmp_path / "c.json").read_text()) == json.loads(
        (tmp_path / "a.json").read_text()
    )
    # The sqasm says which N it was compiled for; another N is refused, not run wrongly.
    wrong = loopmlp("run", str(out), "--bits", "16")
    assert wrong.returncode == 2 and b"compiled for N=32" in wrong.stderr
    # asm turns it (or the C directly) into the same image.
    assert loopmlp("asm", str(out)).stdout == loopmlp("asm", str(source)).stdout != b""


def test_a_fault_names_the_c_line_and_why(tmp_path):
    path = write(tmp_path, "divide.c", DIVIDE)
    for flags in ([], ["--reference"]):
        run = loopmlp("run", str(path), *flags, "--report", str(tmp_path / "r.json"))
        assert run.returncode == 3
        assert run.stdout == b"3\n"
        assert f"fault at {path}:3 in quotient: division by zero".encode() in run.stderr
        report = json.loads((tmp_path / "r.json").read_text())
        assert report["source"] == f"{path}:3 in quotient" and report["note"] == "division by zero"


def test_a_compiled_model_keeps_the_source_map(tmp_path):
    path = write(tmp_path, "divide.c", DIVIDE)
    model = tmp_path / "divide.onnx"
    assert loopmlp("compile", str(path), "-o", str(model)).returncode == 0
    run = loopmlp("run", str(model))
    assert run.returncode == 3 and f"{path}:3 in quotient: division by zero".encode() in run.stderr


def test_stack_overflow_is_a_fault_at_the_call_and_stack_size_can_be_chosen(tmp_path):
    deep = (
        "int down(int n) { return n == 0 ? 0 : 1 + down(n - 1); }\n"
        "int main() { return down(50); }\n"
    )
    path = write(tmp_path, "deep.c", deep)
    small = loopmlp("run", str(path), "--reference", "--stack", "16")
    assert (
        small.returncode == 3
        and b"stack overflow" in small.stderr
        and f"{path}:1".encode() in small.stderr
    )
    enough = loopmlp("run", str(path), "--reference", "--stack", "400")
    assert enough.returncode == 50, enough.stderr  # main's value, down(50)


def reference_profile(path: Path, bits: int) -> Counter:
    """Steps per source line, counted here from the reference's pc after every single step."""
    program = read_program(path, bits)
    ref = Reference(program.machine(), program.image)
    counts: Counter = Counter()
    while True:
        pc = ref.pc
        if ref.run(1).steps == 0 or ref.end == "fault":
            break
        counts[str(program.location(pc))] += 1
        if ref.end != "step-limit":
            break
    return counts


def parse_profile(stderr: bytes) -> Counter:
    lines = stderr.decode().splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith("source line"))
    counts: Counter = Counter()
    for line in lines[start + 1 :]:
        if line.strip().endswith("function") or line.startswith("loopmlp:"):
            break
        steps, _, name = line.split(None, 2)
        counts[name] = int(steps.replace(",", ""))
    return counts


@pytest.mark.parametrize("flags", [[], ["--reference"]], ids=["network", "reference"])
def test_profile_counts_the_steps_of_each_source_line(tmp_path, flags):
    path = write(tmp_path, "tour.c", LIBRARY_TOUR)
    run = loopmlp("run", str(path), "--bits", "16", "--profile", *flags)
    assert run.returncode == 0, run.stderr
    got, want = parse_profile(run.stderr), reference_profile(path, 16)
    assert got == want
    heaviest = [
        int(line.split()[0].replace(",", ""))
        for line in run.stderr.decode().splitlines()
        if line.strip() and line.split()[0].replace(",", "").isdigit()
    ]
    assert heaviest[: len(got)] == sorted(got.values(), reverse=True)
    assert "function" in run.stderr.decode() and f"{path}:9 in main" in got


def test_profile_is_refused_where_steps_cannot_be_observed(tmp_path):
    path = write(tmp_path, "count.c", COUNTING)
    run = loopmlp("run", str(path), "--profile", "--form", "loop")
    assert run.returncode == 2 and run.stdout == b"" and b"--form factored" in run.stderr


def test_trace_marks_c_lines(tmp_path):
    pytest.importorskip("matplotlib")
    path = write(tmp_path, "count.c", COUNTING)
    data = tmp_path / "trace.json"
    run = loopmlp(
        "trace", str(path), "-o", str(tmp_path / "t.png"), "--data", str(data), "--steps", "30"
    )
    assert run.returncode == 0, run.stderr
    drawn = json.loads(data.read_text())
    program = read_program(path)
    lines = {f"L{n}" for n, text in enumerate(COUNTING.splitlines(), 1) if text.strip() not in "{}"}
    marks = [m for m in drawn["source"] if m is not None]
    assert marks and set(marks) <= lines
    assert drawn["source"][0] == f"L{program.location(0).line}"


@pytest.mark.parametrize(
    "source, message",
    [
        ("int main() { float x; return 0; }\n", "prog.c:1:20: not supported: type 'float'"),
        ("int main() { return 0 }\n", "prog.c:1:"),
    ],
)
@pytest.mark.parametrize("command", ["run", "compile", "cc", "asm", "trace"])
def test_bad_c_is_one_line_exit_2_no_output_no_file(tmp_path, source, message, command):
    path = write(tmp_path, "prog.c", source)
    out = tmp_path / ("out.png" if command == "trace" else "out.file")
    args = [command, "prog.c"] + (["-o", str(out)] if command != "run" else [])
    run = _in(tmp_path, *args)
    assert run.returncode == 2
    assert run.stdout == b""
    err = run.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err and message in err, err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize(
    "command, data, extra, message",
    [
        (
            "cc",
            b"int main(void) {\n  int x = 1; /* \xe9t\xe9 */\n  return x;\n}\n",
            [],
            "prog.c:2:17: not UTF-8 (byte 0xe9)",
        ),
        (
            "run",
            b"int main(int argc) { return argc; }\n",
            [],
            "prog.c:1:14: not supported: parameters of main",
        ),
        (
            "compile",
            b"int a[1000000];\nint main(void) { return a[0]; }\n",
            [],
            "prog.c:1:5: array 'a' of 1,000,000 words is larger than the 65,536 words",
        ),
        (
            "cc",
            b"int main(void) { return " + b"(" * 1200 + b"0" + b")" * 1200 + b"; }\n",
            [],
            "prog.c:1:1024: nesting too deep (limit 1000 ",
        ),
        (
            "cc",
            b"int main(void) { return 0; }\n",
            ["--words", "131072"],
            "prog.c: a machine of 131,072 words was asked for, more than the 65,536 words",
        ),
    ],
    ids=["not UTF-8", "argv", "huge array", "too deep", "too many words"],
)
def test_more_bad_c_is_one_line_exit_2_no_output_no_file(tmp_path, command, data, extra, message):
    (tmp_path / "prog.c").write_bytes(data)
    out = tmp_path / ("out.png" if command == "trace" else "out.file")
    run = _in(tmp_path, command, "prog.c", *extra, *(["-o", str(out)] if command != "run" else []))
    assert run.returncode == 2 and run.stdout == b""
    err = run.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err and message in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prog.c"]


def _in(directory: Path, *args: str) -> subprocess.CompletedProcess:
    """The command run in `directory` (so relative names are what the error shows)."""
    return subprocess.run(
        [sys.executable, "-m", "loopmlp.runtime.cli", *args],
        cwd=directory,
        capture_output=True,
        check=False,
        timeout=300,
    )


def test_every_c_example_names_its_words_by_source():
    for example in sorted(EXAMPLES.glob("*.c")):
        program = read_program(example)
        places = [p for p in program.source_map if p is not None]
        assert places, example
        assert {p.file for p in places} <= {str(example), "<runtime>", "<library>"}
        assert program.min_words >= len(program.image)
        source_lines = len(example.read_text().splitlines())
        assert all(1 <= p.line <= source_lines for p in places if p.file == str(example))


def test_sqasm_from_cc_on_a_smaller_machine_names_the_memory_it_was_compiled_for(tmp_path):
    from loopmlp.compiler.cc import compile_c
    from loopmlp.ir.errors import LoopmlpError

    compiled = compile_c(LIBRARY_TOUR, "tour.c")
    asq = write(tmp_path, "tour.asq", compiled.text)
    program = read_program(asq)
    smaller = compiled.words // 2
    assert smaller < len(program.image) < compiled.words  # code and data alone do not fit
    with pytest.raises(LoopmlpError) as err:
        program.machine(smaller)
    assert str(err.value) == (
        f"{asq}: the program was compiled for a machine of {compiled.words} words ('#@ memory "
        f"{compiled.words}'; {len(program.image)} of them code and data), but --words is {smaller}"
    )
