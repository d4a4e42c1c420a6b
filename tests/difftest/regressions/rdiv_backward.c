/* difftest regression rdiv_backward (from rdiv_backward): a function body; expected output: rdiv_backward.expected */
    Tensor *x = torch_tensor("[[1.6, -1.13, -0.9], [-0.8977518, 0.9, 0.4204337]]");
    DT_CHECK();
    tensor_requires_grad_(x, true);
    DT_CHECK();
    Tensor *y = tensor_div(py_int(2), x);
    DT_CHECK();
    tensor_backward(y, torch_tensor("[[-8.2773, -0.00439968, -524790.0], [-0.844109, -0.0259, 7588080.0]]"), false);
    DT_CHECK();
    dt_tolist(tensor_grad(x));
    DT_CHECK();
