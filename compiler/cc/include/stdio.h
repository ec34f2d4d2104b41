/* loopmlp's <stdio.h>: putchar, getchar, puts, printf and the stream functions on stdout and
   stdin (fprintf, fputs, fputc, putc, fgetc, getc, fflush, vprintf, vfprintf) are built into
   the compiler; scanf, sscanf, fgets and ungetc are written in C (libc/scanf.c), compiled with
   the program when it calls them. The machine has one input and one output and no files: stdin and stdout are
   them, and a call on any other stream (stderr's text has nowhere to go) is a fault at its
   line; fopen and the other functions of files are refused. The three values are builtins.py's
   STDIN, STDOUT and STDERR. */
#ifndef __LOOPMLP_STDIO_H
#define __LOOPMLP_STDIO_H
#define EOF (-1)
#define NULL ((void *)0)
typedef unsigned int size_t;
typedef struct __loopmlp_stream FILE;
#define stdin ((FILE *)1)
#define stdout ((FILE *)2)
#define stderr ((FILE *)3)
#endif
