/* difftest regression sum_order_float64_short (from sum_order_float64_short): a function body; expected output: sum_order_float64_short.expected */
    Tensor *a = tensor_from_data(DTYPE_FLOAT64, SHAPE(5), (double[]){0.8006, 0.5674, -0.771, 1.9971249, -2.1893});
    DT_CHECK();
    dt_item(tensor_sum(a));
    DT_CHECK();
