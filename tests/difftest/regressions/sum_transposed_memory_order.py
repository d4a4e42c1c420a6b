# difftest regression sum_transposed_memory_order (from sum_transposed_memory_order); expected output: sum_transposed_memory_order.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t1 = torch.tensor([[1.981, 2.22], [0.851, 0.36137], [1.71, 1.554], [1.933, 2.05]], dtype=torch.float64)
print(repr(t1.sum().item()))
print(repr(t1.transpose(0, 1).sum().item()))
print(repr(t1.transpose(0, 1).contiguous().sum().item()))
