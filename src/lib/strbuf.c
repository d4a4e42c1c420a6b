/* strbuf: growable strings. Allocation failure is sticky rather than fatal,
 * so callers check once at the end (strbuf.failed) instead of per append. */
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"

static bool strbuf_reserve(StrBuf *sb, size_t extra) {
    if (sb->failed) return false;
    if (sb->len + extra + 1 <= sb->cap) return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1) {
        if (cap > SIZE_MAX / 2) { sb->failed = true; return false; }
        cap *= 2;
    }
    char *p = nb_realloc(sb->data, cap);
    if (!p) { sb->failed = true; return false; }
    sb->data = p;
    sb->cap = cap;
    return true;
}

void nb_strbuf_append_len(StrBuf *sb, const char *s, size_t n) {
    if (!strbuf_reserve(sb, n)) return;
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void nb_strbuf_append(StrBuf *sb, const char *s) { nb_strbuf_append_len(sb, s, strlen(s)); }

void nb_strbuf_append_char(StrBuf *sb, char c) { nb_strbuf_append_len(sb, &c, 1); }

void nb_strbuf_repeat(StrBuf *sb, char c, size_t n) {
    if (!strbuf_reserve(sb, n)) return;
    memset(sb->data + sb->len, c, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

void nb_strbuf_vprintf(StrBuf *sb, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) { sb->failed = true; return; }
    if (!strbuf_reserve(sb, (size_t)n)) return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void nb_strbuf_printf(StrBuf *sb, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    nb_strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

const char *nb_strbuf_cstr(const StrBuf *sb) { return sb->data ? sb->data : ""; }

void nb_strbuf_clear(StrBuf *sb) {
    sb->len = 0;
    if (sb->data) sb->data[0] = '\0';
}

void nb_strbuf_free(StrBuf *sb) {
    nb_free(sb->data);
    *sb = (StrBuf)STRBUF_INIT;
}
