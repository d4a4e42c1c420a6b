/* rng: NumPy 1.24's legacy RandomState, reproduced draw for draw.
 *
 * Every routine here mirrors one in NumPy (numpy/random/src/mt19937,
 * src/distributions, src/legacy, _bounded_integers.pyx.in) closely enough
 * that the same seed consumes the same 32-bit words in the same order; the
 * tests compare against a corpus recorded from the real NumPy. The words
 * come from one inlined path with the 624-word twist done in bulk, because
 * rng_normal is asked for hundreds of millions of values. */
#define _DEFAULT_SOURCE /* madvise */
#include "rng.h"

#include <assert.h>
#include <math.h>
#include <sys/mman.h>

#include "alloc.h"
#include "error.h"
#include "parallel.h"

/* NumPy's build rounds every product before adding (its compilers run in
 * ISO mode, and x86-64 baseline has no FMA). Fusing x1 * x1 + x2 * x2 or
 * loc + scale * g into one FMA, as -march=native with GNU C or clang's
 * defaults would, changes the last bit. GCC ignores the standard pragma,
 * clang ignores GCC's. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
/* GCC's -O2 vectorizes only loops whose trip count needs no remainder;
 * draw_pairs' loops over a block's attempts need the usual cost model to be
 * vectorized (2.5x faster). Vector code does the same IEEE operations. */
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

enum { MT_N = 624, MT_M = 397 };

#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

static inline uint32_t rng_mix(uint32_t hi, uint32_t lo, uint32_t far) {
    uint32_t y = (hi & MT_UPPER) | (lo & MT_LOWER);
    return far ^ (y >> 1) ^ (-(y & 1u) & MT_MATRIX_A);
}

/* Regenerates all 624 words at once; split in three loops so that none
 * needs a modulo and the compiler can keep the first two branch-free. */
static void rng_twist(Rng *rng) {
    uint32_t *k = rng->key;
    int i = 0;
    for (; i < MT_N - MT_M; i++) k[i] = rng_mix(k[i], k[i + 1], k[i + MT_M]);
    for (; i < MT_N - 1; i++) k[i] = rng_mix(k[i], k[i + 1], k[i + MT_M - MT_N]);
    k[MT_N - 1] = rng_mix(k[MT_N - 1], k[0], k[MT_M - 1]);
    rng->pos = 0;
}

