/* loopmlp's <stddef.h>: NULL, size_t, ptrdiff_t, wchar_t, offsetof. Sizes count words (every scalar
   is one word, sizeof(int) == 1), so size_t is as wide as a word. */
#ifndef __LOOPMLP_STDDEF_H
#define __LOOPMLP_STDDEF_H
#define NULL ((void *)0)
typedef unsigned int size_t;
typedef int ptrdiff_t;
typedef int wchar_t;
#define offsetof(type, member) ((size_t)&((type *)0)->member)
#endif
