/* difftest regression view_follows_base_requires_grad (from view_follows_base_requires_grad): a function body; expected output: view_follows_base_requires_grad.expected */
    Tensor *a = torch_tensor("[1., 2.]");
    DT_CHECK();
    Tensor *v = tensor_slice(a, 0, 0, 1, 1);
    DT_CHECK();
    tensor_requires_grad_(a, true);
    DT_CHECK();
    dt_bool(tensor_requires_grad(v));
    DT_CHECK();
    dt_print(tensor_clone(v));
    DT_CHECK();
    torch_set_grad_enabled(false);
    DT_CHECK();
    dt_print(tensor_unsqueeze(a, 0));
    DT_CHECK();
