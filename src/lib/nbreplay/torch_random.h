/* torch_random: PyTorch 1.13's default CPU generator, bit for bit:
 * torch.manual_seed, torch.rand and torch.randn (float32, torch's default
 * dtype) draw what PyTorch draws after the same seed and the same calls.
 *
 * One process-wide generator, as torch.default_generator: every call draws
 * from the same stream, in order. randn of fewer than 16 elements keeps the
 * second Box-Muller value in the generator for the next such draw, as
 * PyTorch does; torch_manual_seed drops it.
 *
 * Before any torch_manual_seed the generator is seeded with 67280421310721
 * (c10's default_rng_seed_val). PyTorch instead seeds its default generator
 * from /dev/urandom at start-up, so an unseeded program draws different
 * numbers in every PyTorch process: only seeded draws can match.
 *
 * Devices: values are always drawn on this CPU generator, then placed on
 * the default device (tensor_set_default_device). On a CUDA default device
 * PyTorch's CUDA generator (Philox) draws other numbers, so there rand and
 * randn are NOT PyTorch's values: same shapes and distribution only. */
#ifndef NB_TORCH_RANDOM_H
#define NB_TORCH_RANDOM_H

#include <stdint.h>

#include "tensor.h"

/* torch.manual_seed(seed). Python accepts any int in [-2**63, 2**64): a
 * negative seed is its two's complement, torch_manual_seed((uint64_t)s).
 * Only the low 32 bits seed the Mersenne Twister (ATen's mt19937 does the
 * same), so seeds equal modulo 2**32 draw the same numbers. */
void torch_manual_seed(uint64_t seed);
/* torch.initial_seed(): the last seed given (67280421310721 before any). */
uint64_t torch_initial_seed(void);

/* torch.rand(shape): float32 uniform on [0, 1), 24 random bits each. */
Tensor *tensor_rand(Shape shape);
/* torch.randn(shape): float32 standard normal (Box-Muller). */
Tensor *tensor_randn(Shape shape);

#endif
