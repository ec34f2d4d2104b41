/* loopmlp's <stdio.h>: putchar, getchar, puts and printf are built into the compiler.
   There are no streams: FILE and its functions are not provided. */
#ifndef __LOOPMLP_STDIO_H
#define __LOOPMLP_STDIO_H
#define EOF (-1)
#define NULL ((void *)0)
typedef unsigned int size_t;
#endif
