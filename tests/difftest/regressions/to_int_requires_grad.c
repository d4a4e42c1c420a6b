/* difftest regression to_int_requires_grad (from to_int_requires_grad): a function body; expected output: to_int_requires_grad.expected */
    Tensor *t3 = tensor_from_data(DTYPE_FLOAT64, SHAPE(2), (double[]){2.1577, -1.796});
    DT_CHECK();
    tensor_requires_grad_(t3, true);
    DT_CHECK();
    dt_print(tensor_to_dtype(t3, DTYPE_INT64));
    DT_CHECK();
    dt_print(tensor_to_dtype(t3, DTYPE_BOOL));
    DT_CHECK();
    dt_print(tensor_add(tensor_to_dtype(t3, DTYPE_INT64), py_float(1.0)));
    DT_CHECK();
