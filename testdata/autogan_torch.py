"""A PyTorch twin of the reference AutoGAN code (TAMU-VITA/AutoGAN), shared by
the fixture generators of this folder.

It re-implements, from the behaviour described in docs/reference.md of this
repository, the modules and training functions whose results the Go tests
compare with:

  - the search-space generator (models_search/building_blocks_search.py and
    shared_gan.py): PreGenBlock, PostGenBlock, Cell, Generator with stages;
  - the growing spectral-norm discriminator (models_search/shared_gan.py),
    wrapped with torch.nn.utils.spectral_norm exactly as the reference does;
  - the controller (models_search/controller.py);
  - Adam as PyTorch 1.1 computes it (the version the reference pins);
  - one step of each training function of functions.py: the discriminator
    and generator updates of train_shared / train, the REINFORCE update of
    train_controller, and train's moving average of the generator.

Where PyTorch 1.13 (Debian's) cannot run the reference's code as written,
the twin computes the same mathematics another way, and says so:

  - The reference adds skip inputs and shortcuts in place (h += ..., out +=
    ...). On a ReLU output PyTorch >= 1.2 then refuses to differentiate
    ("modified by an inplace operation"). The twin adds out of place and
    takes the skip output after the additions, which is what the in-place
    aliasing of the reference produced (h_skip_out is h).
  - torch.optim.Adam changed its update in PyTorch 1.3 (where eps enters);
    Adam11 below is PyTorch 1.1's step, written out from its source.
  - PyTorch 1.1's zero_grad() zeroed gradients and kept them; 1.13's
    default set_to_none=True would drop them, so zero_grad(set_to_none=False)
    is used everywhere: Adam then steps a parameter that was used once and
    is unused now, as the reference did (its second moment decays).
  - The controller's actions are drawn with torch.multinomial; the Go side
    receives them and replays the same actions.
"""
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

UP = {0: "bilinear", 1: "nearest", 2: "deconv"}


def interpolate(x, mode, scale=None, size=None):
    if mode == "bilinear":
        return F.interpolate(x, scale_factor=scale, size=size, mode="bilinear", align_corners=False)
    return F.interpolate(x, scale_factor=scale, size=size, mode="nearest")


# ---- the search space (models_search/building_blocks_search.py) ----------

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
        for i, ft in enumerate(skip_ft):
            if not self.skip[i]:
                continue
            if self.up != "deconv":
                s = interpolate(ft, self.up, size=(ht, wt))
            else:
                s = self.skip_deconvx2(ft) if wt // ft.shape[-1] == 2 else self.skip_deconvx4(ft)
            h = h + self.skip_in_ops[i](s)  # the reference: h += ... (in place)
        h_skip_out = h  # the reference's alias of h sees the additions above
        out = second(h, self.norm, self.up)
        if self.sc:
            up = self.deconv_sc(x) if self.up == "deconv" else interpolate(x, self.up, scale=2)
            out = out + self.c_sc(up)  # the reference: out += ...
        return h_skip_out, out


def to_rgb(gf):
    return nn.Sequential(nn.BatchNorm2d(gf), nn.ReLU(), nn.Conv2d(gf, 3, 3, 1, 1), nn.Tanh())


class SearchGenerator(nn.Module):
    """models_search/shared_gan.py Generator: every cell owns every
    alternative; set_arch chooses one architecture and the stage."""

    def __init__(self, gf, latent, bw=4):
        super().__init__()
        self.gf, self.bw = gf, bw
        self.l1 = nn.Linear(latent, bw * bw * gf)
        self.cell1 = SearchCell(gf, gf, 0)
        self.cell2 = SearchCell(gf, gf, 1)
        self.cell3 = SearchCell(gf, gf, 2)
        self.to_rgb = to_rgb(gf)
        self.cur_stage = 2

    def set_arch(self, a, stage=2):
        self.cur_stage = stage
        self.cell1.set_arch(*a[:4])
        if stage >= 1:
            self.cell2.set_arch(*a[4:9])
        if stage == 2:
            self.cell3.set_arch(*a[9:14])

    def forward(self, z):
        h = self.l1(z).view(-1, self.gf, self.bw, self.bw)
        s1, h1 = self.cell1(h)
        if self.cur_stage == 0:
            return self.to_rgb(h1)
        s2, h2 = self.cell2(h1, (s1,))
        if self.cur_stage == 1:
            return self.to_rgb(h2)
        _, h3 = self.cell3(h2, (s1, s2))
        return self.to_rgb(h3)


