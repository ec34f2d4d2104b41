/* loopmlp's heap: malloc, calloc, realloc and free over one array of __HEAP_WORDS__ words,
   which lies in the program's data, between its variables and the stack.

   Sizes are in words (sizeof(int) == 1). A block is two header words and its payload:
   b[0] is the block's size in words, headers included; b[1] is 0 while the block is free
   and ~p while malloc's p (its payload's address, b + 2) is in use, so that free can tell
   a pointer malloc returned from any other. The blocks tile the array. malloc takes the
   first free block that fits (first fit), merging into it the free blocks that follow it,
   and splits off what it does not need; free merges the free blocks after the one it
   frees. So a program that allocates and frees in a loop does not run out. Every block below
   __heap_low is in use, so malloc's search starts there (first fit all the same, without
   walking the blocks a list or a tree keeps: growing one is not quadratic). free and
   realloc are built in: they call __free and __realloc and stop the machine with a fault
   at the caller's line when given a pointer that is not in use. malloc and calloc are
   units of their own, so that a program may define its own malloc. */

//@ __heap_alloc __free __realloc
int __heap[__HEAP_WORDS__];
int *__heap_low;

/* Merge the free blocks that follow block b into it. */
void __heap_merge(int *b) {
    int *next = b + b[0], *end = __heap + __HEAP_WORDS__;
    while (next < end && !next[1]) {
        b[0] = b[0] + next[0];
        next = b + b[0];
    }
    if (__heap_low > b && __heap_low < next)  /* (b in use, growing in place) */
        __heap_low = b;
}

/* Make block b (of at least `need` words) `need` words long, the rest a free block of its own
   when it can hold one. */
void __heap_split(int *b, int need) {
    int *rest;
    if (b[0] - need >= 3) {
        rest = b + need;
        rest[0] = b[0] - need;
        rest[1] = 0;
        b[0] = need;
        if (rest < __heap_low)
            __heap_low = rest;
    }
}

/* malloc(n). */
void *__heap_alloc(int n) {
    int *b, *end = __heap + __HEAP_WORDS__, low = 1;
    int need = n + 2;
    if (n < 0 || n > __HEAP_WORDS__ - 2)
        return 0;
    if (n == 0)  /* a pointer of its own, as glibc's malloc(0) */
        need = 3;
    if (!__heap[0]) {  /* the first call: the heap is one free block */
        __heap[0] = __HEAP_WORDS__;
        __heap_low = __heap;
    }
    for (b = __heap_low; b < end; b = b + b[0]) {
        if (!b[1]) {
            if (low) {  /* the first free block */
                __heap_low = b;
                low = 0;
            }
            __heap_merge(b);
            if (b[0] >= need) {
                __heap_split(b, need);
                b[1] = ~(int)(b + 2);
                return b + 2;
            }
        }
    }
    return 0;
}

/* Whether p is a pointer malloc returned that is still in use. */
int __heap_used(int *p) {
    return p >= __heap + 2 && p < __heap + __HEAP_WORDS__ && p[-1] == ~(int)p;
}

/* free(p): 1 when p is neither NULL nor in use (the caller faults), else 0. */
int __free(void *v) {
    int *p = v;
    if (!p)
        return 0;
    if (!__heap_used(p))
        return 1;
    p[-1] = 0;
    if (p - 2 < __heap_low)
        __heap_low = p - 2;
    __heap_merge(p - 2);
    return 0;
}

/* realloc(p, n): -1 when p is neither NULL nor in use (the caller faults). As glibc's,
   realloc(p, 0) frees p and returns NULL; when no block fits, p is left as it was. */
void *__realloc(void *v, int n) {
    int *p = v, *b = p - 2, *q;
    int i;
    if (!p)
        return __heap_alloc(n);
    if (!__heap_used(p))
        return (void *)-1;
    if (n == 0) {
        __free(p);
        return 0;
    }
    if (n < 0 || n > __HEAP_WORDS__ - 2)
        return 0;
    __heap_merge(b);
    if (b[0] >= n + 2) {
        __heap_split(b, n + 2);
        return p;
    }
    q = __heap_alloc(n);
    if (!q)
        return 0;
    for (i = 0; i < b[0] - 2; i++)
        q[i] = p[i];
    __free(p);
    return q;
}

//@ malloc
void *malloc(int n) { return __heap_alloc(n); }

//@ calloc
void *calloc(int n, int size) {
    int *p, i, words = 0;
    if (n < 0 || size < 0 || n > __HEAP_WORDS__)
        return 0;
    for (i = 0; i < size; i++) {  /* n * size, stopping where it cannot fit (no division) */
        words = words + n;
        if (words > __HEAP_WORDS__)
            return 0;
    }
    p = __heap_alloc(words);
    if (p)
        for (i = 0; i < words; i++)
            p[i] = 0;
    return p;
}
