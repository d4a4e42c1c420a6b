# difftest regression clone_of_empty_keeps_strides (from clone_of_empty_keeps_strides); expected output: clone_of_empty_keeps_strides.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t1 = torch.tensor([1., 2., 3., 4.])
t2 = t1[2:1:2]
print(t2.clone().stride())
t3 = torch.zeros((2, 0, 3), dtype=torch.float64).permute(2, 0, 1)
print(t3.clone().stride())
print(t3.to(torch.float32).stride())
