/* loopmlp's <limits.h> for N-bit words: int and char are one word each (sizeof 1), so
   CHAR_BIT is N and char holds what int holds. */
#ifndef __LOOPMLP_LIMITS_H
#define __LOOPMLP_LIMITS_H
#define CHAR_BIT __CHAR_BIT__
#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define CHAR_MAX INT_MAX
#define CHAR_MIN INT_MIN
#define SCHAR_MAX INT_MAX
#define SCHAR_MIN INT_MIN
#endif
