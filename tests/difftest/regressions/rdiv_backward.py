# difftest regression rdiv_backward (from rdiv_backward); expected output: rdiv_backward.expected
import torch

def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


x = torch.tensor([[1.6, -1.13, -0.9], [-0.8977518, 0.9, 0.4204337]])
x.requires_grad_()
y = 2 / x
y.backward(torch.tensor([[-8.2773, -0.00439968, -524790.0], [-0.844109, -0.0259, 7588080.0]]))
print(x.grad.tolist())
