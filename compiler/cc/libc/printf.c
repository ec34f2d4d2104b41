// (sprintf's printf is this whole file with `#define __TO_BUFFER` in place of this line)
/* loopmlp's printf at run time: __printf reads a format known only at run time, and __pf
   prints one conversion with flags, a width or a precision (formats.py's flag bits), both
   through the printing routines to the output. With __TO_BUFFER, the same code is sprintf's
   and snprintf's: __snprintf writes into a buffer of `cap` chars (the count of what would
   have been written is returned, the text is cut at cap - 1 and ends in a NUL, as C99 says),
   through __sput and __sputn in place of the output and the routines. */

#ifdef __TO_BUFFER
#define __PRINTF __sprintf_run
#define __PF __spf
#define __OUT(c) __sput(c)
#define __OUT_D(x) __sputd(x)
#define __OUT_U(x) __sputn(x, 10, 0)
#define __OUT_x(x) __sputn(x, 16, 0)
#define __OUT_X(x) __sputn(x, 16, 1)
#define __OUT_O(x) __sputn(x, 8, 0)
#define __OUT_S(s) __sputs(s)

char *__sbuf;
int __slen, __scap;

void __sput(int c) {
    if (__slen < __scap)
        __sbuf[__slen] = c;
    __slen++;
}

void __sputs(char *s) {
    while (*s)
        __sput(*s++);
}

/* x's digits in base b, x read as an N-bit unsigned value. */
void __sputn(int x, int b, int up) {
    char d[40];
    int n = 0, h, r;
    if (x < 0) {  /* x = 2h + (x & 1): its quotient by b from h's, which a word holds */
        h = (x >> 1) & __INT_MAX__;
        r = 2 * (h % b) + (x & 1);
        d[n++] = r % b;
        x = 2 * (h / b) + r / b;
    }
    do {
        d[n++] = x % b;
        x = x / b;
    } while (x);
    while (n > 0) {
        r = d[--n];
        __sput(r < 10 ? '0' + r : (up ? 'A' : 'a') + r - 10);
    }
}

void __sputd(int x) {
    if (x < 0) {
        __sput('-');
        x = -x;  /* (INT_MIN stays, and is read as unsigned) */
    }
    __sputn(x, 10, 0);
}
#else
#define __PRINTF __printf
#define __PF __pf
#define __OUT(c) putchar(c)
#define __OUT_D(x) __putd(x)
#define __OUT_U(x) __putu(x)
#define __OUT_x(x) __putx(x)
#define __OUT_X(x) __putX(x)
#define __OUT_O(x) __puto(x)
#define __OUT_S(s) __puts(s)
#endif

//@ __pf
/* One conversion: c its letter, fl the flag bits of formats.py, w the width (0: none), p the
   precision (-1: none), x the value. Prints as glibc does. */
