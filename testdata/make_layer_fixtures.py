#!/usr/bin/python3
"""Writes layers.safetensors: inputs, weights, outputs and gradients of every
layer the project implements, computed by PyTorch, for the parity tests of
packages layers and optim.

Run from this folder with Debian's PyTorch:
    /usr/bin/python3 make_layer_fixtures.py
Each case stores its tensors as "<case>/<name>". Gradients are of the loss
sum(y * r) for a stored random r, so dL/dy = r.
"""
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from safetensors_io import save

torch.manual_seed(1234)
torch.set_num_threads(1)
T = {}


def put(case, **tensors):
    for k, v in tensors.items():
        if isinstance(v, torch.Tensor):
            v = v.detach().cpu().numpy().copy()  # .numpy() shares memory; in-place updates would leak in
        T[f"{case}/{k}"] = np.asarray(v)


def module_case(case, m, x):
    """Forward x through module m, backprop sum(y*r), store everything."""
    x = x.clone().requires_grad_(True)
    y = m(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    put(case, x=x, y=y, r=r, dx=x.grad)
    for name, p in m.named_parameters():
        put(case, **{name: p, "d" + name: p.grad})


# Linear and convolutions --------------------------------------------------
module_case("linear", nn.Linear(5, 4), torch.randn(3, 5))
for case, m, shape in [
    ("conv3x3", nn.Conv2d(3, 4, 3, padding=1), (2, 3, 6, 6)),
    ("conv3x3s2", nn.Conv2d(3, 5, 3, stride=2, padding=1), (2, 3, 7, 7)),
    ("conv1x7", nn.Conv2d(4, 3, (1, 7), padding=(0, 3)), (1, 4, 5, 9)),
    ("conv7x1", nn.Conv2d(4, 3, (7, 1), padding=(3, 0)), (1, 4, 9, 5)),
    ("conv5x5", nn.Conv2d(2, 3, 5, padding=2, bias=False), (2, 2, 6, 6)),
    ("conv1x1", nn.Conv2d(6, 4, 1), (2, 6, 4, 4)),
    ("deconv2x2", nn.ConvTranspose2d(3, 4, 2, stride=2), (2, 3, 3, 3)),
]:
    module_case(case, m, torch.randn(*shape))

# Batch norm: one training step (batch statistics, running averages), then eval.
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.copy_(torch.randn(3) * 0.5 + 1)
    bn.bias.copy_(torch.randn(3) * 0.5)
put("batchnorm", weight0=bn.weight, bias0=bn.bias)
module_case("batchnorm", bn, torch.randn(4, 3, 5, 5) * 2 + 0.5)
put("batchnorm", running_mean=bn.running_mean, running_var=bn.running_var)
bn.eval()
x2 = torch.randn(2, 3, 5, 5)
put("batchnorm", x_eval=x2, y_eval=bn(x2))

module_case("instancenorm", nn.InstanceNorm2d(3), torch.randn(2, 3, 5, 5) * 3 + 1)

# Spectral norm: u, v before; one training forward (one power iteration);
# gradients through sigma; then an eval forward with u, v fixed.
for case, base, shape in [
    ("snconv", nn.Conv2d(3, 4, 3, padding=1), (2, 3, 5, 5)),
    ("snlinear", nn.Linear(6, 1, bias=False), (5, 6)),
]:
    m = nn.utils.spectral_norm(base)
    put(case, u0=m.weight_u, v0=m.weight_v)
    module_case(case, m, torch.randn(*shape))
    put(case, u1=m.weight_u, v1=m.weight_v)
    m.eval()
    xe = torch.randn(*shape)
    put(case, x_eval=xe, y_eval=m(xe))


# Resampling and pooling ------------------------------------------------------
def fn_case(case, f, shape):
    module_case(case, f, torch.randn(*shape))


class Fn(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


fn_case("nearest2", Fn(lambda x: F.interpolate(x, scale_factor=2, mode="nearest")), (2, 3, 4, 4))
fn_case("nearest_size", Fn(lambda x: F.interpolate(x, size=(16, 16), mode="nearest")), (1, 2, 4, 4))
fn_case("bilinear2", Fn(lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)), (2, 3, 4, 4))
fn_case("bilinear_size", Fn(lambda x: F.interpolate(x, size=(16, 16), mode="bilinear", align_corners=False)), (1, 2, 4, 4))
fn_case("bilinear_odd", Fn(lambda x: F.interpolate(x, size=(9, 13), mode="bilinear", align_corners=False)), (1, 2, 5, 7))
fn_case("avgpool2", Fn(lambda x: F.avg_pool2d(x, 2)), (2, 3, 6, 6))
fn_case("avgpool3_nopad", Fn(lambda x: F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)), (1, 3, 5, 5))
fn_case("maxpool3s2", Fn(lambda x: F.max_pool2d(x, 3, stride=2)), (1, 2, 9, 9))
fn_case("maxpool3s1", Fn(lambda x: F.max_pool2d(x, 3, stride=1, padding=1)), (1, 2, 5, 5))
fn_case("globalsum", Fn(lambda x: x.sum((2, 3))), (2, 3, 4, 4))
fn_case("globalavg", Fn(lambda x: F.adaptive_avg_pool2d(x, 1).flatten(1)), (2, 3, 4, 4))

