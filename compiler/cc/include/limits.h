/* loopmlp's <limits.h> for N-bit words: every integer type is one word (sizeof 1), so
   CHAR_BIT is N and `long` is `int`. The limits of char and short are gcc's (where N allows
   them): what programs use them for (table sizes, loop bounds) then works as with gcc, though
   the word holds more. */
#ifndef __LOOPMLP_LIMITS_H
#define __LOOPMLP_LIMITS_H
#define CHAR_BIT __CHAR_BIT__
#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define UINT_MAX (__INT_MAX__ * 2U + 1U)
#define LONG_MAX __INT_MAX__
#define LONG_MIN (-__INT_MAX__ - 1)
#define ULONG_MAX (__INT_MAX__ * 2U + 1U)
#if __INT_MAX__ == 2147483647  /* long long: two 32-bit words, at N = 32 only */
#define LLONG_MAX 9223372036854775807LL
#define LLONG_MIN (-9223372036854775807LL - 1)
#define ULLONG_MAX 18446744073709551615ULL
#endif
#define SCHAR_MAX 127
#define SCHAR_MIN (-128)
#define UCHAR_MAX 255
#define CHAR_MAX SCHAR_MAX
#define CHAR_MIN SCHAR_MIN
#if __CHAR_BIT__ >= 16
#define SHRT_MAX 32767
#define SHRT_MIN (-32768)
#define USHRT_MAX 65535
#else
#define SHRT_MAX INT_MAX
#define SHRT_MIN INT_MIN
#define USHRT_MAX UINT_MAX
#endif
#endif
