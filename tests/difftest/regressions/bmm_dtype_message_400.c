/* difftest regression bmm_dtype_message_400 (from bmm_dtype_message_400): a function body; expected output: bmm_dtype_message_400.expected */
    Tensor *a = tensor_add(tensor_zeros(DTYPE_FLOAT32, SHAPE(1, 4, 10)), py_int(1));
    DT_CHECK();
    Tensor *b = tensor_add(tensor_zeros(DTYPE_FLOAT64, SHAPE(1, 10, 10)), py_int(1));
    DT_CHECK();
    dt_print(tensor_bmm(a, b));
    DT_CHECK();
