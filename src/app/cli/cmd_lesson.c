/* nbreplay lesson: the notebook as a lesson: each cell's page (as show
 * prints it) in order, waiting for the student between cells. */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "cli.h"
#include "page_options.h"
#include "pager.h"

static const char lesson_usage[] =
    "usage: nbreplay lesson [FROM] [--seed N] [--width N] [--color auto|always|never]\n"
    "                       [--device auto|cpu|cuda] [--param NAME=VALUE]...\n"
    "\n"
    "Steps through the cells in notebook order, from FROM (a number or a name;\n"
    "default the first), showing each as 'nbreplay show' does. After each cell\n"
    "it waits: Enter goes on, a cell's number or name jumps to it, p goes back,\n"
    "q quits. On a terminal each cell starts on a clear screen and a long page\n"
    "goes through the pager ($NBREPLAY_PAGER, $PAGER or less; 'cat' for none).\n"
    "Before a cell that takes long at its full size (In [9]) it offers a smaller\n"
    "one, unless --param chose. When standard input is not a terminal it prints\n"
    "every cell from FROM on and exits. Options are show's.\n";

static size_t registry_index(const Cell *cell) {
    for (size_t i = 0; i < cell_registry_count; i++)
        if (cell_registry[i] == cell) return i;
    return 0;
}

typedef enum { STEP_NEXT, STEP_JUMP, STEP_QUIT } Step;

/* Asks on stderr (stdout may be going to a file) and reads one answer from
 * stdin; *target gets the registry index to show next. EOF quits. */
static Step ask(size_t index, size_t *target) {
    char *answer = NULL;
    size_t cap = 0;
    for (;;) {
        bool last = index + 1 == cell_registry_count;
        char label[96];
        /* two lines, so that each stays within 80 columns */
        fprintf(stderr, "── %s, page %zu of %zu ──\nEnter: %s · number or name: jump · p: back · q: quit › ",
                cli_cell_label(cell_registry[index], label, sizeof label), index + 1,
                cell_registry_count, last ? "end" : "next");
        fflush(stderr);
        ssize_t n = getline(&answer, &cap, stdin);
        if (n < 0) {
            fputc('\n', stderr);
            free(answer);
            return STEP_QUIT;
        }
        char *a = answer;
        while (isspace((unsigned char)*a)) a++;
        size_t len = strlen(a);
        while (len > 0 && isspace((unsigned char)a[len - 1])) a[--len] = '\0';
        Step step = STEP_JUMP;
        const Cell *cell;
        if (len == 0) {
            step = last ? STEP_QUIT : STEP_NEXT;
        } else if (strcmp(a, "q") == 0 || strcmp(a, "quit") == 0) {
            step = STEP_QUIT;
        } else if (strcmp(a, "p") == 0) {
            *target = index > 0 ? index - 1 : 0;
        } else if ((cell = cell_find(a)) != NULL) {
            *target = registry_index(cell);
        } else {
            char message[256];
            fprintf(stderr, "%s\n", cli_unknown_cell_message(a, message, sizeof message));
            continue;
        }
        free(answer);
        return step;
    }
}

/* A cell with parameters (In [9]: K, L, M) may take half a minute at its
 * full size. Asks before it runs: Enter keeps the full size, s runs it at a
 * tenth of each, q quits. `own` gets the values chosen; returns their
 * count, or -1 to quit. */
static int ask_size(const Cell *cell, RunParamArg *own, char values[][24]) {
    char label[96];
    fprintf(stderr, "%s runs at full size (", cli_cell_label(cell, label, sizeof label));
    for (int k = 0; k < cell->nparams; k++)
        fprintf(stderr, "%s%s=%lld", k ? " " : "", cell->params[k].name, (long long)cell->params[k].default_value);
    fprintf(stderr, "): that can take half a minute or more, with progress shown.\n"
                    "Enter: full size · s: smaller (a tenth of each) · q: quit › ");
    fflush(stderr);
    char *answer = NULL;
    size_t cap = 0;
    ssize_t n = getline(&answer, &cap, stdin);
    bool small = n > 0 && (answer[0] == 's' || answer[0] == 'S');
    bool quit = n < 0 || answer[0] == 'q' || answer[0] == 'Q';
    free(answer);
    if (quit) return -1;
    if (!small) return 0;
    for (int k = 0; k < cell->nparams && k < CLI_MAX_PARAMS; k++) {
        long long v = (long long)cell->params[k].default_value / 10;
        if (v < cell->params[k].min_value) v = cell->params[k].min_value;
        snprintf(values[k], 24, "%lld", v);
        own[k] = (RunParamArg){cell->params[k].name, values[k]};
    }
    return cell->nparams < CLI_MAX_PARAMS ? cell->nparams : CLI_MAX_PARAMS;
}

int cmd_lesson(int argc, char **argv) {
    CellPageOptions options;
    CliParams params;
    int status = cli_parse_page_options("lesson", lesson_usage, argc, argv, &options, &params);
    if (status != -1) return status;
    if (argc - optind > 1) return cli_usage_error("lesson", "expected at most one cell to start from");
    size_t index = 0;
    if (optind < argc) {
        const Cell *from;
        if (cli_select_cells("lesson", 1, argv + optind, &from) < 0) return EXIT_USAGE;
        index = registry_index(from);
    }
    if ((status = cli_params_check("lesson", &params, (const Cell *const *)cell_registry,
                                   (int)cell_registry_count)) != 0)
        return status;
    bool interactive = isatty(STDIN_FILENO);
    const char *term = getenv("TERM");
    bool screen = interactive && isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0);
    char small[CLI_MAX_PARAMS][24];
    bool failed = false;
    StrBuf page = STRBUF_INIT;
    status = EXIT_OK;
    while (index < cell_registry_count && status == EXIT_OK) {
        nb_strbuf_clear(&page);
        RunParamArg own[CLI_MAX_PARAMS];
        options.nparams = cli_params_for(&params, cell_registry[index], own);
        options.params = own;
        if (interactive && cell_registry[index]->nparams > 0 && options.nparams == 0) {
            int chosen = ask_size(cell_registry[index], own, small);
            if (chosen < 0) break;
            options.nparams = chosen;
        }
        if (screen) fputs("\033[H\033[2J", stdout); /* each page from the top of a clear screen */
        int shown = cell_page_render(&page, cell_registry[index], &options);
        if (shown < 0) {
            status = cli_failure("%s", nb_error_message());
            nb_error_clear();
            break;
        }
        failed |= shown == 1;
        if (!interactive && index + 1 < cell_registry_count) nb_strbuf_append_char(&page, '\n');
        if ((status = interactive ? pager_write(page.data, page.len) : cli_write_stdout(page.data, page.len)) !=
            EXIT_OK)
            break;
        if (!interactive) {
            index++;
            continue;
        }
        size_t target = index + 1;
        Step step = ask(index, &target);
        if (step == STEP_QUIT) break;
        index = step == STEP_NEXT ? index + 1 : target;
        fputc('\n', stdout);
    }
    nb_strbuf_free(&page);
    if (status == EXIT_OK && failed) status = EXIT_FAILURE_RUN;
    return status;
}
