/* difftest regression matmul_float_bool_message (from matmul_float_bool_message): a function body; expected output: matmul_float_bool_message.expected */
    Tensor *t3 = torch_tensor("[[1.053, 1.38476, 1.63], [0.52452, 0.063, 1.05581]]");
    DT_CHECK();
    Tensor *t13 = torch_tensor("[[[True], [True], [True]]]");
    DT_CHECK();
    dt_print(tensor_matmul(t3, t13));
    DT_CHECK();
