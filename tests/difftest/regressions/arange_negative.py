# difftest regression arange_negative (from arange_negative); expected output: arange_negative.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


print(torch.arange(2, 5))
print(torch.arange(-3))
