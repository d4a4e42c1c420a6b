/* fuzz_cli: the subcommands' entry points (cmd_list, cmd_run, cmd_verify,
 * cmd_print) on command lines built from the input: NUL-separated words, the
 * first naming the command. Whatever the words, a command must return one of
 * the documented exit codes, clear the error it reported, and give back
 * every block it allocated. None of these commands writes files; what they
 * print goes to /dev/null. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/alloc.h"
#include "../src/cli/cli.h"
#include "../src/error.h"
#include "fuzz_check.h"

#define MAX_WORDS 24

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} commands[] = {
    {"list", cmd_list},
    {"run", cmd_run},
    {"verify", cmd_verify},
    {"print", cmd_print},
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    /* The sanitizers and libFuzzer report on file descriptor 2 directly, so
     * quieting the stdio streams hides only the commands' own text. */
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "r", stdin)) abort();
    FILE *quiet = fopen("/dev/null", "w");
    if (!quiet) abort();
    stderr = quiet;
    return 0;
}

/* Splits the input at NUL bytes into at most MAX_WORDS malloc'd words. */
static int split_words(const uint8_t *data, size_t size, char **words) {
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < MAX_WORDS; i++) {
        if (i < size && data[i] != '\0') continue;
        char *word = malloc(i - start + 1);
        if (!word) break;
        memcpy(word, data + start, i - start);
        word[i - start] = '\0';
        words[n++] = word;
        start = i + 1;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *words[MAX_WORDS + 1];
    int nwords = split_words(data, size, words);
    /* The commands permute argv (getopt) and write into option values, so
     * they get their own copy of the pointers. */
    char *argv[MAX_WORDS + 1];
    memcpy(argv, words, (size_t)nwords * sizeof *argv);
    argv[nwords] = NULL;
    for (size_t c = 0; nwords > 0 && c < sizeof commands / sizeof commands[0]; c++) {
        if (strcmp(words[0], commands[c].name) != 0) continue;
        error_clear();
        int64_t live = alloc_stats().live_blocks;
        int status = commands[c].main(nwords, argv);
        FUZZ_REQUIRE(status == EXIT_OK || status == EXIT_FAILURE_RUN || status == EXIT_USAGE,
                     "%s returned %d", commands[c].name, status);
        FUZZ_REQUIRE(!error_pending(), "%s left an error behind: %s", commands[c].name,
                     error_message());
        FUZZ_REQUIRE(alloc_stats().live_blocks == live, "%s leaked %lld blocks", commands[c].name,
                     (long long)(alloc_stats().live_blocks - live));
        break;
    }
    for (int i = 0; i < nwords; i++) free(words[i]);
    return 0;
}
