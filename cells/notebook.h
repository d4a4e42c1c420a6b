/* notebook: the vocabulary cells are written in, named after the Python they
 * replace, so a cell's C reads line by line like its Python:
 *   L1=np.random.choice([float(i) for i in range(10)],size=(3,2,2))
 *   Tensor *L1 = np_random_choice(run, float_range(10), SHAPE(3, 2, 2));
 * Every call accepts NULL (a failed earlier line) and passes it on; the cell
 * ends with `return cell_status(run);`. */
#ifndef NB_NOTEBOOK_H
#define NB_NOTEBOOK_H

#include "autograd.h"
#include "ops.h"
#include "run.h"
#include "tensor.h"

/* print(t); a NULL t prints None, as print(x.grad) does before any
 * backward, unless an earlier line failed */
void print_tensor(Run *run, const Tensor *t);
/* print(t.size()) */
void print_size(Run *run, const Tensor *t);
/* print("text") */
void print_line(Run *run, const char *text);
/* print(x) for a Python float: repr, shortest round-trip digits */
void print_float(Run *run, double x);

/* [float(i) for i in range(n)], as the float64 array NumPy makes of it */
Tensor *float_range(int64_t n);
/* np.random.choice(population, size=shape): float64 array */
Tensor *np_random_choice(Run *run, Tensor *population, Shape shape);
/* np.random.normal(loc, scale, shape): float64 array, NumPy's legacy draws */
Tensor *np_random_normal(Run *run, double loc, double scale, Shape shape);
/* torch.tensor(ndarray): a copy with the array's dtype, on the run's device */
Tensor *torch_tensor_from_numpy(Run *run, Tensor *array);

/* 0, or -1 when any line of the cell failed (error.h says why) */
int cell_status(const Run *run);

#endif
