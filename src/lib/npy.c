/* npy: NumPy's .npy format (versions 1.0, 2.0 and 3.0), read into tensors.
 *
 * A file is: the magic "\x93NUMPY", a major and minor version byte, the
 * header length (2 bytes little-endian in 1.0, 4 bytes in 2.0 and 3.0),
 * the header (a Python dict literal such as
 * "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" padded with
 * spaces and a newline; 3.0 allows UTF-8 in it), then the raw elements.
 *
 * The header is parsed rather than pattern-matched, so keys may come in any
 * order with any spacing, and every way a file can be wrong is reported as
 * one line naming the file. Nothing is allocated until the whole file has
 * been checked, so a rejected file leaves nothing behind. */
#include "npy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "error.h"
#include "nbreplay/input_file.h"

static const unsigned char npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/* ---- the header dict ---- */

typedef struct Header {
    char descr[16];
    bool fortran_order;
    Shape shape;
    bool seen_descr, seen_fortran_order, seen_shape;
} Header;

typedef struct HeaderParser {
    const char *p, *end;
    const char *name; /* the file, for messages */
} HeaderParser;

static bool malformed(const HeaderParser *hp, const char *what) {
    nb_error_set(ERR_FORMAT, "%s: malformed .npy header: %s", hp->name, what);
    return false;
}

static void skip_spaces(HeaderParser *hp) {
    while (hp->p < hp->end && (*hp->p == ' ' || *hp->p == '\t' || *hp->p == '\n' || *hp->p == '\r'))
        hp->p++;
}

/* Consumes `c` (after any spaces) if it is next. */
static bool accept(HeaderParser *hp, char c) {
    skip_spaces(hp);
    if (hp->p < hp->end && *hp->p == c) {
        hp->p++;
        return true;
    }
    return false;
}

static bool accept_word(HeaderParser *hp, const char *word) {
    skip_spaces(hp);
    size_t n = strlen(word);
    if ((size_t)(hp->end - hp->p) < n || memcmp(hp->p, word, n) != 0) return false;
    hp->p += n;
    return true;
}

/* A quoted string without escapes, as NumPy writes keys and dtypes. Text
 * that does not fit in `cap` is reported by setting *too_long. */
static bool parse_string(HeaderParser *hp, char *buf, size_t cap, bool *too_long) {
    skip_spaces(hp);
    if (hp->p >= hp->end || (*hp->p != '\'' && *hp->p != '"')) return malformed(hp, "expected a string");
    char quote = *hp->p++;
    size_t n = 0;
    *too_long = false;
    while (hp->p < hp->end && *hp->p != quote) {
        if (*hp->p == '\\') return malformed(hp, "escapes in strings are not supported");
        if (n + 1 < cap)
            buf[n++] = *hp->p;
        else
            *too_long = true;
        hp->p++;
    }
    if (hp->p >= hp->end) return malformed(hp, "unterminated string");
    hp->p++;
    buf[n] = '\0';
    return true;
}

/* A non-negative Python int (Python 2 wrote a trailing L). */
static bool parse_dimension(HeaderParser *hp, int64_t *value) {
    skip_spaces(hp);
    if (hp->p >= hp->end || *hp->p < '0' || *hp->p > '9')
        return malformed(hp, "shape entries must be non-negative integers");
    int64_t v = 0;
    bool overflow = false;
    while (hp->p < hp->end && *hp->p >= '0' && *hp->p <= '9') {
        int digit = *hp->p++ - '0';
        if (v > (INT64_MAX - digit) / 10) overflow = true;
        if (!overflow) v = v * 10 + digit;
    }
    if (hp->p < hp->end && *hp->p == 'L') hp->p++;
    if (overflow) {
        nb_error_set(ERR_FORMAT, "%s: shape is too large (a dimension overflows int64)", hp->name);
        return false;
    }
    *value = v;
    return true;
}

/* "()", "(5,)", "(2, 3)", "(2, 3,)"; but "(5)" is the int 5 in Python. */
static bool parse_shape(HeaderParser *hp, Shape *shape) {
    if (!accept(hp, '(')) return malformed(hp, "'shape' must be a tuple");
    shape->ndim = 0;
    if (accept(hp, ')')) return true;
    for (;;) {
        int64_t dim = 0;
        if (!parse_dimension(hp, &dim)) return false;
        if (shape->ndim == TENSOR_MAX_DIMS) {
            nb_error_set(ERR_FORMAT, "%s: more than %d dimensions are not supported", hp->name,
                      TENSOR_MAX_DIMS);
            return false;
        }
        shape->dims[shape->ndim++] = dim;
        bool comma = accept(hp, ',');
        if (!comma && shape->ndim == 1) return malformed(hp, "'shape' must be a tuple");
        if (accept(hp, ')')) return true;
        if (!comma) return malformed(hp, "expected ',' or ')' in 'shape'");
    }
}

