/* usercell: compile and run a user's cell in a child process.
 *
 * The child makes its own process group, so the terminal's Ctrl-C reaches
 * nbreplay alone, which then stops the child (and anything it started).
 * The child writes what the cell printed to one pipe and diagnostics to
 * another; on a fatal signal, exit() or being stopped it first writes what
 * the cell had printed so far, so the parent can show it as partial. */
#define _GNU_SOURCE /* pipe2, strsignal */
#include "usercell.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cell_compile.h"
#include "cell_source.h"
#include "error.h"
#include "run.h"

/* The child's exit codes (the cell's own exit() is caught before them). */
enum {
    CHILD_OK = 0,
    CHILD_FAILED = 65,
    CHILD_COMPILE_ERROR = 66,
    CHILD_NO_COMPILER = 67,
    CHILD_EXITED = 68,
    CHILD_SYSTEM_ERROR = 69,
};

/* How long a stopped cell gets to write what it printed before SIGKILL. */
#define STOP_GRACE_MS 500
/* The timeout counts from the cell's start, after its compile, which gets
 * this long on top (cc on a loaded machine takes a second or more). */
#define COMPILE_ALLOWANCE_MS 60000

static volatile sig_atomic_t interrupt_requested;

void usercell_interrupt(void) { interrupt_requested = 1; }

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the child ---- */

static StrBuf *volatile child_printed; /* the running cell's output buffer */
static int (*child_user_run)(Run *run);
static StrBuf child_final = STRBUF_INIT;

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

/* What the cell printed so far, once (async-signal-safe). */
static void child_flush_printed(void) {
    StrBuf *printed = child_printed;
    child_printed = NULL;
    if (printed && printed->data && !printed->failed) write_all(STDOUT_FILENO, printed->data, printed->len);
}

