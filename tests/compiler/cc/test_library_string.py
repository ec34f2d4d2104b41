"""<string.h>: each function against glibc's in gcc's build, over strings of every byte value
(from literals, from getchar and from `char c = -1`), lengths 0 to past the end, and
overlapping moves."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.compiler.cc.running import needs_gcc, same_as_gcc


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


COMPARE = r"""#include <stdio.h>
#include <string.h>
char *words[] = {"", "a", "ab", "abc", "abd", "b", "\x80", "\xff", "a\xff", "A", "abcabc",
                 "bca", "\x7f", "ab\x80"};
int main(void) {
    int i, j, n, count = sizeof words / sizeof words[0];
    char minus[3];
    minus[0] = -1;
    minus[1] = -128;
    minus[2] = 0;
    for (i = 0; i < count; i++) {
        printf("%d:%d", i, (int)strlen(words[i]));
        for (j = 0; j < count; j++) {
            printf(" %d", strcmp(words[i], words[j]));
            for (n = 0; n < 5; n++)
                printf(",%d", strncmp(words[i], words[j], n));
            n = strlen(words[i]) < strlen(words[j]) ? strlen(words[i]) : strlen(words[j]);
            printf("/%d/%d", memcmp(words[i], words[j], n + 1), memcmp(words[i], words[j], n));
        }
        printf(" %d %d %d\n", strcmp(minus, "\xff\x80"), strcmp(minus, "\xff"),
               memcmp(minus, "\xff\x7f", 2));
    }
    return 0;
}
"""


@needs_gcc
def test_comparisons_are_of_unsigned_bytes_as_glibcs(workdir):
    same_as_gcc(COMPARE, workdir)


SEARCH = r"""#include <stdio.h>
#include <string.h>
char *hay[] = {"", "a", "abcabc", "hello, world", "a\xff\x80z", "aaab", "xyxyxz"};
char *needles[] = {"", "a", "bc", "abc", "c,", "\xff", "\x80z", "aab", "xyxz", "zz", "world!"};
int cs[] = {0, 'a', 'c', 'z', ',', 255, -1, 128, -128, 256 + 'a', 'q'};
int off(char *p, char *s) { return p ? (int)(p - s) : -1; }
int main(void) {
    int i, j, n = sizeof hay / sizeof hay[0], m = sizeof needles / sizeof needles[0];
    for (i = 0; i < n; i++) {
        printf("%d:", i);
        for (j = 0; j < (int)(sizeof cs / sizeof cs[0]); j++)
            printf(" %d/%d", off(strchr(hay[i], cs[j]), hay[i]),
                   off(strrchr(hay[i], cs[j]), hay[i]));
        for (j = 0; j < m; j++)
            printf(" %d:%d:%d", off(strstr(hay[i], needles[j]), hay[i]),
                   (int)strspn(hay[i], needles[j]), (int)strcspn(hay[i], needles[j]));
        putchar('\n');
    }
    return 0;
}
"""


@needs_gcc
def test_searches_find_what_glibcs_find(workdir):
    same_as_gcc(SEARCH, workdir)


COPY = r"""#include <stdio.h>
#include <string.h>
char buf[40];
void show(char *s, int n) {
    int i;
    for (i = 0; i < n; i++) printf("%d.", s[i]);
    putchar('\n');
}
int main(void) {
    int a[6] = {1, 2, 3, 4, 5, 6}, i;
    memset(buf, 'x', 20);
    show(strcpy(buf, "abc"), 6);
    show(strncpy(buf, "hello", 3), 6);             /* no terminator */
    show(strncpy(buf, "hi", 8), 10);               /* padded with zeros */
    strcpy(buf, "ab");
    show(strcat(buf, "cd"), 7);
    show(strncat(buf, "efgh", 2), 9);
    show(strncat(buf, "", 5), 9);
    show(strncat(buf, "xyz", 9), 11);
    show(memcpy(buf + 20, "0123456789", 10), 10);
    show(memmove(buf + 22, buf + 20, 6), 8);       /* overlapping, forward */
    show(memmove(buf + 20, buf + 23, 6), 8);       /* overlapping, backward */
    show(memset(buf, 200, 3), 4);                  /* stored as gcc's char: -56 */
    show(memset(buf, -1, 2), 3);
    show(memset(buf, 0x141, 2), 3);
    memset(a, 0, 3 * sizeof(int));
    memset(a + 3, -1, 2 * sizeof(int));            /* an int of bytes 0xff is -1 */
    for (i = 0; i < 6; i++) printf("%d ", a[i]);
    memcpy(a, a + 3, 3 * sizeof(int));
    for (i = 0; i < 6; i++) printf("%d ", a[i]);
    putchar('\n');
    return 0;
}
"""


@needs_gcc
def test_copies_and_fills_leave_what_glibcs_leave(workdir):
    same_as_gcc(COPY, workdir)


INPUT = r"""#include <stdio.h>
#include <string.h>
char line[300], copy[300];
int main(void) {
    int n = 0, c, i;
    while ((c = getchar()) != EOF) line[n++] = c;
    line[n] = 0;
    strcpy(copy, line);
    printf("%d %d %d\n", (int)strlen(line), strcmp(line, copy), memcmp(line, copy, n));
    for (i = 1; i < 256; i += 17) {
        copy[i - 1] = i + 1;
        printf("%d %d %d %d ", strcmp(line, copy), strncmp(copy, line, i), memcmp(copy, line, n),
               (int)(strchr(line, i) - line));
        copy[i - 1] = line[i - 1];
    }
    putchar('\n');
    return 0;
}
"""


@needs_gcc
def test_strings_of_every_byte_from_getchar(workdir):
    same_as_gcc(INPUT, workdir, stdin=bytes(range(1, 256)))


@needs_gcc
def test_strspn_and_strcspn_are_size_t_as_strlen_is(workdir):
    source = r"""#include <string.h>
int main(void) { return (strspn("aab", "a") < -1) + 2 * (strcspn("xyz", "z") / 2); }
"""
    same_as_gcc(source, workdir)


TOKENS = r"""#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    char line[] = "  the quick,,brown  fox, jumps ";
    char *tok, *copy;
    int n = 0;
    copy = strdup(line);
    for (tok = strtok(line, " ,"); tok; tok = strtok(NULL, " ,"))
        printf("%d[%s]\n", n++, tok);
    printf("%p\n", (void *)strtok(NULL, " "));
    printf("%s|%d\n", copy, (int)strlen(copy));
    printf("%s\n", strpbrk(copy, "qz"));
    printf("%d\n", strpbrk(copy, "Z") == NULL);
    printf("%d\n", (int)((char *)memchr(copy, 'k', 20) - copy));
    printf("%d\n", memchr(copy, 'k', 5) == NULL);
    tok = strtok(copy, "");
    printf("[%s]\n", tok);
    free(copy);
    char e[] = ",,,";
    printf("%d\n", strtok(e, ",") == NULL);
    return 0;
}
"""


@needs_gcc
def test_strtok_strdup_strpbrk_and_memchr_as_glibcs(workdir):
    same_as_gcc(TOKENS, workdir)
