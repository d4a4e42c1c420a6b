# difftest regression view_follows_base_requires_grad (from view_follows_base_requires_grad); expected output: view_follows_base_requires_grad.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


a = torch.tensor([1., 2.])
v = a[0:1]
a.requires_grad_()
print(v.requires_grad)
print(v.clone())
torch.set_grad_enabled(False)
print(a.unsqueeze(0))
