# difftest regression literal_tuple (from literal_tuple); expected output: literal_tuple.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


print(torch.tensor([(1, 2), (3, 4)]))
print(torch.tensor((1.5, 2.5)))
