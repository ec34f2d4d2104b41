/* loopmlp's <inttypes.h>: <stdint.h>, and printf's conversions for the types it honours (a
   word needs no length modifier). There is no scanf, so no SCN macros, and no imaxabs or
   strtoimax. The 64-bit types print as long long. */
#ifndef __LOOPMLP_INTTYPES_H
#define __LOOPMLP_INTTYPES_H
#include <stdint.h>
#if __INT_MAX__ == 2147483647
#define PRId32 "d"
#define PRIi32 "i"
#define PRIu32 "u"
#define PRIo32 "o"
#define PRIx32 "x"
#define PRIX32 "X"
#define PRIdLEAST32 "d"
#define PRIiLEAST32 "i"
#define PRIdFAST32 "d"
#define PRIiFAST32 "i"
#define PRId64 "lld"
#define PRIi64 "lli"
#define PRIu64 "llu"
#define PRIx64 "llx"
#define PRIX64 "llX"
#define PRIdMAX "lld"
#define PRIiMAX "lli"
#define PRIuMAX "llu"
#define PRIxMAX "llx"
#define PRIXMAX "llX"
#endif
#define PRIdPTR "d"
#define PRIiPTR "i"
#define PRIuPTR "u"
#define PRIoPTR "o"
#define PRIxPTR "x"
#define PRIXPTR "X"
#endif
