/* difftest regression rsub_grad_fn (from rsub_grad_fn): a function body; expected output: rsub_grad_fn.expected */
    Tensor *t2 = torch_tensor("[[1.0, -1.25]]");
    DT_CHECK();
    tensor_requires_grad_(t2, true);
    DT_CHECK();
    dt_print(tensor_sub(py_int(5), t2));
    DT_CHECK();
    dt_print(tensor_sub(py_float(0.5), t2));
    DT_CHECK();