void __PF(int c, int fl, int w, int p, int x) {
    char d[1];
    char *s = 0, *pre = "";
    int n = 0, zeros = 0, b = 10, up = 0, q, pad, t, t2, lim;
    int left, plus = 0, space = 0, zero = 0, alt = 0, hh = 0, h = 0;
    if (fl >= 64) { h = 1; fl = fl - 64; }
    if (fl >= 32) { hh = 1; fl = fl - 32; }
    if (fl >= 16) { alt = 1; fl = fl - 16; }
    if (fl >= 8) { zero = 1; fl = fl - 8; }
    if (fl >= 4) { space = 1; fl = fl - 4; }
    if (fl >= 2) { plus = 1; fl = fl - 2; }
    left = fl;
    if (w < 0) { left = 1; w = -w; }
    if (c == 'c' || c == 's' || (c == 'p' && !x)) {
        if (c == 'c') { d[0] = x; s = d; n = 1; }
        else if (c == 's') { s = x; while ((p < 0 || n < p) && s[n]) n++; }
        else { s = "(nil)"; n = 5; }
        zero = 0;
    } else {
        if (hh || h) {  /* to 8 or 16 bits (no change where a word has no more) */
            x = x & (hh ? (1 << 8) - 1 : (1 << 16) - 1);
            if ((c == 'd' || c == 'i') && x >= (hh ? 1 << 7 : 1 << 15))
                x = x - (hh ? 1 << 8 : 1 << 16);
        }
        if (c == 'd' || c == 'i') {
            if (x < 0) { pre = "-"; x = -x; }
            else if (plus) pre = "+";
            else if (space) pre = " ";
        } else if (c == 'o') b = 8;
        else if (c != 'u') {
            b = 16;
            up = c == 'X';
            if (c == 'p') pre = plus ? "+0x" : space ? " 0x" : "0x";
            else if (alt && x) pre = up ? "0X" : "0x";
        }
        if (p >= 0) zero = 0;
        else p = 1;
        q = x;  /* how many digits: the printers print them */
        n = 1;
        if (x < 0) { q = ((x >> 1) & __INT_MAX__) / (b >> 1); n = 2; }
        lim = b == 10 ? __INT_MAX__ / 10 : b == 16 ? __INT_MAX__ / 16 : __INT_MAX__ / 8;
        for (t = b; q >= t; t = b == 10 ? t + t2 : b == 16 ? t + t : t) {
            n++;
            if (t > lim) break;
            t2 = t + t;
            t = t2 + t2;
            t = t + t;
        }
        if (!x && !p) n = 0;
        zeros = p - n;
        if (alt && c == 'o' && zeros <= 0 && (x || !n)) zeros = 1;
        if (zeros < 0) zeros = 0;
    }
    pad = w - n - zeros;
    for (t = 0; pre[t]; t++) pad--;
    if (!left && !zero) while (pad-- > 0) __OUT(' ');
    while (*pre) __OUT(*pre++);
    if (zero && !left) while (pad-- > 0) __OUT('0');
    while (zeros-- > 0) __OUT('0');
    if (s) for (q = 0; q < n; q++) __OUT(s[q]);
    else if (n && b == 10) __OUT_U(x);
    else if (n && b == 8) __OUT_O(x);
    else if (n && up) __OUT_X(x);
    else if (n) __OUT_x(x);
    while (pad-- > 0) __OUT(' ');
}

//@ __printf
/* printf with a format known only at run time; a: the arguments, in order. */
int __PRINTF(char *f, int *a) {
    int c, fl, w, p, l;
    while ((c = *f++)) {
        if (c != '%') { __OUT(c); continue; }
        fl = 0;
        while (1) {
            c = *f;
            if (c == '-') fl = fl | 1;
            else if (c == '+') fl = fl | 2;
            else if (c == ' ') fl = fl | 4;
            else if (c == '0') fl = fl | 8;
            else if (c == '#') fl = fl | 16;
            else break;
            f++;
        }
        w = 0;
        if (*f == '*') { w = *a++; f++; }
        else while (*f >= '0' && *f <= '9') w = w * 10 + (*f++ - '0');
        p = -1;
        if (*f == '.') {
            f++;
            p = 0;
            if (*f == '*') { p = *a++; f++; if (p < 0) p = -1; }
            else while (*f >= '0' && *f <= '9') p = p * 10 + (*f++ - '0');
        }
        if (*f == 'h') { f++; if (*f == 'h') { f++; fl = fl | 32; } else fl = fl | 64; }
        l = *f == 'l';
        if (l) { f++; if (*f == 'l') f++; }
        else if (*f == 'z') f++;
        c = *f++;
        if (c == 0) return 0;
        if (c == '%') __OUT('%');
        else if (l && (c == 'c' || c == 's')) __format_fault();  /* %lc, %ls: wide */
        else if (c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'X' || c == 'o'
                 || c == 'c' || c == 's' || c == 'p') {
            if (fl || w || p >= 0 || c == 'p') __PF(c, fl, w, p, *a++);
            else if (c == 'd' || c == 'i') __OUT_D(*a++);
            else if (c == 'u') __OUT_U(*a++);
            else if (c == 'x') __OUT_x(*a++);
            else if (c == 'X') __OUT_X(*a++);
            else if (c == 'o') __OUT_O(*a++);
            else if (c == 'c') __OUT(*a++);
            else __OUT_S(*a++);
        }
        else __format_fault();  /* glibc would print a float, a wide char, ...: never text */
    }
    return 0;
}

#ifdef __TO_BUFFER
/* sprintf and snprintf: f's text and a's arguments into buf, of cap chars (cap < 0: no
   limit, as sprintf's). */
int __snprintf(char *buf, int cap, char *f, int *a) {
    __sbuf = buf;
    __scap = cap < 0 ? __INT_MAX__ : cap;
    __slen = 0;
    __sprintf_run(f, a);
    if (__scap > 0)
        buf[__slen < __scap ? __slen : __scap - 1] = 0;
    return __slen;
}
#endif
