"""Function pointers against gcc's build at every level of the code generator: their types
(typedef'd, in arrays, parameters, struct members, return values), calls through them, and
recursion through them, whose calls must save what the caller still needs."""

from __future__ import annotations

import random

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_at_every_level

HEAD = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"


@needs_gcc
def test_function_pointer_types_calls_and_comparisons(tmp_path):
    same_at_every_level(
        HEAD + "typedef int (*op)(int, int);\n"
        "typedef int fn(int);\n"
        "int add(int a, int b) { return a + b; }\n"
        "int mul(int a, int b) { return a * b; }\n"
        "int inc(int x) { return x + 1; }\n"
        "int dbl(int x) { return x * 2; }\n"
        "int neg(int x) { return -x; }\n"
        "int apply(int (*f)(int), int x) { return f(x); }\n"
        "int apply2(int g(int), int x) { return (*g)(x) + g(x); }\n"
        "int twice(fn h, int x) { return h(h(x)); }\n"
        "struct calc { op f; int k; };\n"
        "int (*pick(int k))(int) { return k ? dbl : inc; }\n"
        "int (*table[4])(int) = {inc, dbl, neg, inc};\n"
        "int main(void) {\n"
        "  int (*f)(int, int) = add;\n"
        "  op g = &mul;\n"
        "  fn *p = inc;\n"
        "  struct calc c = {add, 3};\n"
        "  struct calc *cp = &c;\n"
        "  int (*local[2])(int) = {neg, dbl};\n"
        "  int i, s = 0;\n"
        '  printf("%d %d %d %d\\n", f(2, 3), (*g)(4, 5), p(7), (**p)(8));\n'
        "  for (i = 0; i < 4; i++) s += table[i](i + 10) * local[i % 2](i);\n"
        '  printf("%d\\n", s);\n'
        '  printf("%d %d\\n", c.f(c.k, 4), cp->f(1, 2));\n'
        '  printf("%d %d\\n", pick(0)(5), pick(1)(5));\n'
        '  printf("%d %d %d\\n", apply(neg, 9), apply2(dbl, 3), twice(&dbl, 5));\n'
        '  printf("%d %d %d %d\\n", f == add, g != mul, p == 0, p != NULL);\n'
        '  printf("%d %d\\n", sizeof f == sizeof(int *), sizeof(op) == sizeof(void *));\n'
        "  g = 0;\n"
        '  if (!g) printf("null\\n");\n'
        "  g = f; c.f = mul; table[3] = neg;\n"
        '  printf("%d %d %d\\n", c.f(6, 7), g(6, 7), table[3](4));\n'
        '  printf("%d\\n", (f == g) + 40);\n'
        "  return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_recursion_through_pointers_keeps_live_locals_and_arguments(tmp_path):
    same_at_every_level(
        HEAD + "int (*self)(int, int);\n"
        "int fact(int n) { int (*me)(int) = fact; int keep = n * 3; if (n <= 1) return 1;\n"
        "  int r = me(n - 1); return n * r + keep - n * 3; }\n"
        "int sum(int n, int acc) {\n"
        "  int local = n * 2, r;\n"
        "  if (n == 0) return acc;\n"
        "  r = self(n - 1, acc + n);\n"
        "  return r + local - n * 2 + (local == n * 2 ? 0 : 1000) + acc - acc;\n"
        "}\n"
        "int fib(int n, int (*k)(int, int)) { return n < 2 ? n : k(n - 1, 0) + k(n - 2, n) - n; }\n"
        "int fibk(int n, int z) { return fib(n, fibk) + z; }\n"
        "int ping(int n);\n"
        "int (*fp)(int) = ping;\n"
        "int pong(int n) { int a = n; if (n <= 0) return 0; return fp(n - 1) + a; }\n"
        "int ping(int n) { int b = n * 10; if (n <= 0) return 0; return pong(n - 1) + b; }\n"
        "int main(void) {\n"
        "  int i, t = 0;\n"
        "  self = sum;\n"
        '  printf("%d %d %d %d\\n", fact(6), sum(10, 0), fibk(12, 0), ping(7));\n'
        "  for (i = 0; i < 5; i++) t += self(i, i) * fact(i + 1);\n"
        '  printf("%d\\n", t);\n'
        "  return t & 255;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_functions_reached_only_through_pointers_and_library_targets(tmp_path):
    same_at_every_level(
        HEAD + "static int hidden(int x) { return x * 7; }\n"
        'static void shout(const char *s) { printf("%s!\\n", s); }\n'
        "int (*get(void))(int) { return hidden; }\n"
        "int main(void) {\n"
        "  int (*a)(int) = abs;\n"
        "  int (*n)(const char *) = strlen;\n"
        "  int (*h)(int) = get();\n"
        "  void (*say)(const char *) = shout;\n"
        "  int (*q)(int) = 0;\n"
        '  say("hey");\n'
        '  printf("%d %d %d %d\\n", a(-5), n("hello"), h(6), q == NULL);\n'
        "  return a(-3);\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_calls_through_pointers_in_arguments_conditions_and_recursive_callers(tmp_path):
    same_at_every_level(
        HEAD
        + r"""
typedef int (*unop)(int);
int sq(int x) { return x * x; }
int half(int x) { return x / 2; }
int zero(void) { return 0; }
int seven(void) { return 7; }
int counter;
void bump(int *p) { *p += 1; counter++; }
void (*hook)(int *) = &bump;
unop ops[3] = {&sq, half, sq};
int compose(unop f, unop g, int x) { return f(g(x)); }
int walk(int n, unop f) {
  int before = n, r;
  unop keep = f;
  if (n <= 0) return 0;
  r = f(n) + walk(n - 1, n % 2 ? half : sq);
  return r + (keep == f) + before - n;
}
int tree(int d, int (*k)(int, unop)) {
  int x = d * 5;
  return d ? k(d - 1, sq) + tree(d - 1, k) + x : 1;
}
int main(void) {
  int (*nil[2])(void) = {zero, seven};
  int i, v = 3, a[4] = {4, 3, 2, 1};
  unop p = sq, q = half;
  printf("%d %d %d\n", p(q(10)), q(p(q(20))), ops[0](ops[1](ops[2](3))));
  printf("%d %d\n", p(1) + q(9) * p(2), (v > 2 ? p : q)(5));
  printf("%d %d\n", compose(sq, half, 9), compose(ops[1], ops[0], 7));
  for (i = 0; i < 4; i++) { hook(&a[i]); hook(&v); }
  printf("%d %d %d %d\n", a[0], a[3], v, counter);
  printf("%d %d\n", nil[0]() + nil[1](), nil[1]() * nil[1]());
  i = 0;
  while (ops[i % 3](i) < 50) i++;
  if (p(3) == 9 && q(3) == 1) printf("ok %d\n", i);
  printf("%d %d\n", walk(6, sq), tree(4, walk));
  return p(3);
}
""",
        tmp_path,
    )


@needs_gcc
def test_recursion_through_pointers_with_stack_frames_statics_and_pointers_to_pointers(tmp_path):
    same_at_every_level(
        HEAD
        + r"""
typedef int (*cb)(int);
int depth(int n);
cb chooser(int k);
int arr(int n) {
  int buf[3], i, t = 0;
  cb (*pick)(int) = chooser;
  for (i = 0; i < 3; i++) buf[i] = n * (i + 1);
  if (n > 0) t = pick(n)(n - 1);
  for (i = 0; i < 3; i++) t += buf[i];
  return t;
}
int depth(int n) {
  int (**pp)(int);
  int (*f)(int) = arr;
  pp = &f;
  return n > 0 ? (*pp)(n - 1) + 1 : 0;
}
cb chooser(int k) { static cb table[2] = {arr, depth}; return table[k % 2]; }
int main(void) {
  static int (*s)(int) = arr;
  int (*u)() = depth;
  cb m = 1 ? s : 0;
  printf("%d %d %d %d\n", arr(5), depth(6), s(4), u(3));
  printf("%d %d\n", m == arr, sizeof(int (*)(int)) == sizeof(int *));
  return 0;
}
""",
        tmp_path,
    )


@needs_gcc
def test_callbacks_through_arrays_with_many_arguments_in_switches_loops_and_void_returns(tmp_path):
    same_at_every_level(
        HEAD
        + r"""
typedef void (*visit)(int *);
typedef int (*five)(int, int, int, int, int);
void twice(int *p) { *p *= 2; }
void dec(int *p) { (*p)--; }
void map(int *a, int n, visit f) { int i; for (i = 0; i < n; i++) f(a + i); }
int mix(int a, int b, int c, int d, int e) { return a - b * 2 + c * 3 - d * 4 + e * 5; }
int xim(int a, int b, int c, int d, int e) { return mix(e, d, c, b, a); }
void show(int *a, int n) { int i; for (i = 0; i < n; i++) printf("%d ", a[i]); printf("\n"); }
void done(int x) { printf("done %d\n", x); }
void finish(void (*g)(int), int x) { return g(x); }
int level(int n) { return n * 3; }
int main(void) {
  int a[5] = {1, 2, 3, 4, 5}, i = 0, s = 0;
  visit steps[3] = {twice, dec, twice};
  five fs[2] = {mix, xim};
  int (*lv)(int) = level;
  map(a, 5, twice); show(a, 5);
  for (i = 0; i < 3; i++) steps[i](&a[i + 1]);
  show(a, 5);
  map(a, 5, steps[1]); show(a, 5);
  for (i = 0; i < 2; i++) s += fs[i](1, 2, 3, 4, 5) * fs[1 - i](5, 4, 3, 2, 1);
  printf("%d\n", s);
  switch (lv(2)) { case 6: printf("six\n"); break; default: printf("other\n"); }
  for (i = 0, s = 0; i < 30; i = lv(i + 1)) s += i;
  printf("%d\n", s);
  finish(done, 7);
  return lv(0);
}
""",
        tmp_path,
    )


# -- qsort and bsearch: callbacks from the library ----------------------------------------
@needs_gcc
def test_qsort_keeps_equal_keys_in_order_as_glibc_and_bsearch_finds_its_element(tmp_path):
    same_at_every_level(
        HEAD
        + r"""
struct rec { int key; int id; char tag; };
int by_tens(const void *a, const void *b) { return *(const int *)a / 10 - *(const int *)b / 10; }
int up(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}
int down(const void *a, const void *b) { return up(b, a); }
int by_key(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  return x->key - y->key;
}
int by_str(const void *a, const void *b) {
  const char *const *x = a, *const *y = b;
  const char *s = *x, *t = *y;
  while (*s && *s == *t) { s++; t++; } return *s - *t; }
int main(void) {
  int a[12] = {31, 12, 35, 11, 38, 19, 14, 30, 5, 33, 17, 2};
  int b[9] = {5, -3, 8, 0, -3, 100, 7, 7, -50};
  struct rec r[7] = {{3, 0, 'a'}, {1, 1, 'b'}, {3, 2, 'c'}, {2, 3, 'd'},
                     {1, 4, 'e'}, {3, 5, 'f'}, {0, 6, 'g'}};
  const char *words[5] = {"pear", "apple", "fig", "banana", "apple"};
  int i, k, *hit;
  qsort(a, 12, sizeof a[0], by_tens);
  for (i = 0; i < 12; i++) printf("%d ", a[i]);
  printf("\n");
  qsort(b, 9, sizeof(int), up);
  for (i = 0; i < 9; i++) printf("%d ", b[i]);
  qsort(b, 9, sizeof(int), down);
  for (i = 0; i < 9; i++) printf("%d ", b[i]);
  printf("\n");
  qsort(r, 7, sizeof r[0], by_key);
  for (i = 0; i < 7; i++) printf("%d%c%d ", r[i].key, r[i].tag, r[i].id);
  printf("\n");
  qsort(words, 5, sizeof words[0], by_str);
  for (i = 0; i < 5; i++) printf("%s ", words[i]);
  printf("\n");
  qsort(b, 0, sizeof b[0], up); qsort(b, 1, sizeof b[0], up);
  qsort(b, 9, sizeof(int), up);
  for (k = -60; k <= 110; k += 1) {
    hit = bsearch(&k, b, 9, sizeof b[0], up);
    if (hit) printf("%d@%d ", k, (int)(hit - b));
  }
  printf("\n");
  qsort(a, 12, sizeof a[0], up);
  k = 2; printf("%d ", bsearch(&k, a, 12, 1, up) == a);
  k = 4; printf("%d\n", bsearch(&k, a, 12, 1, up) == NULL);
  {
    struct rec key = {3, 0, 0}, *found;
    qsort(r, 7, sizeof r[0], by_key);
    found = bsearch(&key, r, 7, sizeof r[0], by_key);
    printf("%c %d\n", found->tag, (int)(found - r));
  }
  return 0;
}
""",
        tmp_path,
    )


@needs_gcc
def test_qsort_of_many_elements_with_few_keys_is_stable(tmp_path):
    same_at_every_level(
        HEAD
        + r"""
int calls;
int mod10(const void *a, const void *b) {
  calls++;
  return *(const int *)a % 10 - *(const int *)b % 10;
}
int main(void) {
  int v[80], i, s = 12345;
  for (i = 0; i < 80; i++) { s = (s * 1103 + 12345) & 32767; v[i] = s % 1000; }
  qsort(v, 80, sizeof v[0], mod10);
  for (i = 0; i < 80; i++) printf("%d%c", v[i], i % 20 == 19 ? '\n' : ' ');
  return calls > 0 ? 0 : 1;
}
""",
        tmp_path,
    )


# -- random recursion through a table of pointers ------------------------------------------
def recursive_table_program(seed: int) -> str:
    """Functions f0..fk of (depth, x) that call each other, by name and through a table of
    pointers, with locals and arguments live across the calls, and a global they add to."""
    rng = random.Random(seed)
    names = [f"f{i}" for i in range(rng.randint(2, 4))]

    def leaf() -> str:
        return rng.choice(["d", "x", "a", "b", str(rng.randint(-3, 9))])

    def expr(depth: int = 0) -> str:
        choice = rng.randint(0, 7 if depth < 2 else 1)
        callee = rng.choice(names)
        entry = f"tab[{rng.randrange(len(names))}]"
        return [
            leaf,
            leaf,
            lambda: f"({expr(depth + 1)} {rng.choice('+-*')} {expr(depth + 1)})",
            lambda: f"{entry}(d - 1, {expr(depth + 1)})",
            lambda: f"(d & 1 ? {entry} : {callee})(d - 1, {expr(depth + 1)})",
            lambda: f"{callee}(d - 1, {expr(depth + 1)})",
            lambda: f"(g += {leaf()}, {expr(depth + 1)})",  # (no call inside g += ...)
            lambda: f"({expr(depth + 1)} < {expr(depth + 1)} ? {expr(depth + 1)} : {leaf()})",
        ][choice]()

    lines = ["typedef int (*fp)(int, int);", *(f"int {n}(int d, int x);" for n in names)]
    lines += [f"fp tab[{len(names)}] = {{{', '.join(names)}}};", "int g;"]
    for name in names:
        lines += [f"int {name}(int d, int x) {{", "  int a = x * 3 + d, b = a - 1;"]
        lines.append("  if (d <= 0) return x + a;")
        lines += [f"  {rng.choice('abx')} = {expr()} & 1023;" for _ in range(rng.randint(1, 3))]
        lines += [f"  return (a - b * 2 + x + {expr()}) & 4095;", "}"]
    lines += ["int main(void) {", "  int i, r;", f"  for (i = 0; i < {len(names)}; i++) {{"]
    lines += ["    r = tab[i](3, i);", '    printf("%d %d\\n", r, g);', "  }", "  return 0;", "}"]
    return HEAD + "\n".join(lines) + "\n"


@needs_gcc
@pytest.mark.parametrize("seed", range(6))
def test_random_recursion_through_a_table_of_pointers(seed, tmp_path):
    same_at_every_level(recursive_table_program(seed), tmp_path)


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "int sum(struct P p) { return p.x + p.y; }\n"
            "int main(void) { int (*f)(struct P) = sum; struct P p = {1, 2}; return f(p); }",
            "prog.c:3:72: not supported: a call through a pointer to a function taking a struct "
            "or union by value",
        ),
        (
            "struct P make(void) { struct P p = {1, 2}; return p; }\n"
            "int main(void) { struct P (*f)(void) = make; return f().x; }",
            "prog.c:3:53: not supported: a call through a pointer to a function returning a "
            "struct or union",
        ),
    ],
)
def test_calls_through_pointers_with_records_by_value_are_refused(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c("struct P { int x, y; };\n" + source + "\n", "prog.c")
    assert str(err.value) == message


@needs_gcc
def test_function_pointers_held_in_void_pointers_come_back_and_recurse(tmp_path):
    same_at_every_level(
        HEAD + "typedef int (*unary)(int);\n"
        "int fact(int n);\n"
        "int twice(int n) { return 2 * n; }\n"
        "struct entry { const char *name; void *fn; };\n"
        'struct entry table[] = { {"fact", fact}, {"twice", (void *)twice} };\n'
        "void *held;\n"
        "int fact(int n) { unary self = (unary)table[0].fn; int k = n;\n"
        "  return n <= 1 ? 1 : k * self(n - 1); }\n"
        "int apply(void *f, int v) { unary g = f; return g(v) + g(v + 1); }\n"
        "int main(void) {\n"
        "  unary u = twice; held = u; u = fact; void *v = u;\n"
        '  printf("%d %d %d\\n", ((unary)held)(21), apply(v, 4), apply(table[1].fn, 5));\n'
        '  printf("%s %d\\n", table[0].name, ((unary)table[0].fn)(6));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_the_address_of_main(tmp_path):
    """main's address, kept as a function pointer or a `void *`, and main called through it."""
    same_at_every_level(
        HEAD + "int main(void);\n"
        "int depth;\n"
        "int (*again)(void);\n"
        "void *where(void) { return &main; }\n"
        "int main(void) {\n"
        "  int local = 5;\n"
        "  again = main;\n"
        "  depth++;\n"
        '  printf("depth %d %d\\n", depth, local);\n'
        "  local = depth;\n"
        "  if (depth < 3) return again() + local;\n"
        "  return where() != 0 && where() == (void *)again ? 40 : 1;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_calls_through_pointers_to_variadic_functions(tmp_path):
    """The unnamed arguments reach the block of whichever variadic function the pointer holds,
    and a variadic function re-entered through a pointer keeps reading its own."""
    same_at_every_level(
        HEAD + "#include <stdarg.h>\n"
        "int sum(int n, ...) {\n"
        "  va_list ap; int s = 0, i;\n"
        "  va_start(ap, n);\n"
        "  for (i = 0; i < n; i++) s += va_arg(ap, int);\n"
        "  va_end(ap);\n"
        "  return s;\n"
        "}\n"
        "int maxof(int n, ...) {\n"
        "  va_list ap; int m = -1000, i, v;\n"
        "  va_start(ap, n);\n"
        "  for (i = 0; i < n; i++) { v = va_arg(ap, int); if (v > m) m = v; }\n"
        "  va_end(ap);\n"
        "  return m;\n"
        "}\n"
        "int (*self)(int, ...);\n"
        "int nest(int n, ...) {\n"
        "  va_list ap; int first, r;\n"
        "  va_start(ap, n);\n"
        "  first = va_arg(ap, int);\n"
        "  r = n > 1 ? self(n - 1, first * 10, 7, 8) : 0;\n"
        "  r += va_arg(ap, int);\n"
        "  va_end(ap);\n"
        "  return first + r;\n"
        "}\n"
        "typedef int (*vfn)(int, ...);\n"
        "int main(void) {\n"
        "  vfn ops[2] = {sum, maxof};\n"
        "  int i;\n"
        "  self = nest;\n"
        "  for (i = 0; i < 2; i++)\n"
        '    printf("%d %d %d\\n", ops[i](3, 4, 9, 2), ops[i](1, 5), ops[i](0));\n'
        '  printf("%d %d\\n", self(3, 1, 2, 3), sum(2, 3, 4));\n'
        "  return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_variadic_and_fixed_functions_held_in_void_pointers_beside_variadic_pointer_calls(tmp_path):
    """Functions that went through a `void *` may be reached by any call through a pointer: a
    call through a pointer to a variadic function gives its unnamed arguments only to the
    variadic functions with as many named parameters (a fixed one, or another variadic one,
    would be called as C leaves undefined), and a pointer from a `void *` may have more
    parameters than any function, or be null and never called."""
    same_at_every_level(
        HEAD + "#include <stdarg.h>\n"
        "typedef int (*unary)(int);\n"
        "typedef int (*vfn)(int, ...);\n"
        "void *held[4];\n"
        "int dbl(int a) { return 2 * a; }\n"
        "int fact(int n) { return n <= 1 ? 1 : n * ((unary)held[0])(n - 1); }\n"
        "int vsum(int n, ...) {\n"
        "  va_list ap; int s = 0;\n"
        "  va_start(ap, n);\n"
        "  for (int i = 0; i < n; i++) s += va_arg(ap, int);\n"
        "  va_end(ap);\n"
        "  return s;\n"
        "}\n"
        "int vnest(int n, ...) {\n"
        "  va_list ap; int first, r;\n"
        "  va_start(ap, n);\n"
        "  first = va_arg(ap, int);\n"
        "  r = n > 1 ? ((vfn)held[2])(n - 1, first * 10, 7, 8) : 0;\n"
        "  r += va_arg(ap, int);\n"
        "  va_end(ap);\n"
        "  return first + r;\n"
        "}\n"
        "int vbase(int base, int n, ...) {\n"
        "  va_list ap; int s = base;\n"
        "  va_start(ap, n);\n"
        "  for (int i = 0; i < n; i++) s += va_arg(ap, int);\n"
        "  va_end(ap);\n"
        "  return s;\n"
        "}\n"
        "int main(void) {\n"
        "  held[0] = (void *)fact; held[1] = (void *)vsum; held[2] = (void *)vnest;\n"
        "  held[3] = (void *)dbl;\n"
        '  printf("%d %d\\n", ((unary)held[3])(21), ((unary)held[0])(5));\n'
        "  vfn vs = vsum;\n"
        '  printf("%d %d\\n", vs(3, 1, 2, 3), ((vfn)held[1])(5, 1, 2, 3, 4, 5));\n'
        '  printf("%d\\n", ((vfn)held[2])(3, 1, 2, 3));\n'
        "  int (*w)(int, int, ...) = vbase;\n"
        '  printf("%d %d\\n", w(100, 4, 1, 2, 3, 4), ((vfn)held[1])(1, 7));\n'
        "  int (*f3)(int, int, int) = (int (*)(int, int, int))held[3];\n"
        '  if (held[3] == 0) printf("%d\\n", f3(1, 2, 3));\n'
        "  void *none = 0;\n"
        "  unary nothing = (unary)none;\n"
        '  if (nothing) printf("%d\\n", nothing(1));\n'
        '  printf("%d %d\\n", vsum(2, 9, 10), dbl(4));\n'
        "  return 0;\n"
        "}\n",
        tmp_path,
    )


@needs_gcc
def test_a_call_through_a_pointer_with_no_function_s_address_taken(tmp_path):
    """A function pointer that is only ever null (from a `void *`): its calls never run."""
    same_at_every_level(
        HEAD + "int main(void) {\n"
        "  void *vp = 0;\n"
        "  int (*f)(int, int) = (int (*)(int, int))vp;\n"
        '  if (vp) printf("%d\\n", f(1, 2));\n'
        '  printf("%d\\n", f == 0);\n'
        "  return 0;\n"
        "}\n",
        tmp_path,
    )
