/* textdiff: a unified line diff. The edit script comes from Myers' greedy
 * O((N+M)·D) shortest-edit search over the lines left once the common start
 * and end are set aside; the hunks are grouped as GNU diff -u groups them. */
#include "textdiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "error.h"

enum { OP_SAME, OP_DELETE, OP_INSERT };

typedef struct Differ {
    const TextDiffSide *old_side;
    const TextDiffSide *new_side;
    TextLineEqual equal;
    void *ctx;
} Differ;

/* A run of deleted and inserted lines between two runs of equal ones. */
typedef struct Change {
    size_t old_start, old_count;
    size_t new_start, new_count;
} Change;

typedef struct Printer {
    StrBuf *out;
    size_t lines_written;
    bool truncated;
} Printer;

int textdiff_split(const char *text, size_t len, TextLine **lines, size_t *nlines,
                   bool *final_newline) {
    size_t count = 0;
    for (size_t i = 0; i < len; i++) count += text[i] == '\n';
    if (len > 0 && text[len - 1] != '\n') count++;
    *lines = NULL;
    *nlines = 0;
    *final_newline = len == 0 || text[len - 1] == '\n';
    if (count == 0) return 0;
    TextLine *out = nb_calloc(count, sizeof *out);
    if (!out) return nb_error_nomem();
    size_t start = 0, n = 0;
    for (size_t i = 0; i <= len && n < count; i++) {
        if (i == len || text[i] == '\n') {
            out[n++] = (TextLine){text + start, i - start};
            start = i + 1;
        }
    }
    *lines = out;
    *nlines = count;
    return 0;
}

/* diff's rule: the last line of a text without a final '\n' differs from
 * any line that has one. */
static bool lacks_newline(const TextDiffSide *side, size_t index) {
    return index + 1 == side->nlines && !side->final_newline;
}

