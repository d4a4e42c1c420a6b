/* golden: reads golden/cell-NN.json strictly (a golden that is wrong in any
 * way would make verify pass or fail for the wrong reason), and compares a
 * cell's output with it. JSON through cJSON and patterns through PCRE2,
 * both allocating through alloc.h so tests see their leaks and can fail
 * their allocations. */
#include "golden.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "alloc.h"
#include "error.h"
#include "input_file.h"
#include "textdiff.h"

/* Python's re reads a pattern as Unicode text and its \d, \w, \s as Unicode
 * classes; UTF and UCP make PCRE2 do the same. A cell's output may hold any
 * bytes, so invalid UTF-8 in an actual line just fails to match. Anchored
 * at both ends: the whole line must match, as re.fullmatch. */
#define PATTERN_OPTIONS (PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED)

static const double MAX_EXACT_INTEGER = 9007199254740992.0; /* 2**53 */

/* ---- allocation hooks ---------------------------------------------------- */

static bool cjson_out_of_memory;

static void *cjson_malloc(size_t n) {
    void *p = nb_malloc(n);
    if (!p) cjson_out_of_memory = true;
    return p;
}

static void *pcre_malloc(size_t n, void *data) {
    (void)data;
    return nb_malloc(n);
}

static void pcre_free(void *p, void *data) {
    (void)data;
    nb_free(p);
}

/* ---- patterns ------------------------------------------------------------ */

typedef struct PatternCompiler {
    pcre2_general_context *general;
    pcre2_compile_context *compile;
} PatternCompiler;

static int compiler_open(PatternCompiler *pc, const char *origin) {
    pc->general = pcre2_general_context_create(pcre_malloc, pcre_free, NULL);
    pc->compile = pc->general ? pcre2_compile_context_create(pc->general) : NULL;
    if (!pc->compile) {
        pcre2_general_context_free(pc->general);
        pc->general = NULL;
        return nb_error_set(ERR_NOMEM, "%s: out of memory", origin);
    }
    return 0;
}

static void compiler_close(PatternCompiler *pc) {
    pcre2_compile_context_free(pc->compile);
    pcre2_general_context_free(pc->general);
}

/* Compiles line `index`'s pattern, or returns NULL with error.h set. */
static pcre2_code *pattern_compile(const PatternCompiler *pc, const char *pattern, const char *origin,
                                   size_t index) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PATTERN_OPTIONS, &code,
                                   &offset, pc->compile);
    if (re) return re;
    if (code == PCRE2_ERROR_HEAP_FAILED) {
        nb_error_set(ERR_NOMEM, "%s: out of memory", origin);
        return NULL;
    }
    PCRE2_UCHAR message[256];
    if (pcre2_get_error_message(code, message, sizeof message) < 0) strcpy((char *)message, "unknown error");
    nb_error_set(ERR_FORMAT, "%s: \"lines\"[%zu].\"pattern\" does not compile: %s at offset %zu", origin, index,
              (const char *)message, (size_t)offset);
    return NULL;
}

/* ---- reading the file ---------------------------------------------------- */

static int read_file(const char *path, char **text_out, size_t *len_out) {
    /* a golden must be a regular file: a FIFO would block, a folder has no text */
    NbInput in;
    if (nb_input_open(&in, path, true) != 0) return -1;
    if (in.size >= 0 && (unsigned long long)in.size > GOLDEN_MAX_FILE_BYTES) {
        nb_input_close(&in);
        return nb_error_set(ERR_FORMAT, "%s: %lld bytes is too large for a golden (limit %zu)", path, in.size,
                            GOLDEN_MAX_FILE_BYTES);
    }
    StrBuf buf = STRBUF_INIT;
    char chunk[16384];
    ssize_t got;
    while ((got = nb_input_read(&in, chunk, sizeof chunk)) > 0 && buf.len <= GOLDEN_MAX_FILE_BYTES)
        nb_strbuf_append_len(&buf, chunk, (size_t)got);
    nb_input_close(&in);
    if (got < 0) {
        nb_strbuf_free(&buf);
        return -1;
    }
    if (buf.failed) {
        nb_strbuf_free(&buf);
        return nb_error_set(ERR_NOMEM, "%s: out of memory", path);
    }
    if (buf.len > GOLDEN_MAX_FILE_BYTES) {
        nb_strbuf_free(&buf);
        return nb_error_set(ERR_FORMAT, "%s: too large for a golden (limit %zu bytes)", path,
                         GOLDEN_MAX_FILE_BYTES);
    }
    if (!buf.data) nb_strbuf_append(&buf, "");
    if (buf.failed) return nb_error_set(ERR_NOMEM, "%s: out of memory", path);
    *text_out = buf.data;
    *len_out = buf.len;
    return 0;
}

