# difftest regression bmm_dtype_message_400 (from bmm_dtype_message_400); expected output: bmm_dtype_message_400.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


a = torch.ones((1, 4, 10), dtype=torch.float32)
b = torch.ones((1, 10, 10), dtype=torch.float64)
print(torch.bmm(a, b))
