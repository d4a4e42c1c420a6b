# difftest regression pow_sleef_float32 (from pow_sleef_float32); expected output: pow_sleef_float32.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


a = torch.arange(1, 1025).to(torch.float32) * 0.0137
e = torch.arange(-300, 724).to(torch.float32) * 0.0071
print((a ** e).tolist())
print((a ** 2.5).tolist())
print((1.7 ** e).tolist())
