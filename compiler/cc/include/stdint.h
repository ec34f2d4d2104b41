/* loopmlp's <stdint.h>, for the word model: every scalar is one N-bit word, so the exact-width
   types are those as wide as a word (int32_t and uint32_t at N = 32, the default). A narrower
   one would not wrap at its width, and a wider one needs two words: each of those is refused
   in one line naming it where a program uses it. The least and fast types are the word's
   when it is wide enough (gcc's int_fast32_t has 64 bits: values beyond 32 bits differ). */
#ifndef __LOOPMLP_STDINT_H
#define __LOOPMLP_STDINT_H

typedef int __loopmlp_narrow;  /* (markers: a typedef of one of them is refused where used) */
typedef int __loopmlp_wide;

#if __INT_MAX__ == 2147483647
typedef int int32_t;
typedef unsigned int uint32_t;
typedef __loopmlp_narrow int16_t;
typedef __loopmlp_narrow uint16_t;
#define INT32_MIN (-2147483647 - 1)
#define INT32_MAX 2147483647
#define UINT32_MAX 0xffffffffU
#elif __INT_MAX__ == 32767
typedef int int16_t;
typedef unsigned int uint16_t;
typedef __loopmlp_wide int32_t;
typedef __loopmlp_wide uint32_t;
#define INT16_MIN (-32767 - 1)
#define INT16_MAX 32767
#define UINT16_MAX 0xffffU
#else
typedef __loopmlp_narrow int16_t;
typedef __loopmlp_narrow uint16_t;
typedef __loopmlp_narrow int32_t;
typedef __loopmlp_narrow uint32_t;
#endif
typedef __loopmlp_narrow int8_t;
typedef __loopmlp_narrow uint8_t;
typedef __loopmlp_wide int64_t;
typedef __loopmlp_wide uint64_t;
typedef int int_least8_t;
typedef int int_fast8_t;
typedef unsigned int uint_least8_t;
typedef unsigned int uint_fast8_t;
typedef int int_least16_t;
typedef int int_fast16_t;
typedef unsigned int uint_least16_t;
typedef unsigned int uint_fast16_t;
#if __INT_MAX__ >= 2147483647
typedef int int_least32_t;
typedef int int_fast32_t;
typedef unsigned int uint_least32_t;
typedef unsigned int uint_fast32_t;
#define INT_LEAST32_MIN (-__INT_MAX__ - 1)
#define INT_LEAST32_MAX __INT_MAX__
#define INT_FAST32_MIN (-__INT_MAX__ - 1)
#define INT_FAST32_MAX __INT_MAX__
#else
typedef __loopmlp_wide int_least32_t;
typedef __loopmlp_wide int_fast32_t;
typedef __loopmlp_wide uint_least32_t;
typedef __loopmlp_wide uint_fast32_t;
#endif
typedef __loopmlp_wide int_least64_t;
typedef __loopmlp_wide int_fast64_t;
typedef __loopmlp_wide uint_least64_t;
typedef __loopmlp_wide uint_fast64_t;
typedef __loopmlp_wide intmax_t;
typedef __loopmlp_wide uintmax_t;
typedef int intptr_t;
typedef unsigned int uintptr_t;

#define INT8_MIN (-128)
#define INT8_MAX 127
#define UINT8_MAX 255
#define INT16_MIN (-32767 - 1)
#define INT16_MAX 32767
#define UINT16_MAX 65535
#define INTPTR_MIN (-__INT_MAX__ - 1)
#define INTPTR_MAX __INT_MAX__
#define UINTPTR_MAX (__INT_MAX__ * 2U + 1U)
#define PTRDIFF_MIN (-__INT_MAX__ - 1)
#define PTRDIFF_MAX __INT_MAX__
#define SIZE_MAX (__INT_MAX__ * 2U + 1U)

#endif
