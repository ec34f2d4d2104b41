/* A small calculator: + - * / % and parentheses on integers, one expression per line,
   by recursive descent. Try: echo "2 * (3 + 4) - 10 / 3" | loopmlp run examples/calc.c */
#include <stdio.h>

int look;

void next(void)
{
    do
        look = getchar();
    while (look == ' ' || look == '\t');
}

int expr(void);

int factor(void)
{
    int value = 0;
    if (look == '-') {
        next();
        return -factor();
    }
    if (look == '(') {
        next();
        value = expr();
        if (look == ')')
            next();
        return value;
    }
    while (look >= '0' && look <= '9') {
        value = value * 10 + (look - '0');
        next();
    }
    return value;
}

int term(void)
{
    int value = factor();
    while (look == '*' || look == '/' || look == '%') {
        int op = look, right;
        next();
        right = factor();
        if (op == '*')
            value = value * right;
        else if (right == 0) {
            printf("division by zero\n");
            return 0;
        } else if (op == '/')
            value = value / right;
        else
            value = value % right;
    }
    return value;
}

int expr(void)
{
    int value = term();
    while (look == '+' || look == '-') {
        int op = look;
        next();
        if (op == '+')
            value = value + term();
        else
            value = value - term();
    }
    return value;
}

int main(void)
{
    next();
    while (look != EOF) {
        if (look == '\n') {
            next();
            continue;
        }
        printf("%d\n", expr());
        while (look != '\n' && look != EOF)
            next();
    }
    return 0;
}
