/* loopmlp's scanf, sscanf, fscanf (of stdin), ungetc and fgets: input from the machine's one
   input, as glibc's scanf reads stdin (sscanf reads a string). A conversion reads a character
   past what it takes (the one that ends a number) and gives it back, as glibc does:
   __stdin_back holds it, and getchar, getc and fgetc (__getchar in a program that calls scanf,
   ungetc or fgets) return it first. Eight characters can be given back (C guarantees one); a
   ninth faults.

   Directives, as C99 7.19.6.2: white space matches any white space, none too; `%%` and any
   other character match themselves; a conversion is `%[*][width][hh|h|l|z|t]C` with C one of
   d i u o x X c s [ n (p, a 64-bit ll or j and floating point fault naming the line). A number
   is taken modulo 2^N as it is read, as glibc's is below 2^63; a numeral that may be past that
   (19 significant decimal digits, 16 hex, 21 octal), which glibc saturates, faults. scanf
   returns the count of items assigned, or EOF when the input ends before the first
   conversion. */

#include <stdarg.h>

#define __EOF (-1)
#if __INT_MAX__ >= 255
#define __BYTE(x) ((x) & 255)
#else
#define __BYTE(x) (x)
#endif

//@ __getchar __stdin_back __stdin_backs __unget ungetc fgets
/* The characters given back, the last first (eight here). */
int __stdin_back[8], __stdin_backs;

/* The next input character: the last one given back, if any, else the input's. */
int __getchar(void) {
    if (__stdin_backs)
        return __stdin_back[--__stdin_backs];
    return getchar();
}

/* c given back (as an unsigned char; EOF gives nothing back). A ninth faults: glibc's would
   grow its buffer. */
int __unget(int c) {
    if (c == __EOF)
        return __EOF;
    if (__stdin_backs == 8)
        __scan_fault();
    __stdin_back[__stdin_backs++] = __BYTE(c);
    return __BYTE(c);
}

int ungetc(int c, void *stream) {
    __stdin_only(stream);
    return __unget(c);
}

/* glibc's fgets: at most n - 1 characters, up to and with a newline, then a 0; NULL (and s as
   it was) when the input ends before the first. */
char *fgets(char *s, int n, void *stream) {
    int c = 0, k = 0;
    __stdin_only(stream);
    if (n <= 0)
        return 0;
    while (k < n - 1) {
        c = __getchar();
        if (c == __EOF)
            break;
        s[k++] = c;
        if (c == '\n')
            break;
    }
    if (k == 0 && c == __EOF)
        return 0;
    s[k] = 0;
    return s;
}

//@ scanf sscanf fscanf __vscan __scan_get __scan_unget __scan_from __scan_space __scan_digit __scan_in_set
const char *__scan_from; /* sscanf's string, as far as it is read; 0: the input (scanf) */

/* The next character: the string's (EOF at its end), or the input's. */
int __scan_get(void) {
    if (!__scan_from)
        return __getchar();
    if (!*__scan_from)
        return __EOF;
    return __BYTE(*__scan_from++);
}

/* c given back to where it came from. */
void __scan_unget(int c) {
    if (!__scan_from)
        __unget(c);
    else if (c != __EOF)
        __scan_from--;
}

