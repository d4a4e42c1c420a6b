/* error: the library's last error. Library calls return NULL or a negative
 * status and leave a one-line message here, in PyTorch's wording where
 * PyTorch has one. The first error sticks until cleared, so a chain of calls
 * that propagates NULL reports the cause, not the last casualty. */
#ifndef NB_ERROR_H
#define NB_ERROR_H

#include <stdbool.h>

typedef enum {
    ERR_NONE = 0,
    ERR_VALUE,    /* bad argument: shapes, dtypes, indices, parameters */
    ERR_NOMEM,    /* out of memory */
    ERR_IO,       /* a file could not be read or written */
    ERR_FORMAT,   /* a file's contents are malformed */
    ERR_DEVICE,   /* the requested device is unusable */
} ErrorKind;

/* Records the error unless one is already pending. Returns -1 for use in
 * `return nb_error_set(...)`. */
int nb_error_set(ErrorKind kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int nb_error_nomem(void);
/* For a call handed NULL where a tensor belongs (an earlier call failed):
 * makes sure a message is pending, since the caller may have cleared the
 * earlier one, and returns NULL (nb_error_null_tensor) or -1
 * (nb_error_null_status). A pending message stays, as always. */
void *nb_error_null_tensor(void);
int nb_error_null_status(void);
bool nb_error_pending(void);
ErrorKind nb_error_kind(void);
const char *nb_error_message(void);
void nb_error_clear(void);

#endif