# ---- the discriminator (models_search/shared_gan.py) ---------------------

def _downsample(x):
    return F.avg_pool2d(x, 2)


def sn(m):
    return nn.utils.spectral_norm(m)


class OptimizedDisBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = sn(nn.Conv2d(cin, cout, 3, padding=1))
        self.c2 = sn(nn.Conv2d(cout, cout, 3, padding=1))
        self.c_sc = sn(nn.Conv2d(cin, cout, 1))

    def forward(self, x):
        h = _downsample(self.c2(F.relu(self.c1(x))))
        return h + self.c_sc(_downsample(x))


class DisBlock(nn.Module):
    def __init__(self, ch, downsample):
        super().__init__()
        self.downsample = downsample
        self.c1 = sn(nn.Conv2d(ch, ch, 3, padding=1))
        self.c2 = sn(nn.Conv2d(ch, ch, 3, padding=1))
        if downsample:  # learnable_sc: in != out or downsample
            self.c_sc = sn(nn.Conv2d(ch, ch, 1))

    def forward(self, x):
        h = self.c2(F.relu(self.c1(F.relu(x))))
        if self.downsample:
            h = _downsample(h)
            sc = _downsample(self.c_sc(x))
        else:
            sc = x
        return h + sc


class Discriminator(nn.Module):
    def __init__(self, df):
        super().__init__()
        self.block1 = OptimizedDisBlock(3, df)
        self.block2 = DisBlock(df, True)
        self.block3 = DisBlock(df, False)
        self.block4 = DisBlock(df, False)
        self.l5 = sn(nn.Linear(df, 1, bias=False))
        self.cur_stage = 2

    def forward(self, x):
        h = x
        for b in [self.block1, self.block2, self.block3][:self.cur_stage + 1]:
            h = b(h)
        h = F.relu(self.block4(h))
        return self.l5(h.sum(2).sum(2))  # "global average pooling" in the source: a sum


# ---- the controller (models_search/controller.py) ------------------------

def tokens_of(stage):
    return [2, 3, 3, 2] + ([2 ** stage] if stage else [])


class Controller(nn.Module):
    def __init__(self, hid, tokens):
        super().__init__()
        self.hid, self.tokens = hid, tokens
        self.lstm = nn.LSTMCell(hid, hid)
        self.encoder = nn.Embedding(sum(tokens), hid)
        self.decoders = nn.ModuleList([nn.Linear(hid, t) for t in tokens])

    def run(self, hidden, actions=None, gen=None):
        """Controller.sample's loop from the state `hidden`: draws actions
        (with gen) or replays the given ones. Returns actions (bs x T),
        selected log-probabilities (bs x T), entropies (T*bs x 1) and the
        final (hx, cx)."""
        bs = hidden[0].shape[0]
        x = torch.zeros(bs, self.hid, dtype=hidden[0].dtype)
        ents, logps, acts = [], [], []
        for k in range(len(self.tokens)):
            embed = x if k == 0 else self.encoder(x)
            hidden = self.lstm(embed, hidden)
            logit = self.decoders[k](hidden[0])
            prob, log_prob = F.softmax(logit, dim=-1), F.log_softmax(logit, dim=-1)
            ents.append(-(log_prob * prob).sum(1, keepdim=True))
            a = prob.multinomial(1, generator=gen) if actions is None else actions[:, k:k + 1]
            acts.append(a)
            logps.append(log_prob.gather(1, a))
            x = a.view(bs) + sum(self.tokens[:k])
        return torch.cat(acts, -1), torch.cat(logps, -1), torch.cat(ents, 0), hidden


# ---- PyTorch 1.1's Adam --------------------------------------------------