static inline uint32_t rng_temper(uint32_t y) {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

static inline uint32_t rng_word(Rng *rng) {
    if (rng->pos == MT_N) rng_twist(rng);
    return rng_temper(rng->key[rng->pos++]);
}

/* The high word is drawn first, as NumPy's mt19937_next64 does on the
 * compilers it ships with. */
static inline uint64_t rng_word64(Rng *rng) {
    uint64_t hi = rng_word(rng);
    return hi << 32 | rng_word(rng);
}

static inline double rng_double(Rng *rng) {
    uint32_t a = rng_word(rng) >> 5;
    uint32_t b = rng_word(rng) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

void nb_rng_seed(Rng *rng, uint32_t seed) {
    /* Knuth's multiplier, as in the reference init_genrand; np.random.seed
     * with one integer uses this, not init_by_array (that is for arrays). */
    rng->key[0] = seed;
    for (uint32_t i = 1; i < MT_N; i++) {
        uint32_t prev = rng->key[i - 1];
        rng->key[i] = 1812433253u * (prev ^ (prev >> 30)) + i;
    }
    rng->pos = MT_N;
    /* RandomState.seed calls _reset_gauss: a value cached before reseeding
     * must not leak into the new stream. */
    rng->has_gauss = 0;
    rng->gauss = 0.0;
}

/* Accepts what Python's int() makes of plain ASCII decimals (a sign, then
 * digits, leading zeros allowed, so "-0" is 0) and refuses the looser forms
 * int() also takes (spaces, underscores), so a mistyped seed is not replayed
 * as some other one. Integers out of range get NumPy's own message. */
int nb_rng_parse_seed(const char *text, uint32_t *seed) {
    static const char range_msg[] = "Seed must be between 0 and 2**32 - 1";
    const char *p = text;
    int negative = 0;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    const char *digits = p;
    while (*p >= '0' && *p <= '9') p++;
    if (p == digits || *p != '\0')
        return nb_error_set(ERR_VALUE,
                         "invalid seed '%s': expected an integer between 0 and 2**32 - 1",
                         text);

    /* With leading zeros gone, more than ten digits is out of range, and
     * ten or fewer cannot overflow the accumulator. */
    while (*digits == '0' && digits + 1 < p) digits++;
    if (p - digits > 10) return nb_error_set(ERR_VALUE, "%s", range_msg);
    uint64_t value = 0;
    for (const char *d = digits; d < p; d++) value = value * 10 + (uint64_t)(*d - '0');
    if (value > UINT32_MAX || (negative && value != 0))
        return nb_error_set(ERR_VALUE, "%s", range_msg);
    *seed = (uint32_t)value;
    return 0;
}

uint32_t nb_rng_next_uint32(Rng *rng) { return rng_word(rng); }

double nb_rng_next_double(Rng *rng) { return rng_double(rng); }

/* The smallest all-ones mask covering max. */
static uint64_t rng_mask(uint64_t max) {
    for (int shift = 1; shift < 64; shift <<= 1) max |= max >> shift;
    return max;
}

/* randint's 32-bit path: each word, masked, is kept when it is at most
 * span. Block by block, the words left in the key are tempered at once and
 * the kept ones packed without a branch; the generator ends right after the
 * last word used, as the word-by-word loop would leave it. */
static void randint32(Rng *rng, uint64_t off, uint32_t span, int64_t *out, size_t n) {
    uint32_t mask = (uint32_t)rng_mask(span);
    uint32_t tempered[MT_N];
    size_t got = 0;
    while (got < n) {
        if (rng->pos == MT_N) rng_twist(rng);
        int pos = rng->pos;
        for (int i = pos; i < MT_N; i++) tempered[i] = rng_temper(rng->key[i]) & mask;
        int i = pos;
        while (i < MT_N && got < n) {
            uint32_t v = tempered[i++];
            out[got] = (int64_t)(off + v);
            got += v <= span;
        }
        rng->pos = i;
    }
}

/* Legacy randint always uses masked rejection (never Lemire's method), and
 * draws 32-bit words whenever the inclusive range fits in 32 bits. A range
 * of one value draws nothing at all. */
void nb_rng_randint(Rng *rng, int64_t low, int64_t high, int64_t *out, size_t n) {
    assert(n == 0 || low < high);
    uint64_t off = (uint64_t)low;
    uint64_t span = (uint64_t)high - off - 1;  /* inclusive, as NumPy's rng */

    if (span == 0) {
        for (size_t i = 0; i < n; i++) out[i] = low;
    } else if (span <= UINT32_MAX) {
        randint32(rng, off, (uint32_t)span, out, n);
    } else {
        uint64_t mask = rng_mask(span);
        for (size_t i = 0; i < n; i++) {
            uint64_t v;
            do v = rng_word64(rng) & mask;
            while (v > span);
            out[i] = (int64_t)(off + v);
        }
    }
}

/* choice(a, size) with replace=True and p=None is randint(0, len(a), size)
 * in the legacy generator. */
void nb_rng_choice_indices(Rng *rng, int64_t pop_size, int64_t *out, size_t n) {
    nb_rng_randint(rng, 0, pop_size, out, n);
}

/* One polar Box-Muller pair: returns the value NumPy hands out now and
 * stores the one it caches, each computed as NumPy does (f * x). */
static inline double rng_gauss_pair(Rng *rng, double *second) {
    double x1, x2, r2;
    do {
        x1 = 2.0 * rng_double(rng) - 1.0;
        x2 = 2.0 * rng_double(rng) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    *second = f * x1;
    return f * x2;
}

double nb_rng_gauss(Rng *rng) {
    if (rng->has_gauss) {
        rng->has_gauss = 0;
        double cached = rng->gauss;
        rng->gauss = 0.0;
        return cached;
    }
    double second;
    double first = rng_gauss_pair(rng, &second);
    rng->gauss = second;
    rng->has_gauss = 1;
    return first;
}

/* ---- bulk normal draws ----
 * Cell 9 asks for 2.6e8 values at once. The rejection loop is serial: which
 * words a pair consumes depends on every pair before it. What follows it,
 * f = sqrt(-2 log(r2) / r2) and the two products, depends on the pair alone
 * and costs twice as much (log, sqrt and a division). So accepted pairs are
 * drawn into a batch of (x1, x2, r2), and a batch is finished on the other
 * cores while the next one is drawn. The expressions are those of
 * rng_gauss_pair, evaluated in the same order, so every value is bit for
 * bit the one n single calls would give. Vector versions of log are not
 * bit-identical to glibc's scalar log, hence threads rather than SIMD. */

#define NORMAL_BATCH_PAIRS 16384
/* Below this many pairs, batching gains less than it costs. */
#define NORMAL_BATCH_MIN_PAIRS 4096
/* Drawing a pair costs about this fraction of finishing one (measured:
 * about 11 ns against 15 ns); it sizes the drawing thread's share (see
 * normal_work). */
#define NORMAL_DRAW_COST_RATIO 0.7

typedef struct {
    double x1[NORMAL_BATCH_PAIRS], x2[NORMAL_BATCH_PAIRS], r2[NORMAL_BATCH_PAIRS];
} PairBatch;

/* Each attempt at a pair takes four words (two doubles); about one in five
 * is rejected. Instead of word-by-word calls with a data-dependent branch
 * per attempt, the words left in the current 624-word block are tempered
 * at once, every whole attempt they hold is computed in one loop the
 * compiler can vectorize, and the accepted ones are packed without
 * branching. The arithmetic is exactly rng_double's and rng_gauss_pair's
 * (all of it exact but the final x1*x1 + x2*x2, rounded as there), and the
 * generator ends at the word after the last attempt used. */
enum { ATTEMPTS_PER_BLOCK = MT_N / 4 };

static int attempts_in_block(const Rng *rng, uint32_t *tempered, double *x1, double *x2, double *r2) {
    int pos = rng->pos, attempts = (MT_N - pos) / 4;
    for (int i = pos; i < pos + 4 * attempts; i++) tempered[i] = rng_temper(rng->key[i]);
    for (int i = 0; i < attempts; i++) {
        const uint32_t *w = tempered + pos + 4 * i;
        double u1 = ((double)(int32_t)(w[0] >> 5) * 67108864.0 + (double)(int32_t)(w[1] >> 6)) /
                    9007199254740992.0;
        double u2 = ((double)(int32_t)(w[2] >> 5) * 67108864.0 + (double)(int32_t)(w[3] >> 6)) /
                    9007199254740992.0;
        x1[i] = 2.0 * u1 - 1.0;
        x2[i] = 2.0 * u2 - 1.0;
        r2[i] = x1[i] * x1[i] + x2[i] * x2[i];
    }
    return attempts;
}

/* `count` accepted pairs, exactly as rng_gauss_pair's loop draws them. */
static void draw_pairs(Rng *rng, PairBatch *batch, int64_t count) {
    uint32_t tempered[MT_N];
    double x1[ATTEMPTS_PER_BLOCK], x2[ATTEMPTS_PER_BLOCK], r2[ATTEMPTS_PER_BLOCK];
    int64_t got = 0;
    while (got < count) {
        if (rng->pos == MT_N) rng_twist(rng);
        int attempts = attempts_in_block(rng, tempered, x1, x2, r2);
        if (attempts == 0) {
            /* The attempt straddles the next twist: draw it word by word. */
            double a = 2.0 * rng_double(rng) - 1.0, b = 2.0 * rng_double(rng) - 1.0;
            double r = a * a + b * b;
            batch->x1[got] = a;
            batch->x2[got] = b;
            batch->r2[got] = r;
            got += r < 1.0 && r != 0.0;
            continue;
        }
        int used = 0;
        while (used < attempts && got < count) {
            batch->x1[got] = x1[used];
            batch->x2[got] = x2[used];
            batch->r2[got] = r2[used];
            got += r2[used] < 1.0 && r2[used] != 0.0;
            used++;
        }
        rng->pos += 4 * used;
    }
}

static void finish_pairs(const PairBatch *batch, int64_t begin, int64_t end, double loc,
                         double scale, double *out) {
    for (int64_t i = begin; i < end; i++) {
        double f = sqrt(-2.0 * log(batch->r2[i]) / batch->r2[i]);
        out[2 * i] = loc + scale * (f * batch->x2[i]);
        out[2 * i + 1] = loc + scale * (f * batch->x1[i]);
    }
}

typedef struct {
    Rng *rng;
    PairBatch *drawing, *finishing;
    int64_t draw_count, finish_count;
    int64_t draw_items; /* the first items of the job stand for the drawing */
    double loc, scale;
    double *out; /* where the finishing batch's values go */
} NormalJob;

/* One parallel_for over draw_items + finish_count items: the piece that
 * holds item 0 draws the next batch (the draw items weigh it so that the
 * pieces take about equally long), and every piece finishes the pairs its
 * range covers. */
static void normal_work(void *context, int64_t begin, int64_t end) {
    NormalJob *job = context;
    if (begin == 0 && job->draw_count > 0) draw_pairs(job->rng, job->drawing, job->draw_count);
    int64_t first = begin > job->draw_items ? begin - job->draw_items : 0;
    int64_t last = end > job->draw_items ? end - job->draw_items : 0;
    if (last > first) finish_pairs(job->finishing, first, last, job->loc, job->scale, job->out);
}

/* The pairs of out[0 .. 2*pairs), batch by batch; false (and nothing drawn)
 * when the batches cannot be allocated. */
static bool normal_pairs_batched(Rng *rng, double loc, double scale, double *out, int64_t pairs) {
    PairBatch *batches = nb_malloc(2 * sizeof *batches);
    if (!batches) return false;
    NormalJob job = {.rng = rng, .loc = loc, .scale = scale};
    int64_t done = 0, drawn = pairs < NORMAL_BATCH_PAIRS ? pairs : NORMAL_BATCH_PAIRS;
    draw_pairs(rng, &batches[0], drawn);
    for (int k = 0; done < pairs; k ^= 1) {
        int64_t count = drawn - done;
        job.finishing = &batches[k];
        job.drawing = &batches[k ^ 1];
        job.finish_count = count;
        job.draw_count = pairs - drawn < NORMAL_BATCH_PAIRS ? pairs - drawn : NORMAL_BATCH_PAIRS;
        job.draw_items = (int64_t)(NORMAL_DRAW_COST_RATIO * (double)job.draw_count) + 1;
        job.out = out + 2 * done;
        parallel_for(job.draw_items + count, 1024, 1, normal_work, &job);
        done = drawn;
        drawn += job.draw_count;
    }
    nb_free(batches);
    return true;
}

/* ---- faulting a big output in before the draws ----
 * Fresh memory is faulted in by its first write, and each fault zeroes a
 * page (2 MB with transparent huge pages): cell 9's X is 2 GB of them, and
 * on a virtual machine whose host must back the pages again each fault
 * takes milliseconds. Taken inside the pipeline above, a fault holds up one
 * thread while the other waits for it at the end of the batch. Asking the
 * kernel to populate the whole output first, a large piece per core, takes
 * the same faults on both cores at once with nothing waiting on them
 * (measured: the draws into 800 MB of fresh memory a third faster). It
 * never changes the contents; on memory already there it is a quick walk,
 * and before Linux 5.14 the call fails and the writes fault as before. */
#define POPULATE_MIN_BYTES ((size_t)16 << 20)
#define PAGE_BYTES ((uintptr_t)4096)
#define HUGE_PAGE_PAGES 512 /* pages in 2 MB: pieces start on huge-page boundaries */

typedef struct {
    uintptr_t base;       /* `start` rounded down to 2 MB: item 0 */
    uintptr_t start, end; /* the whole pages of the output */
} PopulateJob;

static void populate_work(void *context, int64_t begin, int64_t end) {
#ifdef MADV_POPULATE_WRITE
    const PopulateJob *job = context;
    uintptr_t from = job->base + (uintptr_t)begin * PAGE_BYTES;
    uintptr_t to = job->base + (uintptr_t)end * PAGE_BYTES;
    if (from < job->start) from = job->start;
    if (to > job->end) to = job->end;
    if (to > from) madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
    (void)context;
    (void)begin;
    (void)end;
#endif
}

static void populate_output(double *out, size_t n) {
    size_t bytes = n * sizeof *out;
    if (bytes < POPULATE_MIN_BYTES) return;
    PopulateJob job;
    job.start = ((uintptr_t)out + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
    job.end = ((uintptr_t)out + bytes) & ~(PAGE_BYTES - 1);
    job.base = job.start & ~(HUGE_PAGE_PAGES * PAGE_BYTES - 1);
    int64_t pages = (int64_t)((job.end - job.base) / PAGE_BYTES);
    parallel_for(pages, 8 * HUGE_PAGE_PAGES, HUGE_PAGE_PAGES, populate_work, &job);
}

/* The same sequence as n calls of loc + scale * nb_rng_gauss, with the cache
 * touched only at the ends. */
void nb_rng_normal(Rng *rng, double loc, double scale, double *out, size_t n) {
    size_t i = 0;
    populate_output(out, n);
    if (n > 0 && rng->has_gauss) out[i++] = loc + scale * nb_rng_gauss(rng);
    size_t pairs = (n - i) / 2;
    if (pairs >= NORMAL_BATCH_MIN_PAIRS && normal_pairs_batched(rng, loc, scale, out + i, (int64_t)pairs))
        i += 2 * pairs;
    for (; i + 1 < n; i += 2) {
        double second;
        double first = rng_gauss_pair(rng, &second);
        out[i] = loc + scale * first;
        out[i + 1] = loc + scale * second;
    }
    if (i < n) out[i] = loc + scale * nb_rng_gauss(rng);
}
