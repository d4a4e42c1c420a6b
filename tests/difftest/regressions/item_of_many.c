/* difftest regression item_of_many (from item_of_many): a function body; expected output: item_of_many.expected */
    dt_item(torch_tensor("[7]"));
    DT_CHECK();
    dt_item(tensor_from_data(DTYPE_FLOAT64, SHAPE(2), (double[]){-1.0, -1.0}));
    DT_CHECK();
