# difftest regression elementwise_output_layout (from elementwise_output_layout); expected output: elementwise_output_layout.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


x = torch.tensor([[0.5, 1.25, 2.0], [3.0, 4.5, 5.25]])
xt = x.t()
print((xt + 1).stride())
print(torch.sin(xt).is_contiguous())
print((xt * xt).stride())
