/* atomic_file: temporary file + fsync + rename (see atomic_file.h). */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* mkstemp's template ends in six X's, which it replaces. */
#define TEMPLATE_SUFFIX "XX" "XX" "XX"

static int fail(const char *path, int err) {
    return nb_error_set(ERR_IO, "cannot write %s: %s", path, strerror(err));
}

int atomic_write_file(const char *path, const char *data, size_t len) {
    /* the temporary file must be in the target's folder: rename() is only
     * atomic within one file system */
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    if (*base == '\0') return fail(path, EISDIR);
    size_t size = dir_len + strlen(".") + strlen(base) + strlen("." TEMPLATE_SUFFIX) + 1;
    char *temp = malloc(size);
    if (!temp) return nb_error_nomem();
    snprintf(temp, size, "%.*s.%s." TEMPLATE_SUFFIX, (int)dir_len, path, base);
    int fd = mkstemp(temp);
    if (fd < 0) {
        int err = errno;
        free(temp);
        return fail(path, err);
    }
    mode_t mask = umask(0);
    umask(mask);
    int err = 0;
    size_t done = 0;
    while (done < len && err == 0) {
        ssize_t n = write(fd, data + done, len - done);
        if (n < 0 && errno != EINTR) err = errno;
        if (n > 0) done += (size_t)n;
    }
    if (err == 0 && fchmod(fd, 0666 & ~mask) != 0) err = errno;
    if (err == 0 && fsync(fd) != 0) err = errno;
    if (close(fd) != 0 && err == 0) err = errno;
    if (err == 0 && rename(temp, path) != 0) err = errno;
    if (err != 0) unlink(temp);
    free(temp);
    return err ? fail(path, err) : 0;
}
