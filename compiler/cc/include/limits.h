/* loopmlp's <limits.h> for N-bit words: every integer type is one word (sizeof 1), so
   CHAR_BIT is N and `long` is N bits wide (its limits are the word's, typed long as gcc's). The
   limits of char and short are gcc's where N allows them (char above N = 8, short above
   N = 16: below, the type is the word and they are int's, with unsigned int's type for UCHAR_MAX
   and USHRT_MAX, as C's promotions make them): what programs use them for (table sizes, loop
   bounds) then works as with gcc, though the word holds more. */
#ifndef __LOOPMLP_LIMITS_H
#define __LOOPMLP_LIMITS_H
#define __LOOPMLP_LONG_(n) n##L
#define __LOOPMLP_LONG(n) __LOOPMLP_LONG_(n)
#define CHAR_BIT __CHAR_BIT__
#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LOOPMLP_LONG(__INT_MAX__)
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)
#if __INT_MAX__ == 2147483647  /* long long: two 32-bit words, at N = 32 only */
#define LLONG_MAX 9223372036854775807LL
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)
#endif
#if __INT_MAX__ > 127
#define SCHAR_MAX 127
#define SCHAR_MIN (-SCHAR_MAX - 1)
#define UCHAR_MAX (SCHAR_MAX * 2 + 1)
#else
#define SCHAR_MAX INT_MAX
#define SCHAR_MIN INT_MIN
#define UCHAR_MAX UINT_MAX
#endif
#define CHAR_MAX SCHAR_MAX
#define CHAR_MIN SCHAR_MIN
#define MB_LEN_MAX 16  /* (glibc's) */
#if __INT_MAX__ > 32767
#define SHRT_MAX 32767
#define SHRT_MIN (-SHRT_MAX - 1)
#define USHRT_MAX (SHRT_MAX * 2 + 1)
#else
#define SHRT_MAX INT_MAX
#define SHRT_MIN INT_MIN
#define USHRT_MAX UINT_MAX
#endif
#endif
