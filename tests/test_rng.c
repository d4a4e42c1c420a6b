/* test_rng: holds src/rng.c to NumPy's legacy generator bit for bit by
 * replaying tests/data/rng_corpus.jsonl (written from the real NumPy by
 * tests/corpus/make_rng_corpus.py). Every case is replayed twice: once with
 * the bulk calls and once value by value, since the cells use both and they
 * must consume the stream identically. */
#include <check.h>
#include <cJSON.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "rng.h"
#include "corpus.h"

static cJSON *corpus;
static const cJSON *cases;
static const cJSON *seed_texts;

enum Mode { MODE_BULK, MODE_SCALAR, MODE_COUNT };

static double json_double(const cJSON *item) {
    ck_assert_msg(cJSON_IsString(item), "corpus double is not a hex string");
    char *end;
    double v = strtod(item->valuestring, &end);
    ck_assert_msg(*end == '\0', "bad corpus double '%s'", item->valuestring);
    return v;
}

static int64_t json_int(const cJSON *item) {
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        ck_assert_msg(v == floor(v) && fabs(v) <= 9007199254740992.0, "corpus int %g not exact", v);
        return (int64_t)v;
    }
    ck_assert_msg(cJSON_IsString(item), "corpus int is neither number nor string");
    char *end;
    long long v = strtoll(item->valuestring, &end, 10);
    ck_assert_msg(*end == '\0', "bad corpus int '%s'", item->valuestring);
    return v;
}

static uint64_t bits_of(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

/* Context for failure messages: which case, which operation. */
typedef struct Where {
    const char *name;
    const char *mode;
    int op;
} Where;

#define WHERE_FMT "%s (%s), op %d"
#define WHERE_ARGS(w) (w)->name, (w)->mode, (w)->op

static void expect_doubles(const Where *w, const cJSON *expected, const double *got) {
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, expected) {
        double want = json_double(e);
        ck_assert_msg(bits_of(got[i]) == bits_of(want), WHERE_FMT ", value %d: got %a, NumPy %a",
                      WHERE_ARGS(w), i, got[i], want);
        i++;
    }
}

static void expect_ints(const Where *w, const cJSON *expected, const int64_t *got) {
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, expected) {
        int64_t want = json_int(e);
        ck_assert_msg(got[i] == want, WHERE_FMT ", value %d: got %" PRId64 ", NumPy %" PRId64,
                      WHERE_ARGS(w), i, got[i], want);
        i++;
    }
}

static void check_state(const Where *w, const Rng *rng, const cJSON *op) {
    ck_assert_msg(rng->pos == json_int(corpus_field(op, "pos")), WHERE_FMT ": pos %d, NumPy %" PRId64,
                  WHERE_ARGS(w), rng->pos, json_int(corpus_field(op, "pos")));
    ck_assert_msg(rng->has_gauss == json_int(corpus_field(op, "has_gauss")), WHERE_FMT ": has_gauss %d",
                  WHERE_ARGS(w), rng->has_gauss);
    double gauss = json_double(corpus_field(op, "gauss"));
    ck_assert_msg(bits_of(rng->gauss) == bits_of(gauss), WHERE_FMT ": cached gauss %a, NumPy %a",
                  WHERE_ARGS(w), rng->gauss, gauss);

    const cJSON *key = cJSON_GetObjectItemCaseSensitive(op, "key");
    if (key == NULL) return;
    ck_assert_int_eq(cJSON_GetArraySize(key), 624);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, key) {
        ck_assert_msg(rng->key[i] == json_int(e), WHERE_FMT ": key[%d] = %" PRIu32 ", NumPy %" PRId64,
                      WHERE_ARGS(w), i, rng->key[i], json_int(e));
        i++;
    }
}

/* Performs one recorded operation; fills ints or doubles (sized by the
 * caller to the expected count) for the comparison. */
