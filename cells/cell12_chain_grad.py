import torch

x=torch.tensor([1.,2.,3.],requires_grad=True)
z=torch.sum(torch.sin(x))
u=torch.log(1+z)
w=torch.exp(-u)

w.backward()
print(x.grad)
