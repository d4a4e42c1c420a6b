/* fuzz_check: what every harness asserts after each input, in a form that
 * works both under libFuzzer and in the plain replay of fuzz/regressions/:
 * a broken promise aborts, which both report as a crash with the message.
 * The message goes to file descriptor 2 itself, since a harness may have
 * pointed the stderr stream at /dev/null. */
#ifndef NB_FUZZ_CHECK_H
#define NB_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FUZZ_REQUIRE(cond, ...)                                          \
    do {                                                                 \
        if (!(cond)) {                                                   \
            dprintf(STDERR_FILENO, "fuzz: %s:%d: broken promise: ", __FILE__, __LINE__); \
            dprintf(STDERR_FILENO, __VA_ARGS__);                         \
            dprintf(STDERR_FILENO, "\n");                                \
            abort();                                                     \
        }                                                                \
    } while (0)

#endif
