/* difftest regression pow_sleef_float64 (from pow_sleef_float64): a function body; expected output: pow_sleef_float64.expected */
    Tensor *a = tensor_mul(tensor_to_dtype(tensor_arange(1, 1025), DTYPE_FLOAT64), py_float(0.0137));
    DT_CHECK();
    Tensor *e = tensor_mul(tensor_to_dtype(tensor_arange(-300, 724), DTYPE_FLOAT64), py_float(0.0071));
    DT_CHECK();
    dt_tolist(tensor_pow(a, e));
    DT_CHECK();
    dt_tolist(tensor_pow(a, py_float(2.5)));
    DT_CHECK();
    dt_tolist(tensor_pow(py_float(1.7), e));
    DT_CHECK();
