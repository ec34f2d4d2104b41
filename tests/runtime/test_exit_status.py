"""A program's exit status: `return n` from main and `exit(n)` end `loopmlp run` with `n & 255`
on every form, as gcc's build does; the network computes the value and the host reads its word."""

from __future__ import annotations

import json
from pathlib import Path

import onnx
import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.modelfile import PREFIX, properties, seal
from loopmlp.compiler.program import read_program
from loopmlp.ir.errors import LoopmlpError
from loopmlp.runtime.checkpoint import Checkpoint
from loopmlp.runtime.network import Network
from loopmlp.runtime.reference import Reference
from tests.compiler.cc.cgen import GCC
from tests.compiler.cc.running import gcc_run, needs_gcc
from tests.runtime.test_cli import loopmlp

EXAMPLES = Path(__file__).parents[2] / "examples"

RETURN_7 = "int main(void) { return 7; }\n"

NESTED_EXIT = r"""#include <stdio.h>
#include <stdlib.h>
int depth(int n) {
    if (n == 3) { printf("leaving at %d\n", n); exit(42); }
    return depth(n + 1) + 1;
}
int main(void) { depth(0); puts("not reached"); return 1; }
"""

# Each program's exit status, as gcc's build gives it (checked against gcc where it exists).
STATUSES = {
    "return 7": (RETURN_7, 7),
    "exit from a nested function": (NESTED_EXIT, 42),
    "low 8 bits": ("int main(void) { return 256 + 3; }\n", 3),
    "minus one": ("int main(void) { return -1; }\n", 255),
    "exit minus two": ("#include <stdlib.h>\nint main(void) { exit(-2); }\n", 254),
    "computed": (
        "int sq(int x) { return x * x; }\nint main(void) { int i, t = 0;\n"
        "for (i = 1; i <= 9; i++) t += sq(i);\nreturn t; }\n",
        285 & 255,
    ),
    "falls off main": ('#include <stdio.h>\nint main(void) { puts("hi"); }\n', 0),
    "return 0": ("int main(void) { return 0; }\n", 0),
    # a nested main returns 9; the outer one falls off its end, which returns 0
    "falls off a recursive main": (
        "#include <stdio.h>\nint calls;\nint main(void) {\n    calls++;\n"
        "    if (calls == 1) { putchar('0' + main()); putchar('\\n'); }\n"
        "    else return 9;\n}\n",
        0,
    ),
    "exit in a condition": (
        "#include <stdlib.h>\nint f(int n) { if (n > 4) exit(n * 10); return n; }\n"
        "int main(void) { int i; for (i = 0; f(i) >= 0; i++) ; return 1; }\n",
        50,
    ),
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def reference_status(path: Path, bits: int = 32) -> int:
    program = read_program(path, bits)
    result = Reference(program.machine(), program.image).run(1_000_000)
    result.exit_address = program.exit_address
    return result.exit_status


@pytest.mark.parametrize("name", sorted(STATUSES))
def test_exit_status_on_the_reference_is_what_the_c_program_gives(tmp_path, name):
    source, status = STATUSES[name]
    assert reference_status(write(tmp_path, "prog.c", source)) == status
    if GCC is not None:
        assert gcc_run(source, tmp_path).status == status


@needs_gcc
def test_exit_statuses_equal_gccs_through_the_command_line(tmp_path):
    for name in ("exit from a nested function", "minus one", "falls off a recursive main"):
        source, _ = STATUSES[name]
        want = gcc_run(source, tmp_path)
        got = loopmlp("run", str(tmp_path / "prog.c"), "--reference", "--quiet")  # gcc_run wrote it
        assert (got.returncode, got.stdout) == (want.status, want.stdout), name


@pytest.mark.parametrize(
    "flags",
    [[], ["--reference"], ["--form", "loop"], ["--form", "dense"]],
    ids=["factored", "reference", "loop", "dense"],
)
def test_return_7_from_main_exits_7_on_every_form(tmp_path, flags):
    path = write(tmp_path, "seven.c", RETURN_7)
    report = tmp_path / "report.json"
    run = loopmlp("run", str(path), "--bits", "8", "--report", str(report), *flags)
    assert run.returncode == 7, run.stderr
    assert run.stderr.decode().startswith("loopmlp: exit 7 after ")
    data = json.loads(report.read_text())
    assert (data["end"], data["exit_status"]) == ("halt", 7)


@pytest.mark.parametrize(
    ("form", "resident"), [("factored", False), ("factored", True), ("loop", False)]
)
def test_the_network_leaves_the_exit_value_in_its_word(tmp_path, form, resident):
    """The value is computed by the network: its final memory holds it, as the reference's does
    (also with the states kept on the device, as with CUDA, here on the CPU provider)."""
    program = read_program(write(tmp_path, "nested.c", NESTED_EXIT), 16)
    machine = program.machine()
    want = Reference(machine, program.image).run(1_000_000)
    network = Network(build_model(machine, form, program.image), resident=resident)
    got = network.runner().run(1_000_000)
    assert got == want and got.end == "halt"
    assert got.memory[program.exit_address] == 42
    assert got.output == b"leaving at 3\n"


def test_exit_from_a_nested_function_on_the_network(tmp_path):
    path = write(tmp_path, "nested.c", NESTED_EXIT)
    run = loopmlp("run", str(path), "--bits", "16")
    assert run.returncode == 42, run.stderr
    assert run.stdout == b"leaving at 3\n"


def test_an_assembly_program_that_halts_exits_0():
    for flags in ([], ["--reference"]):
        run = loopmlp("run", str(EXAMPLES / "hello.asq"), *flags)
        assert run.returncode == 0, run.stderr
        assert b"loopmlp: halt after " in run.stderr


def test_an_assembly_program_may_name_its_exit_word(tmp_path):
    source = "#@ exit result\nZ Z (-1)\nZ: . 0\nresult: . 300\n"
    path = write(tmp_path, "exits.asq", source)
    assert read_program(path).exit_address == 4
    for flags in ([], ["--reference"]):
        run = loopmlp("run", str(path), *flags)
        assert run.returncode == 300 & 255, run.stderr
    numbered = write(tmp_path, "numbered.asq", source.replace("result\n", "4\n", 1))
    assert loopmlp("run", str(numbered)).returncode == 44


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("#@ exit nowhere", "unknown label 'nowhere'"),
        ("#@ exit 99", "address 99 is not a word of the program"),
        ("#@ exit Z\n#@ exit 0", "conflicting '#@ exit' lines"),
    ],
)
def test_a_bad_exit_word_is_refused_in_one_line(tmp_path, line, message):
    path = write(tmp_path, "bad.asq", f"{line}\nZ Z (-1)\nZ: . 0\n")
    with pytest.raises(LoopmlpError, match=message):
        read_program(path)
    run = loopmlp("run", str(path))
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1


