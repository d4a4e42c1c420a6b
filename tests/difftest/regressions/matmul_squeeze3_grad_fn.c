/* difftest regression matmul_squeeze3_grad_fn (from matmul_squeeze3_grad_fn): a function body; expected output: matmul_squeeze3_grad_fn.expected */
    Tensor *t6 = tensor_from_data(DTYPE_FLOAT64, SHAPE(3), (double[]){0.693, 0.498, 2.347});
    DT_CHECK();
    Tensor *t7 = tensor_from_data(DTYPE_FLOAT64, SHAPE(3, 2), (double[]){1., 2., 3., 4., 5., 6.});
    DT_CHECK();
    tensor_requires_grad_(t7, true);
    DT_CHECK();
    dt_print(tensor_matmul(t6, t7));
    DT_CHECK();
