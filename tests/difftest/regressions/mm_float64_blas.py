# difftest regression mm_float64_blas (from mm_float64_blas); expected output: mm_float64_blas.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t8 = torch.tensor([[0.625, 1.0, -2.0, -1.875], [0.875, 0.375, -0.875, 2.0], [0.875, -1.875, 1.75, 0.875], [-1.125, -1.875, -1.0, 0.625]], dtype=torch.float64)
t9 = torch.tensor([[1.838, 1.5, -1.7], [2.9758584, 2.526848, -0.52], [0.52, -2.14, -1.0], [-0.9339855, 2.2532, -0.01]], dtype=torch.float64)
print(torch.mm(t8, t9).tolist())
