/* pager: stdout through $PAGER on a terminal (see pager.h). */
#include "pager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static const char *pager_command(void) {
    const char *pager = getenv("NBREPLAY_PAGER");
    if (!pager) pager = getenv("PAGER");
    if (!pager) pager = "less";
    return pager;
}

int pager_write(const char *text, size_t len) {
    const char *pager = pager_command();
    if (!isatty(STDOUT_FILENO) || pager[strspn(pager, " ")] == '\0' || strcmp(pager, "cat") == 0)
        return cli_write_stdout(text, len);
    setenv("LESS", "FRX", 0); /* only when the user has no LESS of their own */
    fflush(stdout);
    FILE *pipe = popen(pager, "w");
    if (!pipe) return cli_write_stdout(text, len);
    /* the pager may quit before reading it all (q): that is no error */
    fwrite(text, 1, len, pipe);
    int status = pclose(pipe);
    if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127)) /* no such pager */
        return cli_write_stdout(text, len);
    return EXIT_OK;
}
