"""The char and short types that wrap: `unsigned char`, `signed char`, `short`, `unsigned short`
(and <stdint.h>'s int8_t, uint8_t, int16_t, uint16_t) hold a word here, and each store into one
converts the value as gcc's build does (modulo 2^8 or 2^16, into the type's range): assignments,
compound assignments, `++` and `--` (and their values, also through side effects),
initializers, arguments and return values. Plain `char` holds the word (see the README's word
model). Each run equals gcc's build's at every space-time level."""

from __future__ import annotations

import pytest

from loopmlp.compiler.cc.codeunit import LEVELS
from tests.compiler.cc.running import same_as_gcc

STORES = r"""#include <stdio.h>
#include <stdint.h>
struct pix { unsigned char r, g, b; short s; };
static unsigned char sum8(const unsigned char *p, int n) {
    unsigned char s = 0;
    while (n--) s += *p++;
    return s;
}
static short twice(short x) { return x * 2; }
static signed char neg(signed char c) { return -c; }
unsigned short gs = 65535;
int main(void) {
    unsigned char data[6] = {200, 100, 250, 7, 255, 1};
    unsigned char c = 250, d;
    signed char sc = 120;
    short h = 32000;
    unsigned short us = 65530;
    struct pix p = {250, 251, 252, 32767};
    int i;
    c += 10;
    sc += 10;
    h += 1000;
    us += 10;
    d = c * 50;
    printf("%d %d %d %d %d\n", c, sc, h, us, d);
    for (i = 0; i < 20; i++) { c++; sc--; h -= 3000; us++; }
    printf("%d %d %d %d\n", c, sc, h, us);
    printf("%d %d %d\n", sum8(data, 6), twice(20000), neg(-128));
    p.r += p.g; p.s++; p.b <<= 1;
    printf("%d %d %d %d\n", p.r, p.g, p.b, p.s);
    gs++;
    printf("%d %d\n", gs, (unsigned char)(c + 300));
    c = 255; i = c++; printf("%d %d\n", i, c);
    c = 0; i = --c; printf("%d %d\n", i, c);
    uint8_t u8 = 0; int8_t i8 = 127; uint16_t u16 = 0; int16_t i16 = -32768;
    u8--; i8++; u16 -= 1; i16 -= 1;
    printf("%u %d %u %d\n", u8, i8, u16, i16);
    unsigned char buf[4]; i = 0;
    buf[i++] = 300; buf[i++] = -1; buf[i++] = 256 + 'A'; buf[i] = i * 100;
    printf("%d %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3], i);
    unsigned char x = 0x80; x <<= 1; printf("%d\n", x);
    short arr[3] = {40000, -40000, 70000};
    printf("%d %d %d\n", arr[0], arr[1], arr[2]);
    return sum8(data, 3);
}
"""

EDGES = r"""#include <stdio.h>
int values[] = {0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768, 65535, 65536, -32768,
                -32769, 2147483647, -2147483647 - 1, 1000000, -1000000, 200, 300};
int main(void) {
    unsigned n = sizeof values / sizeof values[0];
    for (unsigned k = 0; k < n; k++) {
        int v = values[k];
        unsigned char uc = v;
        signed char sc = v;
        short s = v;
        unsigned short us = v;
        unsigned char m = uc * v, d = v / 3, r = v >> 4;
        short t = s * 3 - v;
        sc -= v;
        us ^= v;
        printf("%d %d %d %d %d %d %d %d %d %d\n", uc, sc, s, us, m, d, r, t,
               (unsigned char)(v + 1), (short)~v);
    }
    return 0;
}
"""

KNOWN = r"""#include <stdio.h>
#include <string.h>
unsigned char table[8];
short half(short x) { return x / 2; }
unsigned char low(int x) { return x; }
int main(void) {
    unsigned char a = 7, b = a, c = a < b, d = (a + 300) & 15, e;
    char text[] = "\x80\xff\x7f az";
    unsigned char copy[8];
    signed char s[8];
    int i;
    for (i = 0; text[i]; i++) {
        copy[i] = text[i];
        s[i] = text[i];
        table[i & 7] = copy[i] + s[i];
    }
    e = memcmp(copy, text, 3) == 0;
    for (i = 0; i < 6; i++)
        printf("%d %d %d | ", copy[i], s[i], table[i]);
    printf("%d %d %d %d %d %d %d\n", a, b, c, d, e, half(-30001) * 3, low(511));
    return 0;
}
"""

EFFECTS = r"""#include <stdio.h>
unsigned char a[6] = {250, 251, 252, 253, 254, 255};
short s[3] = {32767, -32768, 0};
int calls;
unsigned char *at(int k) { calls++; return &a[k]; }
int main(void) {
    int i = 0, j = 0, old;
    a[i++] += 300;
    a[i++]++;
    old = a[i++]--;
    *at(3) *= 7;
    old += (*at(4))++;
    s[j++] += 2;
    old += --s[j++];
    printf("%d %d %d %d %d %d | %d %d %d | %d %d %d %d\n", a[0], a[1], a[2], a[3], a[4], a[5],
           s[0], s[1], s[2], i, j, old, calls);
    return 0;
}
"""

BYTES = r"""#include <stdio.h>
#include <string.h>
#include <stdint.h>
signed char gs[] = "\xff\x80 A";
int main(void) {
    signed char s[4] = "\xe9z";
    int8_t t[] = "\x81";
    unsigned char u[4], v[3] = "\xff";
    uint8_t w[2];
    char c[2];
    memset(c, 0xff, sizeof c);                  /* memset of a char first: -1 */
    memset(u, 0xff, sizeof u);
    memset(w, -2, sizeof w);
    printf("%d %d %d %d | %d %d %d | ", gs[0], gs[1], gs[2], gs[3], s[0], s[1], t[0]);
    printf("%d %d %d %d | %d %d | %d\n", u[0], u[3], u[1] == 255, v[0], w[0], w[1], c[1]);
    return 0;
}
"""

PROTOTYPED = r"""#include <stdio.h>
void *memset(void *, int, unsigned long);   /* the program's own prototype of the library's */
int main(void) {
    unsigned char a[2];
    memset(a, 255, 2);
    printf("%d %d\n", a[0], a[1]);
    return 0;
}
"""

UNEVALUATED = r"""#include <stdio.h>
static unsigned char c0 = 250;
_Bool b;
short s[2];
int size = sizeof(c0++) + sizeof(b--) + sizeof(s[1] += 3);
int main(void) {
    printf("%d %d %d %d\n", size, c0, b, s[1]);
    return 0;
}
"""

CASES = {
    "stores": STORES,
    "edges": EDGES,
    "known ranges": KNOWN,
    "side effects": EFFECTS,
    "bytes": BYTES,
    "memset prototyped": PROTOTYPED,
}


@pytest.mark.parametrize("level", range(len(LEVELS)))
@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_narrow_types_wrap_as_gccs_build(source, level, tmp_path):
    same_as_gcc(source, tmp_path, level=level)


def test_a_static_initializer_that_steps_a_narrow_object_is_not_constant():
    from loopmlp.compiler.cc import compile_c
    from loopmlp.ir.errors import LoopmlpError

    with pytest.raises(LoopmlpError, match=r"prog\.c:2:10: initializer element is not constant"):
        compile_c("unsigned char c0;\nint y = (c0++, 1);\nint main(void) { return y; }\n", "prog.c")
