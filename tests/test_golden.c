/* test_golden: the golden loader and comparison (src/golden.c) and the
 * unified diff under it (src/textdiff.c). Loads the real goldens from
 * $NB_GOLDEN_DIR (default golden/), the broken ones from
 * $NB_TEST_DATA/golden (tests/corpus/make_bad_goldens.py), and holds the
 * diff to GNU diff's output in $NB_TEST_DATA/textdiff
 * (tests/corpus/make_textdiff_cases.py). */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "golden.h"
#include "strbuf.h"
#include "textdiff.h"

/* ---- helpers ------------------------------------------------------------- */

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

static char *path_in(const char *env, const char *fallback, const char *sub, const char *file) {
    static char buf[4][1024];
    static int next;
    char *out = buf[next++ % 4];
    snprintf(out, sizeof buf[0], "%s%s%s/%s", env_or(env, fallback), sub[0] ? "/" : "", sub, file);
    return out;
}

static const char *golden_path(const char *file) { return path_in("NB_GOLDEN_DIR", "golden", "", file); }
static const char *bad_path(const char *file) { return path_in("NB_TEST_DATA", "tests/data", "golden", file); }
static const char *diff_case_path(const char *file) { return path_in("NB_TEST_DATA", "tests/data", "textdiff", file); }

/* The test's own buffers come from malloc so they stay out of alloc_stats. */
static char *read_all(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run from the repository root or set NB_TEST_DATA/NB_GOLDEN_DIR)",
                  path);
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    size_t got;
    while ((got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) text = realloc(text, cap *= 2);
    }
    fclose(f);
    text[len] = '\0';
    if (len_out) *len_out = len;
    return text;
}

static int64_t live(void) { return nb_alloc_stats().live_blocks; }

static void load_ok(const char *path, Golden *g) {
    nb_error_clear();
    int rc = golden_load(path, g);
    ck_assert_msg(rc == 0, "%s did not load: %s", path, nb_error_message());
}

/* stdout with line `index` (0-based) replaced by `line`; malloc'd. */
static char *replace_line(const char *stdout_text, size_t index, const char *line) {
    char *out = malloc(strlen(stdout_text) + strlen(line) + 2);
    const char *start = stdout_text;
    for (size_t i = 0; i < index; i++) start = strchr(start, '\n') + 1;
    const char *end = strchr(start, '\n');
    size_t head = (size_t)(start - stdout_text);
    memcpy(out, stdout_text, head);
    strcpy(out + head, line);
    strcat(out, end ? end : "");
    return out;
}

/* ---- loading the real goldens -------------------------------------------- */

START_TEST(test_real_goldens_load_and_match_themselves) {
    const char *dir = env_or("NB_GOLDEN_DIR", "golden");
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int loaded = 0;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        int cell;
        char tail[8];
        if (sscanf(entry->d_name, "cell-%2d.%5s", &cell, tail) != 2 || strcmp(tail, "json") != 0) continue;
        int64_t before = live();
        Golden g;
        load_ok(golden_path(entry->d_name), &g);
        ck_assert_int_eq(g.format, GOLDEN_FORMAT); /* the committed goldens are current */
        ck_assert_int_eq(g.cell, cell);
        ck_assert_uint_eq(g.seed, 0);
        ck_assert_ptr_nonnull(g.torch_version);
        ck_assert(g.nlines > 0);
        ck_assert(g.trailing_newline);
        ck_assert_str_eq(g.origin, golden_path(entry->d_name));
        StrBuf diff = STRBUF_INIT;
        ck_assert_int_eq(golden_compare(&g, g.stdout_text, "actual", &diff), 1);
        ck_assert_uint_eq(diff.len, 0);
        golden_free(&g);
        ck_assert_int_eq(live(), before);
        loaded++;
    }
    closedir(d);
    ck_assert_msg(loaded >= 1, "no cell-NN.json in %s", dir);
}
END_TEST

