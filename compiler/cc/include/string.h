/* loopmlp's <string.h>: its functions are in the library (library.py's LIBRARY, written in C
   in libc/string.c) and compiled with the program when it calls them. Sizes count words; the
   comparisons and searches read the low 8 bits of each char, as glibc reads bytes. */
#ifndef __LOOPMLP_STRING_H
#define __LOOPMLP_STRING_H
#define NULL ((void *)0)
typedef unsigned int size_t;
#endif
