/* loopmlp's <string.h>: each function is linked in only when the program calls it.

   Sizes count words (sizeof(char) == 1). A char holds a whole word, and a string may hold
   what glibc's would hold as bytes: 0..255 (getchar, literals) or -128..-1 (char c = -1).
   Where glibc compares bytes as unsigned chars (memcmp, strcmp, strncmp) or converts an int
   to a char (memset, strchr, strrchr), these take the low 8 bits of each word, so a word
   and its value as gcc's char (-1 and 255) act alike, as they do in gcc's build; the
   comparisons return the difference of the first two bytes that differ, as glibc's x86-64
   functions do. A string still ends only at a word that is 0. (At N = 8 a word holds no
   more than a byte: the values are taken as they are.) */

#if __INT_MAX__ >= 255
#define __BYTE(x) ((x) & 255)
#define __SCHAR(x) ((((x) & 255) ^ 128) - 128)
#else
#define __BYTE(x) (x)
#define __SCHAR(x) (x)
#endif

//@ strlen
int strlen(const char *s) {
    int n = 0;
    while (s[n])
        n++;
    return n;
}

//@ strcmp
int strcmp(const char *a, const char *b) {
    while (*a && __BYTE(*a) == __BYTE(*b)) {
        a++;
        b++;
    }
    return __BYTE(*a) - __BYTE(*b);
}

//@ strncmp
int strncmp(const char *a, const char *b, int n) {
    for (; n > 0; n--) {
        if (__BYTE(*a) != __BYTE(*b) || !*a)
            return __BYTE(*a) - __BYTE(*b);
        a++;
        b++;
    }
    return 0;
}

//@ memcmp
int memcmp(const void *x, const void *y, int n) {
    const char *a = x, *b = y;
    int i, d;
    for (i = 0; i < n; i++) {
        d = __BYTE(a[i]) - __BYTE(b[i]);
        if (d)
            return d;
    }
    return 0;
}

//@ strcpy
char *strcpy(char *d, const char *s) {
    char *p = d;
    while ((*p++ = *s++))
        ;
    return d;
}

//@ strncpy
char *strncpy(char *d, const char *s, int n) {
    int i = 0;
    for (; i < n && s[i]; i++)
        d[i] = s[i];
    for (; i < n; i++)
        d[i] = 0;
    return d;
}

//@ strcat
char *strcat(char *d, const char *s) {
    char *p = d;
    while (*p)
        p++;
    while ((*p++ = *s++))
        ;
    return d;
}

//@ strncat
char *strncat(char *d, const char *s, int n) {
    char *p = d;
    while (*p)
        p++;
    for (; n > 0 && *s; n--)
        *p++ = *s++;
    *p = 0;
    return d;
}

//@ memset __umemset __fill
/* n words from d on set to c. */
void *__fill(void *d, int c, int n) {
    char *p = d;
    int i;
    for (i = 0; i < n; i++)
        p[i] = c;
    return d;
}

void *memset(void *d, int c, int n) {
    return __fill(d, __SCHAR(c), n); /* as gcc's char holds it: memset(a, -1, n) stores -1 */
}

/* memset of an unsigned char array (the compiler calls it for one): the byte as an unsigned
   char holds it, memset(a, -1, n) storing 255. */
void *__umemset(void *d, int c, int n) {
    return __fill(d, __BYTE(c), n);
}

//@ memcpy
void *memcpy(void *d, const void *s, int n) {
    char *p = d;
    const char *q = s;
    int i;
    for (i = 0; i < n; i++)
        p[i] = q[i];
    return d;
}

//@ memmove
void *memmove(void *d, const void *s, int n) {
    char *p = d;
    const char *q = s;
    if (p < q)
        while (n-- > 0)
            *p++ = *q++;
    else
        while (n-- > 0)
            p[n] = q[n];
    return d;
}

//@ strchr
char *strchr(const char *s, int c) {
    c = __BYTE(c);
    for (;; s++) {
        if (__BYTE(*s) == c)
            return (char *)s;
        if (!*s)
            return 0;
    }
}

//@ strrchr
char *strrchr(const char *s, int c) {
    const char *found = 0;
    c = __BYTE(c);
    for (;; s++) {
        if (__BYTE(*s) == c)
            found = s;
        if (!*s)
            return (char *)found;
    }
}

//@ strstr
char *strstr(const char *s, const char *t) {
    int i;
    for (;; s++) {
        for (i = 0; t[i] && __BYTE(s[i]) == __BYTE(t[i]); i++)
            ;
        if (!t[i])
            return (char *)s;
        if (!*s)
            return 0;
    }
}

//@ strspn
int strspn(const char *s, const char *accept) {
    int n = 0, i;
    for (; s[n]; n++) {
        for (i = 0; accept[i] && __BYTE(accept[i]) != __BYTE(s[n]); i++)
            ;
        if (!accept[i])
            break;
    }
    return n;
}

//@ strcspn
int strcspn(const char *s, const char *reject) {
    int n = 0, i;
    for (; s[n]; n++) {
        for (i = 0; reject[i] && __BYTE(reject[i]) != __BYTE(s[n]); i++)
            ;
        if (reject[i])
            break;
    }
    return n;
}

//@ memchr
void *memchr(const void *s, int c, int n) {
    const char *p = s;
    c = __BYTE(c);
    for (; n > 0; n--, p++)
        if (__BYTE(*p) == c)
            return (void *)p;
    return 0;
}

//@ strpbrk
char *strpbrk(const char *s, const char *accept) {
    int i;
    for (; *s; s++)
        for (i = 0; accept[i]; i++)
            if (__BYTE(accept[i]) == __BYTE(*s))
                return (char *)s;
    return 0;
}

//@ strtok __strtok_next
/* glibc's strtok: the leading delimiters skipped, the token ended by a 0 written over the
   delimiter after it; the place after that is kept for a call with s = NULL. At the end of
   the string the kept place is the end, so every later call returns NULL. */
char *__strtok_next;

char *strtok(char *s, const char *delim) {
    char *end;
    if (!s)
        s = __strtok_next;
    if (!s)
        return 0;
    s += strspn(s, delim);
    if (!*s) {
        __strtok_next = s;
        return 0;
    }
    end = s + strcspn(s, delim);
    if (*end)
        *end++ = 0;
    __strtok_next = end;
    return s;
}

//@ strdup
/* POSIX's strdup: a copy of s in a block from malloc (NULL when the heap is full). */
char *strdup(const char *s) {
    int n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}
