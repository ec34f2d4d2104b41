/* The first C program, run by a 23-layer ReLU network. */
#include <stdio.h>

int main(void)
{
    printf("Hello, world!\n");
    return 0;
}
