/* loopmlp's <stddef.h>: NULL (size_t, ptrdiff_t and offsetof need typedef and struct). */
#ifndef __LOOPMLP_STDDEF_H
#define __LOOPMLP_STDDEF_H
#define NULL ((void *)0)
#endif
