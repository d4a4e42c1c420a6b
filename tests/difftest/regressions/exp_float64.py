# difftest regression exp_float64 (from exp_float64); expected output: exp_float64.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t3 = torch.tensor([1.461, 1.42847, 1.01, 1.136], dtype=torch.float64)
print(t3.exp().tolist())
