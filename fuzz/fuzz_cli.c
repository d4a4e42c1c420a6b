/* fuzz_cli: the subcommands' entry points (cmd_list, cmd_run, cmd_verify,
 * cmd_print) on command lines built from the input: NUL-separated words, the
 * first naming the command. Whatever the words, a command must return one of
 * the documented exit codes, clear the error it reported, and give back
 * every block it allocated. What they print goes to /dev/null, and a
 * command line that would write a file (verify --junit) is not run. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli/cli.h"
#include "error.h"
#include "fuzz_check.h"

/* Words taken from the input, and room for the ones pin_params adds. */
#define MAX_INPUT_WORDS 16
#define MAX_WORDS 48

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

/* Splits the input at NUL bytes into at most MAX_INPUT_WORDS malloc'd words. */
static int split_words(const uint8_t *data, size_t size, char **words) {
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < MAX_INPUT_WORDS; i++) {
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

/* Whether a verify command line could ask for a JUnit report, which is
 * written to a file: --junit or any abbreviation of it. */
static bool may_write_file(int nwords, char **words) {
    if (nwords == 0 || strcmp(words[0], "verify") != 0) return false;
    for (int i = 1; i < nwords; i++)
        if (strncmp(words[i], "--j", 3) == 0) return true;
    return false;
}

/* Whether `word` is "--NAME", "--NAME=..." or an abbreviation of them, as
 * getopt_long accepts (every run option starts with its own letter). */
static bool long_option(const char *word, const char *name, bool *has_value) {
    if (strncmp(word, "--", 2) != 0 || word[2] == '\0') return false;
    size_t n = strcspn(word + 2, "=");
    *has_value = word[2 + n] == '=';
    return n <= strlen(name) && strncmp(word + 2, name, n) == 0;
}

/* The cells a run command line selects, found as getopt_long and cmd_run
 * would find them but without calling getopt, whose hidden state this
 * harness checks the commands reset. Returns the count, or -1 when the line
 * runs nothing (help, an option that is not run's, an unknown cell). */
static int selected_cells(int nwords, char **words, const Cell **cells) {
    static const char *const with_value[] = {"seed", "device", "param"};
    int n = 0;
    bool options_end = false;
    for (int i = 1; i < nwords; i++) {
        const char *w = words[i];
        if (!options_end && strcmp(w, "--") == 0) {
            options_end = true;
            continue;
        }
        if (!options_end && w[0] == '-' && w[1] != '\0') {
            bool has_value = false, known = false;
            for (size_t o = 0; o < 3 && !known; o++) {
                known = long_option(w, with_value[o], &has_value);
                if (known && !has_value) i++; /* the value is the next word */
            }
            if (!known) return -1; /* -h, --help, or a usage error */
            continue;
        }
        const Cell *cell = cell_find(w);
        if (!cell || n == CLI_MAX_CELLS) return -1;
        cells[n++] = cell;
    }
    if (n == 0)
        for (size_t i = 0; i < cell_registry_count && n < CLI_MAX_CELLS; i++)
            cells[n++] = cell_registry[i];
    return n;
}

/* Cells declare parameters whose defaults can ask for gigabytes (In [9]
 * times a 25000x10000 by 10000x1000 product). For run, --param NAME=MIN is
 * appended for every parameter the selected cells declare; the last value
 * given wins, so whatever the input asked for, each run stays small.
 * Returns the new word count; `owned` collects the words made here. */
static int pin_params(int nwords, char **words, char **owned, int *nowned) {
    const Cell *cells[CLI_MAX_CELLS];
    int ncells = nwords > 0 && strcmp(words[0], "run") == 0 ? selected_cells(nwords, words, cells) : -1;
    for (int c = 0; c < ncells; c++) {
        for (int p = 0; p < cells[c]->nparams && nwords + 2 <= MAX_WORDS; p++) {
            const CellParam *param = &cells[c]->params[p];
            char value[96];
            snprintf(value, sizeof value, "%s=%lld", param->name, (long long)param->min_value);
            words[nwords++] = owned[(*nowned)++] = strdup("--param");
            words[nwords++] = owned[(*nowned)++] = strdup(value);
        }
    }
    return nwords;
}

/* Runs the command that words[0] names on its own copy of the pointers
 * (the commands permute argv and write into option values); returns its
 * exit status, or -1 when words[0] names none or the command line is one
 * this harness does not run. */
static int run_command(int nwords, char **words) {
    if (may_write_file(nwords, words)) return -1;
    char *owned[MAX_WORDS];
    int nowned = 0;
    char *args[MAX_WORDS + 1];
    memcpy(args, words, (size_t)nwords * sizeof *args);
    int nargs = pin_params(nwords, args, owned, &nowned);
    char *argv[MAX_WORDS + 1];
    memcpy(argv, args, (size_t)nargs * sizeof *argv);
    argv[nargs] = NULL;
    int status = -1;
    for (size_t c = 0; nargs > 0 && c < sizeof commands / sizeof commands[0]; c++) {
        if (strcmp(argv[0], commands[c].name) != 0) continue;
        nb_error_clear();
        int64_t live = nb_alloc_stats().live_blocks;
        status = commands[c].main(nargs, argv);
        FUZZ_REQUIRE(status == EXIT_OK || status == EXIT_FAILURE_RUN || status == EXIT_USAGE,
                     "%s returned %d", commands[c].name, status);
        FUZZ_REQUIRE(!nb_error_pending(), "%s left an error behind: %s", commands[c].name,
                     nb_error_message());
        FUZZ_REQUIRE(nb_alloc_stats().live_blocks == live, "%s leaked %lld blocks", commands[c].name,
                     (long long)(nb_alloc_stats().live_blocks - live));
        break;
    }
    for (int i = 0; i < nowned; i++) free(owned[i]);
    return status;
}

/* Twice, on two separate copies of the words: a command must not carry
 * state from one call into the next. getopt, for one, keeps a pointer into
 * the previous argv unless it is told to start over; the first copy is
 * still alive during the second call, so such a pointer changes what the
 * second call sees instead of going unnoticed. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *first_words[MAX_WORDS + 1], *second_words[MAX_WORDS + 1];
    int n1 = split_words(data, size, first_words);
    int n2 = split_words(data, size, second_words);
    int first = run_command(n1, first_words);
    int second = n1 == n2 ? run_command(n2, second_words) : first;
    FUZZ_REQUIRE(first == second, "the same command line exited %d, then %d", first, second);
    for (int i = 0; i < n1; i++) free(first_words[i]);
    for (int i = 0; i < n2; i++) free(second_words[i]);
    return 0;
}
