/* term: colour choice, width and styles for terminal output. */
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

bool term_parse_color(const char *text, TermColorChoice *choice) {
    static const struct { const char *name; TermColorChoice choice; } names[] = {
        {"auto", TERM_COLOR_AUTO},    {"always", TERM_COLOR_ALWAYS}, {"yes", TERM_COLOR_ALWAYS},
        {"never", TERM_COLOR_NEVER},  {"no", TERM_COLOR_NEVER},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(text, names[i].name) == 0) {
            *choice = names[i].choice;
            return true;
        }
    return false;
}

bool term_use_color(TermColorChoice choice) {
    if (choice != TERM_COLOR_AUTO) return choice == TERM_COLOR_ALWAYS;
    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color) return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0) return false;
    return isatty(STDOUT_FILENO);
}

/* The terminal's or $COLUMNS's width within the range --width accepts
 * (40 to 1000), so that neither can ask for what the option refuses. */
static int within_width_range(long n) { return n < 40 ? 40 : n > 1000 ? 1000 : (int)n; }

int term_width(int requested) {
    if (requested > 0) return requested;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return within_width_range(ws.ws_col);
    const char *columns = getenv("COLUMNS");
    if (columns) {
        char *end;
        long n = strtol(columns, &end, 10);
        if (end != columns && *end == '\0' && n > 0 && n < 10000) return within_width_range(n);
    }
    return 80;
}

const char *term_sgr(TermStyle style) {
    static const char *const sgr[] = {
        [STYLE_PLAIN] = "",
        [STYLE_TITLE] = "\033[1;97;44m",
        [STYLE_HEADING] = "\033[1;36m",
        [STYLE_STRONG] = "\033[1m",
        [STYLE_EMPH] = "\033[3m",
        [STYLE_CODE] = "\033[33m",
        [STYLE_MATH] = "\033[35m",
        [STYLE_LINK] = "\033[4;34m",
        [STYLE_LABEL] = "\033[1;32m",
        [STYLE_DIM] = "\033[2m",
        [STYLE_ERROR] = "\033[1;31m",
    };
    return sgr[style];
}

void term_styled(StrBuf *out, bool color, TermStyle style, const char *text) {
    if (!color || style == STYLE_PLAIN) {
        nb_strbuf_append(out, text);
        return;
    }
    nb_strbuf_append(out, term_sgr(style));
    nb_strbuf_append(out, text);
    nb_strbuf_append(out, TERM_RESET);
}

/* The code point starting at s (at most n bytes); *len gets its length.
 * A malformed byte counts as one code point of its own. */
static unsigned long decode_utf8(const unsigned char *s, size_t n, size_t *len) {
    unsigned long cp = s[0];
    size_t need = cp < 0x80 ? 0 : (cp & 0xE0) == 0xC0 ? 1 : (cp & 0xF0) == 0xE0 ? 2
                : (cp & 0xF8) == 0xF0 ? 3 : 0;
    if (need == 0 || need >= n) {
        *len = 1;
        return cp;
    }
    cp &= 0x3F >> need;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *len = 1;
            return s[0];
        }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    *len = need + 1;
    return cp;
}

static bool is_combining(unsigned long cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x20D0 && cp <= 0x20FF);
}

size_t term_text_width(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    size_t width = 0, i = 0;
    while (i < len) {
        if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '[') {
            i += 2;
            while (i < len && !(s[i] >= 0x40 && s[i] <= 0x7E)) i++;
            i++;
            continue;
        }
        size_t n;
        unsigned long cp = decode_utf8(s + i, len - i, &n);
        if (!is_combining(cp) && cp >= 0x20) width++;
        i += n;
    }
    return width;
}

void term_repeat(StrBuf *out, const char *unit, size_t n) {
    for (size_t i = 0; i < n; i++) nb_strbuf_append(out, unit);
}