START_TEST(test_golden_fields) {
    Golden g;
    load_ok(golden_path("cell-03.json"), &g);
    ck_assert_int_eq(g.cell, 3);
    ck_assert_str_eq(g.name, "add");
    ck_assert_int_eq(g.nparams, 0);
    ck_assert_ptr_nonnull(strstr(g.source, "np.random.choice"));
    ck_assert_ptr_null(g.lines[0].pattern);
    ck_assert_str_eq(g.lines[8].text, "torch.Size([3, 2, 2])");
    golden_free(&g);
    ck_assert_ptr_null(g.lines);
    golden_free(&g);
}
END_TEST

START_TEST(test_parse_from_memory_names_the_source) {
    char *text = read_all(golden_path("cell-03.json"), NULL);
    Golden g;
    ck_assert_int_eq(golden_parse(text, "in-memory", &g), 0);
    ck_assert_str_eq(g.origin, "in-memory");
    golden_free(&g);
    nb_error_clear();
    ck_assert_int_eq(golden_parse("{", "in-memory", &g), -1);
    ck_assert_str_eq(nb_error_message(), "in-memory: truncated JSON (ends at line 1, column 2)");
    nb_error_clear();
    free(text);
}
END_TEST

START_TEST(test_valid_variants) {
    Golden g;
    load_ok(bad_path("params-ok.json"), &g);
    ck_assert_int_eq(g.nparams, 3);
    ck_assert_str_eq(g.params[0].name, "device");
    ck_assert_str_eq(g.params[0].value, "cpu");
    ck_assert_str_eq(g.params[1].name, "n");
    ck_assert_str_eq(g.params[1].value, "3");
    ck_assert_str_eq(g.params[2].value, "-12");
    golden_free(&g);
    load_ok(bad_path("pattern-ok.json"), &g);
    ck_assert_str_eq(g.lines[8].pattern, "torch\\.Size\\(\\[\\d+, \\d+, \\d+\\]\\)");
    golden_free(&g);
}
END_TEST

/* ---- broken goldens ------------------------------------------------------ */

typedef struct BadCase {
    const char *file;
    ErrorKind kind;
    const char *says;   /* the message, after "<path>: " */
} BadCase;

