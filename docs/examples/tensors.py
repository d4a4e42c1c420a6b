# tensors.py: the Python twin of tensors.c; both print the same text.
import torch

a = torch.tensor([[1., 2.], [3., 4.]])
b = torch.tensor([[0.5, -1.], [2., 0.25]])
print(a + b)
print(2.5 * a)
print(torch.mm(a, b))
print(torch.matmul(a, torch.tensor([1., -1.])))

batch = torch.arange(0, 12).reshape(3, 2, 2)
print(batch.size())
print(torch.bmm(batch, batch))
print(batch.transpose(0, 2))
print(torch.outer(torch.tensor([1, 2, 3]), torch.tensor([1., 0.5])))

try:
    bad = torch.mm(a, torch.tensor([[1., 2., 3.]]))
    print(bad)
except RuntimeError as e:
    print(f"RuntimeError: {e}")
