/* loopmlp's <stdint.h>, for the word model: every scalar is one N-bit word. Each type is gcc's
   (x86-64 glibc's) where this compiler has a type of that width, and is refused in one line
   naming it where a program uses it otherwise:
   - 8 bits (int8_t, int_least8_t, int_fast8_t and the unsigned ones): signed char and unsigned
     char, which wrap at 8 bits when stored to;
   - 16 bits (int16_t, int_least16_t): short and unsigned short, which wrap at 16 bits, at
     N = 17 to 32; int and unsigned int at N = 16; refused below;
   - 32 bits (int32_t, int_least32_t): int and unsigned int at N = 32 only;
   - 64 bits (int64_t, int_least64_t, intmax_t, and int_fast16_t, int_fast32_t, int_fast64_t,
     which are 64-bit longs in gcc's build): long long (two words) at N = 32 only.
   The limits and the INTn_C macros are gcc's values with gcc's types (a 64-bit one is a long
   in gcc's build and a long long here, but reads as a long to _Generic). intptr_t, size_t and
   ptrdiff_t are one word (gcc's are 64 bits): their limits are the word's, typed as gcc's. */
#ifndef __LOOPMLP_STDINT_H
#define __LOOPMLP_STDINT_H

typedef int __loopmlp_wide;  /* (a marker: a typedef of it is refused where used) */

#define __LOOPMLP_LONG_(n) n##L
#define __LOOPMLP_LONG(n) __LOOPMLP_LONG_(n)

/* 8 bits: the char types (at N = 8 the word, whose unsigned type promotes to unsigned int) */
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef signed char int_least8_t;
typedef unsigned char uint_least8_t;
typedef signed char int_fast8_t;
typedef unsigned char uint_fast8_t;
#if __INT_MAX__ > 127
#define INT8_MIN (-128)
#define UINT8_MAX (255)
#define UINT8_C(c) c
#else
#define INT8_MIN (-127-1)
#define UINT8_MAX (255U)
#define UINT8_C(c) c##U
#endif
#define INT8_MAX (127)
#define INT8_C(c) c
#define INT_LEAST8_MIN INT8_MIN
#define INT_LEAST8_MAX INT8_MAX
#define UINT_LEAST8_MAX UINT8_MAX
#define INT_FAST8_MIN INT8_MIN
#define INT_FAST8_MAX INT8_MAX
#define UINT_FAST8_MAX UINT8_MAX

/* 16 bits */
#if __INT_MAX__ > 32767
typedef short int16_t;
typedef unsigned short uint16_t;
typedef short int_least16_t;
typedef unsigned short uint_least16_t;
#define UINT16_MAX (65535)
#define UINT16_C(c) c
#elif __INT_MAX__ == 32767
typedef int int16_t;
typedef unsigned int uint16_t;
typedef int int_least16_t;
typedef unsigned int uint_least16_t;
#define UINT16_MAX (65535U)
#define UINT16_C(c) c##U
#else
typedef __loopmlp_wide int16_t;
typedef __loopmlp_wide uint16_t;
typedef __loopmlp_wide int_least16_t;
typedef __loopmlp_wide uint_least16_t;
#endif
#if __INT_MAX__ >= 32767
#define INT16_MIN (-32767-1)
#define INT16_MAX (32767)
#define INT16_C(c) c
#define INT_LEAST16_MIN INT16_MIN
#define INT_LEAST16_MAX INT16_MAX
#define UINT_LEAST16_MAX UINT16_MAX
#endif

/* 32 and 64 bits */
#if __INT_MAX__ == 2147483647
typedef int int32_t;
typedef unsigned int uint32_t;
typedef int int_least32_t;
typedef unsigned int uint_least32_t;
#define INT32_MIN (-2147483647-1)
#define INT32_MAX (2147483647)
#define UINT32_MAX (4294967295U)
#define INT32_C(c) c
#define UINT32_C(c) c##U
#define INT_LEAST32_MIN INT32_MIN
#define INT_LEAST32_MAX INT32_MAX
#define UINT_LEAST32_MAX UINT32_MAX