static void run_op(Rng *rng, enum Mode mode, const char *kind, const cJSON *op, int64_t *ints,
                   double *doubles, size_t n) {
    if (strcmp(kind, "uint32") == 0) {
        for (size_t i = 0; i < n; i++) ints[i] = nb_rng_next_uint32(rng);
    } else if (strcmp(kind, "random_sample") == 0) {
        for (size_t i = 0; i < n; i++) doubles[i] = nb_rng_next_double(rng);
    } else if (strcmp(kind, "randint") == 0) {
        int64_t low = json_int(corpus_field(op, "low")), high = json_int(corpus_field(op, "high"));
        if (mode == MODE_BULK) {
            nb_rng_randint(rng, low, high, ints, n);
        } else {
            for (size_t i = 0; i < n; i++) nb_rng_randint(rng, low, high, &ints[i], 1);
        }
    } else if (strcmp(kind, "choice") == 0) {
        int64_t pop = json_int(corpus_field(op, "pop"));
        if (mode == MODE_BULK) {
            nb_rng_choice_indices(rng, pop, ints, n);
        } else {
            for (size_t i = 0; i < n; i++) nb_rng_choice_indices(rng, pop, &ints[i], 1);
        }
    } else if (strcmp(kind, "normal") == 0) {
        double loc = json_double(corpus_field(op, "loc")), scale = json_double(corpus_field(op, "scale"));
        if (mode == MODE_BULK) {
            nb_rng_normal(rng, loc, scale, doubles, n);
        } else {
            for (size_t i = 0; i < n; i++) nb_rng_normal(rng, loc, scale, &doubles[i], 1);
        }
    } else if (strcmp(kind, "standard_normal") == 0) {
        /* Kept free of arithmetic here: loc + scale * g computed in this
         * file could be fused into an FMA and differ in the last bit. */
        if (mode == MODE_BULK) {
            nb_rng_normal(rng, 0.0, 1.0, doubles, n);
        } else {
            for (size_t i = 0; i < n; i++) doubles[i] = nb_rng_gauss(rng);
        }
    } else {
        ck_abort_msg("unknown corpus op '%s'", kind);
    }
}

static void replay(int index, enum Mode mode) {
    const cJSON *c = cJSON_GetArrayItem(cases, index);
    Where w = {corpus_field(c, "name")->valuestring, mode == MODE_BULK ? "bulk" : "one by one", 0};
    Rng rng;
    memset(&rng, 0xa5, sizeof rng);  /* seeding must set every field */

    const cJSON *op;
    cJSON_ArrayForEach(op, corpus_field(c, "ops")) {
        const char *kind = corpus_field(op, "op")->valuestring;
        if (strcmp(kind, "seed") == 0) {
            nb_rng_seed(&rng, (uint32_t)json_int(corpus_field(op, "seed")));
        } else if (strcmp(kind, "state") == 0) {
            check_state(&w, &rng, op);
        } else {
            const cJSON *out = corpus_field(op, "out");
            size_t n = (size_t)cJSON_GetArraySize(out);
            int64_t *ints = nb_malloc((n ? n : 1) * sizeof *ints);
            double *doubles = nb_malloc((n ? n : 1) * sizeof *doubles);
            ck_assert(ints != NULL && doubles != NULL);
            run_op(&rng, mode, kind, op, ints, doubles, n);
            if (strcmp(kind, "random_sample") == 0 || strstr(kind, "normal") != NULL)
                expect_doubles(&w, out, doubles);
            else
                expect_ints(&w, out, ints);
            nb_free(ints);
            nb_free(doubles);
        }
        w.op++;
    }
}

START_TEST(test_case_bulk) { replay(_i, MODE_BULK); }
END_TEST

START_TEST(test_case_scalar) { replay(_i, MODE_SCALAR); }
END_TEST

START_TEST(test_parse_seed) {
    const cJSON *c = cJSON_GetArrayItem(seed_texts, _i);
    const char *text = corpus_field(c, "text")->valuestring;
    uint32_t seed = 0;
    nb_error_clear();
    int rc = nb_rng_parse_seed(text, &seed);
    if (cJSON_IsTrue(corpus_field(c, "ok"))) {
        ck_assert_msg(rc == 0, "'%s' rejected: %s", text, nb_error_message());
        ck_assert_msg(!nb_error_pending(), "'%s' accepted but left an error", text);
        ck_assert_msg(seed == json_int(corpus_field(c, "seed")), "'%s' parsed as %" PRIu32, text, seed);
    } else {
        ck_assert_msg(rc == -1, "'%s' accepted as %" PRIu32, text, seed);
        ck_assert_int_eq(nb_error_kind(), ERR_VALUE);
        ck_assert_str_eq(nb_error_message(), corpus_field(c, "message")->valuestring);
    }
    nb_error_clear();
}
END_TEST

int main(void) {
    corpus = corpus_load("rng_corpus.jsonl");
    if (corpus == NULL) return EXIT_FAILURE;
    cases = cJSON_GetObjectItemCaseSensitive(corpus, "cases");
    seed_texts = cJSON_GetObjectItemCaseSensitive(corpus, "seed_texts");
    int ncases = cJSON_GetArraySize(cases), ntexts = cJSON_GetArraySize(seed_texts);
    if (ncases == 0 || ntexts == 0) {
        fprintf(stderr, "test_rng: corpus has no cases\n");
        cJSON_Delete(corpus);
        return EXIT_FAILURE;
    }

    Suite *s = suite_create("rng");
    TCase *draws = tcase_create("draws");
    tcase_add_loop_test(draws, test_case_bulk, 0, ncases);
    tcase_add_loop_test(draws, test_case_scalar, 0, ncases);
    suite_add_tcase(s, draws);
    TCase *parse = tcase_create("parse_seed");
    tcase_add_loop_test(parse, test_parse_seed, 0, ntexts);
    suite_add_tcase(s, parse);

    return corpus_run_suite(s, corpus);
}
