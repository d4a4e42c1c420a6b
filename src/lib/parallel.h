/* parallel: splits one computation over the machine's cores. The pieces
 * run at once on a small pool of threads that lives as long as the
 * process, so a call costs a wake-up, not a thread creation.
 *
 * Rules for the work function: it computes only from its range and the
 * context (so the result cannot depend on how the range was split), and it
 * does not allocate through alloc.h or set errors, which are not
 * thread-safe. A parallel_for called from inside another runs serially. */
#ifndef NB_PARALLEL_H
#define NB_PARALLEL_H

#include <stdint.h>

/* Works on [begin, end) of the whole range. */
typedef void (*ParallelFn)(void *context, int64_t begin, int64_t end);

/* Calls fn on consecutive pieces that cover [0, n) exactly once, in
 * parallel when there are at least two pieces of `grain` items; otherwise
 * fn(context, 0, n) on the calling thread. Piece boundaries are multiples
 * of `align` (at least 1), except n itself. Returns when all are done. */
void parallel_for(int64_t n, int64_t grain, int64_t align, ParallelFn fn, void *context);

/* Threads parallel_for uses: the CPUs this process may run on, at most
 * PARALLEL_MAX_THREADS. */
int parallel_threads(void);

#define PARALLEL_MAX_THREADS 16

#endif
