/* error: one pending error with a fixed-size message (no allocation, so an
 * out-of-memory error can always be reported). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static ErrorKind pending_kind;
static char pending_message[512];

int nb_error_set(ErrorKind kind, const char *fmt, ...) {
    if (pending_kind != ERR_NONE) return -1;
    pending_kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pending_message, sizeof pending_message, fmt, ap);
    va_end(ap);
    return -1;
}

int nb_error_nomem(void) { return nb_error_set(ERR_NOMEM, "out of memory"); }

int nb_error_null_status(void) {
    return nb_error_set(ERR_VALUE, "a tensor argument is NULL: an earlier call failed");
}

void *nb_error_null_tensor(void) {
    nb_error_null_status();
    return NULL;
}

bool nb_error_pending(void) { return pending_kind != ERR_NONE; }

ErrorKind nb_error_kind(void) { return pending_kind; }

const char *nb_error_message(void) { return pending_kind != ERR_NONE ? pending_message : ""; }

void nb_error_clear(void) {
    pending_kind = ERR_NONE;
    pending_message[0] = '\0';
}