static bool lines_equal(const Differ *d, size_t i, size_t j) {
    if (lacks_newline(d->old_side, i) != lacks_newline(d->new_side, j)) return false;
    if (d->equal) return d->equal(d->ctx, i, j);
    const TextLine *a = &d->old_side->lines[i], *b = &d->new_side->lines[j];
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Myers' search over old[o0, o0+n) and new[n0, n0+m), keeping each round's
 * furthest-reaching x per diagonal (round d holds 2d+1 of them, from
 * offset d*d) so the path can be walked back. Writes the n+m-matches ops in
 * order at ops[0..]. Returns their count, 0 when more than
 * TEXTDIFF_MAX_EDITS edits would be needed, or -1 out of memory. */
static long shortest_edit_script(const Differ *df, size_t o0, int n, size_t n0, int m,
                                 unsigned char *ops) {
    int max_d = n + m < TEXTDIFF_MAX_EDITS ? n + m : TEXTDIFF_MAX_EDITS;
    int *trace = NULL;
    size_t cap = 0;
    int found = -1;
    for (int d = 0; d <= max_d && found < 0; d++) {
        size_t need = (size_t)(d + 1) * (size_t)(d + 1);
        if (need > cap) {
            size_t grown = cap ? cap * 2 : 64;
            while (grown < need) grown *= 2;
            int *p = nb_realloc(trace, grown * sizeof *trace);
            if (!p) { nb_free(trace); return -1; }
            trace = p;
            cap = grown;
        }
        int *v = trace + (size_t)d * d;
        const int *prev = d ? trace + (size_t)(d - 1) * (d - 1) + (d - 1) : NULL;
        for (int k = -d; k <= d; k += 2) {
            int x;
            if (d == 0) x = 0;
            else if (k == -d || (k != d && prev[k - 1] < prev[k + 1])) x = prev[k + 1];
            else x = prev[k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && lines_equal(df, o0 + (size_t)x, n0 + (size_t)y)) { x++; y++; }
            v[k + d] = x;
            if (x >= n && y >= m) { found = d; break; }
        }
    }
    if (found < 0) { nb_free(trace); return 0; }

    size_t pos = (size_t)n + (size_t)m;
    int x = n, y = m;
    for (int d = found; d > 0; d--) {
        const int *prev = trace + (size_t)(d - 1) * (d - 1) + (d - 1);
        int k = x - y;
        bool insert = k == -d || (k != d && prev[k - 1] < prev[k + 1]);
        int prev_k = insert ? k + 1 : k - 1;
        int px = prev[prev_k], py = px - prev_k;
        int snake_start = insert ? px : px + 1;
        for (; x > snake_start; x--, y--) ops[--pos] = OP_SAME;
        ops[--pos] = insert ? OP_INSERT : OP_DELETE;
        x = px;
        y = py;
    }
    for (; x > 0; x--) ops[--pos] = OP_SAME;
    nb_free(trace);
    size_t count = (size_t)n + (size_t)m - pos;
    memmove(ops, ops + pos, count);
    return (long)count;
}

/* The whole edit script: common start, the middle's shortest script (or,
 * past the size guards, all of the middle deleted then inserted), common
 * end. Returns the op count, or -1 out of memory. */
static long edit_script(const Differ *df, unsigned char **ops_out) {
    size_t n = df->old_side->nlines, m = df->new_side->nlines;
    size_t head = 0;
    while (head < n && head < m && lines_equal(df, head, head)) head++;
    size_t tail = 0;
    while (tail < n - head && tail < m - head && lines_equal(df, n - 1 - tail, m - 1 - tail)) tail++;
    size_t mid_n = n - head - tail, mid_m = m - head - tail;

    unsigned char *ops = nb_malloc(n + m + 1);
    if (!ops) return -1;
    size_t len = 0;
    memset(ops, OP_SAME, head);
    len += head;
    long mid = 0;
    if (mid_n + mid_m <= TEXTDIFF_MAX_MIDDLE_LINES) {
        mid = shortest_edit_script(df, head, (int)mid_n, head, (int)mid_m, ops + len);
        if (mid < 0) { nb_free(ops); return -1; }
    }
    if (mid == 0 && mid_n + mid_m > 0) {
        memset(ops + len, OP_DELETE, mid_n);
        memset(ops + len + mid_n, OP_INSERT, mid_m);
        mid = (long)(mid_n + mid_m);
    }
    len += (size_t)mid;
    memset(ops + len, OP_SAME, tail);
    len += tail;
    *ops_out = ops;
    return (long)len;
}

/* Groups the script's deletions and insertions into changes. Returns how
 * many, or -1 out of memory. */
static long collect_changes(const unsigned char *ops, size_t nops, Change **changes_out) {
    size_t nchanges = 0;
    for (size_t i = 0; i < nops; i++)
        if (ops[i] != OP_SAME && (i == 0 || ops[i - 1] == OP_SAME)) nchanges++;
    *changes_out = NULL;
    if (nchanges == 0) return 0;
    Change *changes = nb_calloc(nchanges, sizeof *changes);
    if (!changes) return -1;
    size_t old_line = 0, new_line = 0, c = 0;
    for (size_t i = 0; i < nops; i++) {
        if (ops[i] == OP_SAME) { old_line++; new_line++; continue; }
        if (i == 0 || ops[i - 1] == OP_SAME)
            changes[c++] = (Change){old_line, 0, new_line, 0};
        Change *ch = &changes[c - 1];
        if (ops[i] == OP_DELETE) { ch->old_count++; old_line++; }
        else { ch->new_count++; new_line++; }
    }
    *changes_out = changes;
    return (long)nchanges;
}

static void print_line(Printer *p, char mark, const TextDiffSide *side, size_t index) {
    if (p->truncated) return;
    if (p->lines_written >= TEXTDIFF_MAX_OUTPUT_LINES) {
        nb_strbuf_append(p->out, "(diff truncated)\n");
        p->truncated = true;
        return;
    }
    const TextLine *line = &side->lines[index];
    nb_strbuf_append_char(p->out, mark);
    nb_strbuf_append_len(p->out, line->text, line->len);
    nb_strbuf_append_char(p->out, '\n');
    if (lacks_newline(side, index)) nb_strbuf_append(p->out, "\\ No newline at end of file\n");
    p->lines_written++;
}

/* diff -u's range: "start,count", just "start" for one line, and for none
 * the line before the gap (what patch expects). */
static void print_range(StrBuf *out, size_t start, size_t count) {
    if (count == 0) nb_strbuf_printf(out, "%zu,0", start);
    else if (count == 1) nb_strbuf_printf(out, "%zu", start + 1);
    else nb_strbuf_printf(out, "%zu,%zu", start + 1, count);
}

static void print_hunk(Printer *p, const Differ *df, const Change *first, const Change *last) {
    size_t lead = first->old_start < TEXTDIFF_CONTEXT ? first->old_start : TEXTDIFF_CONTEXT;
    size_t old_begin = first->old_start - lead, new_begin = first->new_start - lead;
    size_t old_end = last->old_start + last->old_count;
    size_t left = df->old_side->nlines - old_end;
    old_end += left < TEXTDIFF_CONTEXT ? left : TEXTDIFF_CONTEXT;
    size_t new_end = new_begin + (old_end - old_begin);
    for (const Change *ch = first; ch <= last; ch++) new_end += ch->new_count - ch->old_count;
    if (p->truncated) return;
    nb_strbuf_append(p->out, "@@ -");
    print_range(p->out, old_begin, old_end - old_begin);
    nb_strbuf_append(p->out, " +");
    print_range(p->out, new_begin, new_end - new_begin);
    nb_strbuf_append(p->out, " @@\n");

    size_t j = new_begin;
    for (const Change *ch = first; ch <= last; ch++) {
        for (; j < ch->new_start; j++) print_line(p, ' ', df->new_side, j);
        for (size_t i = 0; i < ch->old_count; i++) print_line(p, '-', df->old_side, ch->old_start + i);
        for (size_t i = 0; i < ch->new_count; i++) print_line(p, '+', df->new_side, ch->new_start + i);
        j += ch->new_count;
    }
    for (; j < new_end; j++) print_line(p, ' ', df->new_side, j);
}

static void print_hunks(Printer *p, const Differ *df, const Change *changes, size_t nchanges) {
    nb_strbuf_printf(p->out, "--- %s\n+++ %s\n", df->old_side->label ? df->old_side->label : "old",
                  df->new_side->label ? df->new_side->label : "new");
    size_t c = 0;
    while (c < nchanges) {
        size_t last = c;
        /* diff -u joins changes whose gap its two contexts would cover */
        while (last + 1 < nchanges &&
               changes[last + 1].old_start - (changes[last].old_start + changes[last].old_count) <=
                   2 * TEXTDIFF_CONTEXT)
            last++;
        print_hunk(p, df, &changes[c], &changes[last]);
        c = last + 1;
    }
}

int textdiff_unified(StrBuf *out, const TextDiffSide *old_side, const TextDiffSide *new_side,
                     TextLineEqual equal, void *ctx) {
    Differ df = {old_side, new_side, equal, ctx};
    unsigned char *ops = NULL;
    long nops = edit_script(&df, &ops);
    if (nops < 0) return nb_error_nomem();
    Change *changes = NULL;
    long nchanges = collect_changes(ops, (size_t)nops, &changes);
    nb_free(ops);
    if (nchanges < 0) return nb_error_nomem();
    if (nchanges == 0) return 0;
    Printer printer = {out, 0, false};
    print_hunks(&printer, &df, changes, (size_t)nchanges);
    nb_free(changes);
    if (out->failed) return nb_error_nomem();
    return 1;
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
    if (c == 0xED && s[1] > 0x9F) return 0; /* surrogate */
    if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
    if (c == 0xF4 && s[1] > 0x8F) return 0; /* above U+10FFFF */
    return len;
}

void textdiff_append_printable(StrBuf *out, const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence(s + i, len - i);
        bool control = n == 1 && ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7F);
        bool c1 = n == 2 && s[i] == 0xC2 && s[i + 1] < 0xA0; /* U+0080..U+009F: C1 controls */
        if (n == 0 || control || c1) {
            nb_strbuf_printf(out, "\\x%02x", s[i]);
            i++;
            continue;
        }
        nb_strbuf_append_len(out, text + i, n);
        i += n;
    }
}
