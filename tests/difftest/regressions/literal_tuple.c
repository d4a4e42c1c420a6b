/* difftest regression literal_tuple (from literal_tuple): a function body; expected output: literal_tuple.expected */
    dt_print(torch_tensor("[(1, 2), (3, 4)]"));
    DT_CHECK();
    dt_print(torch_tensor("(1.5, 2.5)"));
    DT_CHECK();
