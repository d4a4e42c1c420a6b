/* difftest regression clamp_number_bound_layout (from s685174865_p905): a function body; expected output: clamp_number_bound_layout.expected */
    Tensor *t1 = torch_tensor("[[-1], [2]]");
    DT_CHECK();
    Tensor *t3 = tensor_t(t1);
    DT_CHECK();
    Tensor *t4 = tensor_clamp(t3, py_int(0), py_float(0.5));
    DT_CHECK();
    dt_stride(t4);
    DT_CHECK();
