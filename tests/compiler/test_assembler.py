"""The sqasm front end: the corpus images word for word, located errors, generated round trips."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loopmlp.compiler.assembler import AsmError, assemble
from loopmlp.compiler.program import load_program, parse_image
from loopmlp.ir.errors import LoopmlpError
from tests.conformance_cases import CONFORMANCE

DAVIDAR_ORDER = [
    "boot",
    "menu",
    "puts",
    "gets",
    "putint",
    "getint",
    "bubblesort",
    "calc",
    "factorial",
    "primes",
    "ascii",
    "data",
]


@pytest.mark.parametrize("source, bits", [("mazonka_hello/hello.asq", 8)])
def test_reproduces_shipped_image(source, bits):
    image_file = CONFORMANCE / source.split("/")[0] / "program.txt"
    assert load_program(CONFORMANCE / source, bits) == load_program(image_file, bits)


def test_reproduces_davidar_demo_from_its_twelve_sources():
    src = CONFORMANCE / "davidar_demo" / "src"
    text = "".join((src / f"{name}.asq").read_text() for name in DAVIDAR_ORDER)
    expected = load_program(CONFORMANCE / "davidar_demo" / "program.txt", 32)
    assert assemble(text, 32) == expected


def test_instruction_forms_and_question_mark():
    assert assemble("a b c; a b; a\na:1 b:2 c:3") == [9, 10, 11, 9, 10, 6, 9, 9, 9, 1, 2, 3]
    assert assemble("?+1 ? ?") == [2, 2, 3]
    assert assemble("?+6") == [7, 7, 3]  # `A` copies A's value, '?' taken at the first word


def test_data_strings_chars_and_labels():
    assert assemble(". x: \"Hi\\n\" '!' (-x) (1-2)") == [72, 105, 10, 33, 0, -1]
    assert assemble(". 1 -1") == [0]  # a '-' between items continues the expression: write (-1)
    assert assemble("l1: l2:\n. l1 l2 ?") == [0, 0, 3]


def test_values_wrap_into_signed_words():
    assert assemble(". 255 (-128)", bits=8) == [-1, -128]


@pytest.mark.parametrize(
    "text, where, what",
    [
        ("a b c", "1:1", "unknown label 'a'"),
        ("x: 1\nx: 2", "2:1", "duplicate label 'x'"),
        ("1 2 @", "1:5", "unexpected character '@'"),
        ('. "abc', "1:3", "unterminated string"),
        ("1 + ;", "1:5", "expected a number"),
        ("(1 2", "1:4", "expected ')'"),
        ("1 2 3 4", "1:7", "at most 3 items"),
        (". 256", "1:3", "does not fit 8 bits"),
        ("'a", "1:1", "unterminated character"),
    ],
)
def test_errors_name_line_and_column(text, where, what):
    with pytest.raises(AsmError) as err:
        assemble(text, bits=8, file="p.asq")
    assert str(err.value).startswith(f"p.asq:{where}: ") and what in str(err.value)


def test_numeric_image_errors_name_place_and_width():
    with pytest.raises(
        LoopmlpError, match=r"img:2:3: word 1 = 300 does not fit 8 bits \(needs 9\)"
    ):
        parse_image("1\n  300", bits=8, file="img")
    with pytest.raises(LoopmlpError, match="img:1:3: expected an integer"):
        parse_image("1 x", bits=8, file="img")
    assert parse_image("1, 2 # three\n-1,255", bits=8) == [1, 2, -1, -1]


names = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
values = st.integers(-(2**15), 2**15 - 1)


@st.composite
def programs(draw):
    """Generated sqasm with labels, instructions of 1-3 items and data lines, plus its image."""
    lines, expected, labels = [], [], {}
    n = draw(st.integers(1, 12))
    label_names = draw(st.lists(names, min_size=n, max_size=n, unique=True))
    for i in range(n):
        labels[label_names[i]] = len(expected)
        if draw(st.booleans()):
            data = draw(st.lists(values, min_size=1, max_size=4))
            lines.append(f"{label_names[i]}: . " + " ".join(f"({v})" for v in data))
            expected.extend(data)
        else:
            k = draw(st.integers(1, 3))
            ops = draw(st.lists(values, min_size=k, max_size=k))
            here = len(expected)
            lines.append(f"{label_names[i]}: " + " ".join(f"({v})" for v in ops))
            full = ops + [ops[0]] * (k == 1) + [here + 3] * (k < 3)
            expected.extend(full[:2] + [full[2]] if k != 1 else [ops[0], ops[0], here + 3])
    refs = " ".join(label_names)
    lines.append(". " + refs)
    expected.extend(labels[name] for name in label_names)
    return "\n".join(lines), expected


@settings(max_examples=150, deadline=None)
@given(programs())
def test_generated_programs_assemble_to_their_image(program):
    text, expected = program
    assert assemble(text, bits=16) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:;.?+-()'\"\\#\n 0129xé@")), max_size=40))
def test_garbage_raises_only_the_documented_error(text):
    try:
        image = assemble(text, bits=8)
    except AsmError as err:
        assert str(err).startswith("<input>:")
        assert "\n" not in str(err)
    else:
        assert all(-128 <= v < 128 for v in image)


def test_names_may_hold_dollar_signs_as_c_names_do():
    # words: 0 1 2 | 3 4 5 | a$b=6 $=7 z$=8
    text = "a$b $ ?\nz$ z$ (-1)\na$b: . 5\n$: . 9\nz$: . 0\n"
    assert assemble(text, 16) == [6, 7, 3, 8, 8, -1, 5, 9, 0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("abz_$09x \t\n\r#:;.?+-(),'\"\\") + ["0x1F", "12ab", "é", "7"]),
        max_size=60,
    ).map("".join)
)
def test_the_fast_tokenizer_reads_what_the_careful_one_reads(text):
    """Plain ASCII text goes through one regular expression; whatever it reads must be the
    token list (kinds, values, lines, columns) that the character-by-character reader makes,
    and whatever it cannot read is left to that reader."""
    from loopmlp.compiler.assembler import _tokenize, _tokenize_fast, tokenize

    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    fast = _tokenize_fast(normal) if normal.isascii() else None
    try:
        careful = _tokenize(normal, "t")
    except AsmError as e:
        assert fast is None
        with pytest.raises(AsmError, match=re.escape(str(e))):
            tokenize(text, "t")
        return
    if fast is not None:
        assert fast == careful
    assert tokenize(text, "t") == careful
