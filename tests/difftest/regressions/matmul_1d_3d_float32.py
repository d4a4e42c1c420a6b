# difftest regression matmul_1d_3d_float32 (from matmul_1d_3d_float32); expected output: matmul_1d_3d_float32.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


t9 = torch.tensor([-1.2618219, 1.826, 2.7, 2.5513177])
t10 = torch.tensor([[[-1.875, 0.25, 0.125], [1.875, 0.25, -0.375], [-0.625, -0.625, 0.125], [0.125, 0.0, 0.875]], [[0.875, 0.125, -1.5], [-0.5, 1.0, -1.875], [0.25, -0.25, 0.375], [1.375, -1.125, 0.125]]])
print((t9 @ t10).tolist())
