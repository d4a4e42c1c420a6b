# difftest regression broadcast_gradient_sum_order (from broadcast_gradient_sum_order); expected output: broadcast_gradient_sum_order.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t2 = torch.arange(2, 62).float() * 0.37
t6 = torch.tensor(1.57)
t6.requires_grad_()
t7 = t2 * t6
t7.backward(torch.arange(0, 60).float() * 1.1)
print(t6.grad)
