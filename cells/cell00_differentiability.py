# The differentiability probe, a cell of nbreplay's own: finite differences
# show that f(x, y) = y*x**2/(x**2 + y**2), f(0, 0) = 0, has every
# directional derivative at the origin and yet no derivative there. Function
# values are float64 tensors; the gradient comes from torch autograd.
import math

import torch

f64 = torch.float64


def scalar(value):
    return torch.tensor(value, dtype=f64)


def f(x, y):
    """The counterexample away from the origin, where the formula is 0/0."""
    return y * x**2 / (x**2 + y**2)


f0 = 0.0  # f(0, 0), by definition


def dfdx_central(x, y, h):
    """∂f/∂x by a central difference; h is a float64 tensor, one step or
    a column of them."""
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def dfdx_corrected(x, y):
    return 2 * x * y**3 / (x**2 + y**2)**2


def dfdx_misprinted(x, y):
    return 2 * x * y**3 / (x**2 + y**2)


# Fixed-width text. Adding 0.0 turns -0.0 into 0.0, so zeros print unsigned.
def fixed(value, width=0, digits=5):
    return f"{value + 0.0:>{width}.{digits}f}"


def sci(value, width=0, digits=1):
    return f"{value + 0.0:>{width}.{digits}e}"


def header(label):
    print(f"{label:>8}" + "".join(f"{d}°".rjust(9) for d in degrees))


def row(label, values):
    print(f"{label:>8}" + "".join(fixed(v, 9) for v in values.tolist()))


# Directions v = (cos θ, sin θ). The components come from sqrt alone, which
# every library rounds correctly (torch.cos and libm's cos differ in the
# last bit), so they are the same bits in nbreplay.
degrees = [0, 30, 45, 60, 90, 135, 210, 300]
s2, s3 = math.sqrt(2) / 2, math.sqrt(3) / 2
cos_theta = torch.tensor([1.0, s3, s2, 0.5, 0.0, -s2, -s3, 0.5], dtype=f64)
sin_theta = torch.tensor([0.0, 0.5, s2, s3, 1.0, s2, -0.5, -s3], dtype=f64)

print("f(x, y) = y*x**2/(x**2 + y**2), f(0, 0) = 0: is f differentiable at the origin?")
print()

# 1. The quotients (f(t*v) - f(0))/t.
print("1. Every directional derivative D_v f(0) = lim (f(t*v) - f(0))/t exists.")
print("   The quotient for v = (cos θ, sin θ), a column per θ and a row per t;")
print("   the last row is the exact limit cos²θ·sin θ:")
header("t \\ θ")
for t in [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8]:
    quotient = (f(t * cos_theta, t * sin_theta) - f0) / t
    row(f"{t:.0e}", quotient)
exact = cos_theta**2 * sin_theta
row("exact", exact)
print("   Each column is constant in t (f(t*v) = t*f(v)): the limit exists for all v.")
print()

# 2. The partials at the origin, and the linear map they would make.
print("2. But v -> D_v f(0) is not linear, so f has no derivative at the origin.")
t = 1e-8
dfdx0 = (f(scalar(t), scalar(0.0)) - f0) / t
dfdy0 = (f(scalar(0.0), scalar(t)) - f0) / t
print(f"   Partials (t = {t:.0e}): ∂f/∂x(0, 0) = {fixed(dfdx0.item())}, "
      f"∂f/∂y(0, 0) = {fixed(dfdy0.item())}.")
print("   The only candidate is D(v) = ∂f/∂x·v₁ + ∂f/∂y·v₂ = 0, and a derivative")
print("   would make D_v f(0) = D(v) in every direction. Per direction: D_v f(0)")
print(f"   by finite differences (t = {t:.0e}) and exact, D(v), and the gap:")
print(f"{'θ (°)':>8}{'D_v f(0)':>10}{'exact':>10}{'D(v)':>10}{'gap':>10}")
linear = dfdx0 * cos_theta + dfdy0 * sin_theta
columns = [quotient, exact, linear, quotient - linear]
for d, *values in zip(degrees, *(c.tolist() for c in columns)):
    print(f"{d:>8}" + "".join(fixed(v, 10) for v in values))
diagonal = (f(scalar(t), scalar(t)) - f0) / t
print(f"   Along e1 + e2 = (1, 1), D_v f(0) = {fixed(diagonal.item())}, but along e1 plus")
print(f"   along e2 it is {fixed(dfdx0.item())} + {fixed(dfdy0.item())} = "
      f"{fixed((dfdx0 + dfdy0).item())}.")
