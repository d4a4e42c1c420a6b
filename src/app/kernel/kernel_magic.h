/* kernel_magic: what `nbreplay run` takes as flags, a notebook cell says in
 * comments of its own, one to a line:
 *     //% seed 3        np.random.seed(3) right before the cell (default 0)
 *     //% device cuda   auto (default), cpu or cuda
 *     //% timeout 30    stop the cell after 30 s of running (default: none)
 * They hold for that cell alone. Being comments, they leave the C as it is. */
#ifndef NB_KERNEL_MAGIC_H
#define NB_KERNEL_MAGIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum KernelDevice { KERNEL_DEVICE_AUTO, KERNEL_DEVICE_CPU, KERNEL_DEVICE_CUDA } KernelDevice;

typedef struct KernelMagics {
    uint32_t seed;
    KernelDevice device;
    double timeout_s; /* 0: no limit */
} KernelMagics;

/* Reads the cell's magics over the defaults in *magics. Returns 0, or -1
 * with one line in `why` ("line 2: //% seed expects an integer 0..4294967295"). */
int kernel_magics_parse(const char *code, KernelMagics *magics, char *why, size_t why_size);

#endif
