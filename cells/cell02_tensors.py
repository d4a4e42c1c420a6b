T=torch.tensor([[1.,2.,3.],[4.,5.,6.]])
print(T)
print(T.size())

T=torch.tensor([[[1.,2.,3.],[4.,5.,6.]],[[7.,8.,9.],[10.,11.,12.]]])
print(T)
print(T.size())

print(T[0,1,0])
