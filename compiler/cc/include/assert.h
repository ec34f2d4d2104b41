/* loopmlp's <assert.h>: assert(e) is nothing when NDEBUG is defined where <assert.h> is
   included; otherwise a false e prints glibc's message, `PROG: FILE:LINE: FUNCTION: Assertion
   `e' failed.` (PROG: the source file's name without .c), on the machine's one output, and
   the run ends in a fault at that line (gcc's build prints it on stderr and dies of SIGABRT).
   Like glibc's, this header has no guard: each inclusion follows NDEBUG anew. */
#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__))
#endif
