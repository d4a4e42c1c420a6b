/* difftest regression alias_index_records (from alias_index_records): a function body; expected output: alias_index_records.expected */
    Tensor *t1 = torch_tensor("[[-2.1983, -0.672, 2.733]]");
    DT_CHECK();
    tensor_requires_grad_(t1, true);
    DT_CHECK();
    Tensor *t3 = tensor_index(t1, 0, NULL);
    DT_CHECK();
    dt_print(t3);
    DT_CHECK();
    tensor_backward(t3, torch_tensor("[[1.8336, -0.0341656, -0.19]]"), false);
    DT_CHECK();
    dt_print(tensor_grad(t1));
    DT_CHECK();
