#!/usr/bin/python3
"""PyTorch reference outputs of AutoGAN generators, for the parity tests of
nas and cmd/sample (issue 7). The modules below are written from the
behaviour documented in ../shared/docs/autogan-reference.md sections 1.3-1.5
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

from safetensors_io import save

LATENT = 24
SEARCH_ARCH = [0, 1, 2, 1, 1, 2, 0, 1, 1, 0, 2, 2, 0, 3]
UP = {0: "bilinear", 1: "nearest", 2: "deconv"}


def interpolate(x, mode, scale=None, size=None):
    if mode == "bilinear":
        return F.interpolate(x, scale_factor=scale, size=size, mode="bilinear", align_corners=False)
    return F.interpolate(x, scale_factor=scale, size=size, mode="nearest")


# ---- search space (models_search/building_blocks_search.py) ----

class PreGenBlock(nn.Module):
    def __init__(self, cin, cout, up_block):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.inn = nn.InstanceNorm2d(cin)
        self.up_block = up_block
        self.deconv = nn.ConvTranspose2d(cin, cin, 2, 2)
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)

    def forward(self, x, norm, up):
        h = self.bn(x) if norm == 1 else self.inn(x) if norm == 2 else x
        h = F.relu(h)
        if self.up_block:
            h = self.deconv(h) if up == "deconv" else interpolate(h, up, scale=2)
        return self.conv(h)


class PostGenBlock(nn.Module):
    def __init__(self, cin, cout, up_block):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(cin, cin, 2, 2)
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)
        self.inn = nn.InstanceNorm2d(cout)
        self.up_block = up_block

    def forward(self, x, norm, up):
        h = x
        if self.up_block:
            h = self.deconv(h) if up == "deconv" else interpolate(h, up, scale=2)
        h = self.conv(h)
        if norm == 1:
            h = self.bn(h)
        elif norm == 2:
            h = self.inn(h)
        return F.relu(h)


class SearchCell(nn.Module):
    def __init__(self, cin, cout, num_skip_in):
        super().__init__()
        self.post_conv1 = PostGenBlock(cin, cout, True)
        self.pre_conv1 = PreGenBlock(cin, cout, True)
        self.post_conv2 = PostGenBlock(cout, cout, False)
        self.pre_conv2 = PreGenBlock(cout, cout, False)
        self.deconv_sc = nn.ConvTranspose2d(cin, cin, 2, 2)
        self.c_sc = nn.Conv2d(cin, cout, 1)
        self.skip_deconvx2 = nn.ConvTranspose2d(cin, cout, 2, 2)
        self.skip_deconvx4 = nn.Sequential(nn.ConvTranspose2d(cin, cout, 2, 2), nn.ConvTranspose2d(cout, cout, 2, 2))
        self.num_skip_in = num_skip_in
        if num_skip_in:
            self.skip_in_ops = nn.ModuleList([nn.Conv2d(cin, cout, 1) for _ in range(num_skip_in)])

    def set_arch(self, conv, norm, up, sc, skip=0):
        self.conv, self.norm, self.up, self.sc = conv, norm, UP[up], sc
        # binary digits of skip, least significant bit for the last predecessor
        self.skip = [(skip >> (self.num_skip_in - 1 - i)) & 1 for i in range(self.num_skip_in)]

    def forward(self, x, skip_ft=()):
        first = self.pre_conv1 if self.conv == 1 else self.post_conv1
        second = self.pre_conv2 if self.conv == 1 else self.post_conv2
        h = first(x, self.norm, self.up)
        ht, wt = h.shape[-2:]
        h_skip_out = h  # alias: the in-place additions below change it too
        for i, ft in enumerate(skip_ft):
            if not self.skip[i]:
                continue
            if self.up != "deconv":
                s = interpolate(ft, self.up, size=(ht, wt))
            else:
                s = self.skip_deconvx2(ft) if wt // ft.shape[-1] == 2 else self.skip_deconvx4(ft)
            h += self.skip_in_ops[i](s)
        out = second(h, self.norm, self.up)
        if self.sc:
            up = self.deconv_sc(x) if self.up == "deconv" else interpolate(x, self.up, scale=2)
            out += self.c_sc(up)
        return h_skip_out, out


def to_rgb(gf):
    return nn.Sequential(nn.BatchNorm2d(gf), nn.ReLU(), nn.Conv2d(gf, 3, 3, 1, 1), nn.Tanh())


class SearchGenerator(nn.Module):
    def __init__(self, gf, bw=4):
        super().__init__()
        self.gf, self.bw = gf, bw
        self.l1 = nn.Linear(LATENT, bw * bw * gf)
        self.cell1 = SearchCell(gf, gf, 0)
        self.cell2 = SearchCell(gf, gf, 1)
        self.cell3 = SearchCell(gf, gf, 2)
        self.to_rgb = to_rgb(gf)

    def set_arch(self, a):
        self.cell1.set_arch(*a[:4])
        self.cell2.set_arch(*a[4:9])
        self.cell3.set_arch(*a[9:])

    def forward(self, z):
        h = self.l1(z).view(-1, self.gf, self.bw, self.bw)
        s1, h1 = self.cell1(h)
        s2, h2 = self.cell2(h1, (s1,))
        _, h3 = self.cell3(h2, (s1, s2))
        return self.to_rgb(h3)


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
