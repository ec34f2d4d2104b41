/* loopmlp's <stdlib.h>: its functions are built into the compiler (library.py's LIBRARY), and
   those written in C are compiled with the program when it calls them. Sizes are in words
   (sizeof(int) == 1). malloc, calloc and realloc hand out the words of a heap that exists
   only in programs that call them (1024 words unless compile_c is given another size). */
#ifndef __LOOPMLP_STDLIB_H
#define __LOOPMLP_STDLIB_H
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define NULL ((void *)0)
typedef unsigned int size_t;
#define RAND_MAX __INT_MAX__
#endif
