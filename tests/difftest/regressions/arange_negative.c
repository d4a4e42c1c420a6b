/* difftest regression arange_negative (from arange_negative): a function body; expected output: arange_negative.expected */
    dt_print(tensor_arange(2, 5));
    DT_CHECK();
    dt_print(tensor_arange(0, -3));
    DT_CHECK();
