/* strbuf: a growable, NUL-terminated byte string. Every piece of text the
 * program produces (cell output, printed tensors, diffs) is built in one. */
#ifndef NB_STRBUF_H
#define NB_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct StrBuf {
    char *data;   /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    bool failed;  /* an allocation failed; further appends are ignored */
} StrBuf;

#define STRBUF_INIT {NULL, 0, 0, false}

void nb_strbuf_append(StrBuf *sb, const char *s);
void nb_strbuf_append_len(StrBuf *sb, const char *s, size_t n);
void nb_strbuf_append_char(StrBuf *sb, char c);
void nb_strbuf_repeat(StrBuf *sb, char c, size_t n);
void nb_strbuf_printf(StrBuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void nb_strbuf_vprintf(StrBuf *sb, const char *fmt, va_list ap);
/* The text so far ("" when empty). */
const char *nb_strbuf_cstr(const StrBuf *sb);
void nb_strbuf_clear(StrBuf *sb);
void nb_strbuf_free(StrBuf *sb);

#endif
