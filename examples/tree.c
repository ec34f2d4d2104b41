/* A binary search tree on the heap: words are read from the input, counted in the tree
   (structs, pointers to them, malloc and free), then printed in order with their counts, and
   the tree is freed. Try: loopmlp run examples/tree.c --input "the cat and the hat and the bat" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    char word[16];
    int count;
    struct node *left, *right;
};

struct node *insert(struct node *tree, const char *word)
{
    if (tree == NULL) {
        struct node *fresh = malloc(sizeof *fresh);
        if (fresh == NULL) {
            puts("out of memory");
            exit(1);
        }
        strncpy(fresh->word, word, sizeof fresh->word - 1);
        fresh->word[sizeof fresh->word - 1] = '\0';
        fresh->count = 1;
        fresh->left = fresh->right = NULL;
        return fresh;
    }
    int order = strcmp(word, tree->word);
    if (order < 0)
        tree->left = insert(tree->left, word);
    else if (order > 0)
        tree->right = insert(tree->right, word);
    else
        tree->count++;
    return tree;
}

int show(const struct node *tree)
{
    if (tree == NULL)
        return 0;
    int before = show(tree->left);
    printf("%-10s %d\n", tree->word, tree->count);
    return before + 1 + show(tree->right);
}

void release(struct node *tree)
{
    if (tree != NULL) {
        release(tree->left);
        release(tree->right);
        free(tree);
    }
}

int main(void)
{
    struct node *tree = NULL;
    char word[16];
    int length = 0, c;
    do {
        c = getchar();
        if (c != EOF && c != ' ' && c != '\n' && length < 15) {
            word[length++] = c;
        } else if (length > 0) {
            word[length] = '\0';
            tree = insert(tree, word);
            length = 0;
        }
    } while (c != EOF);
    printf("%d distinct words\n", show(tree));
    release(tree);
    return 0;
}
