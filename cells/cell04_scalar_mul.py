L1=np.random.choice([float(i) for i in range(10)],size=(3,2,2))
T1=torch.tensor(L1)
print(T1)
T2=5.*T1
print(T2)