static const BadCase bad_cases[] = {
    {"empty.json", ERR_FORMAT, "truncated JSON (ends at line 1, column 1)"},
    {"not-json.json", ERR_FORMAT, "invalid JSON at line 1, column 1"},
    {"truncated.json", ERR_FORMAT, "truncated JSON (a string from line 78, column 12 never ends)"},
    {"trailing-garbage.json", ERR_FORMAT, "invalid JSON at line 95, column 1"},
    {"nul-byte.json", ERR_FORMAT, "NUL byte at offset 40"},
    {"nul-escape.json", ERR_FORMAT, "a string holds \\u0000 (NUL) at line 6, column 13"},
    {"duplicate-key.json", ERR_FORMAT, "key \"seed\" appears twice in the golden"},
    {"top-array.json", ERR_FORMAT, "the top level must be an object"},
    {"format-3.json", ERR_FORMAT, "unsupported \"format\" (this nbreplay reads formats 1 and 2)"},
    {"format-missing.json", ERR_FORMAT, "the golden has no \"format\""},
    {"unknown-key.json", ERR_FORMAT, "unknown key \"colour\" in the golden"},
    {"missing-stdout.json", ERR_FORMAT, "the golden has no \"stdout\""},
    {"source-number.json", ERR_FORMAT, "\"source\" in the golden must be a string"},
    {"name-bad.json", ERR_FORMAT, "\"name\" must be [a-z0-9_]+, got \"Add Tensors\""},
    {"cell-too-big.json", ERR_FORMAT, "\"cell\" must be an integer in [0, 99]"},
    {"seed-negative.json", ERR_FORMAT, "\"seed\" must be an integer in [0, 4294967295]"},
    {"seed-too-big.json", ERR_FORMAT, "\"seed\" must be an integer in [0, 4294967295]"},
    {"seed-fraction.json", ERR_FORMAT, "\"seed\" must be an integer in [0, 4294967295]"},
    {"seed-string.json", ERR_FORMAT, "\"seed\" must be an integer in [0, 4294967295]"},
    {"params-array.json", ERR_FORMAT, "\"params\" must be an object"},
    {"params-float.json", ERR_FORMAT, "\"params\".\"n\" must be a string or an integer"},
    {"params-too-many.json", ERR_FORMAT, "more than 16 \"params\""},
    {"versions-no-torch.json", ERR_FORMAT, "\"versions\" has no \"torch\""},
    {"lines-object.json", ERR_FORMAT, "\"lines\" must be an array"},
    {"line-string.json", ERR_FORMAT, "\"lines\"[0] must be an object"},
    {"line-text-number.json", ERR_FORMAT, "\"text\" in \"lines\"[0] must be a string"},
    {"line-unknown-key.json", ERR_FORMAT, "unknown key \"colour\" in \"lines\"[0]"},
    {"line-pattern-number.json", ERR_FORMAT, "\"pattern\" in \"lines\"[0] must be a string"},
    {"line-newline.json", ERR_FORMAT, "\"lines\"[0].\"text\" holds a newline"},
    {"lines-differ.json", ERR_FORMAT, "\"lines\"[2].\"text\" differs from line 3 of \"stdout\""},
    {"lines-extra.json", ERR_FORMAT, "\"lines\" has 27 entries but \"stdout\" has 26 lines"},
    {"lines-empty-last.json", ERR_FORMAT, "\"lines\" has 27 entries but \"stdout\" has 26 lines"},
    {"lines-missing.json", ERR_FORMAT, "\"lines\" has 25 entries but \"stdout\" has 26 lines"},
    {"pattern-unbalanced.json", ERR_FORMAT,
     "\"lines\"[0].\"pattern\" does not compile: missing closing parenthesis at offset 16"},
    {"pattern-bad-escape.json", ERR_FORMAT, "\"lines\"[0].\"pattern\" does not compile: \\ at end of pattern"},
    {"no-such-file.json", ERR_IO, "cannot open: No such file or directory"},
};

START_TEST(test_bad_golden_gives_one_line_error) {
    const BadCase *c = &bad_cases[_i];
    const char *path = bad_path(c->file);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: %s", path, c->says);
    nb_error_clear();
    int64_t before = live();
    Golden g;
    ck_assert_int_eq(golden_load(path, &g), -1);
    ck_assert_int_eq(live(), before);
    ck_assert_int_eq(nb_error_kind(), c->kind);
    const char *message = nb_error_message();
    ck_assert_msg(strncmp(message, expected, strlen(expected)) == 0, "%s:\n  got      %s\n  expected %s...",
                  c->file, message, expected);
    ck_assert_ptr_null(strchr(message, '\n'));
    ck_assert_ptr_null(g.origin);
    ck_assert_uint_eq(g.nlines, 0);
    golden_free(&g);
    nb_error_clear();
}
END_TEST

START_TEST(test_file_too_large_is_refused) {
    char path[64] = "/tmp/test_golden_large_";
    size_t stem = strlen(path);
    memset(path + stem, 'X', 6); /* mkstemp's template */
    path[stem + 6] = '\0';
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)GOLDEN_MAX_FILE_BYTES + 1), 0);
    close(fd);
    nb_error_clear();
    int64_t before = live();
    Golden g;
    ck_assert_int_eq(golden_load(path, &g), -1);
    ck_assert_int_eq(live(), before);
    ck_assert_ptr_nonnull(strstr(nb_error_message(), "is too large for a golden"));
    ck_assert_int_eq(strncmp(nb_error_message(), path, strlen(path)), 0);
    unlink(path);
    nb_error_clear();
}
END_TEST

/* Every allocation of a load, failed one at a time, must end in success or
 * a clean out-of-memory error with nothing leaked (SQLite's way). */