static void child_on_fatal_signal(int sig) {
    child_flush_printed();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void child_on_exit(void) {
    /* reached only through the cell's own exit(): the child's end is _exit */
    fflush(stdout);
    child_flush_printed();
    _exit(CHILD_EXITED);
}

static int child_trampoline(Run *run) {
    child_printed = &run->out;
    int status = child_user_run(run);
    child_printed = NULL;
    nb_strbuf_append_len(&child_final, nb_strbuf_cstr(&run->out), run->out.len);
    return status;
}

static void child_catch_signals(void) {
    static const int fatal[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGINT, SIGTRAP};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction sa = {0};
        sa.sa_handler = child_on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_NODEFER | SA_RESETHAND;
        sigaction(fatal[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_DFL);
}

static int child_main(const UserCellJob *job, int started_fd) {
    CellUnit unit;
    if (cell_source_build(job->name, job->text, &unit) != 0) {
        fprintf(stderr, "out of memory\n");
        return CHILD_SYSTEM_ERROR;
    }
    CellEntry entry;
    UserCellStatus compiled = cell_compile(&unit, job, &entry);
    if (compiled != USERCELL_OK) {
        fflush(stderr);
        return compiled == USERCELL_COMPILE_ERROR ? CHILD_COMPILE_ERROR
               : compiled == USERCELL_NO_COMPILER ? CHILD_NO_COMPILER
                                                  : CHILD_SYSTEM_ERROR;
    }
    Cell cell = entry.cell ? *entry.cell : (Cell){.number = 0, .name = job->name};
    child_user_run = entry.cell ? entry.cell->run : entry.run;
    if (!child_user_run) {
        fprintf(stderr, "%s: the cell has no run function\n", job->name);
        return CHILD_COMPILE_ERROR;
    }
    cell.run = child_trampoline;
    /* compiled: the timeout starts now */
    write_all(started_fd, "s", 1);
    close(started_fd);
    RunOptions options = {.seed = job->seed, .device = job->device};
    StrBuf out = STRBUF_INIT;
    atexit(child_on_exit);
    int status = run_cell(&cell, &options, &out);
    fflush(stdout); /* the cell's own printf() */
    write_all(STDOUT_FILENO, child_final.data ? child_final.data : "", child_final.len);
    if (status != 0) {
        fprintf(stderr, "%s\n", nb_error_message());
        fflush(stderr);
        return CHILD_FAILED;
    }
    return CHILD_OK;
}

static void child_start(const UserCellJob *job, int out_fd, int err_fd, int started_fd) {
    setpgid(0, 0);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    child_catch_signals();
    _exit(child_main(job, started_fd));
}

/* ---- the parent ---- */

static void on_sigint(int sig) {
    (void)sig;
    usercell_interrupt();
}

/* Reads what is there; returns false at end of file. */
static bool drain(int fd, StrBuf *into) {
    char buf[8192];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    nb_strbuf_append_len(into, buf, (size_t)n);
    return true;
}

static UserCellStatus fail(UserCellResult *result, UserCellStatus status, const char *what) {
    nb_strbuf_printf(&result->message, "%s: %s", what, strerror(errno));
    return result->status = status;
}

static UserCellStatus status_of(int wait_status, bool stopped_by_us, UserCellResult *result) {
    if (stopped_by_us) return result->status; /* TIMED_OUT or INTERRUPTED, set when stopping */
    if (WIFSIGNALED(wait_status)) {
        result->signal = WTERMSIG(wait_status);
        return USERCELL_CRASHED;
    }
    switch (WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1) {
    case CHILD_OK: return USERCELL_OK;
    case CHILD_FAILED: return USERCELL_FAILED;
    case CHILD_COMPILE_ERROR: return USERCELL_COMPILE_ERROR;
    case CHILD_NO_COMPILER: return USERCELL_NO_COMPILER;
    case CHILD_EXITED: return USERCELL_EXITED;
    default: return USERCELL_SYSTEM_ERROR;
    }
}

UserCellStatus usercell_run(const UserCellJob *job, UserCellResult *result) {
    *result = (UserCellResult){.output = STRBUF_INIT, .message = STRBUF_INIT};
    double start = now_ms();
    int out_pipe[2], err_pipe[2], started_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) return fail(result, USERCELL_SYSTEM_ERROR, "pipe");
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return fail(result, USERCELL_SYSTEM_ERROR, "pipe");
    }
    if (pipe2(started_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        return fail(result, USERCELL_SYSTEM_ERROR, "pipe");
    }
    interrupt_requested = 0;
    struct sigaction sa = {0}, old_int;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    fflush(NULL); /* nothing of ours is written twice by the child */
    pid_t pid = fork();
    if (pid == 0) child_start(job, out_pipe[1], err_pipe[1], started_pipe[1]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(started_pipe[1]);
    if (pid < 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        close(started_pipe[0]);
        sigaction(SIGINT, &old_int, NULL);
        return fail(result, USERCELL_SYSTEM_ERROR, "fork");
    }
    setpgid(pid, pid); /* also done by the child: whichever runs first */

    bool out_open = true, err_open = true, started_open = true, stopped = false, reaped = false;
    double kill_at = 0, reaped_at = 0;
    double deadline = start + job->timeout_s * 1e3 + COMPILE_ALLOWANCE_MS; /* until it starts */
    int wait_status = 0;
    while (out_open || err_open || !reaped) {
        struct pollfd fds[3] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                                {err_open ? err_pipe[0] : -1, POLLIN, 0},
                                {started_open ? started_pipe[0] : -1, POLLIN, 0}};
        int ready = poll(fds, 3, 20);
        if (ready > 0) {
            size_t before = result->output.len;
            if (fds[0].revents && !drain(out_pipe[0], &result->output)) out_open = false;
            if (job->on_output && result->output.len > before && !result->output.failed)
                job->on_output(job->context, result->output.data + before, result->output.len - before);
            if (fds[1].revents && !drain(err_pipe[0], &result->message)) err_open = false;
            if (fds[2].revents) { /* the cell starts (or the child ended) */
                char byte;
                if (read(started_pipe[0], &byte, 1) == 1) deadline = now_ms() + job->timeout_s * 1e3;
                started_open = false;
            }
        }
        if (job->on_tick) job->on_tick(job->context);
        double now = now_ms();
        if (!stopped && (interrupt_requested || (job->timeout_s > 0 && now > deadline))) {
            result->status = interrupt_requested ? USERCELL_INTERRUPTED : USERCELL_TIMED_OUT;
            stopped = true;
            kill(-pid, SIGTERM);
            kill_at = now + STOP_GRACE_MS;
        }
        if (stopped && kill_at > 0 && now > kill_at) {
            kill(-pid, SIGKILL);
            kill_at = 0;
        }
        if (!reaped && waitpid(pid, &wait_status, WNOHANG) == pid) {
            reaped = true;
            reaped_at = now;
        }
        /* something the cell started may hold the pipes open: it goes too */
        if (reaped && (out_open || err_open) && now - reaped_at > 200) {
            kill(-pid, SIGKILL);
            out_open = err_open = false;
        }
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(started_pipe[0]);
    sigaction(SIGINT, &old_int, NULL);
    result->status = status_of(wait_status, stopped, result);
    result->partial = result->status != USERCELL_OK && result->status != USERCELL_COMPILE_ERROR &&
                      result->output.len > 0;
    /* one message line, without the newline the child ended it with */
    while (result->message.len > 0 && result->message.data[result->message.len - 1] == '\n')
        result->message.data[--result->message.len] = '\0';
    result->ms = now_ms() - start;
    return result->status;
}

void usercell_result_free(UserCellResult *result) {
    nb_strbuf_free(&result->output);
    nb_strbuf_free(&result->message);
}

static const char *signal_name(int sig, char *buf, size_t size) {
    switch (sig) {
    case SIGSEGV: return "segmentation fault";
    case SIGABRT: return "aborted";
    case SIGFPE: return "floating-point exception";
    case SIGBUS: return "bus error";
    case SIGILL: return "illegal instruction";
    case SIGKILL: return "killed";
    default: break;
    }
    const char *text = strsignal(sig);
    snprintf(buf, size, "%s", text ? text : "a signal");
    for (char *p = buf; *p; p++) *p = (char)tolower((unsigned char)*p);
    return buf;
}

const char *usercell_describe(const UserCellResult *result, char *buf, size_t size) {
    char name[64];
    switch (result->status) {
    case USERCELL_OK: return NULL;
    case USERCELL_COMPILE_ERROR: snprintf(buf, size, "the cell did not compile"); break;
    case USERCELL_CRASHED:
        snprintf(buf, size, "the cell crashed: %s", signal_name(result->signal, name, sizeof name));
        break;
    case USERCELL_EXITED: snprintf(buf, size, "the cell called exit()"); break;
    case USERCELL_TIMED_OUT: snprintf(buf, size, "the cell ran past its time limit and was stopped"); break;
    case USERCELL_INTERRUPTED: snprintf(buf, size, "the cell was interrupted"); break;
    case USERCELL_FAILED:
    case USERCELL_NO_COMPILER:
    case USERCELL_SYSTEM_ERROR:
        snprintf(buf, size, "%s", result->message.len ? nb_strbuf_cstr(&result->message) : "the cell failed");
        break;
    }
    return buf;
}
