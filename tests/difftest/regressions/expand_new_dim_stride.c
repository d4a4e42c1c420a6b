/* difftest regression expand_new_dim_stride (from expand_new_dim_stride): a function body; expected output: expand_new_dim_stride.expected */
    Tensor *a = torch_tensor("[1., 2.]");
    DT_CHECK();
    dt_stride(tensor_expand(a, SHAPE(1, 2)));
    DT_CHECK();
    dt_stride(tensor_expand(a, SHAPE(3, 2)));
    DT_CHECK();
