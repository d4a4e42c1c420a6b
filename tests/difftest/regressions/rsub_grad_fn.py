# difftest regression rsub_grad_fn (from rsub_grad_fn); expected output: rsub_grad_fn.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t2 = torch.tensor([[1.0, -1.25]])
t2.requires_grad_()
print(5 - t2)
print(0.5 - t2)
