# load_npy.py: the Python twin of load_npy.c; both print the same text.
import sys

import numpy as np
import torch

t = torch.from_numpy(np.load(sys.argv[1]))
print(t)
print(t.size())
print(t.sum())
print(torch.matmul(t.transpose(0, 1), t))
print(t.to(torch.float32))
