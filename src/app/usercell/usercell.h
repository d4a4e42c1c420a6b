/* usercell: a cell the user wrote (a body of statements in the vocabulary
 * of notebook.h, or a whole cell file like cells/cellNN_*.c), compiled at
 * run time and run in a child process, so that nothing it does (a crash,
 * abort(), exit(), an endless loop, a leak) reaches the caller.
 *
 * The one call a command (`nbreplay run FILE.c`, `edit --watch`) or a
 * Jupyter kernel makes: fill a UserCellJob, call usercell_run, read the
 * UserCellResult. */
#ifndef NB_USERCELL_H
#define NB_USERCELL_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"
#include "tensor.h"

typedef enum UserCellStatus {
    USERCELL_OK,            /* ran to its end: output is all it printed */
    USERCELL_FAILED,        /* a line failed: message is the library's error */
    USERCELL_COMPILE_ERROR, /* message: the compiler's diagnostics */
    USERCELL_CRASHED,       /* died of a signal (signal says which), abort() too */
    USERCELL_EXITED,        /* called exit() */
    USERCELL_TIMED_OUT,     /* ran past timeout_s and was stopped */
    USERCELL_INTERRUPTED,   /* stopped by usercell_interrupt() (Ctrl-C) */
    USERCELL_NO_COMPILER,   /* message: what to install */
    USERCELL_SYSTEM_ERROR,  /* fork, pipe or the like failed: message says why */
} UserCellStatus;

typedef enum UserCellCompiler {
    USERCELL_COMPILER_AUTO, /* libtcc when built in, else cc */
    USERCELL_COMPILER_TCC,  /* libtcc, in memory */
    USERCELL_COMPILER_CC,   /* $CC or cc -shared, then dlopen */
} UserCellCompiler;

#define USERCELL_MAX_INCLUDE_DIRS 8

typedef struct UserCellJob {
    const char *name;  /* the file name diagnostics and messages show */
    const char *text;  /* the file's text */
    const char *include_dirs[USERCELL_MAX_INCLUDE_DIRS]; /* where notebook.h is */
    int ninclude_dirs;
    uint32_t seed;     /* np.random.seed(seed) right before the cell */
    Device device;
    double timeout_s;  /* from the cell's start, after its compile; 0: no limit */
    UserCellCompiler compiler;
    /* Optional, for a caller that shows output while the cell runs (a
     * Jupyter kernel): called with each piece of what the cell writes to
     * stdout as it arrives (it is still collected in result->output too). */
    void (*on_output)(void *context, const char *data, size_t len);
    /* Optional: called about every 20 ms while the cell runs, so a caller
     * can answer other requests meanwhile and call usercell_interrupt(). */
    void (*on_tick)(void *context);
    void *context;
} UserCellJob;

typedef struct UserCellResult {
    UserCellStatus status;
    StrBuf output;     /* what the cell printed: all of it, or up to where it stopped */
    bool partial;      /* the cell stopped before its end and output holds something */
    StrBuf message;    /* compiler diagnostics, the error, or why it stopped */
    int signal;        /* USERCELL_CRASHED: the signal */
    double ms;         /* from the call to the result: compile and run */
} UserCellResult;

/* Compiles and runs the job's cell in a child process and waits for it.
 * While it waits, SIGINT calls usercell_interrupt (the previous handler is
 * restored after), so Ctrl-C stops the cell and not the caller. The child
 * is in a process group of its own and is stopped as a group. Output comes
 * whole at the end (or, when the cell stops early, what it had printed).
 * Returns result->status; free the result with usercell_result_free. */
UserCellStatus usercell_run(const UserCellJob *job, UserCellResult *result);
void usercell_result_free(UserCellResult *result);

/* Asks the running cell to stop (USERCELL_INTERRUPTED). Safe in a signal
 * handler: a SIGINT handler calls it. */
void usercell_interrupt(void);

/* One line for the status: "the cell crashed: segmentation fault",
 * "the cell called exit()", ... (NULL for OK and compile errors). */
const char *usercell_describe(const UserCellResult *result, char *buf, size_t size);

/* Whether libtcc was built in. */
bool usercell_have_tcc(void);

#endif
