L1=np.random.choice([float(i) for i in range(10)],size=(5,3,2))
T1=torch.tensor(L1)
print(T1)
L2=np.random.choice([float(i) for i in range(10)],size=(5,2,4))
T2=torch.tensor(L2)
print(T2)

T3=torch.bmm(T1,T2)
print(T3)