static void line_and_column(const char *text, size_t offset, size_t *line, size_t *column) {
    *line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < offset; i++)
        if (text[i] == '\n') { (*line)++; line_start = i + 1; }
    *column = offset - line_start + 1;
}

/* cJSON turns "\u0000" into a NUL that would silently cut a string short. */
static int reject_nul_escapes(const char *text, size_t len, const char *origin) {
    for (size_t i = 0; i + 1 < len; i++) {
        if (text[i] != '\\') continue;
        if (text[i + 1] == 'u' && i + 5 < len && memcmp(text + i + 2, "0000", 4) == 0) {
            size_t line, column;
            line_and_column(text, i, &line, &column);
            return nb_error_set(ERR_FORMAT, "%s: a string holds \\u0000 (NUL) at line %zu, column %zu", origin,
                             line, column);
        }
        i++;
    }
    return 0;
}

/* Where the string that the text ends inside starts, or len when the text
 * does not end inside a string: a cut-off file, which cJSON reports at the
 * string's start as if the string itself were bad. */
static size_t open_string_start(const char *text, size_t len) {
    size_t start = len;
    for (size_t i = 0; i < len; i++) {
        if (start == len) {
            if (text[i] == '"') start = i;
        } else if (text[i] == '\\') {
            i++;
        } else if (text[i] == '"') {
            start = len;
        }
    }
    return start;
}

static int report_syntax_error(const char *text, size_t len, const char *origin) {
    const char *at = cJSON_GetErrorPtr();
    size_t offset = at && at >= text && at <= text + len ? (size_t)(at - text) : len;
    size_t open = open_string_start(text, len);
    size_t line, column;
    if (open < len && open + 1 >= offset) {
        line_and_column(text, open, &line, &column);
        return nb_error_set(ERR_FORMAT, "%s: truncated JSON (a string from line %zu, column %zu never ends)", origin,
                         line, column);
    }
    line_and_column(text, offset, &line, &column);
    if (offset >= len)
        return nb_error_set(ERR_FORMAT, "%s: truncated JSON (ends at line %zu, column %zu)", origin, line, column);
    return nb_error_set(ERR_FORMAT, "%s: invalid JSON at line %zu, column %zu", origin, line, column);
}

/* ---- fields -------------------------------------------------------------- */

static int check_members(const cJSON *object, const char *const *allowed, const char *origin,
                         const char *where) {
    for (const cJSON *item = object->child; item; item = item->next) {
        bool known = false;
        for (const char *const *name = allowed; *name; name++) known |= strcmp(item->string, *name) == 0;
        if (!known) return nb_error_set(ERR_FORMAT, "%s: unknown key \"%s\" in %s", origin, item->string, where);
        for (const cJSON *other = object->child; other != item; other = other->next)
            if (strcmp(other->string, item->string) == 0)
                return nb_error_set(ERR_FORMAT, "%s: key \"%s\" appears twice in %s", origin, item->string, where);
    }
    return 0;
}

static const cJSON *required(const cJSON *object, const char *key, const char *origin, const char *where) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    if (!item) nb_error_set(ERR_FORMAT, "%s: %s has no \"%s\"", origin, where, key);
    return item;
}

static bool is_integer(const cJSON *item, double lo, double hi) {
    return cJSON_IsNumber(item) && item->valuedouble >= lo && item->valuedouble <= hi &&
           item->valuedouble == (double)(long long)item->valuedouble;
}

static int get_integer(const cJSON *object, const char *key, double lo, double hi, long long *out,
                       const char *origin) {
    const cJSON *item = required(object, key, origin, "the golden");
    if (!item) return -1;
    if (!is_integer(item, lo, hi))
        return nb_error_set(ERR_FORMAT, "%s: \"%s\" must be an integer in [%.0f, %.0f]", origin, key, lo, hi);
    *out = (long long)item->valuedouble;
    return 0;
}

