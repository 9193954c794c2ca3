#!/usr/bin/python3
"""Writes init_orth.safetensors: torch.nn.init.orthogonal_ (the reference's
init_type "orth") for the test of layers.OrthogonalFrom.

    /usr/bin/python3 make_init_fixtures.py

Our random numbers are not PyTorch's, so the fixture supplies the Gaussian
matrix that orthogonal_ draws and the result of its QR and sign steps on it.
The script first checks that those steps, written out below, give exactly
what orthogonal_ itself returns for the same random state.
"""
import numpy as np
import torch

from safetensors_io import save


def orthogonal_from(shape, gauss, gain=1.0):
    """orthogonal_'s steps after its draw (torch/nn/init.py)."""
    rows, cols = gauss.shape
    flattened = gauss.clone()
    if rows < cols:
        flattened.t_()
    q, r = torch.linalg.qr(flattened)  # torch.qr in PyTorch 1.1: the same reduced QR
    d = torch.diag(r, 0)
    q *= d.sign()
    if rows < cols:
        q.t_()
    return (q * gain).reshape(shape)


T = {}
for i, shape in enumerate([(4, 3, 3, 3), (12, 4), (6, 6), (16, 16, 1, 1), (3, 8, 3, 3)]):
    rows = shape[0]
    cols = int(np.prod(shape)) // rows
    torch.manual_seed(100 + i)
    w = torch.empty(shape)
    torch.nn.init.orthogonal_(w)
    torch.manual_seed(100 + i)
    gauss = torch.empty(rows, cols).normal_(0, 1)
    mine = orthogonal_from(shape, gauss)
    assert torch.equal(mine, w), f"the written-out steps differ from orthogonal_ for {shape}"
    T[f"case{i}/gauss"] = gauss.numpy()
    T[f"case{i}/weight"] = w.numpy()
save("init_orth.safetensors", T, {"generator": "make_init_fixtures.py", "torch": torch.__version__})
print("wrote init_orth.safetensors")
