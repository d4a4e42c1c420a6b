/* difftest regression select_message (from select_message): a function body; expected output: select_message.expected */
    Tensor *t = tensor_zeros(DTYPE_FLOAT32, SHAPE(3, 2));
    DT_CHECK();
    dt_print(tensor_at(t, -3));
    DT_CHECK();
    dt_print(tensor_select(t, -1, 5));
    DT_CHECK();
