/* loopmlp's <stdint.h>, for the word model: every scalar is one N-bit word. The exact-width
   types narrower than a word are gcc's char and short types, which wrap at their width when
   stored to (int8_t is signed char, uint16_t unsigned short); those as wide as a word are int
   and unsigned int (int32_t at N = 32, the default). The 64-bit types are long long's (two
   words, at N = 32 only); a type wider than the machine gives is refused in one line naming
   it where a program uses it. The least and fast types are the word's when it is wide enough
   (gcc's int_fast32_t has 64 bits: values beyond 32 bits differ). */
#ifndef __LOOPMLP_STDINT_H
#define __LOOPMLP_STDINT_H

typedef int __loopmlp_wide;  /* (a marker: a typedef of it is refused where used) */

#if __INT_MAX__ == 2147483647
typedef int int32_t;
typedef unsigned int uint32_t;
typedef short int16_t;
typedef unsigned short uint16_t;
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
#elif __INT_MAX__ > 32767
typedef short int16_t;
typedef unsigned short uint16_t;
typedef __loopmlp_wide int32_t;
typedef __loopmlp_wide uint32_t;
#else
typedef __loopmlp_wide int16_t;
typedef __loopmlp_wide uint16_t;
typedef __loopmlp_wide int32_t;
typedef __loopmlp_wide uint32_t;
#endif
typedef signed char int8_t;
typedef unsigned char uint8_t;
#if __INT_MAX__ == 2147483647
typedef long long int64_t;  /* two words (long long is two 32-bit words, at N = 32 only) */
typedef unsigned long long uint64_t;
typedef long long int_least64_t;
typedef long long int_fast64_t;
typedef unsigned long long uint_least64_t;
typedef unsigned long long uint_fast64_t;
typedef long long intmax_t;
typedef unsigned long long uintmax_t;
#define INT64_MIN (-9223372036854775807LL - 1)
#define INT64_MAX 9223372036854775807LL
#define UINT64_MAX 18446744073709551615ULL
#define INT_LEAST64_MIN INT64_MIN
#define INT_LEAST64_MAX INT64_MAX
#define UINT_LEAST64_MAX UINT64_MAX
#define INT_FAST64_MIN INT64_MIN
#define INT_FAST64_MAX INT64_MAX
#define UINT_FAST64_MAX UINT64_MAX
#define INTMAX_MIN INT64_MIN
#define INTMAX_MAX INT64_MAX
#define UINTMAX_MAX UINT64_MAX
#define INT64_C(c) c##LL
#define UINT64_C(c) c##ULL
#define INTMAX_C(c) c##LL
#define UINTMAX_C(c) c##ULL
#else
typedef __loopmlp_wide int64_t;
typedef __loopmlp_wide uint64_t;
typedef __loopmlp_wide int_least64_t;
typedef __loopmlp_wide int_fast64_t;
typedef __loopmlp_wide uint_least64_t;
typedef __loopmlp_wide uint_fast64_t;
typedef __loopmlp_wide intmax_t;
typedef __loopmlp_wide uintmax_t;
#endif
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
