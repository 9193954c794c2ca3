#!/usr/bin/python3
"""PyTorch twin of cmd/bench: the same workloads, under the same names, timed the same way.

`go run ./cmd/bench -compare` runs this script beside the Go benchmark and prints the
ratios; it can also be run alone:

    /usr/bin/python3 cmd/bench/torch_twin.py [--threads N] [--only SUBSTRING] [--name NAME] [--reps R]

It prints one JSON object per workload: "name", "ms" (median wall time of R timed runs
after two warm-up runs), "cpu_ms" (median process CPU time of the same runs), "threads"
and, where the work is known, "gflops". Each workload does what the Go workload of the
same name does (see cmd/bench/*.go): where PyTorch could do more work than the Go side
(gradients nobody reads), it is told not to.

Needs Debian's python3-torch and python3-torchvision (apt-get install python3-torch
python3-torchvision); nothing else.
"""
import argparse
import json
import os
import statistics
import sys
import time


def threads_arg():
    """The --threads value, needed before torch is imported: OpenBLAS (Debian's torch
    multiplies matrices with it) sizes its thread pool when it loads."""
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = threads_arg()

import torch  # noqa: E402  (after the thread variables)
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


# ------------------------------------------------------------------------ gemm/
def gemm_workloads():
    """gemm/nN: a @ b for N×N matrices of standard normal values (cmd/bench/gemm.go)."""
    for n in (256, 512, 1024):
        a, b = torch.randn(n, n), torch.randn(n, n)
        yield f"gemm/n{n}", 2.0 * n ** 3, lambda a=a, b=b: a @ b


# ------------------------------------------------------------------------ conv/
def conv_workloads():
    """A 3×3 convolution, 256→256 channels, 32×32, batch 16, padding 1, no bias
    (cmd/bench/conv.go): forward alone, and forward + sum + backward with the input and
    the weight both requiring gradients (accumulating across runs, like .grad)."""
    x = torch.randn(16, 256, 32, 32, requires_grad=True)
    w = torch.randn(256, 256, 3, 3, requires_grad=True)
    flops = 2.0 * 16 * 256 * 256 * 9 * 32 * 32

    def forward():
        with torch.no_grad():
            F.conv2d(x, w, padding=1)

    def forward_backward():
        F.conv2d(x, w, padding=1).sum().backward()

    yield "conv/3x3_c256_s32_b16/fwd", flops, forward
    yield "conv/3x3_c256_s32_b16/fwd_bwd", 3 * flops, forward_backward


# ------------------------------------------------------------------------ gan/
class Cell(nn.Module):
    """A cell of AutoGAN's released generators (models/building_blocks.py), the layout
    of nas.NewReleased: pre-activation, no normalisation (architecture A),
        h = c1(up(relu(x))) + Σ skip_in_ops[i](up(skip_i to h's size))
        out = c2(relu(h)) (+ c_sc(up(x)) with a shortcut)."""

    def __init__(self, ch, mode, n_skip, shortcut):
        super().__init__()
        self.mode = mode
        self.c1 = nn.Conv2d(ch, ch, 3, padding=1)
        self.c2 = nn.Conv2d(ch, ch, 3, padding=1)
        self.skip_in_ops = nn.ModuleList(nn.Conv2d(ch, ch, 1) for _ in range(n_skip))
        self.c_sc = nn.Conv2d(ch, ch, 1) if shortcut else None

    def up(self, x, size):
        if self.mode == "bilinear":
            return F.interpolate(x, size=size, mode="bilinear", align_corners=False)
        return F.interpolate(x, size=size, mode="nearest")

    def forward(self, x, skips):
        size = (2 * x.shape[2], 2 * x.shape[3])
        h = self.c1(self.up(F.relu(x), size))
        for s, op in zip(skips, self.skip_in_ops):
            h = h + op(self.up(s, size))
        out = self.c2(F.relu(h))
        if self.c_sc is not None:
            out = out + self.c_sc(self.up(x, size))
        return h, out


class Generator(nn.Module):
    """Released architecture A (autogan_cifar10_a): cells (nearest, shortcut),
    (bilinear, shortcut, skip from cell 1), (nearest, skips from cells 1 and 2), then
    batch norm, ReLU, a 3×3 convolution to RGB and tanh."""

    def __init__(self, gf, latent=128, bw=4):
        super().__init__()
        self.gf, self.bw = gf, bw
        self.l1 = nn.Linear(latent, bw * bw * gf)
        self.cells = nn.ModuleList([Cell(gf, "nearest", 0, True), Cell(gf, "bilinear", 1, True),
                                    Cell(gf, "nearest", 2, False)])
        self.to_rgb = nn.Sequential(nn.BatchNorm2d(gf), nn.ReLU(), nn.Conv2d(gf, 3, 3, padding=1), nn.Tanh())

    def forward(self, z):
        h = self.l1(z).view(z.shape[0], self.gf, self.bw, self.bw)
        skips = []
        for cell in self.cells:
            s, h = cell(h, skips)
            skips.append(s)
        return self.to_rgb(h)


def sn(module):
    return nn.utils.spectral_norm(module)


class FirstBlock(nn.Module):
    """OptimizedDisBlock: avgpool(c2(relu(c1(x)))) + c_sc(avgpool(x))."""

    def __init__(self, cin, ch):
        super().__init__()
        self.c1 = sn(nn.Conv2d(cin, ch, 3, padding=1))
        self.c2 = sn(nn.Conv2d(ch, ch, 3, padding=1))
        self.c_sc = sn(nn.Conv2d(cin, ch, 1))

    def forward(self, x):
        return F.avg_pool2d(self.c2(F.relu(self.c1(x))), 2) + self.c_sc(F.avg_pool2d(x, 2))


