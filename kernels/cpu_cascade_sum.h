/* cpu_cascade_sum: the 2-D loops (cpu_reduce_iter.h's ReduceLoop2d) that
 * add an input block into the output as ATen 1.13's sum does. */
#ifndef NB_CPU_CASCADE_SUM_H
#define NB_CPU_CASCADE_SUM_H

#include <stdint.h>

void cpu_cascade_sum_loop_f32(char **data, const int64_t *strides, int64_t size0, int64_t size1);
void cpu_cascade_sum_loop_f64(char **data, const int64_t *strides, int64_t size0, int64_t size1);
void cpu_wrapping_sum_loop_i64(char **data, const int64_t *strides, int64_t size0, int64_t size1);

#endif
