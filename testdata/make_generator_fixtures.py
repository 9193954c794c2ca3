#!/usr/bin/python3
"""PyTorch reference outputs of AutoGAN generators, for the parity tests of
nas and cmd/sample (issue 7). The modules below are written from the
behaviour documented in docs/reference.md sections 1.2-1.4
(the search-space generator of models_search/shared_gan.py, whose
state_dict train_derived.py saves) and 2.3-2.4 (the released
models/autogan_cifar10_{a,c}.py), with the same parameter and buffer names.

Writes, with random weights and random batch-norm statistics (small widths
keep the files small; the loader reads the widths from the weights):

  gen_a_state_legacy.pth   bare state_dict of autogan_cifar10_a, gf 8,
                           latent 24, in torch.save's legacy format (the
                           format of the released Google Drive weights)
  gen_a_ckpt_legacy.pth    a training checkpoint of train.py: a dict with
                           gen_state_dict (other weights), avg_gen_state_dict
                           (the EMA weights the output comes from),
                           gen_optimizer, epoch, best_fid, path_helper
  gen_c_state_zip.pth      autogan_cifar10_c (batch norm in cell1), zip format
  gen_search_ckpt_zip.pth  a train_derived.py checkpoint of the search-space
                           generator (every alternative of every cell, gf 8)
                           for architecture SEARCH_ARCH below, which uses
                           batch norm, instance norm, deconvolution (also for
                           the x2 and x4 skip inputs) and bilinear upsampling
  gen_z.npy                the latents (float32, 4 x 24)
  gen_expected.safetensors PyTorch's eval-mode outputs a, c, search (4x3x32x32)

    /usr/bin/python3 make_generator_fixtures.py
"""
import copy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import autogan_torch as R
from safetensors_io import save

LATENT = 24
SEARCH_ARCH = [0, 1, 2, 1, 1, 2, 0, 1, 1, 0, 2, 2, 0, 3]
SearchGenerator = lambda gf, bw=4: R.SearchGenerator(gf, LATENT, bw)  # noqa: E731
interpolate, to_rgb = R.interpolate, R.to_rgb


# ---- released models (models/building_blocks.py, models/autogan_cifar10_*.py) ----

class FinalCell(nn.Module):
    def __init__(self, cin, cout, up, num_skip_in, short_cut, norm):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.up, self.norm = up, norm
        if norm == "bn":
            self.n1, self.n2 = nn.BatchNorm2d(cin), nn.BatchNorm2d(cout)
        self.short_cut = short_cut
        if short_cut:
            self.c_sc = nn.Conv2d(cin, cout, 1)
        if num_skip_in:
            self.skip_in_ops = nn.ModuleList([nn.Conv2d(cout, cout, 1) for _ in range(num_skip_in)])

    def forward(self, x, skip_ft=()):
        h = self.n1(x) if self.norm else x
        h = self.c1(interpolate(F.relu(h), self.up, scale=2))
        ht, wt = h.shape[-2:]
        h_skip_out = h
        for ft, op in zip(skip_ft, getattr(self, "skip_in_ops", [])):
            h += op(interpolate(ft, self.up, size=(ht, wt)))
        h = self.n2(h) if self.norm else h
        out = self.c2(F.relu(h))
        if self.short_cut:
            out += self.c_sc(interpolate(x, self.up, scale=2))
        return h_skip_out, out


class ReleasedGenerator(nn.Module):
    def __init__(self, gf, cell1_norm=None, bw=4):
        super().__init__()
        self.gf, self.bw = gf, bw
        self.l1 = nn.Linear(LATENT, bw * bw * gf)
        self.cell1 = FinalCell(gf, gf, "nearest", 0, True, cell1_norm)
        self.cell2 = FinalCell(gf, gf, "bilinear", 1, True, None)
        self.cell3 = FinalCell(gf, gf, "nearest", 2, False, None)
        self.to_rgb = to_rgb(gf)

    def forward(self, z):
        h = self.l1(z).view(-1, self.gf, self.bw, self.bw)
        s1, h1 = self.cell1(h)
        s2, h2 = self.cell2(h1, (s1,))
        _, h3 = self.cell3(h2, (s1, s2))
        return self.to_rgb(h3)


def randomize_bn(model):
    """Random affine parameters and running statistics, so eval mode is a
    real test of the running-statistics path."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.copy_(1 + 0.2 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
                m.running_mean.copy_(0.3 * torch.randn_like(m.running_mean))
                m.running_var.copy_(0.5 + torch.rand_like(m.running_var))
                m.num_batches_tracked.fill_(1234)


def perturbed(state):
    return {k: (v + 0.05 * torch.randn_like(v)) if v.is_floating_point() else v.clone() for k, v in state.items()}


torch.manual_seed(7)
z = torch.randn(4, LATENT)
expected = {}

a = ReleasedGenerator(8)
randomize_bn(a)
a.eval()
with torch.no_grad():
    expected["a"] = a(z).numpy()
torch.save(a.state_dict(), "gen_a_state_legacy.pth", _use_new_zipfile_serialization=False)

# A training checkpoint of train.py: the live weights differ from the EMA
# weights, and only avg_gen_state_dict reproduces the expected output.
live = copy.deepcopy(a)
live.load_state_dict(perturbed(a.state_dict()))
live.train()
opt = torch.optim.Adam(live.parameters(), 2e-4, betas=(0.0, 0.9))
live(torch.randn(4, LATENT)).mean().backward()
opt.step()
ckpt = {"epoch": 3, "gen_model": "autogan_cifar10_a", "dis_model": "autogan_cifar10_a",
        "gen_state_dict": live.state_dict(), "avg_gen_state_dict": a.state_dict(),
        "gen_optimizer": opt.state_dict(), "best_fid": 1e4,
        "path_helper": {"prefix": "logs/autogan_cifar10_a_2019_07_01_12_00_00"}}
torch.save(ckpt, "gen_a_ckpt_legacy.pth", _use_new_zipfile_serialization=False)

c = ReleasedGenerator(8, cell1_norm="bn")
randomize_bn(c)
c.eval()
with torch.no_grad():
    expected["c"] = c(z).numpy()
torch.save(c.state_dict(), "gen_c_state_zip.pth")

s = SearchGenerator(8)
s.set_arch(SEARCH_ARCH)
randomize_bn(s)
s.eval()
with torch.no_grad():
    expected["search"] = s(z).numpy()
torch.save({"epoch": 1, "gen_state_dict": perturbed(s.state_dict()), "avg_gen_state_dict": s.state_dict(),
            "best_fid": 1e4}, "gen_search_ckpt_zip.pth")

np.save("gen_z.npy", z.numpy())
save("gen_expected.safetensors", {k: np.ascontiguousarray(v) for k, v in expected.items()},
     {"generator": "make_generator_fixtures.py", "torch": torch.__version__,
      "search_arch": " ".join(map(str, SEARCH_ARCH))})
for k, v in expected.items():
    print(k, v.shape, float(np.abs(v).mean()))
