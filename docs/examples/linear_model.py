# linear_model.py: the Python twin of linear_model.c; both print the same text.
# A tiny model fitted by gradient descent, as a lesson's next cell would:
# randn, relu, mean, backward, and zeroing the gradients between steps.
import torch

torch.manual_seed(0)
x = torch.randn(16, 3)
y = x @ torch.tensor([[1.5], [-2.0], [0.5]]) + 0.1 * torch.randn(16, 1)

w1 = torch.randn(3, 4, requires_grad=True)
w2 = torch.randn(4, 1, requires_grad=True)
lr = 0.05

for step in range(5):
    loss = ((torch.relu(x @ w1) @ w2 - y) ** 2).mean()
    print(loss)
    print(repr(loss.item()))
    loss.backward()
    with torch.no_grad():
        w1.copy_(w1 - lr * w1.grad)
        w2.copy_(w2 - lr * w2.grad)
    w1.grad.zero_()
    w2.grad.zero_()

print(w1)
for value in w2.flatten().tolist():
    print(repr(value))
print(w2.grad)
