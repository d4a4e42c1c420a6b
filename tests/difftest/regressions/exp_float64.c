/* difftest regression exp_float64 (from exp_float64): a function body; expected output: exp_float64.expected */
    Tensor *t3 = tensor_from_data(DTYPE_FLOAT64, SHAPE(4), (double[]){1.461, 1.42847, 1.01, 1.136});
    DT_CHECK();
    dt_tolist(tensor_exp(t3));
    DT_CHECK();
