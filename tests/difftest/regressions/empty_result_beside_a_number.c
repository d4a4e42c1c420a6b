/* difftest regression empty_result_beside_a_number (from s1819510723_p510): a function body; expected output: empty_result_beside_a_number.expected */
    Tensor *t16 = tensor_zeros(DTYPE_FLOAT32, SHAPE(1, 2, 0, 1));
    DT_CHECK();
    Tensor *t20 = tensor_sub(py_int(-1), t16);
    DT_CHECK();
    dt_stride(t20);
    DT_CHECK();
