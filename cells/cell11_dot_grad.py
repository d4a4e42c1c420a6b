import torch

x=torch.tensor([0.,1.,2.,3.],requires_grad=True)
y=torch.tensor([2.,3.,5.,7.])
z=torch.dot(x,y)
z.backward()
print(x.grad)
