# difftest regression sum_order_float64_short (from sum_order_float64_short); expected output: sum_order_float64_short.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


a = torch.tensor([0.8006, 0.5674, -0.771, 1.9971249, -2.1893], dtype=torch.float64)
print(repr(a.sum().item()))
