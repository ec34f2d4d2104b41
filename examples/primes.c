/* The primes below 100, by the sieve of Eratosthenes over a global array. */
#include <stdio.h>

#define LIMIT 100

char composite[LIMIT];

int main(void)
{
    int i, j, count = 0;
    for (i = 2; i * i < LIMIT; i++)
        if (!composite[i])
            for (j = i * i; j < LIMIT; j += i)
                composite[j] = 1;
    for (i = 2; i < LIMIT; i++) {
        if (!composite[i]) {
            printf(count ? " %d" : "%d", i);
            count++;
        }
    }
    printf("\n%d primes\n", count);
    return 0;
}
