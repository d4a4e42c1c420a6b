# difftest regression clamp_number_bound_layout (from s685174865_p905); expected output: clamp_number_bound_layout.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t1 = torch.tensor([[-1], [2]])
t3 = torch.t(t1)
t4 = torch.clamp(t3, 0, 0.5)
print(t4.stride())
