/* difftest regression matmul_unsafe_view_grad_fn (from matmul_unsafe_view_grad_fn): a function body; expected output: matmul_unsafe_view_grad_fn.expected */
    Tensor *t6 = tensor_from_data(DTYPE_FLOAT64, SHAPE(1, 1, 1), (double[]){1.0});
    DT_CHECK();
    tensor_requires_grad_(t6, true);
    DT_CHECK();
    Tensor *t7 = tensor_from_data(DTYPE_FLOAT64, SHAPE(1, 1, 2), (double[]){-104.0, -2.452});
    DT_CHECK();
    dt_print(tensor_matmul(t6, t7));
    DT_CHECK();
