/* loopmlp's <wchar.h>: wchar_t, and wcslen (libc/wchar.c). A wchar_t is an int (as on gcc's
   Linux), one word, holding a code point: L'x' and L"..." are the source's UTF-8 decoded. The
   machine has no locale, streams or multibyte conversions: wprintf, mbstowcs and the rest are
   not provided (a call of one is refused as undeclared). */
#ifndef __LOOPMLP_WCHAR_H
#define __LOOPMLP_WCHAR_H
#define NULL ((void *)0)
#define WCHAR_MIN (-__INT_MAX__ - 1)
#define WCHAR_MAX __INT_MAX__
typedef unsigned int size_t;
typedef int wchar_t;
#endif
