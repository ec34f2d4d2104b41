/* loopmlp's <ctype.h>, as glibc's "C" locale answers for EOF and -128..255: only the ASCII
   characters 0..127 are in any class, and a class's test returns glibc's value, the bit of
   its table that the class stands for (isalpha('a') is 1024), where a word can hold it
   (otherwise 1). toupper and tolower return -128..-2 as glibc's table does, plus 256. */

#if __INT_MAX__ > 255
#define __CT_BYTE(c) ((c) & 255)
#else
#define __CT_BYTE(c) (c)  /* (no word holds 128..255) */
#endif
#define __CT_BLANK 1
#define __CT_CNTRL 2
#define __CT_PUNCT 4
#define __CT_ALNUM 8
#if __INT_MAX__ >= 16384
#define __CT_UPPER 256
#define __CT_LOWER 512
#define __CT_ALPHA 1024
#define __CT_DIGIT 2048
#define __CT_XDIGIT 4096
#define __CT_SPACE 8192
#define __CT_PRINT 16384
#else
#define __CT_UPPER 1
#define __CT_LOWER 1
#define __CT_ALPHA 1
#define __CT_DIGIT 1
#define __CT_XDIGIT 1
#define __CT_SPACE 1
#define __CT_PRINT 1
#endif
#if __INT_MAX__ >= 32768
#define __CT_GRAPH 32768
#else
#define __CT_GRAPH 1
#endif

//@ isupper
int isupper(int c) { return c >= 'A' && c <= 'Z' ? __CT_UPPER : 0; }

//@ islower
int islower(int c) { return c >= 'a' && c <= 'z' ? __CT_LOWER : 0; }

//@ isalpha
int isalpha(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? __CT_ALPHA : 0;
}

//@ isdigit
int isdigit(int c) { return c >= '0' && c <= '9' ? __CT_DIGIT : 0; }

//@ isxdigit
int isxdigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
        ? __CT_XDIGIT : 0;
}

//@ isalnum
int isalnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        ? __CT_ALNUM : 0;
}

//@ isspace
int isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r') ? __CT_SPACE : 0; }

//@ isblank
int isblank(int c) { return c == ' ' || c == '\t' ? __CT_BLANK : 0; }

//@ isprint
int isprint(int c) { return c >= ' ' && c <= '~' ? __CT_PRINT : 0; }

//@ isgraph
int isgraph(int c) { return c > ' ' && c <= '~' ? __CT_GRAPH : 0; }

//@ iscntrl
int iscntrl(int c) { return (c >= 0 && c < ' ') || c == 127 ? __CT_CNTRL : 0; }

//@ ispunct
int ispunct(int c) {
    return c > ' ' && c <= '~' && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z')
        && !(c >= 'A' && c <= 'Z') ? __CT_PUNCT : 0;
}

//@ toupper
int toupper(int c) {
    if (c >= 'a' && c <= 'z')
        return c - ('a' - 'A');
    return c >= -128 && c < -1 ? __CT_BYTE(c) : c;
}

//@ tolower
int tolower(int c) {
    if (c >= 'A' && c <= 'Z')
        return c + ('a' - 'A');
    return c >= -128 && c < -1 ? __CT_BYTE(c) : c;
}
