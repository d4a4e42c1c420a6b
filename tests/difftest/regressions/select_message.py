# difftest regression select_message (from select_message); expected output: select_message.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t = torch.zeros((3, 2))
print(t[-3])
print(t.select(-1, 5))
