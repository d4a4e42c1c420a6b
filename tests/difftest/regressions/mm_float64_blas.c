/* difftest regression mm_float64_blas (from mm_float64_blas): a function body; expected output: mm_float64_blas.expected */
    Tensor *t8 = tensor_from_data(DTYPE_FLOAT64, SHAPE(4, 4), (double[]){0.625, 1.0, -2.0, -1.875, 0.875, 0.375, -0.875, 2.0, 0.875, -1.875, 1.75, 0.875, -1.125, -1.875, -1.0, 0.625});
    DT_CHECK();
    Tensor *t9 = tensor_from_data(DTYPE_FLOAT64, SHAPE(4, 3), (double[]){1.838, 1.5, -1.7, 2.9758584, 2.526848, -0.52, 0.52, -2.14, -1.0, -0.9339855, 2.2532, -0.01});
    DT_CHECK();
    dt_tolist(tensor_mm(t8, t9));
    DT_CHECK();
