# difftest regression empty_result_beside_a_number (from s1819510723_p510); expected output: empty_result_beside_a_number.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t16 = torch.zeros((1, 2, 0, 1), dtype=torch.float32)
t20 = (-1) - t16
print(t20.stride())
