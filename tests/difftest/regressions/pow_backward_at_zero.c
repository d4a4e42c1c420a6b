/* difftest regression pow_backward_at_zero (from pow_backward_at_zero): a function body; expected output: pow_backward_at_zero.expected */
    Tensor *t1 = torch_tensor("[[-1.1, 2.84], [0.7228502, -0.77], [1.12, -1.78]]");
    DT_CHECK();
    tensor_requires_grad_(t1, true);
    DT_CHECK();
    Tensor *t6 = tensor_pow(py_float(-0.0), t1);
    DT_CHECK();
    tensor_backward(t6, torch_tensor("[[-0.125, 0.625], [-1.375, -1.375], [0.625, 0.75]]"), false);
    DT_CHECK();
    dt_print(tensor_grad(t1));
    DT_CHECK();
