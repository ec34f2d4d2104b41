/* loopmlp's <string.h>: its functions are built into the compiler. */
#ifndef __LOOPMLP_STRING_H
#define __LOOPMLP_STRING_H
#define NULL ((void *)0)
#endif
