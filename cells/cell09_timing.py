import time
import torch
import numpy as np

K=25000
L=10000
M=1000

X=np.random.normal(0,1,(K,L))
Y=np.random.normal(0,1,(L,M))

start_time=time.perf_counter()
np.matmul(X,Y)
end_time=time.perf_counter()
print(end_time-start_time)

XT=torch.tensor(X)
YT=torch.tensor(Y)

XG=XT.to(dev)
YG=YT.to(dev)

start_time=time.time()
ZG=torch.matmul(XG,YG)
end_time=time.time()
print(end_time-start_time)
