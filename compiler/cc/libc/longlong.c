/* loopmlp's long long and unsigned long long: a two-word value, its low word first, read and
   written here as unsigned words through a pointer. The checker lowers every operator on these
   types to a call of one of these functions (the value passed and returned as a struct is). */

//@ __ll_make
long long __ll_make(unsigned lo, unsigned hi) {
    long long r;
    unsigned *w = (unsigned *)&r;
    w[0] = lo;
    w[1] = hi;
    return r;
}

//@ __ll_from_int
long long __ll_from_int(int x) { return __ll_make(x, x < 0 ? -1 : 0); }

//@ __ll_from_uint
long long __ll_from_uint(unsigned x) { return __ll_make(x, 0); }

//@ __ll_low
unsigned __ll_low(long long a) { return *(unsigned *)&a; }

//@ __ll_bool
int __ll_bool(long long a) {
    unsigned *w = (unsigned *)&a;
    return (w[0] | w[1]) != 0;
}

//@ __ll_add
long long __ll_add(long long a, long long b) {
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    unsigned lo = x[0] + y[0];
    return __ll_make(lo, x[1] + y[1] + (lo < x[0]));
}

//@ __ll_sub
long long __ll_sub(long long a, long long b) {
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    return __ll_make(x[0] - y[0], x[1] - y[1] - (x[0] < y[0]));
}

//@ __ll_neg
long long __ll_neg(long long a) {
    unsigned *x = (unsigned *)&a;
    return __ll_make(-x[0], -x[1] - (x[0] != 0));
}

//@ __ll_not
long long __ll_not(long long a) {
    unsigned *x = (unsigned *)&a;
    return __ll_make(~x[0], ~x[1]);
}

//@ __ll_and
long long __ll_and(long long a, long long b) {
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    return __ll_make(x[0] & y[0], x[1] & y[1]);
}

//@ __ll_or
long long __ll_or(long long a, long long b) {
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    return __ll_make(x[0] | y[0], x[1] | y[1]);
}

//@ __ll_xor
long long __ll_xor(long long a, long long b) {
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    return __ll_make(x[0] ^ y[0], x[1] ^ y[1]);
}

//@ __ll_mul
long long __ll_mul(long long a, long long b) {
    /* the low words' whole product from 16-bit halves, then the cross terms' low words */
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    unsigned al = x[0] & 65535, ah = x[0] >> 16, bl = y[0] & 65535, bh = y[0] >> 16;
    unsigned p0 = al * bl, p1 = al * bh, p2 = ah * bl, p3 = ah * bh;
    unsigned mid = (p0 >> 16) + (p1 & 65535) + (p2 & 65535);
    unsigned lo = (p0 & 65535) | (mid << 16);
    unsigned hi = p3 + (p1 >> 16) + (p2 >> 16) + (mid >> 16);
    return __ll_make(lo, hi + x[0] * y[1] + x[1] * y[0]);
}

//@ __ll_shl
long long __ll_shl(long long a, int n) {
    unsigned *x = (unsigned *)&a;
    if (n == 0)
        return a;
    if (n >= 32)
        return __ll_make(0, x[0] << (n - 32));
    return __ll_make(x[0] << n, (x[1] << n) | (x[0] >> (32 - n)));
}

//@ __ll_ushr
long long __ll_ushr(long long a, int n) {
    unsigned *x = (unsigned *)&a;
    if (n == 0)
        return a;
    if (n >= 32)
        return __ll_make(x[1] >> (n - 32), 0);
    return __ll_make((x[0] >> n) | (x[1] << (32 - n)), x[1] >> n);
}

//@ __ll_shr
long long __ll_shr(long long a, int n) {
    unsigned *x = (unsigned *)&a;
    int hi = x[1];
    if (n == 0)
        return a;
    if (n >= 32)
        return __ll_make(hi >> (n - 32), hi >> 31);
    return __ll_make((x[0] >> n) | (x[1] << (32 - n)), hi >> n);
}

//@ __ll_cmp
int __ll_cmp(long long a, long long b) {
    /* -1, 0 or 1 as a is below, equal to or above b (signed) */
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    int xh = x[1], yh = y[1];
    if (xh != yh)
        return xh < yh ? -1 : 1;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return 0;
}

