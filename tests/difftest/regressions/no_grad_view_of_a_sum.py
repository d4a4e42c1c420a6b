# difftest regression no_grad_view_of_a_sum (from s1576759794_p338); expected output: no_grad_view_of_a_sum.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t1 = torch.tensor([-2.194, -0.5, 1.3841326, -0.06])
t1.requires_grad_()
t3 = torch.tensor([0.22, 1.5, 2.456, 0.69163], dtype=torch.float64)
t4 = t3 ** t1
t6 = torch.sum(t4)
torch.set_grad_enabled(False)
t7 = t6.reshape(())
print(t7)