/* Whether c is white space, as isspace in the C locale. */
int __scan_space(int c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* c's value as a digit of `base`, or -1. */
int __scan_digit(int c, int base) {
    int v = -1;
    if (c >= '0' && c <= '9')
        v = c - '0';
    else if (c >= 'a' && c <= 'z')
        v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z')
        v = c - 'A' + 10;
    return v < base ? v : -1;
}

/* Whether c is in the scan set that starts at set (after `[`, `^` left out) and ends at end
   (its `]`), as glibc reads one: a `-` between two characters is the range from the one before
   (the last of a range, too: `a-c-e` is a to e), a `-` first or last is itself, and so is one
   whose range would run backwards (`z-a` is z, - and a). */
int __scan_in_set(int c, const char *set, const char *end) {
    const char *p;
    int before = -1, high;
    c = __BYTE(c);
    for (p = set; p < end; p++) {
        if (*p == '-' && before >= 0 && p + 1 < end) {
            high = __BYTE(p[1]);
            if (before <= high) {
                if (c >= before && c <= high)
                    return 1;
                before = high;
                p++;
                continue;
            }
        }
        if (__BYTE(*p) == c)
            return 1;
        before = __BYTE(*p);
    }
    return 0;
}

int __vscan(const char *f, va_list ap) {
    int done = 0, c, width, skip, size, conv, base, neg, digits, value, d, taken = 0;
    int invert, significant;
    const char *set, *end;
    char *out;
    for (; *f; f++) {
        if (__scan_space(*f)) {
            while (__scan_space(c = __scan_get()))
                taken++;
            __scan_unget(c);
            continue;
        }
        if (*f != '%' || f[1] == '%') {
            if (*f == '%') {
                f++;
                while (__scan_space(c = __scan_get()))
                    taken++;
            } else
                c = __scan_get();
            if (c == __EOF)
                return done ? done : __EOF;
            if (__BYTE(c) != __BYTE(*f)) {
                __scan_unget(c);
                return done;
            }
            taken++;
            continue;
        }
        f++;
        skip = 0;
        if (*f == '*') {
            skip = 1;
            f++;
        }
        width = 0;
        while (*f >= '0' && *f <= '9')
            width = width * 10 + *f++ - '0';
        size = 0; /* 1: hh, 2: h, 0: the rest (a word) */
        if (*f == 'h') {
            size = 2;
            if (*++f == 'h') {
                size = 1;
                f++;
            }
        } else if (*f == 'l') {
            if (*++f == 'l')
                __scan_fault();
        } else if (*f == 'j')
            __scan_fault(); /* intmax_t: a long long, two words */
        else if (*f == 'z' || *f == 't')
            f++;
        conv = *f;
        if (conv == 'n') {
            if (!skip && size == 1)
                *va_arg(ap, signed char *) = taken;
            else if (!skip && size == 2)
                *va_arg(ap, short *) = taken;
            else if (!skip)
                *va_arg(ap, int *) = taken;
            continue;
        }
        if (conv == 'c') {
            if (!width)
                width = 1;
            out = skip ? 0 : va_arg(ap, char *);
            for (d = 0; d < width; d++) {
                c = __scan_get();
                if (c == __EOF && d == 0)
                    return done ? done : __EOF;
                if (c == __EOF) /* (glibc keeps what it read before the input ended) */
                    break;
                taken++;
                if (out)
                    *out++ = c;
            }
            done += !skip;
            continue;
        }
        if (*f == '[') /* (a scan set reads white space as any other character) */
            c = __scan_get();
        else
            while (__scan_space(c = __scan_get()))
                taken++;
        if (c == __EOF)
            return done ? done : __EOF;
        if (!width)
            width = -1; /* no limit */
        if (conv == 's' || conv == '[') {
            invert = 0;
            set = end = 0;
            if (conv == '[') {
                if (*++f == '^') {
                    invert = 1;
                    f++;
                }
                set = f;
                if (*f == ']')
                    f++;
                while (*f && *f != ']')
                    f++;
                if (!*f)
                    __scan_fault();
                end = f;
            }
            out = skip ? 0 : va_arg(ap, char *);
            digits = 0;
            while (c != __EOF && width != 0) {
                if (conv == 's' ? __scan_space(c) : __scan_in_set(c, set, end) == invert)
                    break;
                if (out)
                    *out++ = c;
                digits++;
                taken++;
                width--;
                c = __scan_get();
            }
            __scan_unget(c);
            if (!digits)
                return done;
            if (out)
                *out = 0;
            done += !skip;
            continue;
        }
        if (conv == 'd' || conv == 'u')
            base = 10;
        else if (conv == 'i')
            base = 0;
        else if (conv == 'x' || conv == 'X')
            base = 16;
        else if (conv == 'o')
            base = 8;
        else
            __scan_fault(); /* p, floating point, or not a conversion */
        neg = 0;
        if ((c == '-' || c == '+') && width != 0) {
            neg = c == '-';
            taken++;
            width--;
            c = __scan_get();
        }
        digits = 0;
        value = 0;
        if (c == '0' && width != 0 && (base == 0 || base == 16)) {
            digits = 1; /* the 0 is a numeral even if no hex digit follows its x */
            taken++;
            width--;
            c = __scan_get();
            if ((c == 'x' || c == 'X') && width != 0) {
                base = 16;
                taken++;
                width--;
                c = __scan_get();
            } else if (base == 0)
                base = 8;
        }
        if (base == 0)
            base = 10;
        significant = 0; /* the digits read since the first that is not 0 */
        while (width != 0 && (d = __scan_digit(c, base)) >= 0) {
            value = value * base + d;
            if (value || significant)
                significant++;
            if (significant > (base == 10 ? 18 : base == 16 ? 15 : 20))
                __scan_fault(); /* past 2^63 glibc's is saturated: not taken modulo 2^N */
            digits++;
            taken++;
            width--;
            c = __scan_get();
        }
        __scan_unget(c);
        if (!digits)
            return done;
        if (neg)
            value = -value;
        if (!skip) {
            if (size == 1) {
                if (conv == 'd' || conv == 'i')
                    *va_arg(ap, signed char *) = value;
                else
                    *va_arg(ap, unsigned char *) = value;
            } else if (size == 2) {
                if (conv == 'd' || conv == 'i')
                    *va_arg(ap, short *) = value;
                else
                    *va_arg(ap, unsigned short *) = value;
            } else
                *va_arg(ap, int *) = value;
            done++;
        }
    }
    return done;
}

int scanf(const char *f, ...) {
    va_list ap;
    int n;
    va_start(ap, f);
    __scan_from = 0;
    n = __vscan(f, ap);
    va_end(ap);
    return n;
}

int sscanf(const char *s, const char *f, ...) {
    va_list ap;
    int n;
    va_start(ap, f);
    __scan_from = s;
    n = __vscan(f, ap);
    va_end(ap);
    return n;
}

int fscanf(void *stream, const char *f, ...) {
    va_list ap;
    int n;
    __stdin_only(stream);
    va_start(ap, f);
    __scan_from = 0;
    n = __vscan(f, ap);
    va_end(ap);
    return n;
}