static bool parse_bool(HeaderParser *hp, bool *value) {
    if (accept_word(hp, "True")) {
        *value = true;
        return true;
    }
    if (accept_word(hp, "False")) {
        *value = false;
        return true;
    }
    return malformed(hp, "'fortran_order' must be True or False");
}

static bool parse_descr(HeaderParser *hp, Header *h) {
    skip_spaces(hp);
    if (hp->p < hp->end && *hp->p == '[') {
        nb_error_set(ERR_FORMAT, "%s: structured dtypes are not supported", hp->name);
        return false;
    }
    bool too_long;
    if (!parse_string(hp, h->descr, sizeof h->descr, &too_long)) return false;
    if (too_long) {
        nb_error_set(ERR_FORMAT, "%s: unsupported dtype '%s...'", hp->name, h->descr);
        return false;
    }
    return true;
}

static bool parse_entry(HeaderParser *hp, Header *h) {
    char key[32];
    bool too_long;
    if (!parse_string(hp, key, sizeof key, &too_long)) return false;
    if (!accept(hp, ':')) return malformed(hp, "expected ':' after a key");
    bool *seen;
    bool ok;
    if (!too_long && strcmp(key, "descr") == 0) {
        seen = &h->seen_descr;
        ok = parse_descr(hp, h);
    } else if (!too_long && strcmp(key, "fortran_order") == 0) {
        seen = &h->seen_fortran_order;
        ok = parse_bool(hp, &h->fortran_order);
    } else if (!too_long && strcmp(key, "shape") == 0) {
        seen = &h->seen_shape;
        ok = parse_shape(hp, &h->shape);
    } else {
        return malformed(hp, "unexpected key (only 'descr', 'fortran_order' and 'shape' belong)");
    }
    if (!ok) return false;
    if (*seen) return malformed(hp, "a key appears twice");
    *seen = true;
    return true;
}

static bool parse_header(HeaderParser *hp, Header *h) {
    if (!accept(hp, '{')) return malformed(hp, "expected a dict");
    while (!accept(hp, '}')) {
        if (!parse_entry(hp, h)) return false;
        bool comma = accept(hp, ',');
        if (accept(hp, '}')) break;
        if (!comma) return malformed(hp, "expected ',' or '}'");
    }
    skip_spaces(hp);
    if (hp->p != hp->end) return malformed(hp, "text after the dict");
    if (!h->seen_descr) return malformed(hp, "no 'descr'");
    if (!h->seen_fortran_order) return malformed(hp, "no 'fortran_order'");
    if (!h->seen_shape) return malformed(hp, "no 'shape'");
    return true;
}

/* ---- what the header means ---- */

/* NumPy writes '|' (not applicable) for one-byte types; '<' and '=' mean
 * the same to them too. */
static bool dtype_of_descr(const char *descr, DType *dtype) {
    static const struct { const char *descr; DType dtype; } known[] = {
        {"<f4", DTYPE_FLOAT32}, {"<f8", DTYPE_FLOAT64}, {"<i8", DTYPE_INT64},
        {"|b1", DTYPE_BOOL},    {"<b1", DTYPE_BOOL},    {"=b1", DTYPE_BOOL},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(known[i].descr, descr) == 0) {
            *dtype = known[i].dtype;
            return true;
        }
    }
    return false;
}

static bool printable(const char *s) {
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e) return false;
    return true;
}

static int unsupported_dtype(const char *name, const char *descr) {
    if (descr[0] == '>' && descr[1] != '\0' && printable(descr))
        return nb_error_set(ERR_FORMAT, "%s: big-endian data ('%s') is not supported", name, descr);
    if (!printable(descr))
        return nb_error_set(ERR_FORMAT, "%s: unsupported dtype", name);
    return nb_error_set(ERR_FORMAT,
                     "%s: unsupported dtype '%s' (float32, float64, int64 and bool can be read)",
                     name, descr);
}

/* Bytes of data the shape calls for, or -1 (error set) when they do not
 * fit. As in NumPy, the nonzero dimensions must multiply out to a byte count
 * that fits even when a zero dimension makes the array empty: NumPy cannot
 * make such an array, and the strides of one would overflow. */
