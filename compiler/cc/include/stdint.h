/* loopmlp's <stdint.h>, for the word model: every scalar is one N-bit word, so the only
   exact-width integer type is the one as wide as a word (int32_t at N = 32, the default).
   typedef is not in the language yet: the types are macros. The others stand for the C
   types they would need, which are refused in one line naming them: int64_t and intmax_t
   as `long long`, a narrower intN_t as `short` (a word would not wrap at its width; signed
   char is a word here, as char is), a wider one as `long`, the unsigned ones as `unsigned` types (not in the
   language yet). int_least32_t and int_fast32_t are int at N = 32 (gcc's int_fast32_t has
   64 bits: values beyond 32 bits differ). */
#ifndef __LOOPMLP_STDINT_H
#define __LOOPMLP_STDINT_H

#if __INT_MAX__ == 2147483647
#define int32_t int
#define int_least32_t int
#define int_fast32_t int
#define INT_LEAST32_MIN (-2147483647 - 1)
#define INT_LEAST32_MAX 2147483647
#define INT_FAST32_MIN (-2147483647 - 1)
#define INT_FAST32_MAX 2147483647
#else
#define int32_t long
#define int_least32_t long
#define int_fast32_t long
#endif
#if __INT_MAX__ == 32767
#define int16_t int
#else
#define int16_t short
#endif
#if __INT_MAX__ == 127
#define int8_t int
#else
#define int8_t short
#endif
#define int_least8_t short
#define int_fast8_t short
#define int_least16_t short
#define int_fast16_t short
#define int64_t long long
#define int_least64_t long long
#define int_fast64_t long long
#define intmax_t long long
#define intptr_t int
#define uint8_t unsigned char
#define uint16_t unsigned short
#define uint32_t unsigned int
#define uint64_t unsigned long long
#define uint_least8_t unsigned char
#define uint_least16_t unsigned short
#define uint_least32_t unsigned int
#define uint_least64_t unsigned long long
#define uint_fast8_t unsigned char
#define uint_fast16_t unsigned short
#define uint_fast32_t unsigned int
#define uint_fast64_t unsigned long long
#define uintmax_t unsigned long long
#define uintptr_t unsigned int

#define INT8_MIN (-128)
#define INT8_MAX 127
#define UINT8_MAX 255
#define INT16_MIN (-32767 - 1)
#define INT16_MAX 32767
#define UINT16_MAX 65535
#if __INT_MAX__ == 2147483647
#define INT32_MIN (-2147483647 - 1)
#define INT32_MAX 2147483647
#define UINT32_MAX 0xffffffff
#endif
#define INTPTR_MIN (-__INT_MAX__ - 1)
#define INTPTR_MAX __INT_MAX__
#define PTRDIFF_MIN (-__INT_MAX__ - 1)
#define PTRDIFF_MAX __INT_MAX__

#endif
