/* The Towers of Hanoi for 4 discs: every move, by recursion. */
#include <stdio.h>

int moves;

void hanoi(int n, char from, char to, char via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    printf("move disc %d from %c to %c\n", n, from, to);
    moves++;
    hanoi(n - 1, via, to, from);
}

int main(void)
{
    hanoi(4, 'A', 'C', 'B');
    printf("%d moves\n", moves);
    return 0;
}
