"""Random-program family: reductions over a dimension: sum(dim), mean, max/min, argmax.

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
"""

OPS = []