START_TEST(test_load_survives_every_failed_allocation) {
    const char *path = bad_path("pattern-ok.json");
    int64_t before = live();
    for (int64_t k = 1;; k++) {
        nb_error_clear();
        Golden g;
        nb_alloc_fail_after(k);
        int rc = golden_load(path, &g);
        nb_alloc_fail_after(0);
        if (rc == 0) {
            golden_free(&g);
            ck_assert_int_eq(live(), before);
            ck_assert_int_gt(k, 10);
            break;
        }
        ck_assert_msg(nb_error_kind() == ERR_NOMEM, "k=%lld: %s", (long long)k, nb_error_message());
        ck_assert_int_eq(live(), before);
    }
    nb_error_clear();
}
END_TEST

/* ---- comparing ----------------------------------------------------------- */

START_TEST(test_compare_exact_match) {
    Golden g;
    load_ok(golden_path("cell-03.json"), &g);
    StrBuf diff = STRBUF_INIT;
    ck_assert_int_eq(golden_compare(&g, g.stdout_text, "nbreplay run 3", &diff), 1);
    ck_assert_uint_eq(diff.len, 0);
    ck_assert_int_eq(golden_compare(&g, g.stdout_text, "nbreplay run 3", NULL), 1);
    golden_free(&g);
}
END_TEST

START_TEST(test_compare_one_changed_line) {
    Golden g;
    load_ok(golden_path("cell-03.json"), &g);
    char *actual = replace_line(g.stdout_text, 8, "torch.Size([3, 2])");
    int64_t before = live();
    StrBuf diff = STRBUF_INIT;
    ck_assert_int_eq(golden_compare(&g, actual, "nbreplay run 3", &diff), 0);
    StrBuf expected = STRBUF_INIT;
    nb_strbuf_printf(&expected, "--- %s\n+++ nbreplay run 3\n@@ -6,7 +6,7 @@\n", g.origin);
    for (size_t i = 5; i < 8; i++) nb_strbuf_printf(&expected, " %s\n", g.lines[i].text);
    nb_strbuf_append(&expected, "-torch.Size([3, 2, 2])\n+torch.Size([3, 2])\n");
    for (size_t i = 9; i < 12; i++) nb_strbuf_printf(&expected, " %s\n", g.lines[i].text);
    ck_assert_str_eq(nb_strbuf_cstr(&diff), nb_strbuf_cstr(&expected));
    nb_strbuf_free(&diff);
    nb_strbuf_free(&expected);
    ck_assert_int_eq(live(), before);
    free(actual);
    golden_free(&g);
}
END_TEST

START_TEST(test_compare_missing_final_newline) {
    Golden g;
    load_ok(golden_path("cell-03.json"), &g);
    char *actual = strdup(g.stdout_text);
    actual[strlen(actual) - 1] = '\0';
    StrBuf diff = STRBUF_INIT;
    ck_assert_int_eq(golden_compare(&g, actual, "actual", &diff), 0);
    const char *last = g.lines[g.nlines - 1].text;
    char tail[256];
    snprintf(tail, sizeof tail, "-%s\n+%s\n\\ No newline at end of file\n", last, last);
    ck_assert_msg(strstr(nb_strbuf_cstr(&diff), tail) != NULL, "%s", nb_strbuf_cstr(&diff));
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), "@@ -23,4 +23,4 @@\n"));
    nb_strbuf_free(&diff);
    free(actual);
    golden_free(&g);
}
END_TEST

