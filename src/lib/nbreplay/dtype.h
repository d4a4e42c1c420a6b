/* dtype: the element types a tensor can hold and PyTorch's promotion rules. */
#ifndef NB_DTYPE_H
#define NB_DTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ordered by promotion category: bool < integral < floating. */
typedef enum { DTYPE_BOOL, DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64 } DType;
#define DTYPE_COUNT 4

/* The X-macro every per-dtype kernel is instantiated from:
 * X(DTYPE enum, C type, suffix). */
#define DTYPE_LIST(X)                    \
    X(DTYPE_BOOL, bool, b8)              \
    X(DTYPE_INT64, int64_t, i64)         \
    X(DTYPE_FLOAT32, float, f32)         \
    X(DTYPE_FLOAT64, double, f64)

/* torch.get_default_dtype(): what Python floats and int division become. */
#define DTYPE_DEFAULT_FLOAT DTYPE_FLOAT32

size_t nb_dtype_size(DType dt);
bool nb_dtype_is_floating(DType dt);
/* "torch.float64" */
const char *nb_dtype_torch_name(DType dt);
/* "Double", as PyTorch's "expected scalar type Float but found Double" */
const char *nb_dtype_scalar_name(DType dt);
/* torch.promote_types */
DType nb_dtype_promote(DType a, DType b);

#endif
