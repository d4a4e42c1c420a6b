/* difftest regression elementwise_output_layout (from elementwise_output_layout): a function body; expected output: elementwise_output_layout.expected */
    Tensor *x = torch_tensor("[[0.5, 1.25, 2.0], [3.0, 4.5, 5.25]]");
    DT_CHECK();
    Tensor *xt = tensor_transpose(x, 0, 1);
    DT_CHECK();
    dt_stride(tensor_add(xt, py_int(1)));
    DT_CHECK();
    dt_bool(tensor_is_contiguous(tensor_sin(xt)));
    DT_CHECK();
    dt_stride(tensor_mul(xt, xt));
    DT_CHECK();
