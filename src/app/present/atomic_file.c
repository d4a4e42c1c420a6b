/* atomic_file: how nbreplay writes a file (see atomic_file.h). */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "input_file.h"

/* mkstemp's template ends in six X's, which it replaces. */
#define TEMPLATE_SUFFIX "XX" "XX" "XX"
/* the kernel's own limit on following links (ELOOP) */
#define MAX_LINKS 40
/* more than regen's 64 cells at once */
#define MAX_TEMPS 80

static int fail(const char *path, int err) {
    return nb_error_set(ERR_IO, "cannot write %s: %s", path, strerror(err));
}

/* ---- temporary files removed when a signal ends the program ---- */

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NSIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])
static struct sigaction previous[NSIGNALS];
static char temps[MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_used[MAX_TEMPS];
static int ntemps;

/* unlinks what is staged, then does what would have happened without us */
static void on_signal(int sig) {
    int saved = errno;
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temp_used[i]) unlink(temps[i]);
    for (size_t s = 0; s < NSIGNALS; s++) {
        if (cleanup_signals[s] != sig) continue;
        if (previous[s].sa_handler == SIG_IGN) break;
        if (previous[s].sa_handler == SIG_DFL) {
            signal(sig, SIG_DFL);
            raise(sig);
        } else if (!(previous[s].sa_flags & SA_SIGINFO)) {
            previous[s].sa_handler(sig);
        }
        break;
    }
    errno = saved;
}

static int register_temp(const char *temp) {
    if (strlen(temp) >= PATH_MAX) return -1;
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (temp_used[i]) continue;
        memcpy(temps[i], temp, strlen(temp) + 1);
        if (ntemps++ == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_signal;
            sigemptyset(&sa.sa_mask);
            for (size_t s = 0; s < NSIGNALS; s++) sigaction(cleanup_signals[s], &sa, &previous[s]);
        }
        temp_used[i] = 1;
        return i;
    }
    return -1;
}

static void unregister_temp(const char *temp) {
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (!temp_used[i] || strcmp(temps[i], temp) != 0) continue;
        temp_used[i] = 0;
        if (--ntemps == 0)
            for (size_t s = 0; s < NSIGNALS; s++) sigaction(cleanup_signals[s], &previous[s], NULL);
        return;
    }
}

/* ---- what is at the path ---- */

/* /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: our own open
 * descriptor, written as it is (opening it anew would start at offset 0 of
 * a file the shell redirected us to); -1 for any other path. */
static int descriptor_of(const char *path) {
    if (strcmp(path, "/dev/stdout") == 0) return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0) return STDERR_FILENO;
    const char *digits = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0) digits = path + 8;
    if (strncmp(path, "/proc/self/fd/", 14) == 0) digits = path + 14;
    if (!digits || *digits < '0' || *digits > '9') return -1;
    char *end;
    long fd = strtol(digits, &end, 10);
    return *end == '\0' && fd <= INT_MAX && fcntl((int)fd, F_GETFD) != -1 ? (int)fd : -1;
}

/* Follows path's symbolic links to the file they name (which may not exist
 * yet); NULL with errno set when that fails. *through_proc says a link went
 * through /proc, whose "links" (pipe:[123]) only the kernel can open. */
static char *final_target(const char *path, bool *through_proc) {
    char *current = strdup(path);
    *through_proc = strncmp(path, "/proc/", 6) == 0;
    for (int links = 0; current; links++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode)) return current;
        if (links == MAX_LINKS) {
            free(current);
            errno = ELOOP;
            return NULL;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(current, link, sizeof link - 1);
        if (n < 0) {
            free(current);
            return NULL;
        }
        link[n] = '\0';
        const char *slash = strrchr(current, '/');
        size_t dir_len = link[0] == '/' || !slash ? 0 : (size_t)(slash - current) + 1;
        char *next = malloc(dir_len + (size_t)n + 1);
        if (next) {
            memcpy(next, current, dir_len);
            memcpy(next + dir_len, link, (size_t)n + 1);
            *through_proc = *through_proc || strncmp(next, "/proc/", 6) == 0;
        } else {
            errno = ENOMEM;
        }
        free(current);
        current = next;
    }
    return NULL;
}

/* ---- writing ---- */

static int write_all(int fd, const char *data, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno != EINTR) return errno;
        if (n > 0) done += (size_t)n;
    }
    return 0;
}

/* a Unix socket is written by connecting to it */
static int open_socket(const char *path) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* Seconds to wait for a FIFO's reader (as input_file waits for a writer). */
static int reader_wait_seconds(void) {
    const char *env = getenv("NBREPLAY_STREAM_TIMEOUT");
    long s = env ? strtol(env, NULL, 10) : 0;
    return s > 0 && s <= 86400 ? (int)s : NB_INPUT_STREAM_TIMEOUT_S;
}

/* A FIFO: opened without blocking, which fails while it has no reader, so
 * the open is retried for the timeout rather than waited on forever; then
 * written blocking, as a pipe is. errno ETIMEDOUT when no reader came. */
static int open_fifo(const char *path) {
    long waited_ms = 0, limit_ms = (long)reader_wait_seconds() * 1000;
    for (;;) {
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            return fd;
        }
        if (errno != ENXIO) return -1;
        if (waited_ms >= limit_ms) {
            errno = ETIMEDOUT;
            return -1;
        }
        struct timespec step = {0, 20 * 1000 * 1000};
        nanosleep(&step, NULL);
        waited_ms += 20;
    }
}

