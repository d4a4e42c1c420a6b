# difftest regression alias_index_records (from alias_index_records); expected output: alias_index_records.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t1 = torch.tensor([[-2.1983, -0.672, 2.733]])
t1.requires_grad_()
t3 = t1[()]
print(t3)
t3.backward(torch.tensor([[1.8336, -0.0341656, -0.19]]))
print(t1.grad)
