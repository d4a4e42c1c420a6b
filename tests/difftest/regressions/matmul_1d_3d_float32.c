/* difftest regression matmul_1d_3d_float32 (from matmul_1d_3d_float32): a function body; expected output: matmul_1d_3d_float32.expected */
    Tensor *t9 = torch_tensor("[-1.2618219, 1.826, 2.7, 2.5513177]");
    DT_CHECK();
    Tensor *t10 = torch_tensor("[[[-1.875, 0.25, 0.125], [1.875, 0.25, -0.375], [-0.625, -0.625, 0.125], [0.125, 0.0, 0.875]], [[0.875, 0.125, -1.5], [-0.5, 1.0, -1.875], [0.25, -0.25, 0.375], [1.375, -1.125, 0.125]]]");
    DT_CHECK();
    dt_tolist(tensor_matmul(t9, t10));
    DT_CHECK();
