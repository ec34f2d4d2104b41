/* loopmlp's <stdio.h>, what is written in C: fprintf where its address is taken (its calls by
   name are built in, builtins.py's). Its stream must be stdout, ((FILE *)2). */
#include <stdarg.h>

//@ __fprintf
int __fprintf(void *stream, const char *f, ...) {
    va_list ap;
    int n;
    va_start(ap, f);
    if (stream != (void *)2)
        __stream_fault();
    n = __snprintf((char *)0, 0, (char *)f, (int *)ap);  /* the count glibc's returns */
    __printf((char *)f, (int *)ap);
    return n;
}
