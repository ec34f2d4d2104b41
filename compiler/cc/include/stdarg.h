/* loopmlp's <stdarg.h>. A variadic function's unnamed arguments are words of a block of its own
   (one word each, as every argument is one word), and a va_list is the address of the next one,
   held in an int (so that `va_list a, b;` declares two). va_start and va_arg are checked by the
   compiler: va_start only in a variadic function, naming its last parameter; va_arg of a type
   an argument keeps (not char, which arrives as an int). */
#ifndef __LOOPMLP_STDARG_H
#define __LOOPMLP_STDARG_H
#define va_list int
#define va_start(ap, last) ((ap) = __va_start(last))
#define va_arg(ap, type) (*__va_arg((ap)++, (type *)0))
#define va_end(ap) ((void)(ap))
#define va_copy(dest, src) ((dest) = (src))
#endif