static int write_direct(AtomicFile *file) {
    int err = 0;
    if (file->direct_fd >= 0) {
        if (file->direct_fd == STDOUT_FILENO) fflush(stdout);
        if (file->direct_fd == STDERR_FILENO) fflush(stderr);
        return write_all(file->direct_fd, file->data, file->len);
    }
    struct stat st;
    int fd;
    bool is_stat = stat(file->target, &st) == 0;
    if (is_stat && S_ISSOCK(st.st_mode))
        fd = open_socket(file->target);
    else if (is_stat && S_ISFIFO(st.st_mode))
        fd = open_fifo(file->target);
    else /* O_TRUNC only truncates what can be: a regular file under /proc's links */
        fd = open(file->target, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_TRUNC);
    if (fd < 0) return errno;
    err = write_all(fd, file->data, file->len);
    if (close(fd) != 0 && err == 0 && errno != EINTR) err = errno;
    return err;
}

/* The temporary file's name: ".BASE.XXXXXX" beside target, BASE cut so that
 * the name fits the folder's limit on names. */
static char *temp_name(const char *target) {
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = slash ? slash + 1 : target;
    long name_max = NAME_MAX;
    if (dir_len > 0) {
        char *dir = strndup(target, dir_len);
        long limit = dir ? pathconf(dir, _PC_NAME_MAX) : -1;
        free(dir);
        if (limit > 0) name_max = limit;
    }
    size_t extra = strlen(".") + strlen("." TEMPLATE_SUFFIX);
    size_t keep = strlen(base);
    if (keep + extra > (size_t)name_max) keep = (size_t)name_max > extra ? (size_t)name_max - extra : 0;
    size_t size = dir_len + keep + extra + 1;
    char *temp = malloc(size);
    if (temp) snprintf(temp, size, "%.*s.%.*s." TEMPLATE_SUFFIX, (int)dir_len, target, (int)keep, base);
    return temp;
}

static void release(AtomicFile *file) {
    free(file->path);
    free(file->target);
    free(file->temp);
    memset(file, 0, sizeof *file);
    file->direct_fd = -1;
}

static int stage_fail(AtomicFile *file, int err) {
    int result = err == ENOMEM ? nb_error_nomem() : fail(file->path ? file->path : "?", err);
    release(file);
    return result;
}

int atomic_file_stage(AtomicFile *file, const char *path, const char *data, size_t len) {
    memset(file, 0, sizeof *file);
    file->direct_fd = -1;
    file->path = strdup(path);
    if (!file->path) return stage_fail(file, ENOMEM);
    if (*path == '\0') return stage_fail(file, ENOENT);
    file->data = data;
    file->len = len;
    file->direct_fd = descriptor_of(path);
    if (file->direct_fd >= 0) return 0;
    bool through_proc;
    file->target = final_target(path, &through_proc);
    if (!file->target) return stage_fail(file, errno);
    struct stat st;
    bool exists = stat(file->target, &st) == 0;
    if (!exists && errno != ENOENT) return stage_fail(file, errno);
    if (exists && S_ISDIR(st.st_mode)) return stage_fail(file, EISDIR);
    if (through_proc || (exists && !S_ISREG(st.st_mode))) {
        file->direct = true;
        return 0;
    }
    size_t target_len = strlen(file->target);
    if (target_len > 0 && file->target[target_len - 1] == '/') return stage_fail(file, EISDIR);

    file->temp = temp_name(file->target);
    if (!file->temp) return stage_fail(file, ENOMEM);
    /* registered before it exists, so that no signal can leave it behind */
    int slot = register_temp(file->temp);
    int fd = mkstemp(file->temp);
    if (slot >= 0) memcpy(temps[slot], file->temp, strlen(file->temp) + 1);
    if (fd < 0) {
        int err = errno;
        if (slot >= 0) unregister_temp(file->temp);
        return stage_fail(file, err);
    }
    int err = write_all(fd, data, len);
    if (exists) {
        if (err == 0 && fchmod(fd, st.st_mode & 07777) != 0) err = errno;
        if (err == 0 && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
            fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* another's file we may write but not give away: keep our owner */
        }
    } else {
        mode_t mask = umask(0);
        umask(mask);
        if (err == 0 && fchmod(fd, 0666 & ~mask) != 0) err = errno;
    }
    if (err == 0 && fsync(fd) != 0) err = errno;
    if (close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        unlink(file->temp);
        unregister_temp(file->temp);
        return stage_fail(file, err);
    }
    if (slot < 0) { /* beyond what the handler holds: never leave it unguarded */
        unlink(file->temp);
        return stage_fail(file, ENAMETOOLONG);
    }
    return 0;
}

int atomic_file_commit(AtomicFile *file) {
    int err = 0;
    if (file->temp) {
        if (rename(file->temp, file->target) != 0) {
            err = errno;
            unlink(file->temp);
        }
        unregister_temp(file->temp);
    } else {
        err = write_direct(file);
    }
    int result = err == ETIMEDOUT ? nb_error_set(ERR_IO, "cannot write %s: a FIFO with no reader for %d s",
                                                 file->path, reader_wait_seconds())
                 : err ? fail(file->path, err)
                       : 0;
    release(file);
    return result;
}

void atomic_file_discard(AtomicFile *file) {
    if (file->temp) {
        unlink(file->temp);
        unregister_temp(file->temp);
    }
    release(file);
}

int atomic_write_file(const char *path, const char *data, size_t len) {
    AtomicFile file;
    if (atomic_file_stage(&file, path, data, len) != 0) return -1;
    return atomic_file_commit(&file);
}