START_TEST(test_compare_extra_and_missing_lines) {
    Golden g;
    load_ok(golden_path("cell-03.json"), &g);
    size_t n = strlen(g.stdout_text);
    char *more = malloc(n + 16);
    strcpy(more, g.stdout_text);
    strcat(more, "extra\n");
    StrBuf diff = STRBUF_INIT;
    ck_assert_int_eq(golden_compare(&g, more, "actual", &diff), 0);
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), "@@ -24,3 +24,4 @@\n"));
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), "\n+extra\n"));
    nb_strbuf_clear(&diff);

    char *fewer = strdup(g.stdout_text);
    fewer[n - 1] = '\0';
    *(strrchr(fewer, '\n') + 1) = '\0';
    ck_assert_int_eq(golden_compare(&g, fewer, "actual", &diff), 0);
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), "@@ -23,4 +23,3 @@\n"));
    char removed[256];
    snprintf(removed, sizeof removed, "\n-%s\n", g.lines[g.nlines - 1].text);
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), removed));
    nb_strbuf_clear(&diff);

    ck_assert_int_eq(golden_compare(&g, "", "actual", &diff), 0);
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), "@@ -1,26 +0,0 @@\n"));
    nb_strbuf_free(&diff);
    free(more);
    free(fewer);
    golden_free(&g);
}
END_TEST

START_TEST(test_compare_pattern_lines) {
    Golden g;
    load_ok(bad_path("pattern-ok.json"), &g);
    ck_assert_int_eq(golden_compare(&g, g.stdout_text, "actual", NULL), 1);
    char *other_size = replace_line(g.stdout_text, 8, "torch.Size([4, 12, 2])");
    ck_assert_int_eq(golden_compare(&g, other_size, "actual", NULL), 1);
    char *prefix_only = replace_line(g.stdout_text, 8, "torch.Size([4, 12, 2]) and more");
    char *wrong_rank = replace_line(g.stdout_text, 8, "torch.Size([4, 2])");
    StrBuf diff = STRBUF_INIT;
    ck_assert_int_eq(golden_compare(&g, prefix_only, "actual", &diff), 0);
    nb_strbuf_clear(&diff);
    ck_assert_int_eq(golden_compare(&g, wrong_rank, "actual", &diff), 0);
    ck_assert_ptr_nonnull(strstr(nb_strbuf_cstr(&diff), "\n-torch.Size([3, 2, 2])\n+torch.Size([4, 2])\n"));
    /* the other torch.Size line is exact, and stays so */
    char *exact_changed = replace_line(g.stdout_text, 17, "torch.Size([4, 2, 2])");
    ck_assert_int_eq(golden_compare(&g, exact_changed, "actual", NULL), 0);
    nb_strbuf_free(&diff);
    free(other_size);
    free(prefix_only);
    free(wrong_rank);
    free(exact_changed);
    golden_free(&g);
}
END_TEST

START_TEST(test_compare_bad_pattern_is_an_error) {
    Golden g;
    load_ok(golden_path("cell-03.json"), &g);
    g.lines[0].pattern = nb_strdup("tensor((");
    int64_t before = live();
    nb_error_clear();
    StrBuf diff = STRBUF_INIT;
    ck_assert_int_eq(golden_compare(&g, g.stdout_text, "actual", &diff), -1);
    ck_assert_int_eq(nb_error_kind(), ERR_FORMAT);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: \"lines\"[0].\"pattern\" does not compile: missing closing parenthesis",
             g.origin);
    ck_assert_int_eq(strncmp(nb_error_message(), expected, strlen(expected)), 0);
    ck_assert_uint_eq(diff.len, 0);
    ck_assert_int_eq(live(), before);
    nb_error_clear();
    golden_free(&g);
}
END_TEST

START_TEST(test_compare_survives_every_failed_allocation) {
    Golden g;
    load_ok(bad_path("pattern-ok.json"), &g);
    char *actual = replace_line(g.stdout_text, 2, "changed");
    int64_t before = live();
    for (int64_t k = 1;; k++) {
        nb_error_clear();
        StrBuf diff = STRBUF_INIT;
        nb_alloc_fail_after(k);
        int rc = golden_compare(&g, actual, "actual", &diff);
        nb_alloc_fail_after(0);
        nb_strbuf_free(&diff);
        ck_assert_int_eq(live(), before);
        if (rc == 0) break;
        ck_assert_int_eq(rc, -1);
        ck_assert_msg(nb_error_kind() == ERR_NOMEM, "k=%lld: %s", (long long)k, nb_error_message());
    }
    nb_error_clear();
    free(actual);
    golden_free(&g);
}
END_TEST

