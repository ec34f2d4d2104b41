/* loopmlp's <stdlib.h>: exit and abs are built into the compiler. */
#ifndef __LOOPMLP_STDLIB_H
#define __LOOPMLP_STDLIB_H
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define NULL ((void *)0)
#endif
