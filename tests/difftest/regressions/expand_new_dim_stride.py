# difftest regression expand_new_dim_stride (from expand_new_dim_stride); expected output: expand_new_dim_stride.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


a = torch.tensor([1., 2.])
print(a.expand(1, 2).stride())
print(a.expand(3, 2).stride())
