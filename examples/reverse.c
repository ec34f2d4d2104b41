/* Reads a line and prints it backwards: getchar, a local array, pointers. */
#include <stdio.h>

int main(void)
{
    char line[80];
    char *p = line;
    int c;
    while ((c = getchar()) != EOF && c != '\n' && p < line + 79)
        *p++ = c;
    while (p > line)
        putchar(*--p);
    putchar('\n');
    return 0;
}
