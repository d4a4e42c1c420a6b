# difftest regression to_int_requires_grad (from to_int_requires_grad); expected output: to_int_requires_grad.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t3 = torch.tensor([2.1577, -1.796], dtype=torch.float64)
t3.requires_grad_()
print(t3.long())
print(t3.bool())
print(t3.long() + 1.0)
