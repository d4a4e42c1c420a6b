/* rng: NumPy's legacy generator (np.random.seed / RandomState), bit for bit:
 * MT19937 seeded as np.random.seed(n), and the legacy choice and normal.
 * All calls on one Rng share one stream, in the order they are made, just as
 * the np.random.* calls of a notebook share the global RandomState. */
#ifndef NB_RNG_H
#define NB_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct Rng {
    uint32_t key[624];
    int pos;        /* next word of key; 624 means "twist first", as NumPy's */
    int has_gauss;  /* legacy normal caches the second Box-Muller value */
    double gauss;
} Rng;

/* np.random.seed(seed); seed must be in [0, 2**32). Also drops the cached
 * Gaussian, as RandomState.seed does. (A seed given as a list or array goes
 * through init_by_array in NumPy, a different stream not offered here.) */
void nb_rng_seed(Rng *rng, uint32_t seed);
/* Parses a seed as np.random.seed would accept it from a Python int:
 * optional sign, decimal digits, 0 <= n < 2**32. Returns 0, or -1 with
 * error.h set (ERR_VALUE) to "Seed must be between 0 and 2**32 - 1" (NumPy's
 * words) for integers out of range, or to "invalid seed '<text>': expected
 * an integer between 0 and 2**32 - 1" for anything that is not an integer. */
int nb_rng_parse_seed(const char *text, uint32_t *seed);

/* One tempered 32-bit word: randint(0, 2**32) */
uint32_t nb_rng_next_uint32(Rng *rng);
/* random_sample(): 53-bit double in [0, 1), from two words */
double nb_rng_next_double(Rng *rng);
/* randint(low, high, size=n) with the default int64 dtype and the legacy
 * masked rejection sampler: 32-bit words when high - low - 1 fits in 32 bits,
 * else 64-bit words made of two (high word first). high - low == 1 draws
 * nothing. Requires low < high unless n == 0 (NumPy raises "low >= high"). */
void nb_rng_randint(Rng *rng, int64_t low, int64_t high, int64_t *out, size_t n);
/* choice(a, size=n) for a population of pop_size items, uniform, with
 * replacement: fills out with indices into the population. Legacy choice is
 * exactly randint(0, pop_size, size=n); pop_size must be >= 1 unless n == 0
 * (for a list NumPy raises "'a' cannot be empty unless no samples are
 * taken"). */
void nb_rng_choice_indices(Rng *rng, int64_t pop_size, int64_t *out, size_t n);
/* standard_normal() of the legacy generator (polar Box-Muller): every other
 * call returns the value cached by the previous one without drawing. */
double nb_rng_gauss(Rng *rng);
/* normal(loc, scale, size=n): n calls of loc + scale * nb_rng_gauss, so an odd
 * n leaves a value cached for the next normal or standard_normal. */
void nb_rng_normal(Rng *rng, double loc, double scale, double *out, size_t n);

#endif
