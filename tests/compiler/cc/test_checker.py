"""The checker on its own: C source to the facts of its typed tree (types, folded constants,
arrays as addresses, library functions linked), as C defines them."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import CError, check_source
from loopmlp.compiler.cc import syntax as S
from loopmlp.compiler.cc.check import Checker
from loopmlp.compiler.cc.library import LIBRARY, library_options
from loopmlp.compiler.cc.parse import parse
from loopmlp.compiler.cc.preprocess import preprocess


def checked(source: str) -> S.Unit:
    return check_source(source, "t.c", 32)


def body_of(unit: S.Unit, name: str = "main") -> list[S.Stmt]:
    body = unit.functions[name].body
    assert body is not None
    return body.items


def returned(source: str) -> S.Expr:
    (ret,) = [s for s in body_of(checked(source)) if isinstance(s, S.Return)]
    assert ret.value is not None
    return ret.value


def test_an_unsized_array_takes_its_length_from_its_initializer():
    unit = checked('int g[] = {1, 2, 3};\nint main(void) { char s[] = "ab"; return g[0] + s[0]; }')
    (g,) = unit.globals
    assert g.ctype.length == 3 and g.init == [1, 2, 3]
    declare = next(s for s in body_of(unit) if isinstance(s, S.Declare))
    assert declare.var.ctype.length == 3  # 'a', 'b' and the NUL
    assert isinstance(declare.init, list)
    assert [e.value for e in declare.init if isinstance(e, S.Num)] == [97, 98, 0]


def test_a_sized_array_keeps_its_length_and_pads_with_zeros():
    unit = checked("int g[4] = {7};\nint main(void) { return g[3]; }")
    assert unit.globals[0].ctype.length == 4 and unit.globals[0].init == [7, 0, 0, 0]


@pytest.mark.parametrize(
    "expr, value",
    [("2 * 3 + 1", 7), ("-7 / 2", -3), ("-7 % 2", -1), ("1 << 4", 16), ("!5", 0), ("~0", -1)],
)
def test_constant_expressions_are_folded_as_c_computes_them(expr, value):
    e = returned(f"int main(void) {{ return {expr}; }}")
    assert isinstance(e, S.Num) and e.value == value


def test_an_array_used_as_a_value_is_its_address():
    e = returned("int a[3];\nint main(void) { int *p; p = a; return p == a; }")
    assert isinstance(e, S.Binary) and isinstance(e.right, S.AddrOf)
    assert e.right.ctype.is_pointer


def test_a_dereference_has_the_pointed_to_type():
    e = returned("char c;\nint main(void) { char *p = &c; return *p; }")
    assert isinstance(e, S.Deref) and e.ctype == S.CHAR


def test_a_compound_assignment_keeps_its_operator():
    unit = checked("int main(void) { int x = 1; x <<= 2; return x; }")
    (stmt,) = [s for s in body_of(unit) if isinstance(s, S.ExprStmt)]
    assert isinstance(stmt.expr, S.Assign) and S.COMPOUND[stmt.expr.op] == "<<"


def test_a_library_function_called_is_linked_with_the_functions_it_calls():
    unit = checked('int main(void) { printf("%5d", strlen("ab")); return 0; }')
    for name in ("strlen", "__pf"):  # a width: printed by the library's __pf
        assert unit.functions[name].body is not None
    assert "__printf" not in unit.functions  # the format is known when compiling


def test_a_format_known_only_at_run_time_links_the_run_time_printf():
    unit = checked('int main(void) { char *f = "%d"; printf(f, 1); return 0; }')
    assert unit.functions["__printf"].body is not None
    assert "__pf" in unit.functions["__printf"].calls


def test_built_in_calls_have_their_signatures():
    e = returned("int main(void) { return getchar(); }")
    assert isinstance(e, S.Call) and e.name == "getchar" and e.ctype == S.INT
    with pytest.raises(CError, match=r"t\.c:1:\d+: too many arguments to function 'putchar'"):
        checked("int main(void) { putchar(1, 2); return 0; }")
    with pytest.raises(CError, match="is built in and cannot be declared again"):
        checked("int puts(int c);\nint main(void) { return 0; }")
    for prototype in ("int puts(const char *s);", "int printf(const char *restrict f, ...);"):
        assert checked(prototype + "\nint main(void) { return 0; }") is not None


def test_a_wrong_printf_argument_count_is_refused_where_the_call_is():
    with pytest.raises(CError, match=r"t\.c:2:\d+: printf: the format takes 2 arguments"):
        checked('int main(void) {\n  printf("%d %d", 1);\n  return 0;\n}')


@pytest.mark.parametrize(
    "name", [name for name, entry in LIBRARY.items() if entry.source is not None]
)
def test_a_library_functions_signature_is_the_one_its_c_source_defines(name):
    """The table's signature (what a call is checked against before the source is linked)
    and the definition the checker reads from the source agree."""
    entry = LIBRARY[name]
    checker = Checker("<library>", 32)
    tree, _ = parse(preprocess(entry.source, "<library>", 32, library_options()), "<library>")
    checker.unit(tree)
    fn = checker.functions[name]
    assert fn.body is not None
    assert (fn.returns, fn.param_types()) == (entry.returns, entry.params)


@pytest.mark.parametrize(
    "expr, ctype, op",
    [
        ("u / 3", S.UINT, "u/"),  # C's usual arithmetic conversions: unsigned wins
        ("x % u", S.UINT, "u%"),
        ("u >> 2", S.UINT, "u>>"),
        ("x >> u", S.INT, ">>"),  # a shift has its left operand's type
        ("c / 2u", S.UINT, "u/"),  # an unsigned char promotes to int, then meets unsigned
        ("c / 2", S.INT, "/"),
        ("h * u", S.UINT, "*"),
        ('strlen("abc") / 2', S.UINT, "/"),  # below 2^(N-1): the signed routine agrees
    ],
)
def test_integer_operations_take_cs_type_and_name_their_unsigned_form(expr, ctype, op):
    e = returned(
        "#include <string.h>\n"
        "unsigned u = 7; int x = 5; unsigned char c = 9; short h = 2;\n"
        f"int main(void) {{ return {expr}; }}"
    )
    assert isinstance(e, S.Binary) and (e.op, e.ctype) == (op, ctype)


def test_an_unsigned_comparison_compares_the_words_biased_by_half_the_range():
    e = returned("unsigned u = 7; int x = -1;\nint main(void) { return x < u; }")
    assert isinstance(e, S.Binary) and e.op == "<" and e.ctype == S.INT
    for side in (e.left, e.right):
        assert isinstance(side, S.Binary) and side.op == "+"
        assert isinstance(side.right, S.Num) and side.right.value == -(1 << 31)


@pytest.mark.parametrize(
    "literal, value, unsigned",
    [("0x7FFFFFFF", (1 << 31) - 1, False), ("0x80000000", -(1 << 31), True), ("5u", 5, True)]
    + [("10L", 10, False), ("0xFFFFFFFFul", -1, True), ("017777777777", (1 << 31) - 1, False)],
)
def test_an_integer_literal_has_cs_type_for_its_value_base_and_suffix(literal, value, unsigned):
    e = returned(f"int main(void) {{ return {literal}; }}")
    assert isinstance(e, S.Num) and e.value == value and e.unsigned == unsigned
