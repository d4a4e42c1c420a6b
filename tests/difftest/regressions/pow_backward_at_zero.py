# difftest regression pow_backward_at_zero (from pow_backward_at_zero); expected output: pow_backward_at_zero.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t1 = torch.tensor([[-1.1, 2.84], [0.7228502, -0.77], [1.12, -1.78]])
t1.requires_grad_()
t6 = (-0.0) ** t1
t6.backward(torch.tensor([[-0.125, 0.625], [-1.375, -1.375], [0.625, 0.75]]))
print(t1.grad)
