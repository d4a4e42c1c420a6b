import torch

x=torch.tensor([1.,2.,3.],requires_grad=True)
y=torch.tensor([5.,7.,6.],requires_grad=True)
z=torch.cos(x)*torch.sin(y)
u=torch.sum(z)
u.backward(retain_graph=True)
print(x.grad)
print(y.grad)
