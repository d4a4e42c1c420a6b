/* difftest regression no_grad_view_of_a_sum (from s1576759794_p338): a function body; expected output: no_grad_view_of_a_sum.expected */
    Tensor *t1 = torch_tensor("[-2.194, -0.5, 1.3841326, -0.06]");
    DT_CHECK();
    tensor_requires_grad_(t1, true);
    DT_CHECK();
    Tensor *t3 = tensor_from_data(DTYPE_FLOAT64, SHAPE(4), (double[]){0.22, 1.5, 2.456, 0.69163});
    DT_CHECK();
    Tensor *t4 = tensor_pow(t3, t1);
    DT_CHECK();
    Tensor *t6 = tensor_sum(t4);
    DT_CHECK();
    torch_set_grad_enabled(false);
    DT_CHECK();
    Tensor *t7 = tensor_reshape(t6, SHAPE0);
    DT_CHECK();
    dt_print(t7);
    DT_CHECK();
