"""Random-program family: the elementwise ops of the op table beyond the notebook's: activations, comparisons, where, maximum/minimum, clamp.

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
"""

OPS = []
