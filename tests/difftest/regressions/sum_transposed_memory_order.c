/* difftest regression sum_transposed_memory_order (from sum_transposed_memory_order): a function body; expected output: sum_transposed_memory_order.expected */
    Tensor *t1 = tensor_from_data(DTYPE_FLOAT64, SHAPE(4, 2), (double[]){1.981, 2.22, 0.851, 0.36137, 1.71, 1.554, 1.933, 2.05});
    DT_CHECK();
    dt_item(tensor_sum(t1));
    DT_CHECK();
    dt_item(tensor_sum(tensor_transpose(t1, 0, 1)));
    DT_CHECK();
    dt_item(tensor_sum(tensor_contiguous(tensor_transpose(t1, 0, 1))));
    DT_CHECK();
