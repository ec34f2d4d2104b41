"""Deep and large C programs: compiled when legal and within reach, else one located line."""

from __future__ import annotations

import re

import pytest

from loopmlp.compiler import cc
from loopmlp.compiler.cc import compile_c, nesting
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import run_c


def _main(body: str) -> str:
    return "int main(void) {\n" + body + "\n}\n"


def _else_if(n: int) -> str:
    branches = "".join(f"else if (x == {i}) y = {i * 7};\n" for i in range(1, n))
    return _main(f'int x = {n - 3}, y = -1;\nif (x == 0) y = 0;\n{branches}printf("%d\\n", y);')


DEEP = [
    # (what, source, what it prints: worked out here, as gcc -fwrapv prints it)
    ("a 400-branch else-if chain", _else_if(400), f"{397 * 7}\n"),
    (
        "a sum of 500 terms",
        _main('int x = 3;\nprintf("%d\\n", ' + "+".join(["x"] * 500) + ");"),
        "1500\n",
    ),
    (
        "200 nested parentheses",
        _main('int x = 5;\nprintf("%d\\n", ' + "(" * 200 + "x + 1" + ")" * 200 + ");"),
        "6\n",
    ),
    (
        "300 nested blocks",
        _main(
            "int x = 1;\n" + "{ int y = x + 3; x = y;\n" * 300 + "}" * 300 + '\nprintf("%d\\n", x);'
        ),
        "901\n",
    ),
]


@pytest.mark.parametrize("what, source, expected", DEEP, ids=[d[0] for d in DEEP])
def test_deep_legal_programs_compile_and_run(what, source, expected):
    result = run_c(source)
    assert result.end == "halt"
    assert result.output.decode() == expected


def _refused(source: str) -> str:
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "deep.c")
    message = str(err.value)
    assert "\n" not in message and not isinstance(err.value, RecursionError)
    return message


def test_too_many_open_brackets_are_refused_at_the_bracket():
    limit = cc.BRACKET_LIMIT
    source = _main("int x = 1;\nreturn " + "(" * (limit + 5) + "x" + ")" * (limit + 5) + ";")
    message = _refused(source)
    assert message == (
        f"deep.c:3:{7 + limit}: nesting too deep (limit {limit} "
        "parentheses, brackets and braces open at once)"
    )


def test_a_tree_deeper_than_the_limit_is_refused_where_it_gets_too_deep():
    source = _main("int x = 1;\nreturn " + "+".join(["x"] * (cc.TREE_LIMIT + 10)) + ";")
    assert re.fullmatch(
        rf"deep\.c:3:\d+: nesting too deep \(limit {cc.TREE_LIMIT}\)", _refused(source)
    )


@pytest.mark.parametrize("stage", ["parser", "checker"])
def test_running_out_of_recursion_anywhere_is_a_located_line(monkeypatch, stage):
    """The last resort: were the limits above too generous for the frames there are, the
    RecursionError still becomes one located line."""
    monkeypatch.setattr(nesting, "TREE_LIMIT", 10**6)
    monkeypatch.setattr(nesting, "RECURSION_LIMIT", 1500)
    if stage == "parser":  # pycparser recurses on an else-if chain
        source = _else_if(1500)
    else:  # pycparser builds a sum's tree in a loop; the checker recurses on it
        source = _main("int x = 1;\nreturn " + "+".join(["x"] * 3000) + ";")
    assert re.fullmatch(r"deep\.c:\d+:\d+: nesting too deep \(limit \d+\)", _refused(source))


def test_recursion_limit_is_put_back():
    import sys

    before = sys.getrecursionlimit()
    compile_c(_main("return 0;"), "p.c")
    assert sys.getrecursionlimit() == before


@pytest.mark.parametrize(
    "source, bits, words, message",
    [
        (
            "int a[1000000];\nint main(void) { a[0] = 1; return 0; }",
            32,
            None,
            (
                "big.c:1:5: array 'a' of 1,000,000 words is larger than the 65,536 words a "
                "C program "
                "can address at N=32"
            ),
        ),
        (
            "int a[70000];\nint main(void) { return 0; }",
            32,
            None,  # unused, still refused
            (
                "big.c:1:5: array 'a' of 70,000 words is larger than the 65,536 words a C "
                "program can "
                "address at N=32"
            ),
        ),
        (
            'int main(void) {\n  static char s[] = "' + "x" * 2100 + '";\n  return 0;\n}',
            12,
            None,
            (
                "big.c:2:15: array 's' of 2,101 words is larger than the 2,048 words a C "
                "program can "
                "address at N=12"
            ),
        ),
        (
            "int main(void) {\n  int v[600];\n  return v[1];\n}",
            32,
            512,
            "big.c:2:7: array 'v' of 600 words is larger than the machine's 512 words (K)",
        ),
        (
            'int main(void) {\n  char s[] = "' + "x" * 600 + '";\n  return s[0];\n}',
            32,
            512,
            "big.c:2:8: array 's' of 601 words is larger than the machine's 512 words (K)",
        ),
    ],
)
def test_an_array_larger_than_memory_is_refused_at_its_declaration(source, bits, words, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "big.c", bits, words)
    assert str(err.value) == message


def test_variables_too_many_together_are_refused_before_the_code_is_assembled():
    source = "int a[40000];\nint b[40000];\nint main(void) { return a[1] + b[2]; }\n"
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "big.c", level=0)
    assert str(err.value) == (
        "big.c: the program needs 80,000 words for its variables and "
        "string literals alone, more than the 65,536 words a C program "
        "can address at N=32"
    )


def test_without_a_deep_stack_a_deep_program_is_still_one_located_line(monkeypatch):
    import threading

    real = threading.stack_size

    def refuse(size=None):
        if size:
            raise ValueError("size not valid")
        return real()

    monkeypatch.setattr(threading, "stack_size", refuse)
    assert run_c(_main("return 0;")).end == "halt"
    assert re.fullmatch(
        r"deep\.c:\d+:\d+: nesting too deep \(limit \d+\)", _refused(_else_if(1500))
    )