static int data_size(const char *name, const Shape *shape, DType dtype, size_t *nbytes) {
    int64_t extent = 1; /* the product of the nonzero dimensions */
    bool empty = false;
    for (int i = 0; i < shape->ndim; i++) {
        int64_t d = shape->dims[i];
        if (d == 0) {
            empty = true;
            continue;
        }
        if (extent > INT64_MAX / d)
            return nb_error_set(ERR_FORMAT, "%s: shape is too large (its element count overflows)", name);
        extent *= d;
    }
    size_t elsize = nb_dtype_size(dtype);
    if ((uint64_t)extent > (uint64_t)INT64_MAX / elsize)
        return nb_error_set(ERR_FORMAT, "%s: shape is too large (its byte count overflows)", name);
    *nbytes = empty ? 0 : (size_t)extent * elsize;
    return 0;
}

/* ---- the file ---- */

static uint32_t read_le(const unsigned char *p, int nbytes) {
    uint32_t v = 0;
    for (int i = nbytes - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* NumPy 1.24's format._MAX_HEADER_SIZE: a header of more characters is
 * refused before anything else is read of it. */
#define NPY_MAX_HEADER_CHARS 10000

/* Whether a header of hlen bytes (text: its bytes, when in hand) is longer
 * than NumPy reads, as NumPy counts it: characters, which are bytes in
 * latin-1 (versions 1 and 2) and UTF-8 sequences in version 3 (at most 4
 * bytes each). Sets error.h with NumPy's words when it is. */
static bool header_too_large(const unsigned char *text, size_t text_len, int major, size_t hlen,
                             const char *name) {
    size_t chars = hlen;
    if (major == 3) {
        if (hlen <= NPY_MAX_HEADER_CHARS) return false;
        if (hlen > (size_t)4 * NPY_MAX_HEADER_CHARS) {
            chars = hlen; /* more than any count of characters it could hold: say its bytes */
        } else {
            if (text_len < hlen) return false; /* not in hand yet: judged when it is */
            chars = 0;
            for (size_t i = 0; i < hlen; i++) chars += (text[i] & 0xC0) != 0x80;
        }
    }
    if (chars <= NPY_MAX_HEADER_CHARS) return false;
    nb_error_set(ERR_FORMAT,
                 "%s: Header info length (%zu) is large and may not be safe to load securely "
                 "(NumPy's limit is %d)",
                 name, chars, NPY_MAX_HEADER_CHARS);
    return true;
}

/* Where the header text lies, after the magic, version and length. */
static int locate_header(const unsigned char *bytes, size_t len, const char *name,
                         size_t *header_start, size_t *header_len) {
    if (len < sizeof npy_magic || memcmp(bytes, npy_magic, sizeof npy_magic) != 0)
        return nb_error_set(ERR_FORMAT, "%s: not a .npy file (bad magic string)", name);
    if (len < 8) return nb_error_set(ERR_FORMAT, "%s: truncated header", name);
    int major = bytes[6], minor = bytes[7];
    if (major < 1 || major > 3 || minor != 0)
        return nb_error_set(ERR_FORMAT, "%s: unsupported .npy format version %d.%d", name, major,
                         minor);
    int length_bytes = major == 1 ? 2 : 4;
    size_t start = 8 + (size_t)length_bytes;
    if (len < start) return nb_error_set(ERR_FORMAT, "%s: truncated header", name);
    size_t hlen = read_le(bytes + 8, length_bytes);
    if (header_too_large(bytes + start, hlen <= len - start ? hlen : 0, major, hlen, name)) return -1;
    if (hlen > len - start) return nb_error_set(ERR_FORMAT, "%s: truncated header", name);
    *header_start = start;
    *header_len = hlen;
    return 0;
}

static bool read_header(const unsigned char *bytes, size_t len, const char *name, Header *h,
                        size_t *data_start) {
    size_t start = 0, hlen = 0;
    if (locate_header(bytes, len, name, &start, &hlen) != 0) return false;
    HeaderParser hp = {(const char *)bytes + start, (const char *)bytes + start + hlen, name};
    if (!parse_header(&hp, h)) return false;
    *data_start = start + hlen;
    return true;
}

/* NumPy reads any nonzero byte as True; C's bool must hold exactly 0 or 1. */
static void normalize_bools(Tensor *t) {
    unsigned char *p = tensor_data(t);
    for (size_t i = 0; i < t->storage->nbytes; i++) p[i] = p[i] != 0;
}

/* Everything the header says, checked: the array's dtype and shape, where
 * its data starts and how many bytes it takes. Returns 0, or -1 with
 * error.h set. */
static int check_header(const unsigned char *bytes, size_t len, const char *name, Header *h,
                        DType *dtype, size_t *data_start, size_t *nbytes) {
    if (!read_header(bytes, len, name, h, data_start)) return -1;
    if (!dtype_of_descr(h->descr, dtype)) return unsupported_dtype(name, h->descr);
    if (h->fortran_order)
        return nb_error_set(ERR_FORMAT, "%s: Fortran-order arrays are not supported", name);
    return data_size(name, &h->shape, *dtype, nbytes);
}

Tensor *nb_npy_parse(const unsigned char *bytes, size_t len, const char *name) {
    if (!name) name = "<npy>";
    if (!bytes && len > 0) {
        nb_error_set(ERR_VALUE, "%s: no data", name);
        return NULL;
    }
    Header h = {0};
    DType dtype;
    size_t data_start = 0, nbytes = 0;
    if (check_header(bytes, len, name, &h, &dtype, &data_start, &nbytes) != 0) return NULL;
    size_t available = len - data_start;
    if (available < nbytes) {
        nb_error_set(ERR_FORMAT, "%s: truncated data (the shape needs %zu bytes, the file has %zu)",
                  name, nbytes, available);
        return NULL;
    }
    if (available > nbytes) {
        nb_error_set(ERR_FORMAT, "%s: %zu unexpected bytes after the data", name,
                  available - nbytes);
        return NULL;
    }
    Tensor *t = tensor_from_data(dtype, h.shape, bytes + data_start);
    if (t && dtype == DTYPE_BOOL) normalize_bools(t);
    return t;
}

/* ---- reading the file ---- */

/* How far a stream should be read, judging by its first n bytes: 0 while
 * that cannot be told yet, 1 with *want set once the header is whole and
 * valid (the header and data, plus one byte to notice anything after them),
 * -1 when the bytes are wrong already (error.h may then be set, as
 * npy_parse would set it). */
static int stream_extent(const unsigned char *bytes, size_t n, const char *name, size_t *want) {
    size_t k = n < sizeof npy_magic ? n : sizeof npy_magic;
    if (memcmp(bytes, npy_magic, k) != 0) return -1;
    if (n < 8) return 0;
    int major = bytes[6];
    if (major < 1 || major > 3) return -1;
    size_t start = 8 + (major == 1 ? 2 : 4);
    if (n < start) return 0;
    size_t hlen = read_le(bytes + 8, (int)(start - 8));
    if (header_too_large(bytes + start, n - start >= hlen ? hlen : 0, major, hlen, name)) return -1;
    if (n - start < hlen) return 0;
    Header h = {0};
    DType dtype;
    size_t data_start = 0, nbytes = 0;
    if (check_header(bytes, start + hlen, name, &h, &dtype, &data_start, &nbytes) != 0) return -1;
    if (nbytes >= SIZE_MAX - data_start) return -1;
    *want = data_start + nbytes + 1;
    return 1;
}

/* The file in one nb_malloc'd block. A regular file is read whole; any
 * other (a FIFO, a pipe, /dev/zero) only as far as its header says it goes,
 * so an endless stream cannot take all memory, and no read waits longer
 * than input_file's timeout. NULL with error.h set: out of memory, a read
 * error, a stream that stopped. */
static unsigned char *read_all(NbInput *in, size_t *len) {
    size_t cap = in->regular && in->size > 0 && (uintmax_t)in->size < SIZE_MAX - 1 ? (size_t)in->size + 1
                                                                                  : 1 << 16;
    size_t n = 0, want = SIZE_MAX;
    bool extent_known = in->regular;
    unsigned char *buf = nb_malloc(cap);
    if (!buf) {
        nb_error_nomem();
        return NULL;
    }
    for (;;) {
        size_t room = (want - n < cap - n ? want - n : cap - n);
        ssize_t got = nb_input_read(in, buf + n, room);
        if (got < 0) {
            nb_free(buf);
            return NULL;
        }
        n += (size_t)got;
        if (got == 0 || n >= want) break;
        if (!extent_known) {
            int extent = stream_extent(buf, n, in->path, &want);
            if (extent < 0 || (extent > 0 && n >= want)) break;
            extent_known = extent > 0;
        }
        if (n < cap) continue;
        unsigned char *grown = cap <= SIZE_MAX / 2 ? nb_realloc(buf, cap * 2) : NULL;
        if (!grown) {
            nb_free(buf);
            nb_error_nomem();
            return NULL;
        }
        buf = grown;
        cap *= 2;
    }
    *len = n;
    return buf;
}

Tensor *nb_npy_load(const char *path) {
    if (!path) {
        nb_error_set(ERR_VALUE, "npy_load: no path");
        return NULL;
    }
    NbInput in;
    if (nb_input_open(&in, path, false) != 0) return NULL;
    size_t len = 0;
    unsigned char *bytes = read_all(&in, &len);
    nb_input_close(&in);
    if (!bytes) {
        /* the stream's own fault comes first, when its bytes already say it */
        return NULL;
    }
    Tensor *t = nb_npy_parse(bytes, len, path);
    nb_free(bytes);
    return t;
}
