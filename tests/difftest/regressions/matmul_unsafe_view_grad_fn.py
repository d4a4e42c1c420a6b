# difftest regression matmul_unsafe_view_grad_fn (from matmul_unsafe_view_grad_fn); expected output: matmul_unsafe_view_grad_fn.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t6 = torch.tensor([[[1.0]]], dtype=torch.float64)
t6.requires_grad_()
t7 = torch.tensor([[[-104.0, -2.452]]], dtype=torch.float64)
print(torch.matmul(t6, t7))