/* ---- textdiff ------------------------------------------------------------ */

static int diff_texts(StrBuf *out, const char *old_text, const char *new_text, TextLineEqual equal, void *ctx) {
    TextLine *old_lines, *new_lines;
    size_t n_old, n_new;
    bool old_nl, new_nl;
    ck_assert_int_eq(textdiff_split(old_text, strlen(old_text), &old_lines, &n_old, &old_nl), 0);
    ck_assert_int_eq(textdiff_split(new_text, strlen(new_text), &new_lines, &n_new, &new_nl), 0);
    TextDiffSide old_side = {"old", old_lines, n_old, old_nl};
    TextDiffSide new_side = {"new", new_lines, n_new, new_nl};
    int rc = textdiff_unified(out, &old_side, &new_side, equal, ctx);
    nb_free(old_lines);
    nb_free(new_lines);
    return rc;
}

START_TEST(test_textdiff_matches_gnu_diff) {
    char *cases = read_all(diff_case_path("cases.txt"), NULL);
    int checked = 0;
    for (char *name = strtok(cases, "\n"); name; name = strtok(NULL, "\n")) {
        char file[256];
        snprintf(file, sizeof file, "%s.old", name);
        char *old_text = read_all(diff_case_path(file), NULL);
        snprintf(file, sizeof file, "%s.new", name);
        char *new_text = read_all(diff_case_path(file), NULL);
        snprintf(file, sizeof file, "%s.diff", name);
        char *expected = read_all(diff_case_path(file), NULL);
        int64_t before = live();
        StrBuf out = STRBUF_INIT;
        int rc = diff_texts(&out, old_text, new_text, NULL, NULL);
        ck_assert_int_eq(rc, expected[0] ? 1 : 0);
        ck_assert_msg(strcmp(nb_strbuf_cstr(&out), expected) == 0, "case %s:\n--- got:\n%s--- GNU diff:\n%s", name,
                      nb_strbuf_cstr(&out), expected);
        nb_strbuf_free(&out);
        ck_assert_int_eq(live(), before);
        free(old_text);
        free(new_text);
        free(expected);
        checked++;
    }
    free(cases);
    ck_assert_int_ge(checked, 10);
}
END_TEST

START_TEST(test_textdiff_split) {
    TextLine *lines;
    size_t n;
    bool nl;
    ck_assert_int_eq(textdiff_split("", 0, &lines, &n, &nl), 0);
    ck_assert(n == 0 && lines == NULL && nl);
    ck_assert_int_eq(textdiff_split("\n", 1, &lines, &n, &nl), 0);
    ck_assert(n == 1 && lines[0].len == 0 && nl);
    nb_free(lines);
    ck_assert_int_eq(textdiff_split("a\n\nbc", 5, &lines, &n, &nl), 0);
    ck_assert(n == 3 && lines[1].len == 0 && lines[2].len == 2 && !nl);
    ck_assert_int_eq(memcmp(lines[2].text, "bc", 2), 0);
    nb_free(lines);
}
END_TEST

static bool same_ignoring_case(void *ctx, size_t i, size_t j) {
    const TextDiffSide *const *sides = ctx;
    const TextLine *a = &sides[0]->lines[i], *b = &sides[1]->lines[j];
    if (a->len != b->len) return false;
    for (size_t k = 0; k < a->len; k++)
        if ((a->text[k] | 0x20) != (b->text[k] | 0x20)) return false;
    return true;
}

