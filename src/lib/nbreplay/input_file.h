/* input_file: how nbreplay opens a file it reads (a .npy array, a golden).
 * A folder is refused with its own message; a FIFO never blocks the open
 * (there may be no writer); a stream (FIFO, pipe, terminal, device) is read
 * with a limit on how long any one read may wait, so that no input can
 * hang the program. */
#ifndef NB_INPUT_FILE_H
#define NB_INPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Seconds a read from a stream may wait for data: $NBREPLAY_STREAM_TIMEOUT
 * when it is a positive number, else this. */
#define NB_INPUT_STREAM_TIMEOUT_S 10

typedef struct {
    int fd;
    bool regular;     /* a regular file (else a stream) */
    long long size;   /* a regular file's size */
    const char *path; /* for messages */
} NbInput;

/* Opens path for reading; regular_only refuses anything but a regular
 * file. 0, or -1 with error.h set to one line naming the path: "PATH: is a
 * directory", "PATH: not a regular file (a FIFO)", "PATH: cannot open: …". */
int nb_input_open(NbInput *in, const char *path, bool regular_only);

/* Up to n bytes; 0 at the end; -1 with error.h set on a read error or
 * when a stream gives nothing for the timeout ("PATH: no data for 10 s"). */
ssize_t nb_input_read(NbInput *in, void *buf, size_t n);

void nb_input_close(NbInput *in);

#endif
