/* dtype: sizes, names and promote_types for the supported dtypes. */
#include "dtype.h"

size_t nb_dtype_size(DType dt) {
    switch (dt) {
#define DTYPE_SIZE_CASE(E, T, S) case E: return sizeof(T);
        DTYPE_LIST(DTYPE_SIZE_CASE)
#undef DTYPE_SIZE_CASE
    }
    return 0;
}

bool nb_dtype_is_floating(DType dt) { return dt == DTYPE_FLOAT32 || dt == DTYPE_FLOAT64; }

const char *nb_dtype_torch_name(DType dt) {
    static const char *const names[DTYPE_COUNT] = {"torch.bool", "torch.int64", "torch.float32",
                                                   "torch.float64"};
    return names[dt];
}

const char *nb_dtype_scalar_name(DType dt) {
    static const char *const names[DTYPE_COUNT] = {"Bool", "Long", "Float", "Double"};
    return names[dt];
}

/* Among bool, int64, float32, float64 the promotion lattice is a chain. */
DType nb_dtype_promote(DType a, DType b) { return a > b ? a : b; }