# Embedding ------------------------------------------------------------------
emb = nn.Embedding(7, 4)
idx = torch.tensor([3, 0, 3, 6])
y = emb(idx)
r = torch.randn_like(y)
(y * r).sum().backward()
put("embedding", weight=emb.weight, idx=idx.numpy().astype(np.int64), y=y, r=r, dweight=emb.weight.grad)

# LSTMCell over several steps ---------------------------------------------
cell = nn.LSTMCell(6, 5)
xs = torch.randn(4, 3, 6, requires_grad=True)
h0 = torch.randn(3, 5, requires_grad=True)
c0 = torch.randn(3, 5, requires_grad=True)
h, c = h0, c0
for t in range(4):
    h, c = cell(xs[t], (h, c))
r1, r2 = torch.randn_like(h), torch.randn_like(c)
((h * r1).sum() + (c * r2).sum()).backward()
put("lstm", xs=xs, h0=h0, c0=c0, h=h, c=c, r1=r1, r2=r2, dxs=xs.grad, dh0=h0.grad, dc0=c0.grad)
for name, p in cell.named_parameters():
    put("lstm", **{name: p, "d" + name: p.grad})

# Hinge losses -----------------------------------------------------------------
d_real = torch.randn(8, 1, requires_grad=True)
d_fake = torch.randn(8, 1, requires_grad=True)
d_loss = torch.mean(F.relu(1.0 - d_real)) + torch.mean(F.relu(1.0 + d_fake))
d_loss.backward()
put("hinge", d_real=d_real, d_fake=d_fake, d_loss=d_loss.reshape(1), dreal=d_real.grad, dfake=d_fake.grad)
fake2 = torch.randn(8, 1, requires_grad=True)
g_loss = -torch.mean(fake2)
g_loss.backward()
put("hinge", g_fake=fake2, g_loss=g_loss.reshape(1), dgfake=fake2.grad)


# Adam over 5 steps: torch.optim.Adam (PyTorch >= 1.3 formula) and the
# formula of PyTorch 1.1 (the reference's pinned version), written out.
def adam11(p, grads, lr, b1, b2, eps):
    m = torch.zeros_like(p)
    v = torch.zeros_like(p)
    out = []
    for step, g in enumerate(grads, 1):
        m.mul_(b1).add_(g, alpha=1 - b1)
        v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = v.sqrt().add_(eps)
        bc1, bc2 = 1 - b1 ** step, 1 - b2 ** step
        step_size = lr * math.sqrt(bc2) / bc1
        p = p.clone().addcdiv_(m, denom, value=-step_size)
        out.append(p.clone())
    return out


for case, lr, betas in [("adam_gan", 2e-4, (0.0, 0.9)), ("adam_default", 1e-3, (0.9, 0.999))]:
    p0 = torch.randn(10)
    grads = [torch.randn(10) * 0.1 for _ in range(5)]
    grads[2] = torch.zeros(10)  # a step where the parameter was unused (zeroed gradient)
    p = p0.clone().requires_grad_(True)
    opt = torch.optim.Adam([p], lr=lr, betas=betas, eps=1e-8)
    modern = []
    for g in grads:
        opt.zero_grad()
        p.grad = g.clone()
        opt.step()
        modern.append(p.detach().clone())
    legacy = adam11(p0.clone(), grads, lr, betas[0], betas[1], 1e-8)
    put(case, p0=p0, grads=torch.stack(grads), modern=torch.stack(modern), legacy=torch.stack(legacy))
    put(case, hyper=np.array([lr, betas[0], betas[1], 1e-8], dtype=np.float32))

save("layers.safetensors", T, {"generator": "make_layer_fixtures.py", "torch": torch.__version__})
print(f"wrote layers.safetensors: {len(T)} tensors", file=sys.stderr)
