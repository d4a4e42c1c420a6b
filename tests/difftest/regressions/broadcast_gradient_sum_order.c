/* difftest regression broadcast_gradient_sum_order (from broadcast_gradient_sum_order): a function body; expected output: broadcast_gradient_sum_order.expected */
    Tensor *t2 = tensor_mul(tensor_to_dtype(tensor_arange(2, 62), DTYPE_FLOAT32), py_float(0.37));
    DT_CHECK();
    Tensor *t6 = torch_tensor("1.57");
    DT_CHECK();
    tensor_requires_grad_(t6, true);
    DT_CHECK();
    Tensor *t7 = tensor_mul(t2, t6);
    DT_CHECK();
    tensor_backward(t7, tensor_mul(tensor_to_dtype(tensor_arange(0, 60), DTYPE_FLOAT32), py_float(1.1)), false);
    DT_CHECK();
    dt_print(tensor_grad(t6));
    DT_CHECK();
