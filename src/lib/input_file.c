/* input_file: opening and reading what nbreplay reads (see input_file.h). */
#include "nbreplay/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

static const char *kind_of(mode_t mode) {
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a file";
}

static int timeout_ms(void) {
    const char *env = getenv("NBREPLAY_STREAM_TIMEOUT");
    long s = env ? strtol(env, NULL, 10) : 0;
    if (s <= 0 || s > 86400) s = NB_INPUT_STREAM_TIMEOUT_S;
    return (int)(s * 1000);
}

int nb_input_open(NbInput *in, const char *path, bool regular_only) {
    in->fd = -1;
    in->path = path;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return nb_error_set(ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return nb_error_set(ERR_IO, "%s: cannot open: %s", path, strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return nb_error_set(ERR_IO, "%s: is a directory", path);
    }
    in->regular = S_ISREG(st.st_mode);
    if (regular_only && !in->regular) {
        close(fd);
        return nb_error_set(ERR_IO, "%s: not a regular file (%s)", path, kind_of(st.st_mode));
    }
    in->size = in->regular ? (long long)st.st_size : -1;
    if (in->regular) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    in->fd = fd;
    return 0;
}

ssize_t nb_input_read(NbInput *in, void *buf, size_t n) {
    for (;;) {
        if (!in->regular) {
            struct pollfd p = {in->fd, POLLIN, 0};
            int ready = poll(&p, 1, timeout_ms());
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0)
                return nb_error_set(ERR_IO, "%s: no data for %d s (a stream with no writer?)", in->path,
                                    timeout_ms() / 1000);
        }
        ssize_t got = read(in->fd, buf, n);
        if (got >= 0) return got;
        if (errno == EINTR || errno == EAGAIN) continue;
        return nb_error_set(ERR_IO, "%s: read error: %s", in->path, strerror(errno));
    }
}

void nb_input_close(NbInput *in) {
    if (in->fd >= 0) close(in->fd);
    in->fd = -1;
}
