# difftest regression matmul_float_bool_message (from matmul_float_bool_message); expected output: matmul_float_bool_message.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t3 = torch.tensor([[1.053, 1.38476, 1.63], [0.52452, 0.063, 1.05581]])
t13 = torch.tensor([[[True], [True], [True]]])
print(torch.matmul(t3, t13))
