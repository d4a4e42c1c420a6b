# difftest regression matmul_squeeze3_grad_fn (from matmul_squeeze3_grad_fn); expected output: matmul_squeeze3_grad_fn.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t6 = torch.tensor([0.693, 0.498, 2.347], dtype=torch.float64)
t7 = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=torch.float64)
t7.requires_grad_()
print(torch.matmul(t6, t7))