def test_cc_names_the_exit_word_so_its_assembly_exits_the_same(tmp_path):
    source = write(tmp_path, "nested.c", NESTED_EXIT)
    asq = tmp_path / "nested.asq"
    assert loopmlp("cc", str(source), "-o", str(asq), "--bits", "16").returncode == 0
    assert "\n#@ exit " in asq.read_text()
    run = loopmlp("run", str(asq), "--reference")
    assert run.returncode == 42, run.stderr


@pytest.mark.parametrize("form", ["factored", "loop"])
def test_a_compiled_model_keeps_the_exit_word(tmp_path, form):
    source = write(tmp_path, "nested.c", NESTED_EXIT)
    model = tmp_path / "nested.onnx"
    made = loopmlp("compile", str(source), "--bits", "16", "--form", form, "-o", str(model))
    assert made.returncode == 0, made.stderr
    props = properties(onnx.load(str(model)))
    assert int(props[PREFIX + "exit_address"]) == read_program(source, 16).exit_address
    run = loopmlp("run", str(model))  # verified against the network loopmlp builds
    assert run.returncode == 42, run.stderr
    assert b"loopmlp: exit 42 after " in run.stderr
    assert "exit status is word" in loopmlp("inspect", str(model)).stdout.decode()


def test_a_model_whose_exit_word_is_outside_its_program_is_refused(tmp_path):
    source = write(tmp_path, "seven.c", RETURN_7)
    program = read_program(source, 8)
    model = build_model(program.machine(), "factored", program.image, (), len(program.image))
    seal(model)
    path = tmp_path / "forged.onnx"
    onnx.save(model, str(path))
    run = loopmlp("run", str(path))
    assert run.returncode == 2 and b"exit_address" in run.stderr


def test_loopmlps_own_statuses_are_told_apart_by_the_summary_and_the_end(tmp_path):
    exits = write(tmp_path, "three.c", "#include <stdlib.h>\nint main(void) { exit(3); }\n")
    faults = write(tmp_path, "zero.c", "int z;\nint main(void) { return 1 / z; }\n")
    for path, end in ((exits, "halt"), (faults, "fault")):
        report = tmp_path / f"{path.stem}.json"
        run = loopmlp("run", str(path), "--reference", "--report", str(report))
        assert run.returncode == 3
        assert run.stderr.decode().startswith(
            "loopmlp: exit 3 " if end == "halt" else "loopmlp: fault"
        )
        data = json.loads(report.read_text())
        assert (data["end"], data["exit_status"]) == (end, 3)


@pytest.mark.parametrize("flags", [[], ["--reference"], ["--form", "loop"]])
def test_a_batch_reports_each_exit_status_and_exits_with_the_largest(tmp_path, flags):
    names = ("low 8 bits", "return 7", "falls off main")
    paths = [write(tmp_path, f"p{i}.c", STATUSES[n][0]) for i, n in enumerate(names)]
    report = tmp_path / "batch.json"
    run = loopmlp("run", *map(str, paths), "--bits", "16", "--report", str(report), *flags)
    assert run.returncode == 7, run.stderr
    assert [r["exit_status"] for r in json.loads(report.read_text())] == [3, 7, 0]
    assert f"loopmlp: {paths[1]}: exit 7 after " in run.stderr.decode()


def test_a_resumed_run_exits_with_the_programs_status(tmp_path):
    source = write(tmp_path, "nested.c", NESTED_EXIT)
    checkpoint = tmp_path / "run.ckpt"
    first = loopmlp(
        "run", str(source), "--bits", "16", "--max-steps", "30", "--checkpoint", str(checkpoint)
    )
    assert first.returncode == 4, first.stderr
    report = tmp_path / "report.json"
    rest = loopmlp(
        "run", "--resume", str(checkpoint), "--max-steps", "100000", "--report", str(report)
    )
    assert rest.returncode == 42, rest.stderr
    assert json.loads(report.read_text())["exit_status"] == 42


def test_a_checkpoint_whose_exit_word_is_outside_memory_is_refused(tmp_path):
    source = write(tmp_path, "nested.c", NESTED_EXIT)
    checkpoint = tmp_path / "run.ckpt"
    loopmlp(
        "run", str(source), "--bits", "16", "--max-steps", "30", "--checkpoint", str(checkpoint)
    )
    doc = json.loads(checkpoint.read_text())
    assert doc["exit_address"] == read_program(source, 16).exit_address
    for bad in (doc["machine"]["words"], -1, "7"):
        checkpoint.write_text(json.dumps({**doc, "exit_address": bad}))
        with pytest.raises(LoopmlpError, match="damaged checkpoint .*exit_address"):
            Checkpoint.load(checkpoint)
