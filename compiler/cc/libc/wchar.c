/* loopmlp's <wchar.h>: each function is linked in only when the program calls it. A wchar_t
   is an int, one word. */

//@ wcslen
int wcslen(const int *s) {
    int n = 0;
    while (s[n])
        n++;
    return n;
}
