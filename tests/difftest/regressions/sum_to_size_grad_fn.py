# difftest regression sum_to_size_grad_fn (from sum_to_size_grad_fn); expected output: sum_to_size_grad_fn.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t4 = torch.tensor(-1.5)
t4.requires_grad_()
print(t4.sum_to_size(()))
t6 = torch.tensor([[2.22]])
t6.requires_grad_()
print(t6.sum_to_size(1))
t1 = torch.tensor([[0.7108], [2.71]])
t1.requires_grad_()
print(t1.sum_to_size(2, 1))
print(t1.sum_to_size(1, 1))
