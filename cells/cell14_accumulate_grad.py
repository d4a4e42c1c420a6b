import torch

x=torch.tensor([1.,2.,3.],requires_grad=True)
y=x[0]**1+x[1]**2+x[2]**3
z=torch.sin(y)
u=torch.log(1+z)
w=torch.exp(-u)
w.backward(retain_graph=True)
print(x.grad)

u.backward()
print(x.grad)