class Block(nn.Module):
    """DisBlock: c2(relu(c1(relu(x)))), pooled when downsampling, plus the shortcut (a
    1×1 convolution then the pool when downsampling, the identity otherwise)."""

    def __init__(self, ch, down):
        super().__init__()
        self.c1 = sn(nn.Conv2d(ch, ch, 3, padding=1))
        self.c2 = sn(nn.Conv2d(ch, ch, 3, padding=1))
        self.c_sc = sn(nn.Conv2d(ch, ch, 1)) if down else None

    def forward(self, x):
        h = self.c2(F.relu(self.c1(F.relu(x))))
        if self.c_sc is None:
            return h + x
        return F.avg_pool2d(h, 2) + F.avg_pool2d(self.c_sc(x), 2)


class Discriminator(nn.Module):
    """The stage-2 discriminator of nas.NewDiscriminator, spectral norm everywhere."""

    def __init__(self, df):
        super().__init__()
        self.blocks = nn.Sequential(FirstBlock(3, df), Block(df, True), Block(df, False), Block(df, False))
        self.l5 = sn(nn.Linear(df, 1, bias=False))

    def forward(self, x):
        return self.l5(F.relu(self.blocks(x)).sum((2, 3)))


def gan_workloads(tag, gf, df, gbs, dbs):
    """One step of GAN training with architecture A (cmd/bench/gan.go), both networks in
    training mode, Adam(2e-4, betas (0, 0.9)):
        d_step: fresh z, fake = G(z) without gradients, hinge loss on D(real), D(fake),
                Adam step on D;
        g_step: fresh z, loss −mean(D(G(z))) with D's parameters frozen (no gradients for
                them, as on the Go side), Adam step on G;
        g_sample_b100: G in eval mode without gradients, 100 samples."""
    G, D = Generator(gf), Discriminator(df)
    opt_g = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.0, 0.9))
    real = torch.rand(dbs, 3, 32, 32) * 2 - 1

    def d_step():
        with torch.no_grad():
            fake = G(torch.randn(dbs, 128))
        loss = F.relu(1 - D(real)).mean() + F.relu(1 + D(fake)).mean()
        opt_d.zero_grad()
        loss.backward()
        opt_d.step()

    def g_step():
        D.requires_grad_(False)
        loss = -D(G(torch.randn(gbs, 128))).mean()
        opt_g.zero_grad()
        loss.backward()
        opt_g.step()
        D.requires_grad_(True)

    def g_sample():
        G.eval()
        with torch.no_grad():
            G(torch.randn(100, 128))
        G.train()

    yield f"gan/{tag}/d_step_b{dbs}", 0, d_step
    yield f"gan/{tag}/g_step_b{gbs}", 0, g_step
    yield f"gan/{tag}/g_sample_b100", 0, g_sample


# ------------------------------------------------------------------------ inception/
def inception_workloads():
    """The Inception-v3 forward pass in eval mode without gradients on 8 normalised
    299×299 images, random weights, up to 1008 logits (cmd/bench/inception.go).
    torchvision's network; the FID variant differs only in how some pooling layers count
    their padding, which does not change the work."""
    import torchvision
    net = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False,
                                          num_classes=1008, transform_input=False).eval()
    x = torch.rand(8, 3, 299, 299) * 2 - 1

    def forward():
        with torch.no_grad():
            net(x)

    yield "inception/fwd_b8_299", 8 * 5.71e9 * 2, forward


GROUPS = [
    ("gemm/", gemm_workloads),
    ("conv/", conv_workloads),
    ("gan/search_gf128_df64/", lambda: gan_workloads("search_gf128_df64", 128, 64, 128, 64)),
    ("gan/derived_gf256_df128/", lambda: gan_workloads("derived_gf256_df128", 256, 128, 128, 64)),
    ("inception/", inception_workloads),
]

NAMES = [
    "gemm/n256", "gemm/n512", "gemm/n1024",
    "conv/3x3_c256_s32_b16/fwd", "conv/3x3_c256_s32_b16/fwd_bwd",
    "gan/search_gf128_df64/d_step_b64", "gan/search_gf128_df64/g_step_b128",
    "gan/search_gf128_df64/g_sample_b100",
    "gan/derived_gf256_df128/d_step_b64", "gan/derived_gf256_df128/g_step_b128",
    "gan/derived_gf256_df128/g_sample_b100",
    "inception/fwd_b8_299",
]


def time_runs(fn, reps):
    """Two warm-up runs, then reps timed runs: (median wall ms, median CPU ms)."""
    fn()
    fn()
    wall, cpu = [], []
    for _ in range(reps):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1e3)
        wall.append((time.perf_counter() - w) * 1e3)
    return statistics.median(wall), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="", help="run the workloads whose name contains this")
    ap.add_argument("--name", default="", help="run only the workload of exactly this name")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--list", action="store_true", help="list the workload names")
    a = ap.parse_args()
    want = [n for n in NAMES if a.only in n and (not a.name or n == a.name)]
    if a.list:
        print("\n".join(want))
        return
    if not want:
        sys.exit(f"no workload matches --only {a.only!r} --name {a.name!r}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for prefix, make in GROUPS:
        if not any(n.startswith(prefix) for n in want):
            continue
        for name, flops, fn in make():
            if name not in want:
                continue
            ms, cpu_ms = time_runs(fn, a.reps)
            rec = {"name": name, "ms": round(ms, 3), "cpu_ms": round(cpu_ms, 3), "threads": a.threads}
            if flops:
                rec["gflops"] = round(flops / ms / 1e6, 3)
            print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
