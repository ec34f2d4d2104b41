"""C's derived types against gcc's build: structs and unions, typedef, multi-dimensional
arrays, pointers to arrays and arrays of pointers, and their initializers. Each program runs
on the reference interpreter at every level of the code generator (sizes are printed as
ratios, which the word model keeps: `sizeof a / sizeof a[0]`)."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc import compile_c
from loopmlp.ir.errors import LoopmlpError
from tests.compiler.cc.running import needs_gcc, same_at_every_level

HEAD = "#include <stdio.h>\n"


@needs_gcc
def test_struct_members_nested_records_and_pointers_to_them(tmp_path):
    same_at_every_level(
        HEAD + "struct point { int x, y; };\n"
        "struct rect { struct point a, b; char name[6]; };\n"
        "int area(struct rect *r) { return (r->b.x - r->a.x) * (r->b.y - r->a.y); }\n"
        "int main(void) {\n"
        '  struct rect r = { {1, 2}, {4, 6}, "box" };\n'
        "  struct rect *p = &r; struct point *c = &p->b;\n"
        "  c->x += 10; r.a.y--; p->name[0] = 'B';\n"
        '  printf("%d %d %d %s %d\\n", area(p), r.b.x, p->a.y, r.name, (*p).b.y);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_struct_assignment_copies_every_word_and_unions_share_them(tmp_path):
    same_at_every_level(
        HEAD + "struct s { int a; int v[3]; char c; };\n"
        "union u { int i; char c; struct { int lo, hi; } pair; };\n"
        "struct s g = {7, {1, 2, 3}, 'g'};\n"
        "int main(void) {\n"
        "  struct s x, y, arr[3];\n"
        "  union u w;\n"
        "  x = g; x.v[1] = 20; y = x; arr[2] = y; arr[2].a = 9; g = arr[2];\n"
        "  w.pair.lo = 65; w.pair.hi = 66;\n"
        '  printf("%d %d %d %c %d %d\\n", y.a, y.v[1], g.a, g.c, g.v[2], arr[2].v[1]);\n'
        '  printf("%d %c %d\\n", w.i, w.c, w.pair.hi);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_a_linked_list_of_self_referential_structs_in_an_array(tmp_path):
    same_at_every_level(
        HEAD + "typedef struct node { int value; struct node *next; } Node;\n"
        "Node pool[8];\n"
        "int sum(Node *n) { return n ? n->value + sum(n->next) : 0; }\n"
        "int main(void) {\n"
        "  Node *head = 0; int i;\n"
        "  for (i = 0; i < 8; i++) { pool[i].value = i * i; pool[i].next = head; "
        "head = &pool[i]; }\n"
        '  for (Node *n = head; n; n = n->next) printf("%d ", n->value);\n'
        '  printf("| %d\\n", sum(head));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_recursive_functions_keep_their_struct_and_matrix_locals(tmp_path):
    same_at_every_level(
        HEAD + "struct pair { int lo, hi; };\n"
        "int f(int n) {\n"
        "  struct pair p = { n, n * 2 }; int m[2][2] = { {n, 1}, {2, n} };\n"
        "  if (n == 0) return 0;\n"
        "  int below = f(n - 1);\n"
        "  return p.lo + p.hi + m[0][0] * m[1][1] + m[0][1] + below;\n"
        "}\n"
        'int main(void) { printf("%d\\n", f(5)); return 0; }\n',
        tmp_path,
    )


@needs_gcc
def test_multi_dimensional_arrays_and_pointers_to_their_rows(tmp_path):
    same_at_every_level(
        HEAD + "int grid[3][4] = { {1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12} };\n"
        "int flat[2][3] = { 1, 2, 3, 4 };\n"  # braces left out: rows filled in order
        'char names[][4] = { "ab", "cde", "f" };\n'
        "int total(int rows, int m[][4]) { int s = 0, i, j;\n"
        "  for (i = 0; i < rows; i++) for (j = 0; j < 4; j++) s += m[i][j] * (i + 1);\n"
        "  return s; }\n"
        "int main(void) {\n"
        "  int (*row)[4] = grid + 1; int *cells[3]; int cube[2][2][2] = {0}; int i;\n"
        "  for (i = 0; i < 3; i++) cells[i] = grid[i] + i;\n"
        "  cube[1][0][1] = 5; cube[0][1][1] = cube[1][0][1] * 2;\n"
        '  printf("%d %d %d %d\\n", total(3, grid), row[0][2], (*row)[3], *cells[2]);\n'
        '  printf("%d %d %d %s %s\\n", flat[1][0], flat[1][2], cube[0][1][1], names[1], '
        "names[2]);\n"
        '  printf("%d %d %d\\n", (int)(sizeof grid / sizeof grid[0]), '
        "(int)(sizeof grid[0] / sizeof grid[0][0]), (int)(sizeof names / sizeof names[0]));\n"
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_designated_and_partial_initializers_leave_the_rest_zero(tmp_path):
    same_at_every_level(
        HEAD + "struct p { int x, y, z; };\n"
        "struct p g = { .z = 3, .x = 1 };\n"
        "int a[6] = { [4] = 4, 5, [1] = 1 };\n"
        "struct p ps[3] = { [1] = { .y = 8 }, { 1, 2 } };\n"
        "int main(void) {\n"
        "  struct p l = { .y = 5 }; int b[5] = { 1, [3] = 3 }; struct p q = l;\n"
        "  int i;\n"
        '  printf("%d %d %d | %d %d %d | %d %d\\n", g.x, g.y, g.z, l.x, l.y, l.z, q.y, '
        "ps[1].y + ps[2].x);\n"
        '  for (i = 0; i < 6; i++) printf("%d ", a[i]);\n'
        '  for (i = 0; i < 5; i++) printf("%d ", b[i]);\n'
        '  printf("%d\\n", (int)(sizeof a / sizeof a[0]));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_typedef_names_scopes_and_anonymous_members(tmp_path):
    same_at_every_level(
        HEAD + "typedef int word; typedef word *wordp; typedef char line[8];\n"
        "typedef struct { word a; union { word b; char c; }; } mixed;\n"
        "int main(void) {\n"
        '  word w = 3; wordp p = &w; line l = "hi"; mixed m = { 1, { 66 } };\n'
        "  { typedef char word; word c = 'z'; printf(\"%c \", c); }\n"
        "  *p += 1; m.b += 1;\n"
        '  printf("%d %s %d %c %d\\n", w, l, m.a, m.c, (int)(sizeof(line) / sizeof(char)));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_structs_passed_and_returned_by_value_are_copies(tmp_path):
    same_at_every_level(BY_VALUE, tmp_path)


BY_VALUE = (
    HEAD + "struct v { int x, y; };\n"
    "struct big { int a[5]; struct v p; };\n"
    "struct v add(struct v a, struct v b) { struct v r; r.x = a.x + b.x; r.y = a.y + b.y; "
    "a.x = 100; return r; }\n"
    "struct v scale(struct v a, int k) { a.x *= k; a.y *= k; return a; }\n"
    "struct big fill(int n) { struct big b; int i; for (i = 0; i < 5; i++) b.a[i] = n + i; "
    "b.p.x = n; b.p.y = -n; return b; }\n"
    "int sum(struct big b) { int s = 0, i; for (i = 0; i < 5; i++) s += b.a[i]; b.a[0] = 99; "
    "return s + b.p.x + b.p.y; }\n"
    "struct v rec(int n) { struct v r; if (n == 0) { r.x = 1; r.y = 0; return r; } "
    "r = rec(n - 1); struct v t = { r.x + r.y, r.x }; return t; }\n"
    "int main(void) {\n"
    "  struct v a = {1, 2}, b = {10, 20}, c; struct big g;\n"
    "  c = add(a, b);\n"
    '  printf("%d %d %d\\n", c.x, c.y, a.x);\n'
    '  printf("%d %d\\n", scale(add(a, b), 3).y, add(scale(a, 2), b).x);\n'
    "  g = fill(7);\n"
    '  printf("%d %d %d\\n", sum(g), g.a[0], sum(fill(1)));\n'
    "  struct v f = rec(10);\n"
    '  printf("%d %d\\n", f.x, f.y);\n'
    "  return add(a, b).y - 22;\n}\n"
)


@pytest.mark.parametrize(
    "source, message",
    [
        ("struct s { int a; };\nint f(struct s *p) { return p->b; }", "has no member named 'b'"),
        ("struct s;\nstruct s v;", "storage size of 'v' isn't known"),
        ("struct s { int a; };\nint f(struct s v);\nint g(void) { return f(1); }", "argument 1"),
        ("struct s { int a; } v;\nint f(void) { return v + 1; }", "where a scalar is required"),
        ("int a[2] = {1, 2, 3};", "excess elements in array initializer"),
        ("struct s { int a; } v = {1, 2};", "excess elements in struct s initializer"),
        ("int m[][] = {{1}};", "array type has incomplete element type"),
        ("struct s { int a; };\nstruct s { int b; };", "redefinition of 'struct s'"),
        ("int f(int x) { return x.a; }", "request for member 'a' in something not a structure"),
        ("struct s { int a; } v;\nint f(void) { v = (struct s)1; return 0; }", "non-scalar type"),
        ("struct A { int x; } a;\nint f(void) { if (a) return 1; return 0; }", "where scalar"),
        ("struct A { int x; } a;\nint f(void) { int x = a; return x; }", "incompatible types"),
        ("struct A { int x; } a;\nint f(void) { return (int)a; }", "aggregate value used"),
        ("struct A { int x; } a;\nint f(void) { return a; }", "when returning type"),
        ("struct A { int x; } a;\nint f(void) { return 1 ? a : 2; }", "type mismatch"),
        ("struct A { int x; } a;\nint f(void) { a++; return 0; }", "wrong type argument"),
        ("struct A { int x; } a;\nint f(void) { switch (a) { default: return 1; } }", "scalar"),
        ("struct B { int a[100000000]; } b;", "'struct B' of 100,000,000 words is larger"),
        ("int f(void) { return sizeof(int[0x7fffffff][2]); }", "size of array is too large"),
    ],
)
def test_invalid_uses_of_types_are_refused_in_one_line(source, message):
    with pytest.raises(LoopmlpError) as err:
        compile_c(source, "prog.c")
    text = str(err.value)
    assert "\n" not in text and text.startswith("prog.c:"), text
    assert message in text, text


@needs_gcc
def test_case_labels_anywhere_in_a_switch_as_duffs_device_has_them(tmp_path):
    same_at_every_level(
        HEAD + "void copy(int *to, int *from, int count) {\n"
        "  int n = (count + 7) / 8;\n"
        "  switch (count % 8) {\n"
        "  case 0: do { *to++ = *from++;\n"
        "  case 7: *to++ = *from++; case 6: *to++ = *from++; case 5: *to++ = *from++;\n"
        "  case 4: *to++ = *from++; case 3: *to++ = *from++; case 2: *to++ = *from++;\n"
        "  case 1: *to++ = *from++; } while (--n > 0);\n"
        "  }\n}\n"
        "int f(int n, int k) {\n"
        "  int r = 0;\n"
        "  for (int i = 0; i < 4; i++) {\n"
        "    switch (k + i) {\n"
        "    case 0: r += 1;\n"
        "      if (n > 0) { case 1: r += n > 0 ? f(n - 1, k) * 2 : 3; break; }\n"
        "      else { default: r += 100; if (i == 2) continue; }\n"
        "      switch (n) { case 0: r += 7; break; default: r -= 1; }\n"
        "    case 3: r += 1000; break;\n"
        "    }\n"
        "    r += 10000;\n"
        "  }\n"
        "  return r;\n}\n"
        "int main(void) {\n"
        "  int a[20], b[20], i;\n"
        "  for (i = 0; i < 20; i++) { a[i] = i * i; b[i] = -1; }\n"
        '  for (i = 0; i < 12; i++) { copy(b, a, i); printf("%d ", b[i ? i - 1 : 0]); }\n'
        '  printf("\\n%d %d %d\\n", f(2, 0), f(3, 1), f(1, 5));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_compound_literals_are_objects_made_where_they_are(tmp_path):
    same_at_every_level(
        HEAD + "struct p { int x, y; };\n"
        "struct p *origin = &(struct p){ 0, 7 };\n"
        "int *primes = (int[]){ 2, 3, 5, 7, 11 };\n"
        "int len(struct p v) { return v.x * v.x + v.y * v.y; }\n"
        "int sum(const int *a, int n) { int s = 0; while (n--) s += a[n]; return s; }\n"
        "int depth(int n) {\n"
        "  struct p *q = &(struct p){ .y = n };\n"
        "  if (n == 0) return q->x + q->y;\n"
        "  int below = depth(n - 1);\n"
        "  return below + q->y * 10;\n}\n"
        "int main(void) {\n"
        "  int i, total = 0;\n"
        "  for (i = 0; i < 3; i++) { int *a = (int[4]){ i, i + 1 }; a[3] += i; "
        "total += a[0] + a[1] + a[2] + a[3]; }\n"
        '  printf("%d %d %d %d\\n", origin->y, primes[4], sum((int[]){ 1, 2, 3 }, 3), total);\n'
        '  printf("%d %d %d\\n", len((struct p){ 3, 4 }), (struct p){ .y = 9 }.y, depth(4));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_pointers_to_structs_and_rows_step_by_whole_elements(tmp_path):
    same_at_every_level(
        HEAD + "struct P { int x, y; };\n"
        "int main(void) {\n"
        "  struct P a[3] = { {4, 5}, {6, 7}, {8, 9} }, *p = a, *q, *old;\n"
        "  int k = 2, s = 0, m[3][4] = { {1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12} };\n"
        "  int (*r)[4] = m;\n"
        '  p++; printf("%d ", p->x); p = a; p += 1; printf("%d ", p->x);\n'
        '  p = a + 2; p--; printf("%d ", p->x); p = a + 2; p -= 2; printf("%d ", p->x);\n'
        '  p = a; p += k; printf("%d ", p->y);\n'
        "  for (q = a; q < a + 3; q++) s += q->y;\n"
        '  p = a; old = p++; printf("%d %d %d ", s, old->x, p->x);\n'
        '  p = a + 2; old = p--; printf("%d %d ", old->x, p->x);\n'
        '  r++; printf("%d ", (*r)[1]); r += 1; printf("%d ", r[0][3]); --r;\n'
        '  printf("%d\\n", (int)(r - m));\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_a_specifier_with_several_declarators_is_one_type(tmp_path):
    same_at_every_level(
        HEAD + "struct s { int a; } v, w;\n"
        "typedef struct node { int v; struct node *next; } Node, *NodePtr;\n"
        "union u { int i; char c; } x, y;\n"
        "enum { X, Y } ea, eb;\n"
        "struct { int q; } an1, an2;\n"
        "int main(void) {\n"
        "  Node n = {3, 0}; NodePtr p = &n;\n"
        "  v.a = 1; w = v; x.i = 66; y = x; an1.q = 5; an2 = an1; ea = Y; eb = X;\n"
        '  printf("%d %d %c %d %d %d\\n", w.a, p->v, y.c, an2.q, ea, eb);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_struct_copies_through_addresses_with_side_effects_compute_them_once(tmp_path):
    same_at_every_level(
        HEAD + "struct P { int x, y; };\n"
        "struct S { struct P it[8]; int top; };\n"
        "struct P make(int k) { struct P p = { k, k * k }; return p; }\n"
        "int main(void) {\n"
        "  struct S s = { .top = 0 };\n"
        "  struct P p = { 1, 2 }, a[4] = { {1, 1}, {2, 2}, {3, 3}, {4, 4} };\n"
        "  int i = 0;\n"
        "  s.it[s.top++] = p; s.it[s.top++] = make(3); s.it[s.top++] = a[i++];\n"
        "  struct P q = a[i++];\n"
        "  struct P *d = a + 2, *src = a;\n"
        "  *d++ = *src++;\n"
        "  struct P r = s.it[--s.top];\n"
        '  printf("%d %d %d %d %d %d %d %d %d\\n", s.top, s.it[0].y, s.it[1].y, q.x, i, a[2].x,\n'
        "         (int)(d - a), r.x, (int)(src - a));\n"
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_designators_of_elements_and_members_go_on_from_there(tmp_path):
    same_at_every_level(
        HEAD + "struct in { int x, y, z; };\n"
        "struct out { int a; struct in b; int c[3]; };\n"
        "int id[3][3] = { [0][0] = 1, [1][1] = 1, [2][2] = 1 };\n"
        "int m[2][3] = { [0][1] = 5, 6, [1] = { 7 }, [1][2] = 8 };\n"
        "struct out o = { .b.y = 2, 3, .c[1] = 9, .a = 4 };\n"
        "struct { char tag; int v; } arr[3] = { [0].tag = 'z', [1].v = 5, 6 };\n"
        "int main(void) {\n"
        '  for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) printf("%d", id[i][j]);\n'
        '  for (int i = 0; i < 6; i++) printf(" %d", m[i / 3][i % 3]);\n'
        '  printf("\\n%d %d %d %d %d %d %d\\n", o.a, o.b.x, o.b.y, o.b.z,\n'
        "         o.c[0], o.c[1], o.c[2]);\n"
        "  struct out l = { .c[2] = 1, .b = { .z = 3 }, .b.x = 2 };\n"
        '  printf("%c %d %d %d | %d %d %d %d\\n", arr[0].tag, arr[1].v, arr[2].tag, arr[2].v,\n'
        "         l.b.x, l.b.y, l.b.z, l.c[2]);\n"
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_chained_struct_assignment_and_a_declaration_before_the_first_case(tmp_path):
    same_at_every_level(
        HEAD + "struct P { int x, y; };\n"
        "int main(void) {\n"
        "  struct P a, b, c = { 3, 4 }; int x = 3, n = 0;\n"
        "  a = b = c;\n"
        "  switch (x) { int y; case 3: y = 4; n = y; break; case 4: n = 9; }\n"
        "  switch (x) { n += 100; default: n += 1; }\n"
        "  goto in; switch (x) { in: n += 1000; case 3: n += 10; }\n"
        '  printf("%d %d %d\\n", a.x + b.y, (a = c).y, n);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_range_designators_and_designators_of_anonymous_members(tmp_path):
    same_at_every_level(
        HEAD + "struct p { int a, b; };\n"
        "union uv { struct { int a, b; }; int s[3]; };\n"
        "struct t { int tag; union { int i; struct { int lo, hi; }; }; };\n"
        "int g[8] = {[1 ... 3] = 7, [2] = 1, [5 ... 6] = -2};\n"
        "union uv gu = {.b = 8, .a = 7};\n"
        "struct t gt = {.hi = 4, .tag = 2};\n"
        "int main(void) {\n"
        "  int e = 0x42, i;\n"
        "  int l[12] = { [1 ... 5] = 9, [6 ... 10] = e, [4 ... 7] = e + 1 };\n"
        "  struct p x[4] = {[0 ... 2] = 7, 8};\n"
        "  struct p y[3] = {[0] = {1, 2}, [0] = {3}};\n"
        "  struct p z[4] = {[0 ... 2] = {5, 6}, [1].b = 9, [3 ... 3].a = 1};\n"
        "  union uv lu = {.b = 3};\n"
        '  for (i = 0; i < 8; i++) printf("%d ", g[i]);\n'
        '  for (i = 0; i < 12; i++) printf("%d ", l[i]);\n'
        '  for (i = 0; i < 4; i++) printf("%d %d, ", x[i].a, x[i].b);\n'
        '  printf("\\n%d %d %d %d %d %d %d\\n", y[0].a, y[0].b, z[1].a, z[1].b, z[2].b, z[3].a, '
        "z[3].b);\n"
        '  printf("%d %d %d %d %d %d\\n", gu.a, gu.b, gt.tag, gt.hi, lu.a, lu.b);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_flexible_array_members_empty_structs_and_zero_length_arrays(tmp_path):
    same_at_every_level(
        HEAD + "typedef struct {} empty;\n"
        "struct with { char a; empty e; char b; };\n"
        "struct flex { int n; int v[]; };\n"
        "struct zero { int n; int r[0]; };\n"
        "struct p { int a, b; };\n"
        "struct with gw = { {1}, (empty){}, 022 };\n"
        "struct flex gf = {3, {10, 20, 30}};\n"
        "struct flex gn;\n"
        "struct p gp = ((struct p){5, 6});\n"
        "int sum(struct flex *f) { int s = 0; for (int i = 0; i < f->n; i++) s += f->v[i]; "
        "return s; }\n"
        "int main(void) {\n"
        "  struct flex *h = &gf; struct p q = {1, 2}, r = (struct p)q; int k = 0;\n"
        "  struct zero z = { .n = 4 };\n"
        '  printf("%d %d %d %d\\n", (int)sizeof(empty), gw.a, gw.b, sum(h));\n'
        '  printf("%d %d %d\\n", sizeof(struct flex) == sizeof(int), gn.n, z.n);\n'
        '  printf("%d %d %d %d %d\\n", gp.a, gp.b, r.a, r.b, k);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "struct f { int n; int v[]; };\nint g(void) { struct f x = {1, {2}}; return 0; }",
            "non-static initialization of a flexible array member",
        ),
        (
            "struct f { int n; int v[]; };\nstruct f a[2] = {{1, {2}}};",
            "initialization of flexible array member in a nested context",
        ),
        ("struct f { int v[]; int n; };", "flexible array member not at end of struct"),
        ("struct f { int v[]; };", "flexible array member in a struct with no named members"),
        ("union f { int n; int v[]; };", "flexible array member in union"),
        ("int a[4] = {[3 ... 1] = 2};", "empty index range in initializer"),
        ("int a[4] = {[2 ... 4] = 2};", "array index in initializer exceeds array bounds"),
        ("int a[-1];", "size of array is negative"),
        ("int k = {};", "empty scalar initializer"),
        ("int g = ((int[]){1, 2})[1];", "initializer element is not constant"),
        ("struct s { int a, b; };\nint h = ((struct s){1, 2}).b;", "is not constant"),
        (
            "struct s { const int k; } a, b;\nint f(void) { a = b; return 0; }",
            "assignment of read-only variable 'a'",
        ),
    ],
)
def test_invalid_initializers_and_flexible_members_are_refused(source, message):
    test_invalid_uses_of_types_are_refused_in_one_line(source, message)


@needs_gcc
def test_an_enum_is_unsigned_when_no_constant_is_negative_as_in_gcc(tmp_path):
    same_at_every_level(
        HEAD + "enum pos { A = 1, B = 2 };\n"
        "enum neg { C = -1, D = 2 };\n"
        "enum fwd;\n"
        "enum fwd later(void);\n"
        "enum fwd { E, F };\n"
        "enum fwd later(void) { return F; }\n"
        "int main(void) {\n"
        "  enum pos p = A; enum neg n = D; enum fwd f = later();\n"
        '  printf("%d %d %d %d\\n", p - 2 < 0, n - 3 < 0, f - 2 < 0, (p - 3) / 2 > 0);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@needs_gcc
def test_an_enumeration_constant_above_int_max_is_unsigned_as_in_gcc(tmp_path):
    same_at_every_level(
        HEAD + "enum a { A = 4294967295 };\n"
        "enum b { B = 3000000000 };\n"
        "enum c { C = 0x80000000u, D };\n"
        "int main(void) {\n"
        '  printf("%d %d %d %d %u %u %d\\n", A > 0, B > 0, C > 0, D > 0, A, D, (enum a)A > 0);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "source", ["enum x { A = -1, B = 0x80000000u };", "enum x { A = 1LL << 40 };"]
)
def test_enumeration_values_wider_than_int_are_refused(source):
    with pytest.raises(LoopmlpError, match="enumeration values that need a type wider than int"):
        compile_c(source + "\nint main(void) { return 0; }\n", "prog.c")


@needs_gcc
def test_designators_go_on_inside_anonymous_members_and_ranges_nest(tmp_path):
    same_at_every_level(
        HEAD + "struct q { int a; struct { int b, c; }; int d; };\n"
        "struct q v = {.b = 1, 2, 3};\n"
        "struct r { int a; union { struct { int x, y; }; long z; }; int e; } w = {.y = 5, 6, "
        ".a = 9};\n"
        "int m[2][3] = {[0 ... 1][1 ... 2] = 4, [1][0] = 7};\n"
        "int main(void) {\n"
        "  struct q l = {.c = 4, 5};\n"
        '  printf("%d %d %d %d | %d %d %d %d\\n", v.a, v.b, v.c, v.d, l.a, l.b, l.c, l.d);\n'
        '  printf("%d %d %d\\n", w.a, w.y, w.e);\n'
        '  for (int i = 0; i < 6; i++) printf("%d ", m[i / 3][i % 3]);\n'
        "  return 0;\n}\n",
        tmp_path,
    )


@pytest.mark.parametrize(
    "source, words",
    [
        ("int a[] = { [100000000] = 1 };", "100,000,001"),
        ("int b[] = {[0 ... 1000000] = 2};", "1,000,001"),
    ],
)
def test_a_designator_past_memory_is_refused_at_once(source, words):
    with pytest.raises(LoopmlpError, match=f"an array of {words} words is larger than the 65,536"):
        compile_c(source + "\nint main(void) { return 0; }\n", "prog.c")
