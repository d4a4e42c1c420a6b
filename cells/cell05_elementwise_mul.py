L1=np.random.choice([float(i) for i in range(10)],size=(3,2,2))
T1=torch.tensor(L1)
print(T1)
L2=np.random.choice([float(i) for i in range(10)],size=(3,2,2))
T2=torch.tensor(L2)
print(T2)

T3=T1*T2
print(T3)
