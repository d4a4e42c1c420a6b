# autograd.py: the Python twin of autograd.c; both print the same text.
import torch

x = torch.tensor([0.5, 1., 2.]).requires_grad_(True)
w = torch.tensor([[1., -1., 0.5], [2., 0., 1.]]).requires_grad_(True)

h = torch.mv(w, x)
print(h)
y = (torch.exp(h) * 0.5).sum() + (torch.sin(x) * x).sum()
print(y)

y.backward(retain_graph=True)
print(x.grad)
print(w.grad)

y.backward()
print(x.grad)

with torch.no_grad():
    print(x * 2.)