typedef long long int64_t;  /* two words (long long is two 32-bit words, at N = 32 only) */
typedef unsigned long long uint64_t;
typedef long long int_least64_t;
typedef unsigned long long uint_least64_t;
typedef long long int_fast16_t;  /* (gcc's are 64-bit longs) */
typedef unsigned long long uint_fast16_t;
typedef long long int_fast32_t;
typedef unsigned long long uint_fast32_t;
typedef long long int_fast64_t;
typedef unsigned long long uint_fast64_t;
typedef long long intmax_t;
typedef unsigned long long uintmax_t;
#define INT64_MIN (-9223372036854775807L-1)
#define INT64_MAX (9223372036854775807L)
#define UINT64_MAX (18446744073709551615UL)
/* gcc's `c ## L`, a 64-bit long there: the sum is a long to _Generic, and a long long (64 bits)
   here, where a long has N bits */
#define INT64_C(c) (c##L + 0 * 9223372036854775807L)
#define UINT64_C(c) (c##UL + 0 * 18446744073709551615UL)
#define INT_LEAST64_MIN INT64_MIN
#define INT_LEAST64_MAX INT64_MAX
#define UINT_LEAST64_MAX UINT64_MAX
#define INT_FAST16_MIN INT64_MIN
#define INT_FAST16_MAX INT64_MAX
#define UINT_FAST16_MAX UINT64_MAX
#define INT_FAST32_MIN INT64_MIN
#define INT_FAST32_MAX INT64_MAX
#define UINT_FAST32_MAX UINT64_MAX
#define INT_FAST64_MIN INT64_MIN
#define INT_FAST64_MAX INT64_MAX
#define UINT_FAST64_MAX UINT64_MAX
#define INTMAX_MIN INT64_MIN
#define INTMAX_MAX INT64_MAX
#define UINTMAX_MAX UINT64_MAX
#define INTMAX_C(c) (c##L + 0 * 9223372036854775807L)
#define UINTMAX_C(c) (c##UL + 0 * 18446744073709551615UL)
#define SIG_ATOMIC_MIN (-2147483647-1)
#define SIG_ATOMIC_MAX (2147483647)
#define WINT_MIN (0u)
#define WINT_MAX (4294967295u)
#else
typedef __loopmlp_wide int32_t;
typedef __loopmlp_wide uint32_t;
typedef __loopmlp_wide int_least32_t;
typedef __loopmlp_wide uint_least32_t;
typedef __loopmlp_wide int64_t;
typedef __loopmlp_wide uint64_t;
typedef __loopmlp_wide int_least64_t;
typedef __loopmlp_wide uint_least64_t;
typedef __loopmlp_wide int_fast16_t;
typedef __loopmlp_wide uint_fast16_t;
typedef __loopmlp_wide int_fast32_t;
typedef __loopmlp_wide uint_fast32_t;
typedef __loopmlp_wide int_fast64_t;
typedef __loopmlp_wide uint_fast64_t;
typedef __loopmlp_wide intmax_t;
typedef __loopmlp_wide uintmax_t;
#define SIG_ATOMIC_MIN (-__INT_MAX__ - 1)  /* (sig_atomic_t and wint_t: int and unsigned int) */
#define SIG_ATOMIC_MAX __INT_MAX__
#define WINT_MIN (0u)
#define WINT_MAX (__INT_MAX__ * 2U + 1U)
#endif

/* one word here, 64 bits in gcc's build: the word's limits, with gcc's types */
typedef int intptr_t;
typedef unsigned int uintptr_t;
#define INTPTR_MIN (-__LOOPMLP_LONG(__INT_MAX__)-1)
#define INTPTR_MAX (__LOOPMLP_LONG(__INT_MAX__))
#define UINTPTR_MAX (__INT_MAX__ * 2UL + 1UL)
#define PTRDIFF_MIN (-__LOOPMLP_LONG(__INT_MAX__)-1)
#define PTRDIFF_MAX (__LOOPMLP_LONG(__INT_MAX__))
#define SIZE_MAX (__INT_MAX__ * 2UL + 1UL)

#ifndef WCHAR_MIN  /* (as <wchar.h> has them: wchar_t is int) */
#define WCHAR_MIN (-__INT_MAX__ - 1)
#define WCHAR_MAX __INT_MAX__
#endif

#endif
