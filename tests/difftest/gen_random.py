"""Random-program family: torch.manual_seed with torch.rand and torch.randn.

Each entry of OPS is (function, weight); the function takes the generator
(gen.Gen) and appends statements with its helpers, as Gen's op_* methods do.
"""

OPS = []