print("   With D = 0 the definition's quotient (f(h) - f(0) - D(h))/|h| along h = t*v")
print("   is the quotient of table 1: it tends to cos²θ·sin θ, not to 0.")
print()

# 3. ∂f/∂x along rays towards the origin.
print("3. ∂f/∂x is not continuous at the origin.")
print("   Central differences (step h = r*1e-05) at x = r*cos θ, y = r*sin θ;")
print("   the last row is the limit along the ray, 2·cos θ·sin³θ:")
header("r \\ θ")
for r in [1e-2, 1e-4, 1e-6, 1e-8]:
    row(f"{r:.0e}", dfdx_central(r * cos_theta, r * sin_theta, scalar(r * 1e-5)))
row("limit", 2 * cos_theta * sin_theta**3)
print(f"   The limit depends on θ, while ∂f/∂x(0, 0) = {fixed(dfdx0.item())}.")
print()

# 4. Which formula for ∂f/∂x the finite differences confirm.
print("4. Erratum: the section prints ∂f/∂x = 2xy³/(x²+y²); it is 2xy³/(x²+y²)².")
print("   Central differences (h = 1e-05) against the two formulas:")
print(f"{'(x, y)':>12}{'central':>12}{'corrected':>12}{'misprinted':>12}")
xs = torch.tensor([1.0, 3.0, -1.0], dtype=f64)
ys = torch.tensor([2.0, 1.0, 0.5], dtype=f64)
columns = [dfdx_central(xs, ys, scalar(1e-5)), dfdx_corrected(xs, ys), dfdx_misprinted(xs, ys)]
for x, y, *values in zip(xs.tolist(), ys.tolist(), *(c.tolist() for c in columns)):
    print(f"({x}, {y})".rjust(12) + "".join(fixed(v, 12) for v in values))
print("   Along the ray θ = 45° the misprint is 2r²·cos θ·sin³θ, which tends to")
print("   ∂f/∂x(0, 0) = 0: it would make ∂f/∂x continuous, against the section.")
print(f"{'r':>12}{'corrected':>12}{'misprinted':>12}")
rs = torch.tensor([1e-1, 1e-2, 1e-3, 1e-4], dtype=f64)
columns = [dfdx_corrected(rs * s2, rs * s2), dfdx_misprinted(rs * s2, rs * s2)]
for r, corrected, misprinted in zip(rs.tolist(), *(c.tolist() for c in columns)):
    print(sci(r, 12, 0) + fixed(corrected, 12) + sci(misprinted, 12))
print()

# 5. What autograd makes of the origin, and of a point where f is smooth.
print("5. Autograd at the origin: x = y = 0 (float64 leaves), f = y*x**2/(x**2 + y**2).")
x = torch.tensor(0.0, dtype=f64, requires_grad=True)
y = torch.tensor(0.0, dtype=f64, requires_grad=True)
z = f(x, y)
z.backward()
print("f      =", z)
print("x.grad =", x.grad)
print("y.grad =", y.grad)
print("   Autograd differentiates the formula, which is 0/0 at the origin: nan, not")
print("   the partials (0, 0), and no sign that f has no derivative there. At (1, 2):")
x = torch.tensor(1.0, dtype=f64, requires_grad=True)
y = torch.tensor(2.0, dtype=f64, requires_grad=True)
f(x, y).backward()
print("x.grad =", x.grad)
print("y.grad =", y.grad)
print("   x.grad is the corrected formula's 0.64, not the misprint's 3.2.")
print()

# 6. Truncation against rounding error as the step shrinks.
print("6. The step size: at (1, 2), the central difference against the exact 0.64.")
print("   Truncation error falls like h², rounding error grows like ε/h (ε ≈ 2.2e-16):")
print(f"{'h':>8}{'central':>20}{'error':>12}")
hs = torch.tensor([1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12],
                  dtype=f64)
central = dfdx_central(scalar(1.0), scalar(2.0), hs)
error = central - dfdx_corrected(scalar(1.0), scalar(2.0))
for h, c, e in zip(hs.tolist(), central.tolist(), error.tolist()):
    print(sci(h, 8, 0) + fixed(c, 20, 14) + sci(e, 12))
print("   The error is smallest for h between 1e-06 and 1e-05, around ε^(1/3) ≈ 6e-06;")
print("   below that, rounding takes over. Tables 3 and 4 use steps of that size.")
