"""Random-program family: shape ops (view, permute, t, flatten, cat, stack), creation (ones, full, linspace, arange with a step, torch.tensor with dtype and requires_grad) and autograd controls (detach, zeroing and clearing .grad, no_grad).

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
"""

OPS = []
