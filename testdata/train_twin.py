"""Trains a derived architecture in PyTorch as `go run ./cmd/train` does, to
check the Go trainer over a whole run rather than one step.

The step fixtures (make_step_fixtures.py) show that one training cycle of
the Go code equals PyTorch's to rounding. They cannot show that a run of
thousands of steps behaves like PyTorch's: the random streams differ, so
the two runs are different samples of the same process, and only their
statistics can be compared. This script is the PyTorch side of that
comparison. It trains with the networks of autogan_torch.py (the
reference's search generator with its architecture fixed, and its
spectral-norm discriminator), the reference's initialisation
(weights_init, xavier_uniform), PyTorch 1.1's Adam, the hinge loss, the
reference's loop (a generator step after every n_critic-th discriminator
step) and the moving average of the generator's parameters; its defaults
are those of the demo preset of cmd/train. At the chosen generator steps it
saves the averaged generator, with the live generator's buffers as the
reference evaluates it, as a PyTorch state dict, which cmd/eval scores like
any other PyTorch generator.

    go run ./cmd/datasets -dataset shapes10 -dataset_n 8192 -npz shapes10.npz
    python3 testdata/train_twin.py --data shapes10.npz --out twin
    go run ./cmd/eval -checkpoint twin/g2048.pth -arch "1 0 1 0 1 0 1 0 0 1 2 0 1 1" \\
        -n 2000 -real_dataset shapes10 -real_n 8192 -confident 0.9

`--augment color,translation` tries one change the Go trainer does not
have: differentiable augmentation of every image the discriminator sees
(Zhao et al., 2020); docs/reference.md (section 7) gives what it changed.

Compare with the evaluations of `go run ./cmd/train -preset demo -arch ...`
(its metrics.jsonl), or score its checkpoints with the same cmd/eval line.
docs/reference.md (section 7) gives the outcome of one such comparison.
Needs Debian's python3-torch and python3-numpy; about 15 minutes on one
core for the demo's 2,048 steps.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autogan_torch as R  # noqa: E402


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help=".npz of cmd/datasets -npz (uint8 images N×3×H×W)")
    p.add_argument("--out", required=True, help="folder for the generator state dicts g<step>.pth")
    p.add_argument("--arch", default="1 0 1 0 1 0 1 0 0 1 2 0 1 1", help="14 integers")
    # The demo preset of cmd/train (nas/presets.go).
    p.add_argument("--max_iter", type=int, default=2048,
                   help="generator steps, rounded up to whole epochs as the reference does")
    p.add_argument("--gf", type=int, default=32)
    p.add_argument("--df", type=int, default=32)
    p.add_argument("--latent", type=int, default=128)
    p.add_argument("--bottom_width", type=int, default=4)
    p.add_argument("--gen_batch_size", type=int, default=32)
    p.add_argument("--dis_batch_size", type=int, default=32)
    p.add_argument("--g_lr", type=float, default=2e-4)
    p.add_argument("--d_lr", type=float, default=8e-4)
    p.add_argument("--beta1", type=float, default=0.5)
    p.add_argument("--beta2", type=float, default=0.999)
    p.add_argument("--n_critic", type=int, default=1)
    p.add_argument("--ema", type=float, default=0.99, help="decay of the generator's moving average")
    p.add_argument("--save_every", type=int, default=256, help="generator steps between saved generators")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--augment", default="",
                   help="an experiment outside the reference: differentiable augmentation of every image D sees "
                        "(Zhao et al., 2020), any of color,translation,cutout")
    return p.parse_args()


def augment(x, policy):
    """Differentiable augmentation (Zhao et al., "Differentiable
    Augmentation for Data-Efficient GAN Training", 2020, section 3): the
    same random transformations for real and generated images, applied in
    both losses, so that gradients reach G through them. Per image: colour
    (brightness ±0.5, saturation ×[0, 2], contrast ×[0.5, 1.5]),
    translation by up to 1/8 of the side with zero fill, and cutout of a
    zeroed square of half the side."""
    n, _, h, w = x.shape
    if "color" in policy:
        x = x + (torch.rand(n, 1, 1, 1) - 0.5)
        m = x.mean(dim=1, keepdim=True)
        x = (x - m) * (torch.rand(n, 1, 1, 1) * 2) + m
        m = x.mean(dim=(1, 2, 3), keepdim=True)
        x = (x - m) * (torch.rand(n, 1, 1, 1) + 0.5) + m
    if "translation" in policy:
        s = int(h * 0.125 + 0.5)
        padded = F.pad(x, [s, s, s, s])
        dy, dx = torch.randint(-s, s + 1, (n,)), torch.randint(-s, s + 1, (n,))
        x = torch.stack([padded[i, :, s + dy[i]:s + dy[i] + h, s + dx[i]:s + dx[i] + w] for i in range(n)])
    if "cutout" in policy:
        ch, cw = int(h * 0.5 + 0.5), int(w * 0.5 + 0.5)
        cy, cx = torch.randint(0, h, (n, 1, 1)), torch.randint(0, w, (n, 1, 1))
        ys, xs = torch.arange(h).view(1, h, 1), torch.arange(w).view(1, 1, w)
        inside = ((ys - cy).abs() * 2 < ch) & ((xs - cx).abs() * 2 < cw)
        x = x * (~inside).unsqueeze(1).to(x.dtype)
    return x


class Augmented(nn.Module):
    """D that sees only augmented images (the --augment experiment)."""

    def __init__(self, D, policy):
        super().__init__()
        self.D, self.policy = D, policy

    def forward(self, x):
        return self.D(augment(x, self.policy))


def weights_init(m):
    """The reference's weights_init with init_type xavier_uniform: class
    names containing Conv2d (not ConvTranspose2d) and BatchNorm2d."""
    name = m.__class__.__name__
    if "Conv2d" in name:
        nn.init.xavier_uniform_(m.weight_orig if hasattr(m, "weight_orig") else m.weight, 1.0)
    elif "BatchNorm2d" in name:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.constant_(m.bias, 0.0)


def averaged_state(G, avg):
    """The state dict the reference evaluates: averaged parameters, live
    buffers (batch-norm running statistics)."""
    sd = G.state_dict()
    for (name, _), a in zip(G.named_parameters(), avg):
        sd[name] = a.clone()
    return sd


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    images = np.load(a.data)["images"]
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[1] != 3:
        raise SystemExit(f"{a.data}: images of {images.dtype} {images.shape}, want uint8 N×3×H×W")
    data = torch.from_numpy(images.astype(np.float32) / 127.5 - 1)  # ToTensor, Normalize(0.5, 0.5)
    arch = [int(x) for x in a.arch.split()]
    if len(arch) != 14:
        raise SystemExit(f"--arch: {len(arch)} integers, want 14")
    with torch.no_grad():
        G, D = R.SearchGenerator(a.gf, a.latent, a.bottom_width), R.Discriminator(a.df)
        G.apply(weights_init), D.apply(weights_init)
    G.set_arch(arch, 2)
    if a.augment:
        D = Augmented(D, a.augment)
    optG = R.Adam11(G.named_parameters(), a.g_lr, (a.beta1, a.beta2))
    optD = R.Adam11(D.named_parameters(), a.d_lr, (a.beta1, a.beta2))
    avg = [p.detach().clone() for p in G.parameters()]
    G.train(), D.train()

    # functions.train runs whole epochs: ceil(max_iter·n_critic / batches
    # per epoch) of them (docs/reference.md §5.2).
    batches = -(-len(data) // a.dis_batch_size)
    epochs = -(-a.max_iter * a.n_critic // batches)
    g_steps, global_steps, t0 = 0, 0, time.time()
    for _ in range(epochs):
        perm = torch.randperm(len(data))  # DataLoader(shuffle=True, drop_last=False)
        for i in range(0, len(data), a.dis_batch_size):
            real = data[perm[i:i + a.dis_batch_size]]
            z = torch.randn(real.shape[0], a.latent)
            optD.zero_grad()
            d_loss, _, _ = R.d_backward(G, D, real, z)
            optD.step()
            if global_steps % a.n_critic == 0:
                optG.zero_grad()
                g_loss = R.g_backward(G, D, torch.randn(a.gen_batch_size, a.latent))
                optG.step()
                with torch.no_grad():
                    for av, p in zip(avg, G.parameters()):
                        av.mul_(a.ema).add_(p, alpha=1 - a.ema)
                g_steps += 1
                if g_steps % a.save_every == 0:
                    save(G, avg, a.out, g_steps, d_loss, g_loss, t0)
            global_steps += 1
    if g_steps % a.save_every != 0:
        save(G, avg, a.out, g_steps, d_loss, g_loss, t0)


def save(G, avg, out, g_steps, d_loss, g_loss, t0):
    path = os.path.join(out, f"g{g_steps}.pth")
    torch.save(averaged_state(G, avg), path)
    rate = g_steps / (time.time() - t0)
    print(f"step {g_steps}  d_loss {d_loss.item():.3f}  g_loss {g_loss.item():.3f}"
          f"  {rate:.2f} steps/s  wrote {path}", flush=True)


if __name__ == "__main__":
    main()
