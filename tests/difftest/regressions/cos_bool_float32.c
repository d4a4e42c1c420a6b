/* difftest regression cos_bool_float32 (from cos_bool_float32): a function body; expected output: cos_bool_float32.expected */
    Tensor *t1 = torch_tensor("True");
    DT_CHECK();
    dt_tolist(tensor_cos(t1));
    DT_CHECK();
