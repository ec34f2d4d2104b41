/* loopmlp's <stdlib.h> functions written in C (the heap's are in heap.c).

   long is one word here, as int is (N = 32: 32 bits), so atol is atoi, labs is abs, and
   strtol and strtoul clamp where a 32-bit long's glibc clamps: strtol to LONG_MAX and
   LONG_MIN (INT_MAX, INT_MIN), strtoul to ULONG_MAX (-1 as an int word). errno is not kept. */

//@ abs
int abs(int x) { return x < 0 ? -x : x; }

//@ labs
int labs(int x) { return x < 0 ? -x : x; }

//@ atoi
int atoi(const char *s) {
    int n = 0, neg = 0;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))  /* what isspace is */
        s++;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    while (*s >= '0' && *s <= '9') {
        n = n * 10 + (*s - '0');
        s++;
    }
    return neg ? -n : n;
}

//@ atol
int atol(const char *s) { return atoi(s); }  /* (long is int here) */

//@ __strtou
/* What strtol and strtoul share, as glibc reads a number: spaces, a sign, a base prefix
   ("0x" for base 16 or 0, "0" for 0: octal), digits up to the first that is not one in the
   base. Returns the magnitude, as an N-bit unsigned value in a word; *flags gets 1 for a
   minus sign and 2 when the magnitude does not fit N bits. *end (when end is not NULL) is
   where the number ends, or s when there is none. A base other than 0 and 2..36 returns 0,
   leaving *end alone, as glibc does. */
int __strtou(const char *s, char **end, int base, int *flags) {
    const char *p = s, *digits;
    int acc = 0, d, q, r, cutoff, cutlim, over = 0;
    *flags = 0;
    if (base < 0 || base == 1 || base > 36)
        return 0;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '-' || *p == '+') {
        *flags = *p == '-';
        p++;
    }
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        d = p[2];
        if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F')) {
            p = p + 2;
            base = 16;
        } else {  /* "0x" and no hex digit: the number is the 0 */
            if (end)
                *end = (char *)(p + 1);
            return 0;
        }
    }
    if (base == 0)
        base = *p == '0' ? 8 : 10;
    /* the largest N-bit unsigned value is 2 INT_MAX + 1: cutoff and cutlim are its quotient
       and remainder by base, which fit a word (base >= 2) */
    q = __INT_MAX__ / base;
    r = __INT_MAX__ % base;
    cutoff = 2 * q + (2 * r + 1) / base;
    cutlim = (2 * r + 1) % base;
    for (digits = p;; p++) {
        d = *p;
        if (d >= '0' && d <= '9')
            d = d - '0';
        else if (d >= 'a' && d <= 'z')
            d = d - 'a' + 10;
        else if (d >= 'A' && d <= 'Z')
            d = d - 'A' + 10;
        else
            break;
        if (d >= base)
            break;
        if (acc < 0 || acc > cutoff || (acc == cutoff && d > cutlim))  /* (unsigned) */
            over = 1;
        else
            acc = acc * base + d;
    }
    if (p == digits) {  /* no digits: no number */
        if (end)
            *end = (char *)s;
        return 0;
    }
    if (end)
        *end = (char *)p;
    if (over)
        *flags = *flags | 2;
    return acc;
}

//@ strtol
int strtol(const char *s, char **end, int base) {
    int flags, n = __strtou(s, end, base, &flags);
    if (flags & 1) {  /* -n, down to INT_MIN */
        if (flags & 2 || (n < 0 && n != -__INT_MAX__ - 1))
            return -__INT_MAX__ - 1;
        return -n;
    }
    if (flags & 2 || n < 0)
        return __INT_MAX__;
    return n;
}

//@ strtoul
int strtoul(const char *s, char **end, int base) {
    int flags, n = __strtou(s, end, base, &flags);
    if (flags & 2)
        return -1;
    return flags & 1 ? -n : n;
}

//@ rand srand __rand_next
/* glibc's random(), which its rand() returns: the additive feedback generator of degree 31
   (TYPE_3): state[i] = state[i - 31] + state[i - 3] in 32 bits, each output the new word
   shifted right once. srand(seed) fills the 31 words with the 16807 LCG (Schrage's
   method, as glibc does) from seed (0 as 1) and drops 310 outputs; rand() before any srand
   is srand(1)'s sequence. It needs N = 32. */
#if __INT_MAX__ != 2147483647
#error "rand and srand need 32-bit words (--bits 32)"
#endif
int __rand_state[31], __rand_front, __rand_rear, __rand_seeded;

/* The next output. */
int __rand_next(void) {
    int x = __rand_state[__rand_front] + __rand_state[__rand_rear];
    __rand_state[__rand_front] = x;
    __rand_front = __rand_front == 30 ? 0 : __rand_front + 1;
    __rand_rear = __rand_rear == 30 ? 0 : __rand_rear + 1;
    return (x >> 1) & __INT_MAX__;
}

int rand(void) {
    if (!__rand_seeded)
        srand(1);
    return __rand_next();
}

void srand(int seed) {
    int i, word, hi, lo;
    if (seed == 0)
        seed = 1;
    __rand_state[0] = word = seed;
    for (i = 1; i < 31; i++) {  /* 16807 word % 2147483647, without overflow */
        hi = word / 127773;
        lo = word % 127773;
        word = 16807 * lo - 2836 * hi;
        if (word < 0)
            word = word + 2147483647;
        __rand_state[i] = word;
    }
    __rand_front = 3;
    __rand_rear = 0;
    __rand_seeded = 1;
    for (i = 0; i < 310; i++)
        __rand_next();
}
