"""qsort and bsearch, written in C for the library (see library.LIBRARY): their signatures and
sources. Sizes are in words, as sizeof counts them.

qsort is a binary insertion sort, in place: glibc's qsort is a merge sort, stable, so an
element goes after the elements equal to it that stood before it, and the order equal keys
end in is glibc's. bsearch probes the midpoints glibc's bsearch probes, so among equal
elements it finds the one glibc's does (C leaves which unspecified).
"""

from __future__ import annotations

from . import syntax as S

CONST_VOIDP = S.pointer(S.CType("void", const=True))
VOIDP = S.pointer(S.VOID)
COMPARE = S.pointer(S.CType("function", of=S.INT, params=(CONST_VOIDP, CONST_VOIDP)))

QSORT_PARAMS = (VOIDP, S.INT, S.INT, COMPARE)
QSORT = r"""
void qsort(void *base, int n, int size, int (*cmp)(const void *, const void *)) {
    char *b = base, *key, *p, *to;
    int i, lo, hi, mid, w, t;
    for (i = 1; i < n; i++) {
        key = b + i * size;
        lo = 0;
        hi = i;
        while (lo < hi) {  /* the first element above key: equal ones keep their order */
            mid = (lo + hi) / 2;
            if (cmp(key, b + mid * size) < 0) hi = mid;
            else lo = mid + 1;
        }
        if (lo == i) continue;
        to = b + lo * size;
        for (w = 0; w < size; w++) {  /* key's words to `to`, the elements between up one */
            t = key[w];
            for (p = key + w; p != to + w; p = p - size) *p = *(p - size);
            to[w] = t;
        }
    }
}
"""

BSEARCH_PARAMS = (CONST_VOIDP, CONST_VOIDP, S.INT, S.INT, COMPARE)
BSEARCH = r"""
void *bsearch(const void *key, const void *base, int n, int size,
              int (*cmp)(const void *, const void *)) {
    const char *b = base, *p;
    int lo = 0, hi = n, mid, c;
    while (lo < hi) {
        mid = (lo + hi) / 2;
        p = b + mid * size;
        c = cmp(key, p);
        if (c < 0) hi = mid;
        else if (c > 0) lo = mid + 1;
        else return (void *)p;
    }
    return 0;
}
"""