START_TEST(test_textdiff_uses_the_callers_equality) {
    TextLine old_lines[] = {{"Alpha", 5}, {"beta", 4}, {"gamma", 5}};
    TextLine new_lines[] = {{"ALPHA", 5}, {"delta", 5}, {"GAMMA", 5}};
    TextDiffSide old_side = {"old", old_lines, 3, true}, new_side = {"new", new_lines, 3, true};
    const TextDiffSide *sides[] = {&old_side, &new_side};
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(textdiff_unified(&out, &old_side, &new_side, same_ignoring_case, sides), 1);
    /* context lines are shown as the new side has them */
    ck_assert_str_eq(nb_strbuf_cstr(&out), "--- old\n+++ new\n@@ -1,3 +1,3 @@\n ALPHA\n-beta\n+delta\n GAMMA\n");
    nb_strbuf_free(&out);
}
END_TEST

static char *numbered_lines(size_t n, const char *prefix) {
    char *text = malloc(n * 32 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += (size_t)sprintf(text + len, "%s %zu\n", prefix, i);
    text[len] = '\0';
    return text;
}

START_TEST(test_textdiff_huge_mismatch_is_bounded) {
    /* past every size guard: the middle becomes one hunk and the output is cut */
    char *old_text = numbered_lines(30000, "old");
    char *new_text = numbered_lines(30000, "new");
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(diff_texts(&out, old_text, new_text, NULL, NULL), 1);
    const char *text = nb_strbuf_cstr(&out);
    ck_assert_int_eq(strncmp(text, "--- old\n+++ new\n@@ -1,30000 +1,30000 @@\n-old 0\n", 47), 0);
    size_t lines = 0;
    for (const char *p = text; *p; p++) lines += *p == '\n';
    ck_assert_uint_eq(lines, TEXTDIFF_MAX_OUTPUT_LINES + 4);
    ck_assert_ptr_nonnull(strstr(text, "\n(diff truncated)\n"));
    nb_strbuf_free(&out);
    free(old_text);
    free(new_text);

    /* within the size guard but over the edit guard: still one correct hunk */
    old_text = numbered_lines(1500, "old");
    new_text = numbered_lines(1500, "new");
    ck_assert_int_eq(diff_texts(&out, old_text, new_text, NULL, NULL), 1);
    ck_assert_int_eq(strncmp(nb_strbuf_cstr(&out), "--- old\n+++ new\n@@ -1,1500 +1,1500 @@\n", 38), 0);
    nb_strbuf_free(&out);
    free(old_text);
    free(new_text);
}
END_TEST

/* ---- suite --------------------------------------------------------------- */

static Suite *golden_suite(void) {
    Suite *s = suite_create("golden");
    TCase *load = tcase_create("load");
    tcase_add_test(load, test_real_goldens_load_and_match_themselves);
    tcase_add_test(load, test_golden_fields);
    tcase_add_test(load, test_parse_from_memory_names_the_source);
    tcase_add_test(load, test_valid_variants);
    tcase_add_loop_test(load, test_bad_golden_gives_one_line_error, 0,
                        (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_test(load, test_file_too_large_is_refused);
    tcase_add_test(load, test_load_survives_every_failed_allocation);
    suite_add_tcase(s, load);

    TCase *compare = tcase_create("compare");
    tcase_add_test(compare, test_compare_exact_match);
    tcase_add_test(compare, test_compare_one_changed_line);
    tcase_add_test(compare, test_compare_missing_final_newline);
    tcase_add_test(compare, test_compare_extra_and_missing_lines);
    tcase_add_test(compare, test_compare_pattern_lines);
    tcase_add_test(compare, test_compare_bad_pattern_is_an_error);
    tcase_add_test(compare, test_compare_survives_every_failed_allocation);
    suite_add_tcase(s, compare);

    TCase *diff = tcase_create("textdiff");
    tcase_set_timeout(diff, 30);
    tcase_add_test(diff, test_textdiff_matches_gnu_diff);
    tcase_add_test(diff, test_textdiff_split);
    tcase_add_test(diff, test_textdiff_uses_the_callers_equality);
    tcase_add_test(diff, test_textdiff_huge_mismatch_is_bounded);
    suite_add_tcase(s, diff);
    return s;
}

int main(void) {
    SRunner *runner = srunner_create(golden_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
