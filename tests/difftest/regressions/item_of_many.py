# difftest regression item_of_many (from item_of_many); expected output: item_of_many.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


print(repr(torch.tensor([7]).item()))
print(repr(torch.tensor([-1.0, -1.0], dtype=torch.float64).item()))
