/* Fibonacci numbers the slow way: a doubly recursive function, on the machine's stack. */
#include <stdio.h>

int fib(int n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int main(void)
{
    int n;
    for (n = 0; n <= 10; n++)
        printf("fib(%d) = %d\n", n, fib(n));
    return 0;
}
