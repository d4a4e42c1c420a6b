/* stopwatch: the clocks a timing cell and the benchmarks read, named after
 * the Python they stand for, and the one place where timing device work
 * waits for the device.
 *
 * A GPU runs kernels asynchronously: torch.matmul on CUDA returns once the
 * kernel is queued, so the notebook's time.time() around it measures the
 * launch, not the product. Device work is therefore timed with
 * stopwatch_device_time, which first waits for the device to finish what
 * was queued (torch.cuda.synchronize()). The CPU backend computes before
 * returning, so there it is just the clock. */
#ifndef NB_STOPWATCH_H
#define NB_STOPWATCH_H

#include "tensor.h"

/* time.perf_counter(): seconds on a monotonic clock (only differences mean
 * anything). */
double stopwatch_perf_counter(void);
/* time.time(): seconds since the epoch, as a float. */
double stopwatch_time(void);
/* Waits until the work already issued on `device` has finished
 * (torch.cuda.synchronize()); returns at once for the CPU. */
void stopwatch_sync(Device device);
/* time.time() once the work already issued on `device` has finished. */
double stopwatch_device_time(Device device);

#endif
