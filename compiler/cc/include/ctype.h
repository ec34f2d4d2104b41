/* loopmlp's <ctype.h>: its functions are in the library (written in C in libc/ctype.c), as
   glibc's "C" locale answers them for EOF and -128..255. */
#ifndef __LOOPMLP_CTYPE_H
#define __LOOPMLP_CTYPE_H
#endif