class Adam11:
    """torch.optim.Adam of PyTorch 1.1 (no weight decay, no AMSGrad):
    parameters whose .grad is None are skipped; state is created at the
    first step of each parameter; the update is
    p -= lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps)."""

    def __init__(self, named_params, lr, betas, eps=1e-8):
        self.named = list(named_params)
        self.lr, self.b1, self.b2, self.eps = lr, betas[0], betas[1], eps
        self.state = {}

    def zero_grad(self):
        for _, p in self.named:
            if p.grad is not None:
                p.grad.detach_()
                p.grad.zero_()

    @torch.no_grad()
    def step(self):
        for name, p in self.named:
            if p.grad is None:
                continue
            st = self.state.setdefault(name, {"step": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)})
            st["step"] += 1
            g = p.grad
            st["m"].mul_(self.b1).add_(g, alpha=1 - self.b1)
            st["v"].mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            denom = st["v"].sqrt().add_(self.eps)
            bc1, bc2 = 1 - self.b1 ** st["step"], 1 - self.b2 ** st["step"]
            p.addcdiv_(st["m"], denom, value=-self.lr * math.sqrt(bc2) / bc1)

    def export(self, prefix):
        """The optimiser in the layout of the Go checkpoints (optim.Adam.Save):
        <prefix>has_grad (in parameter order), <prefix><name>.step,
        .exp_avg, .exp_avg_sq and <prefix>hyper."""
        T = {prefix + "has_grad": np.array([int(p.grad is not None) for _, p in self.named], np.int64),
             prefix + "hyper": np.array([self.lr, self.b1, self.b2, self.eps], np.float64)}
        for name, _ in self.named:
            st = self.state.get(name)
            if st:
                T[prefix + name + ".step"] = np.array([st["step"]], np.int64)
                T[prefix + name + ".exp_avg"] = f32(st["m"])
                T[prefix + name + ".exp_avg_sq"] = f32(st["v"])
        return T

    def export_moments64(self, prefix):
        """The moments in float64 (for the tests' rounding-noise route)."""
        T = {}
        for name, st in self.state.items():
            T[prefix + name + ".exp_avg"] = f64(st["m"])
            T[prefix + name + ".exp_avg_sq"] = f64(st["v"])
        return T

    def copy_to(self, other):
        """Copies the state into an optimiser over a converted (e.g. float64)
        copy of the same module."""
        for name, st in self.state.items():
            dt = dict(other.named)[name].dtype
            other.state[name] = {"step": st["step"], "m": st["m"].to(dt).clone(), "v": st["v"].to(dt).clone()}


# ---- the training steps (functions.py) -----------------------------------

def hinge_d(real_out, fake_out):
    return torch.mean(F.relu(1.0 - real_out)) + torch.mean(F.relu(1 + fake_out))


def d_backward(G, D, real, z):
    """The discriminator half of train_shared / train up to backward():
    D(real), then D(G(z).detach()), the hinge loss, backward. G runs in
    training mode (its batch norms update their running statistics), and
    every D call runs one power iteration of spectral norm."""
    real_out = D(real)
    fake = G(z).detach()
    fake_out = D(fake)
    loss = hinge_d(real_out, fake_out)
    loss.backward()
    return loss, real_out, fake_out


def g_backward(G, D, z):
    """The generator half: -mean(D(G(z))), backward."""
    loss = -torch.mean(D(G(z)))
    loss.backward()
    return loss


def ema_update(avg, params):
    """train's moving average: avg_p.mul_(0.999).add_(0.001, p.data)
    (PyTorch 1.13 spelling)."""
    with torch.no_grad():
        for a, p in zip(avg, params):
            a.mul_(0.999).add_(p.data, alpha=0.001)


# ---- export helpers ------------------------------------------------------

def f32(t):
    return t.detach().to(torch.float32).cpu().numpy().copy()


def f64(t):
    return t.detach().to(torch.float64).cpu().numpy().copy()


def state(module, prefix):
    """A module's state_dict under prefix in the Go checkpoint layout:
    float tensors as float32, counters (num_batches_tracked) as int64."""
    T = {}
    for k, v in module.state_dict().items():
        T[prefix + k] = v.detach().cpu().numpy().astype(np.int64).reshape(1) if not v.is_floating_point() else f32(v)
    return T


def param_names(module):
    return json.dumps([n for n, _ in module.named_parameters()])
