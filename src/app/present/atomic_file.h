/* atomic_file: THE way nbreplay writes a file it was asked to write
 * (export -o, verify --junit, regen's goldens). What is at the path decides
 * how:
 *   - nothing, or a regular file: the bytes go to a temporary file in the
 *     same folder, which is renamed over the target, so a reader (or a
 *     crash, or Ctrl-C) never sees half a file and a failed write leaves
 *     the old file as it was. An existing file keeps its permissions (and,
 *     where allowed, its owner); a new one gets 0666 less the umask.
 *   - a symbolic link: its final target is written that way, beside the
 *     target; the link stays a link.
 *   - a character or block device, a FIFO or a socket (/dev/null,
 *     /dev/stdout, a named pipe): written to directly, never replaced.
 *   - a folder: refused.
 * The temporary name (".NAME.XXXXXX", NAME shortened when needed) stays
 * within the file system's name limit, and it is removed when a SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT arrives while it exists. */
#ifndef NB_ATOMIC_FILE_H
#define NB_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Returns 0, or -1 with error.h set to one line naming the path and the
 * reason ("cannot write out/x.html: Permission denied"). */
int atomic_write_file(const char *path, const char *data, size_t len);

/* Several files all or none (regen): stage each one (a regular target is
 * written and synced to its temporary file; a device keeps the bytes until
 * the commit), then commit them all, or discard them all when one stage
 * failed. */
typedef struct {
    char *path;       /* the path as given, for messages */
    char *target;     /* where the bytes go: the path, or a link's target */
    char *temp;       /* the staged temporary file; NULL for a direct write */
    const char *data; /* a direct write's bytes, written at the commit */
    size_t len;
    int direct_fd;    /* >= 0: write to this descriptor (/dev/stdout, /dev/fd/N) */
    bool direct;      /* a device, FIFO or socket: open and write at the commit */
} AtomicFile;

/* 0, or -1 with error.h set (nothing is left behind then). */
int atomic_file_stage(AtomicFile *file, const char *path, const char *data, size_t len);
/* Renames the temporary file over the target (or writes a device); 0, or -1
 * with error.h set. Frees what the stage took either way. */
int atomic_file_commit(AtomicFile *file);
/* Removes the temporary file and frees what the stage took. */
void atomic_file_discard(AtomicFile *file);

#endif
