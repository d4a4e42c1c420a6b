import torch
import numpy as np

if torch.cuda.is_available():
    dev="cuda:0"
    print("cuda available")
    print(torch.cuda.get_device_name())
    t = torch.cuda.get_device_properties(0).total_memory
    c = torch.cuda.memory_reserved(0)
    a = torch.cuda.memory_allocated(0)
    print(t)
    print(c)
    print(a)
else:
    dev="cpu"
    print("cuda not available")
