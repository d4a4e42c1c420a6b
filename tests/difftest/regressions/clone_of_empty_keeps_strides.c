/* difftest regression clone_of_empty_keeps_strides (from clone_of_empty_keeps_strides): a function body; expected output: clone_of_empty_keeps_strides.expected */
    Tensor *t1 = torch_tensor("[1., 2., 3., 4.]");
    DT_CHECK();
    Tensor *t2 = tensor_slice(t1, 0, 2, 1, 2);
    DT_CHECK();
    dt_stride(tensor_clone(t2));
    DT_CHECK();
    Tensor *t3 = tensor_permute(tensor_zeros(DTYPE_FLOAT64, SHAPE(2, 0, 3)), SHAPE(2, 0, 1));
    DT_CHECK();
    dt_stride(tensor_clone(t3));
    DT_CHECK();
    dt_stride(tensor_to_dtype(t3, DTYPE_FLOAT32));
    DT_CHECK();
