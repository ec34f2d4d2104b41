/* FizzBuzz from 1 to 30: division, the remainder and a switch. */
#include <stdio.h>

int main(void)
{
    int i;
    for (i = 1; i <= 30; i++) {
        switch ((i % 3 == 0) + 2 * (i % 5 == 0)) {
        case 1:
            printf("Fizz\n");
            break;
        case 2:
            printf("Buzz\n");
            break;
        case 3:
            printf("FizzBuzz\n");
            break;
        default:
            printf("%d\n", i);
        }
    }
    return 0;
}
