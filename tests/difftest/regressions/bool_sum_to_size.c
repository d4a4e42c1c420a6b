/* difftest regression bool_sum_to_size (from bool_sum_to_size): a function body; expected output: bool_sum_to_size.expected */
    Tensor *a = torch_tensor("[[True, False], [True, True]]");
    DT_CHECK();
    dt_print(tensor_sum_to_size(a, SHAPE(2)));
    DT_CHECK();
    dt_print(tensor_sum_to_size(a, SHAPE(1, 2)));
    DT_CHECK();
