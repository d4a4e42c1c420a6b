/* sanitizer_canary: commits, on purpose, the two faults the ASan + UBSan
 * build must catch, so tests/sanitizers_test.py can show that it does:
 * `leak` loses a block (LeakSanitizer must report it and fail the run),
 * `overflow` overflows a signed int (UBSan must report it and stop there).
 * Built and run only in a build with both sanitizers. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* volatile, so the compiler can neither fold the fault away nor prove it
 * cannot happen */
static void *volatile lost;
static volatile int big = INT_MAX;

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    if (strcmp(argv[1], "leak") == 0) {
        lost = malloc(64);
        lost = NULL;
        puts("leaked");
        return 0;
    }
    if (strcmp(argv[1], "overflow") == 0) {
        int sum = big + argc;
        printf("went on after the overflow: %d\n", sum);
        return 0;
    }
    return 2;
}
