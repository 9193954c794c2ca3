#!/usr/bin/python3
"""Writes inception.safetensors: the full FID Inception-v3 run by PyTorch on a
few images, for the numerical parity test of package inception.

The weights are not stored: both sides compute them from the same integer
hash (inception/synthetic.go, hash_uniform below), so the fixture stays small.
The network is pytorch-fid's FID Inception: torchvision's Inception3 with
1008 classes whose A, C and E blocks use average pools that do not count the
padding and whose last block's pool branch is a max pool. The images are
resized with TF1's legacy bilinear resize in float32 and normalised with
(x - 128) / 128, as TensorFlow's graph and torch-fidelity do.

    /usr/bin/python3 make_inception_fixtures.py
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torchvision.models import inception as tvi

from safetensors_io import save

torch.set_num_threads(1)
M = 0xFFFFFFFF


def hash_uniform(stream, n):
    i = np.arange(n, dtype=np.uint64)
    h = ((i + 1) * 2654435761 + stream * 40503) & M
    h ^= h >> 15
    h = (h * 2246822519) & M
    h ^= h >> 13
    h = (h * 3266489917) & M
    h ^= h >> 16
    return h.astype(np.float64) / 4294967296 * 2 - 1


class FIDInceptionA(tvi.InceptionA):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b5, b3, bp], 1)


class FIDInceptionC(tvi.InceptionC):
    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        for m in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            bd = m(bd)
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b7, bd, bp], 1)


class FIDInceptionE(tvi.InceptionE):
    def __init__(self, cin, last):
        super().__init__(cin)
        self.last = last

    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = torch.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        if self.last:  # the 2015 graph's mixed_10/tower_2/pool is a max pool
            bp = F.max_pool2d(x, 3, stride=1, padding=1)
        else:
            bp = F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
        return torch.cat([b1, b3, bd, self.branch_pool(bp)], 1)


def fid_inception():
    m = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False, num_classes=1008)
    m.Mixed_5b = FIDInceptionA(192, pool_features=32)
    m.Mixed_5c = FIDInceptionA(256, pool_features=64)
    m.Mixed_5d = FIDInceptionA(288, pool_features=64)
    m.Mixed_6b = FIDInceptionC(768, channels_7x7=128)
    m.Mixed_6c = FIDInceptionC(768, channels_7x7=160)
    m.Mixed_6d = FIDInceptionC(768, channels_7x7=160)
    m.Mixed_6e = FIDInceptionC(768, channels_7x7=192)
    m.Mixed_7b = FIDInceptionE(1280, last=False)
    m.Mixed_7c = FIDInceptionE(2048, last=True)
    return m.eval()


def load_synthetic(m):
    sd = m.state_dict()
    prefixes = [k[: -len(".conv.weight")] for k in sd if k.endswith(".conv.weight")]
    assert len(prefixes) == 94, len(prefixes)
    new = {}
    for u, p in enumerate(prefixes):
        w = sd[p + ".conv.weight"]
        out, cin, kh, kw = w.shape
        bound = math.sqrt(6 / (cin * kh * kw))
        new[p + ".conv.weight"] = torch.from_numpy((bound * hash_uniform(u * 8, w.numel())).astype(np.float32)).reshape(w.shape)
        new[p + ".bn.weight"] = torch.ones(out)
        new[p + ".bn.bias"] = torch.from_numpy((0.1 * hash_uniform(u * 8 + 2, out)).astype(np.float32))
        new[p + ".bn.running_mean"] = torch.from_numpy((0.05 * hash_uniform(u * 8 + 3, out)).astype(np.float32))
        new[p + ".bn.running_var"] = torch.from_numpy((0.75 + 0.25 * hash_uniform(u * 8 + 4, out)).astype(np.float32))
    new["fc.weight"] = torch.from_numpy((math.sqrt(3.0 / 2048) * hash_uniform(94 * 8, 1008 * 2048)).astype(np.float32)).reshape(1008, 2048)
    new["fc.bias"] = torch.from_numpy((0.01 * hash_uniform(94 * 8 + 1, 1008)).astype(np.float32))
    missing, unexpected = m.load_state_dict(new, strict=False)
    assert all(k.endswith("num_batches_tracked") for k in missing) and not unexpected, (missing, unexpected)
    return prefixes


def tf_resize(img, oh=299, ow=299):
    """TF1 ResizeBilinear, align_corners=False, legacy scaler, in float32."""
    c, h, w = img.shape

    def axis(n_in, n_out):
        scale = np.float32(n_in / n_out)
        src = (np.arange(n_out, dtype=np.float32) * scale).astype(np.float32)
        lo = np.floor(src).astype(np.int64)
        hi = np.minimum(lo + 1, n_in - 1)
        return lo, hi, (src - lo.astype(np.float32)).astype(np.float32)

    ylo, yhi, fy = axis(h, oh)
    xlo, xhi, fx = axis(w, ow)
    r0, r1 = img[:, ylo, :], img[:, yhi, :]
    tl, tr, bl, br = r0[:, :, xlo], r0[:, :, xhi], r1[:, :, xlo], r1[:, :, xhi]
    top = tl + (tr - tl) * fx
    bot = bl + (br - bl) * fx
    out = top + (bot - top) * fy[None, :, None]
    return ((out - np.float32(128)) * np.float32(0.0078125)).astype(np.float32)


def images():
    rng = np.random.RandomState(11)
    small = rng.randint(0, 256, size=(3, 3, 32, 32)).astype(np.uint8)
    yy, xx = np.mgrid[0:32, 0:32]
    small[0, 0] = (xx * 8).astype(np.uint8)
    small[0, 1] = (yy * 8).astype(np.uint8)
    small[0, 2] = ((xx + yy) * 4).astype(np.uint8)
    odd = rng.randint(0, 256, size=(1, 3, 45, 37)).astype(np.uint8)
    return small, odd


def run(m, batch_uint8):
    x = torch.from_numpy(np.stack([tf_resize(im.astype(np.float32)) for im in batch_uint8]))
    with torch.no_grad():
        h = m.Conv2d_2b_3x3(m.Conv2d_2a_3x3(m.Conv2d_1a_3x3(x)))
        h = F.max_pool2d(h, 3, stride=2)
        f64 = h.mean((2, 3))
        h = F.max_pool2d(m.Conv2d_4a_3x3(m.Conv2d_3b_1x1(h)), 3, stride=2)
        f192 = h.mean((2, 3))
        for blk in (m.Mixed_5b, m.Mixed_5c, m.Mixed_5d, m.Mixed_6a, m.Mixed_6b, m.Mixed_6c, m.Mixed_6d, m.Mixed_6e):
            h = blk(h)
        f768 = h.mean((2, 3))
        for blk in (m.Mixed_7a, m.Mixed_7b, m.Mixed_7c):
            h = blk(h)
        pool3 = F.adaptive_avg_pool2d(h, 1).flatten(1)
        unbiased = pool3 @ m.fc.weight.t()
        logits = m.fc(pool3)
    return dict(pool3=pool3, logits_unbiased=unbiased, logits=logits, block64=f64, block192=f192, block768=f768)


m = fid_inception()
prefixes = load_synthetic(m)
small, odd = images()
T = {"small/images": small, "odd/images": odd}
for name, batch in (("small", small), ("odd", odd)):
    for k, v in run(m, batch).items():
        T[f"{name}/{k}"] = v.numpy()
T["unit_names"] = np.frombuffer("\n".join(prefixes).encode(), dtype=np.uint8)
save("inception.safetensors", T, {"generator": "make_inception_fixtures.py", "torch": torch.__version__})
print("pool3[0][:5]", T["small/pool3"][0][:5], "logits range", T["small/logits"].min(), T["small/logits"].max())