static int get_string(const cJSON *object, const char *key, char **out, const char *origin,
                      const char *where) {
    const cJSON *item = required(object, key, origin, where);
    if (!item) return -1;
    if (!cJSON_IsString(item)) return nb_error_set(ERR_FORMAT, "%s: \"%s\" in %s must be a string", origin, key, where);
    *out = nb_strdup(item->valuestring);
    if (!*out) return nb_error_set(ERR_NOMEM, "%s: out of memory", origin);
    return 0;
}

static int check_name(const char *name, const char *origin) {
    size_t n = strlen(name);
    if (n == 0 || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return nb_error_set(ERR_FORMAT, "%s: \"name\" must be [a-z0-9_]+, got \"%s\"", origin, name);
    return 0;
}

static int load_versions(const cJSON *root, Golden *g) {
    static const char *const keys[] = {"python", "torch", "numpy", NULL};
    const cJSON *versions = required(root, "versions", g->origin, "the golden");
    if (!versions) return -1;
    if (!cJSON_IsObject(versions)) return nb_error_set(ERR_FORMAT, "%s: \"versions\" must be an object", g->origin);
    if (check_members(versions, keys, g->origin, "\"versions\"") < 0) return -1;
    if (get_string(versions, "python", &g->python_version, g->origin, "\"versions\"") < 0) return -1;
    if (get_string(versions, "torch", &g->torch_version, g->origin, "\"versions\"") < 0) return -1;
    return get_string(versions, "numpy", &g->numpy_version, g->origin, "\"versions\"");
}

static int load_param(const cJSON *item, GoldenParam *param, const char *origin) {
    char number[32];
    const char *value;
    if (cJSON_IsString(item)) value = item->valuestring;
    else if (is_integer(item, -MAX_EXACT_INTEGER, MAX_EXACT_INTEGER)) {
        snprintf(number, sizeof number, "%lld", (long long)item->valuedouble);
        value = number;
    } else {
        return nb_error_set(ERR_FORMAT, "%s: \"params\".\"%s\" must be a string or an integer", origin, item->string);
    }
    param->name = nb_strdup(item->string);
    param->value = nb_strdup(value);
    if (!param->name || !param->value) return nb_error_set(ERR_NOMEM, "%s: out of memory", origin);
    return 0;
}

static int load_params(const cJSON *root, Golden *g) {
    const cJSON *params = required(root, "params", g->origin, "the golden");
    if (!params) return -1;
    if (!cJSON_IsObject(params)) return nb_error_set(ERR_FORMAT, "%s: \"params\" must be an object", g->origin);
    for (const cJSON *item = params->child; item; item = item->next) {
        if (g->nparams == GOLDEN_MAX_PARAMS)
            return nb_error_set(ERR_FORMAT, "%s: more than %d \"params\"", g->origin, GOLDEN_MAX_PARAMS);
        if (item->string[0] == '\0') return nb_error_set(ERR_FORMAT, "%s: a \"params\" name is empty", g->origin);
        for (int i = 0; i < g->nparams; i++)
            if (strcmp(g->params[i].name, item->string) == 0)
                return nb_error_set(ERR_FORMAT, "%s: \"params\".\"%s\" appears twice", g->origin, item->string);
        int rc = load_param(item, &g->params[g->nparams], g->origin);
        g->nparams++; /* counted even on failure, so golden_free frees what it got */
        if (rc < 0) return -1;
    }
    return 0;
}

static int load_line(const cJSON *item, size_t index, GoldenLine *line, const PatternCompiler *pc,
                     const char *origin, int format) {
    static const char *const keys[] = {"text", "pattern", NULL};
    char where[48];
    snprintf(where, sizeof where, "\"lines\"[%zu]", index);
    if (cJSON_IsString(item) && format == GOLDEN_FORMAT) { /* an exact line, as it is */
        line->text = nb_strdup(item->valuestring);
        if (!line->text) return nb_error_set(ERR_NOMEM, "%s: out of memory", origin);
        if (strchr(line->text, '\n'))
            return nb_error_set(ERR_FORMAT, "%s: %s holds a newline", origin, where);
        return 0;
    }
    if (!cJSON_IsObject(item))
        return nb_error_set(ERR_FORMAT, format == GOLDEN_FORMAT ? "%s: %s must be a string or an object"
                                                                 : "%s: %s must be an object", origin, where);
    if (check_members(item, keys, origin, where) < 0) return -1;
    if (get_string(item, "text", &line->text, origin, where) < 0) return -1;
    if (strchr(line->text, '\n'))
        return nb_error_set(ERR_FORMAT, "%s: %s.\"text\" holds a newline", origin, where);
    const cJSON *pattern = cJSON_GetObjectItemCaseSensitive(item, "pattern");
    if (!pattern) return 0;
    if (get_string(item, "pattern", &line->pattern, origin, where) < 0) return -1;
    pcre2_code *re = pattern_compile(pc, line->pattern, origin, index);
    if (!re) return -1;
    pcre2_code_free(re);
    return 0;
}

static int load_lines(const cJSON *root, Golden *g) {
    const cJSON *lines = required(root, "lines", g->origin, "the golden");
    if (!lines) return -1;
    if (!cJSON_IsArray(lines)) return nb_error_set(ERR_FORMAT, "%s: \"lines\" must be an array", g->origin);
    size_t count = (size_t)cJSON_GetArraySize(lines);
    if (count == 0) return 0;
    g->lines = nb_calloc(count, sizeof *g->lines);
    if (!g->lines) return nb_error_set(ERR_NOMEM, "%s: out of memory", g->origin);
    g->nlines = count;
    PatternCompiler pc;
    if (compiler_open(&pc, g->origin) < 0) return -1;
    int rc = 0;
    size_t index = 0;
    for (const cJSON *item = lines->child; item && rc == 0; item = item->next, index++)
        rc = load_line(item, index, &g->lines[index], &pc, g->origin, g->format);
    compiler_close(&pc);
    return rc;
}

/* "lines" must be exactly "stdout" split at '\n' (a final '\n' starting no
 * line), so a hand edit of one cannot silently disagree with the other. */
static int check_lines_match_stdout(Golden *g) {
    TextLine *split = NULL;
    size_t nsplit = 0;
    bool final_newline = false;
    size_t len = strlen(g->stdout_text);
    if (textdiff_split(g->stdout_text, len, &split, &nsplit, &final_newline) < 0) return -1;
    int rc = 0;
    if (nsplit != g->nlines) {
        rc = nb_error_set(ERR_FORMAT, "%s: \"lines\" has %zu entries but \"stdout\" has %zu lines", g->origin,
                       g->nlines, nsplit);
    }
    for (size_t i = 0; rc == 0 && i < nsplit; i++) {
        const char *text = g->lines[i].text;
        if (strlen(text) != split[i].len || memcmp(text, split[i].text, split[i].len) != 0)
            rc = nb_error_set(ERR_FORMAT, "%s: \"lines\"[%zu].\"text\" differs from line %zu of \"stdout\"",
                           g->origin, i, i + 1);
    }
    nb_free(split);
    g->trailing_newline = len > 0 && g->stdout_text[len - 1] == '\n';
    return rc;
}

/* Format 2: stdout is the lines joined, with "final_newline". */
static int join_lines(const cJSON *root, Golden *g) {
    const cJSON *final = required(root, "final_newline", g->origin, "the golden");
    if (!final) return -1;
    if (!cJSON_IsBool(final)) return nb_error_set(ERR_FORMAT, "%s: \"final_newline\" must be true or false", g->origin);
    g->trailing_newline = cJSON_IsTrue(final);
    if (g->nlines == 0 && g->trailing_newline)
        return nb_error_set(ERR_FORMAT, "%s: \"final_newline\" is true but there are no \"lines\"", g->origin);
    StrBuf out = STRBUF_INIT;
    for (size_t i = 0; i < g->nlines; i++) {
        nb_strbuf_append(&out, g->lines[i].text);
        if (i + 1 < g->nlines || g->trailing_newline) nb_strbuf_append_char(&out, '\n');
    }
    if (out.failed) {
        nb_strbuf_free(&out);
        return nb_error_set(ERR_NOMEM, "%s: out of memory", g->origin);
    }
    g->stdout_text = out.data ? out.data : nb_strdup("");
    if (!g->stdout_text) return nb_error_set(ERR_NOMEM, "%s: out of memory", g->origin);
    return 0;
}

static int load_fields(const cJSON *root, Golden *g) {
    static const char *const keys[] = {"format", "cell", "name", "seed", "params", "versions",
                                       "source", "lines", "final_newline", NULL};
    static const char *const old_keys[] = {"format", "cell", "name", "seed", "params", "versions",
                                           "source", "stdout", "lines", NULL};
    long long value;
    if (!cJSON_IsObject(root)) return nb_error_set(ERR_FORMAT, "%s: the top level must be an object", g->origin);
    const cJSON *format = required(root, "format", g->origin, "the golden");
    if (!format) return -1;
    if (!cJSON_IsNumber(format) || (format->valuedouble != GOLDEN_FORMAT && format->valuedouble != GOLDEN_FORMAT_OLD))
        return nb_error_set(ERR_FORMAT, "%s: unsupported \"format\" (this nbreplay reads formats %d and %d)",
                            g->origin, GOLDEN_FORMAT_OLD, GOLDEN_FORMAT);
    g->format = (int)format->valuedouble;
    bool old = g->format == GOLDEN_FORMAT_OLD;
    if (check_members(root, old ? old_keys : keys, g->origin, "the golden") < 0) return -1;
    if (get_integer(root, "cell", 0, 99, &value, g->origin) < 0) return -1;
    g->cell = (int)value;
    if (get_integer(root, "seed", 0, 4294967295.0, &value, g->origin) < 0) return -1;
    g->seed = (uint32_t)value;
    if (get_string(root, "name", &g->name, g->origin, "the golden") < 0) return -1;
    if (check_name(g->name, g->origin) < 0) return -1;
    if (load_params(root, g) < 0) return -1;
    if (load_versions(root, g) < 0) return -1;
    if (get_string(root, "source", &g->source, g->origin, "the golden") < 0) return -1;
    if (!old) return load_lines(root, g) < 0 ? -1 : join_lines(root, g);
    if (get_string(root, "stdout", &g->stdout_text, g->origin, "the golden") < 0) return -1;
    if (load_lines(root, g) < 0) return -1;
    return check_lines_match_stdout(g);
}

static int parse_text(const char *text, size_t len, const char *origin, Golden *g) {
    memset(g, 0, sizeof *g);
    if (len > GOLDEN_MAX_FILE_BYTES)
        return nb_error_set(ERR_FORMAT, "%s: too large for a golden (limit %zu bytes)", origin, GOLDEN_MAX_FILE_BYTES);
    if (reject_nul_escapes(text, len, origin) < 0) return -1;
    g->origin = nb_strdup(origin);
    if (!g->origin) return nb_error_set(ERR_NOMEM, "%s: out of memory", origin);

    cJSON_Hooks hooks = {cjson_malloc, nb_free};
    cJSON_InitHooks(&hooks);
    cjson_out_of_memory = false;
    /* length + 1 takes in the terminating NUL, which cJSON then requires
     * right after the value: trailing garbage is an error */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    int rc;
    if (!root) rc = cjson_out_of_memory ? nb_error_set(ERR_NOMEM, "%s: out of memory", origin)
                                        : report_syntax_error(text, len, origin);
    else rc = load_fields(root, g);
    cJSON_Delete(root);
    cJSON_InitHooks(NULL);
    if (rc < 0) golden_free(g);
    return rc;
}

int golden_parse(const char *json_text, const char *name, Golden *golden) {
    return parse_text(json_text, strlen(json_text), name, golden);
}

int golden_load(const char *path, Golden *golden) {
    memset(golden, 0, sizeof *golden);
    char *text = NULL;
    size_t len = 0;
    if (read_file(path, &text, &len) < 0) return -1;
    const char *nul = memchr(text, '\0', len);
    int rc;
    if (nul) rc = nb_error_set(ERR_FORMAT, "%s: NUL byte at offset %zu", path, (size_t)(nul - text));
    else rc = parse_text(text, len, path, golden);
    nb_free(text);
    return rc;
}

void golden_free(Golden *g) {
    for (int i = 0; i < g->nparams; i++) {
        nb_free(g->params[i].name);
        nb_free(g->params[i].value);
    }
    for (size_t i = 0; i < g->nlines; i++) {
        nb_free(g->lines[i].text);
        nb_free(g->lines[i].pattern);
    }
    nb_free(g->lines);
    nb_free(g->origin);
    nb_free(g->name);
    nb_free(g->python_version);
    nb_free(g->torch_version);
    nb_free(g->numpy_version);
    nb_free(g->source);
    nb_free(g->stdout_text);
    memset(g, 0, sizeof *g);
}

/* ---- comparing ----------------------------------------------------------- */

typedef struct Comparison {
    const Golden *golden;
    const char *origin;        /* names the golden in errors */
    const Tolerance *tol;      /* NULL: exact lines compare byte for byte */
    const TextLine *actual;
    pcre2_code **patterns;     /* per golden line; NULL for exact lines */
    pcre2_match_data *match;
    pcre2_match_context *limits; /* GOLDEN_MATCH_LIMIT, GOLDEN_DEPTH_LIMIT */
    int match_error;           /* the first PCRE2 error from a match, or 0 */
    size_t match_error_line;
    double deadline;           /* CLOCK_MONOTONIC seconds: the comparison's time budget */
    bool out_of_time;
} Comparison;

static double monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool golden_line_equal(void *ctx, size_t golden_index, size_t actual_index) {
    Comparison *cmp = ctx;
    const GoldenLine *expected = &cmp->golden->lines[golden_index];
    const TextLine *line = &cmp->actual[actual_index];
    pcre2_code *re = cmp->patterns[golden_index];
    if (!re && cmp->tol)
        return tolerance_line_match(expected->text, strlen(expected->text), line->text, line->len, cmp->tol, NULL);
    if (!re) return strlen(expected->text) == line->len && memcmp(expected->text, line->text, line->len) == 0;
    /* one pattern that cannot be matched within the limits fails the cell:
     * no more matching, so that a diff of many lines cannot take hours */
    if (cmp->match_error || cmp->out_of_time) return false;
    if (monotonic_seconds() > cmp->deadline) {
        cmp->out_of_time = true;
        cmp->match_error_line = golden_index;
        return false;
    }
    int rc = pcre2_match(re, (PCRE2_SPTR)line->text, line->len, 0, 0, cmp->match, cmp->limits);
    if (rc >= 0) return true;
    if (rc != PCRE2_ERROR_NOMATCH && cmp->match_error == 0) {
        cmp->match_error = rc;
        cmp->match_error_line = golden_index;
    }
    return false;
}

static int compile_patterns(Comparison *cmp, pcre2_general_context *general) {
    const Golden *g = cmp->golden;
    PatternCompiler pc;
    if (compiler_open(&pc, cmp->origin) < 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < g->nlines && rc == 0; i++) {
        if (!g->lines[i].pattern) continue;
        cmp->patterns[i] = pattern_compile(&pc, g->lines[i].pattern, cmp->origin, i);
        if (!cmp->patterns[i]) rc = -1;
    }
    compiler_close(&pc);
    if (rc == 0) {
        cmp->match = pcre2_match_data_create(1, general);
        cmp->limits = pcre2_match_context_create(general);
        if (!cmp->match || !cmp->limits) rc = nb_error_set(ERR_NOMEM, "%s: out of memory", cmp->origin);
    }
    if (rc == 0) {
        pcre2_set_match_limit(cmp->limits, GOLDEN_MATCH_LIMIT);
        pcre2_set_depth_limit(cmp->limits, GOLDEN_DEPTH_LIMIT);
    }
    return rc;
}

static int report_match_error(const Comparison *cmp) {
    if (cmp->out_of_time)
        return nb_error_set(ERR_FORMAT, "%s: \"lines\"[%zu].\"pattern\": matching took more than %d s "
                                        "(the time budget of one cell's comparison)",
                            cmp->origin, cmp->match_error_line, GOLDEN_MATCH_SECONDS);
    PCRE2_UCHAR message[256];
    if (pcre2_get_error_message(cmp->match_error, message, sizeof message) < 0)
        strcpy((char *)message, "unknown error");
    if (cmp->match_error == PCRE2_ERROR_NOMEMORY)
        return nb_error_set(ERR_NOMEM, "%s: out of memory", cmp->origin);
    return nb_error_set(ERR_FORMAT, "%s: \"lines\"[%zu].\"pattern\" could not be matched: %s", cmp->origin,
                     cmp->match_error_line, (const char *)message);
}

/* Diffs the golden's lines against the actual ones. Returns 1 same, 0
 * different, -1 error. */
static int diff_against(Comparison *cmp, const TextLine *actual, size_t nactual, bool actual_newline,
                        const char *label, StrBuf *diff) {
    const Golden *g = cmp->golden;
    TextLine *expected = g->nlines ? nb_calloc(g->nlines, sizeof *expected) : NULL;
    if (g->nlines && !expected) return nb_error_set(ERR_NOMEM, "%s: out of memory", cmp->origin);
    for (size_t i = 0; i < g->nlines; i++) expected[i] = (TextLine){g->lines[i].text, strlen(g->lines[i].text)};
    TextDiffSide old_side = {cmp->origin, expected, g->nlines, g->trailing_newline};
    TextDiffSide new_side = {label ? label : "actual", actual, nactual, actual_newline};
    StrBuf scratch = STRBUF_INIT;
    int rc = textdiff_unified(diff ? diff : &scratch, &old_side, &new_side, golden_line_equal, cmp);
    nb_strbuf_free(&scratch);
    nb_free(expected);
    if (rc < 0) return -1;
    if (cmp->match_error || cmp->out_of_time) return report_match_error(cmp);
    return rc == 0 ? 1 : 0;
}

/* The largest number differences between golden and actual lines at the
 * same position (exact lines whose text agrees). */
static void collect_errors(const Golden *g, const TextLine *actual, size_t nactual, const Tolerance *tol,
                           ToleranceErrors *errors) {
    *errors = (ToleranceErrors){0, 0, 0};
    for (size_t i = 0; i < g->nlines && i < nactual; i++)
        if (!g->lines[i].pattern)
            tolerance_line_match(g->lines[i].text, strlen(g->lines[i].text), actual[i].text, actual[i].len, tol,
                                 errors);
}

static int compare_lines(const Golden *golden, const char *actual, const char *label, const Tolerance *tol,
                         ToleranceErrors *errors, StrBuf *diff) {
    const char *origin = golden->origin ? golden->origin : "golden";
    TextLine *lines = NULL;
    size_t nlines = 0;
    bool final_newline = false;
    if (textdiff_split(actual, strlen(actual), &lines, &nlines, &final_newline) < 0) return -1;
    if (tol && errors) collect_errors(golden, lines, nlines, tol, errors);
    Comparison cmp = {golden, origin, tol, lines, NULL, NULL, NULL, 0, 0,
                      monotonic_seconds() + GOLDEN_MATCH_SECONDS, false};
    pcre2_general_context *general = pcre2_general_context_create(pcre_malloc, pcre_free, NULL);
    cmp.patterns = nb_calloc(golden->nlines ? golden->nlines : 1, sizeof *cmp.patterns);
    int rc;
    if (!general || !cmp.patterns) rc = nb_error_set(ERR_NOMEM, "%s: out of memory", origin);
    else rc = compile_patterns(&cmp, general);
    if (rc == 0) rc = diff_against(&cmp, lines, nlines, final_newline, label, diff);
    for (size_t i = 0; cmp.patterns && i < golden->nlines; i++) pcre2_code_free(cmp.patterns[i]);
    nb_free(cmp.patterns);
    pcre2_match_data_free(cmp.match);
    pcre2_match_context_free(cmp.limits);
    pcre2_general_context_free(general);
    nb_free(lines);
    return rc;
}

int golden_compare(const Golden *golden, const char *actual, const char *label, StrBuf *diff) {
    return compare_lines(golden, actual, label, NULL, NULL, diff);
}

int golden_compare_tolerant(const Golden *golden, const char *actual, const char *label, const Tolerance *tol,
                            ToleranceErrors *errors, StrBuf *diff) {
    return compare_lines(golden, actual, label, tol, errors, diff);
}
