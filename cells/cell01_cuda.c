/* In [1]: is CUDA available? torch.cuda.is_available() is whether this run
 * is on the GPU: `--device cuda`, or `auto` where a device is usable. On the
 * CPU the cell takes its else branch, exactly as the notebook's own run
 * did; on the GPU it prints the device's name and the sizes PyTorch
 * reports there (total memory, and what the caching allocator has reserved
 * and allocated: before any tensor exists, both 0 in PyTorch). */
#include <inttypes.h>
#include <stdio.h>

#include "gpu.h"
#include "cell_text.h"
#include "notebook.h"

static void print_u64(Run *run, uint64_t value) {
    char text[32];
    snprintf(text, sizeof text, "%" PRIu64, value);
    print_line(run, text);
}

static int cell01_run(Run *run) {
    GpuInfo gpu;
    if (run->device != DEVICE_CUDA) {
        print_line(run, "cuda not available");
    } else if (nb_gpu_probe(&gpu) == 0) {
        print_line(run, "cuda available");
        print_line(run, gpu.name);
        print_u64(run, gpu.total_memory);
        print_u64(run, nb_gpu_memory_reserved());
        print_u64(run, nb_gpu_memory_allocated());
    }
    return cell_status(run);
}

const Cell cell01_cuda = {
    .number = 1,
    .name = "cuda",
    .title = "Is a CUDA GPU available?",
    .narrative = cell01_cuda_narrative,
    .python = cell01_cuda_python,
    .run = cell01_run,
};
