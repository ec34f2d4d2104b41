"""`loopmlp run PROGRAM -- ARG...`: main(int argc, char **argv) gets its arguments from the
loader, on the reference and on every form, from a .c and from a compiled .onnx, as gcc's
build gets them (argv[0] is the program's file name as given)."""

from __future__ import annotations

import onnx
import pytest

from loopmlp.compiler.build import build_model
from loopmlp.compiler.cc import compile_c
from loopmlp.compiler.program import read_program
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import gcc_run
from tests.runtime.test_cli import loopmlp

SHOW = r"""#include <stdio.h>
int length(char *s) { int n = 0; while (*s++) n++; return n; }
int main(int argc, char **argv) {
    int i, total = 0;
    printf("%s\n", argv[0]);
    printf("argc %d\n", argc);
    for (i = 1; i < argc; i++) {
        printf("%d [%s]\n", i, argv[i]);
        total += length(argv[i]);
    }
    printf("NULL at the end: %d\n", argv[argc] == NULL);
    return total + argc;
}
"""

# main called again with its own arguments: the loader's copy is read once, at the start
REVERSE = r"""#include <stdio.h>
int main(int argc, char *argv[]) {
    if (argc <= 1) return 0;
    printf("%s\n", argv[argc - 1]);
    return main(argc - 1, argv) + 1;
}
"""

ARGUMENTS = [(), ("hello",), ("wo rld", "", "-x", "--", "caf\u00e9")]


def run_program(tmp_path, source: str, args: tuple[str, ...], *options: str):
    program = tmp_path / "prog.c"
    program.write_text(source)
    return loopmlp("run", str(program), "--quiet", *options, "--", *args), str(program)


@pytest.mark.parametrize("args", ARGUMENTS, ids=["none", "one", "several"])
def test_arguments_on_the_reference_are_gccs(args, tmp_path):
    done, name = run_program(tmp_path, SHOW, args, "--reference")
    first, rest = done.stdout.split(b"\n", 1)
    built = gcc_run(SHOW, tmp_path, args=args)
    assert first == name.encode()
    assert rest == built.stdout.split(b"\n", 1)[1]
    assert done.returncode == built.status


def test_main_called_again_with_its_arguments(tmp_path):
    args = ("a", "bc", "def")
    done, _ = run_program(tmp_path, REVERSE, args, "--reference")
    built = gcc_run(REVERSE, tmp_path, args=args)
    assert (done.stdout, done.returncode) == (built.stdout, built.status)


@pytest.mark.parametrize("form", ["factored", "loop"])
def test_arguments_on_the_network(form, tmp_path):
    args = ("one", "two")
    done, name = run_program(tmp_path, REVERSE, args, "--form", form)
    built = gcc_run(REVERSE, tmp_path, args=args)
    assert (done.stdout, done.returncode) == (built.stdout, built.status)


def test_arguments_of_a_compiled_model(tmp_path):
    source = tmp_path / "prog.c"
    source.write_text(SHOW)
    model = tmp_path / "prog.onnx"
    assert loopmlp("compile", str(source), "-o", str(model)).returncode == 0
    args = ("x", "yz")
    done = loopmlp("run", str(model), "--quiet", "--", *args)
    built = gcc_run(SHOW, tmp_path, args=args)
    assert done.stdout == str(model).encode() + b"\n" + built.stdout.split(b"\n", 1)[1]
    assert done.returncode == built.status
    bare = loopmlp("run", str(model), "--quiet")  # without arguments: argc is 1
    assert bare.stdout.split(b"\n")[1] == b"argc 1"
    assert b"its arguments are loaded into words " in loopmlp("inspect", str(model)).stdout


def test_a_batch_gives_each_program_the_arguments(tmp_path):
    first, second = tmp_path / "a.c", tmp_path / "b.c"
    first.write_text(REVERSE)
    second.write_text(SHOW)
    done = loopmlp("run", str(first), str(second), "--reference", "--quiet", "--", "p", "q")
    assert b"==> " + str(first).encode() + b" <==\nq\np\n" in done.stdout
    assert b"argc 3\n1 [p]\n2 [q]\n" in done.stdout


def test_arguments_that_do_not_fit_are_one_line(tmp_path):
    done, name = run_program(tmp_path, SHOW, ("x" * 300,), "--reference")
    assert done.returncode == 2
    message = done.stderr.decode().strip()
    assert "\n" not in message
    assert message.startswith(f"loopmlp: error: {name}: the arguments need ")
    assert "more than the 256 the program reserves" in message


@pytest.mark.parametrize(
    "signature",
    [
        "int main(int argc)",
        "int main(int argc, char **argv, char **envp)",
        "int main(char **v, int n)",
    ],
)
def test_other_parameters_of_main_are_refused(signature):
    with pytest.raises(LoopmlpError) as err:
        compile_c(signature + " { return 0; }\n", "prog.c")
    assert str(err.value).startswith("prog.c:1:")
    assert "not supported: parameters of main other than (int argc, char **argv)" in str(err.value)


def test_a_model_whose_arguments_block_is_outside_its_program_is_refused(tmp_path):
    source = tmp_path / "prog.c"
    source.write_text(REVERSE)
    program = read_program(source, 16)
    assert program.args is not None and program.args[0] + program.args[1] <= len(program.image)
    outside = (len(program.image) - 1, program.args[1])
    model = build_model(program.machine(), "factored", program.image, (), None, outside)
    path = tmp_path / "forged.onnx"
    onnx.save(model, str(path))
    run = loopmlp("run", str(path))
    assert run.returncode == 2 and b"args is not a block" in run.stderr


def test_the_assembly_names_the_block(tmp_path):
    source = tmp_path / "prog.c"
    source.write_text(REVERSE)
    assembly = tmp_path / "prog.asq"
    assert loopmlp("cc", str(source), "-o", str(assembly)).returncode == 0
    assert "#@ args _args 256\n" in assembly.read_text()
    args = ("first", "second")
    done = loopmlp("run", str(assembly), "--reference", "--quiet", "--", *args)
    built = gcc_run(REVERSE, tmp_path, args=args)
    assert (done.stdout, done.returncode) == (built.stdout, built.status)