//@ __ll_ucmp
int __ll_ucmp(long long a, long long b) {
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b;
    if (x[1] != y[1])
        return x[1] < y[1] ? -1 : 1;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return 0;
}

//@ __ll_udivmod
long long __ll_udivmod(long long a, long long b, long long *rem) {
    /* the quotient, and the remainder through rem: by 16-bit limbs when b fits 16 bits,
       else shift and subtract, bit by bit */
    unsigned *x = (unsigned *)&a, *y = (unsigned *)&b, *r = (unsigned *)rem;
    unsigned q[2], limb[4], d = y[0], carry, top;
    int i;
    if (y[1] == 0 && d < 65536 && d != 0) {
        unsigned left = 0;
        limb[0] = x[1] >> 16;
        limb[1] = x[1] & 65535;
        limb[2] = x[0] >> 16;
        limb[3] = x[0] & 65535;
        for (i = 0; i < 4; i++) {
            unsigned cur = (left << 16) | limb[i];
            limb[i] = cur / d;
            left = cur % d;
        }
        r[0] = left;
        r[1] = 0;
        return __ll_make((limb[2] << 16) | limb[3], (limb[0] << 16) | limb[1]);
    }
    q[0] = q[1] = 0;
    r[0] = r[1] = 0;
    for (i = 63; i >= 0; i--) {
        top = r[1] >> 31;
        r[1] = (r[1] << 1) | (r[0] >> 31);
        r[0] = (r[0] << 1) | ((i >= 32 ? x[1] >> (i - 32) : x[0] >> i) & 1);
        if (top || r[1] > y[1] || (r[1] == y[1] && r[0] >= y[0])) {
            carry = r[0] < y[0];
            r[0] = r[0] - y[0];
            r[1] = r[1] - y[1] - carry;
            if (i >= 32)
                q[1] = q[1] | (1u << (i - 32));
            else
                q[0] = q[0] | (1u << i);
        }
    }
    return __ll_make(q[0], q[1]);
}

//@ __ll_udiv
long long __ll_udiv(long long a, long long b) {
    long long r;
    return __ll_udivmod(a, b, &r);
}

//@ __ll_umod
long long __ll_umod(long long a, long long b) {
    long long r;
    __ll_udivmod(a, b, &r);
    return r;
}

//@ __ll_div
long long __ll_div(long long a, long long b) {
    /* C's division truncates: the magnitudes' quotient, negated when the signs differ */
    long long r, q;
    int na = ((int *)&a)[1] < 0, nb = ((int *)&b)[1] < 0;
    q = __ll_udivmod(na ? __ll_neg(a) : a, nb ? __ll_neg(b) : b, &r);
    return na != nb ? __ll_neg(q) : q;
}

//@ __ll_mod
long long __ll_mod(long long a, long long b) {
    /* the remainder takes the dividend's sign */
    long long r;
    int na = ((int *)&a)[1] < 0, nb = ((int *)&b)[1] < 0;
    __ll_udivmod(na ? __ll_neg(a) : a, nb ? __ll_neg(b) : b, &r);
    return na ? __ll_neg(r) : r;
}

//@ __ll_str
char *__ll_str(long long a, int conv, char *buf) {
    /* a's digits as printf's %lld (conv 'd'; plus 256: its '+' flag, 512: its ' '), %llu,
       %llo, %llx or %llX prints them, into buf (24 chars), which is returned */
    unsigned *x = (unsigned *)&a;
    unsigned limb[4], base, left;
    int sign = conv >> 8, i, neg, end = 23;
    const char *digits;
    conv = conv & 255;
    base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10;
    digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    neg = conv == 'd' && (int)x[1] < 0;
    if (neg) {
        a = __ll_neg(a);
        x = (unsigned *)&a;
    }
    limb[0] = x[1] >> 16;
    limb[1] = x[1] & 65535;
    limb[2] = x[0] >> 16;
    limb[3] = x[0] & 65535;
    buf[end] = 0;
    do {
        left = 0;
        for (i = 0; i < 4; i++) {
            unsigned cur = (left << 16) | limb[i];
            limb[i] = cur / base;
            left = cur % base;
        }
        buf[--end] = digits[left];
    } while (limb[0] | limb[1] | limb[2] | limb[3]);
    if (neg)
        buf[--end] = '-';
    else if (conv == 'd' && sign)
        buf[--end] = sign & 1 ? '+' : ' ';
    return buf + end;
}
