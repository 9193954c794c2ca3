#!/usr/bin/python3
"""Whole-step parity fixtures: PyTorch runs the reference's training steps
from one saved state, and the Go tests of package nas (and layers) load the
same state, take the same steps and compare everything.

    /usr/bin/python3 make_step_fixtures.py

Writes (small widths keep the files small; the reference's hyper-parameters
are kept: Adam lr 2e-4 / 3.5e-4 with betas (0, 0.9), n_critic 5, hinge loss,
EMA 0.999, entropy coefficient 1e-3, baseline decay 0.9):

  step_sn.safetensors          one spectral-norm linear layer (fresh u, v)
                               through TWO training-mode forwards and one
                               backward: the case a discriminator step is
                               made of (D(real), D(fake), backward)
  step_disc.safetensors        the search discriminator at stages 0, 1, 2
                               (1, 2, 3 of its growing blocks) from fresh u, v:
                               D(real), D(fake), hinge loss, one backward
  step_shared.safetensors      one train_shared cycle at stage 2: five D steps
                               and the G step after the first, each D step
                               with its own architecture (together they use
                               batch norm, instance norm, deconvolution,
                               bilinear and nearest up-sampling, shortcuts
                               and every skip pattern), starting from a state
                               reached by one cycle at stage 0 and one at
                               stage 1 (so blocks 2 and 3 of D and cell 3 of
                               G start fresh, as after a growth)
  step_controller.safetensors  three train_controller steps of a stage-1
                               controller started from top-K prefixes
  step_derived.safetensors     one cycle of train (train_derived.py) of a
                               derived architecture with the training
                               discriminator: five D steps, one G step, the
                               moving average of G

Every file holds the starting state in the layout of the Go checkpoints
(prefix "start."), the inputs (real batches, latents, architectures,
actions, rewards), the gradients of every parameter before each optimiser
step ("<step>/grad/<name>"), and the state after the last step ("end.").
Gradients and end states are also stored as computed in float64 ("f64/...")
from the same start: they tell how far PyTorch's own float32 result is from
the exact one, so a test can tell rounding noise (e.g. the gradient of a conv
bias that feeds a batch norm, which is exactly zero in exact arithmetic) from
a real difference.

What this twin cannot reproduce of the reference (see autogan_torch.py): the
in-place additions of the search cell are computed out of place, and PyTorch
1.1's Adam is written out. The moving average is computed with PyTorch
1.13's mul_ then add_(alpha=0.001); the script checks which float32
arithmetic that is and records it in the metadata ("ema_arithmetic").
"""
import copy
import json

import numpy as np
import torch

import autogan_torch as R
from safetensors_io import save

torch.set_num_threads(1)
LAT, GF, DF, BS, GBS, NCRITIC = 16, 8, 8, 4, 8, 5
LR, BETAS, CTRL_LR = 2e-4, (0.0, 0.9), 3.5e-4


def images(n, size, gen):
    """Smooth random images in [-1, 1] (real data is smooth; pure noise
    would make every batch-norm statistic near-degenerate)."""
    x = torch.randn(n, 3, size // 4, size // 4, generator=gen)
    x = torch.nn.functional.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return torch.tanh(x)


def grads(module, prefix, dtype=R.f32):
    return {prefix + n: dtype(p.grad) for n, p in module.named_parameters() if p.grad is not None}


def clone64(module, make):
    """A float64 copy of a module through its state_dict (deepcopy refuses
    spectral-norm modules after a forward pass)."""
    m = make()
    m.load_state_dict(module.state_dict())
    if hasattr(module, "cur_stage"):
        m.cur_stage = module.cur_stage
    m = m.double()
    # A kept (zeroed) gradient makes Adam step the parameter: copy which
    # parameters have one.
    for (_, p), (_, q) in zip(module.named_parameters(), m.named_parameters()):
        if p.grad is not None:
            q.grad = torch.zeros_like(q)
    return m


def state64(module, prefix):
    """Parameters and float buffers in float64."""
    return {prefix + k: R.f64(v) for k, v in module.state_dict().items() if v.is_floating_point()}


def meta(**kw):
    m = {"generator": "make_step_fixtures.py", "torch": torch.__version__}
    m.update({k: (v if isinstance(v, str) else json.dumps(v)) for k, v in kw.items()})
    return m


# ---- step_sn --------------------------------------------------------------
def make_sn():
    g = torch.Generator().manual_seed(11)
    torch.manual_seed(11)
    lin = torch.nn.utils.spectral_norm(torch.nn.Linear(6, 4))
    T = {"weight_orig": R.f32(lin.weight_orig), "bias": R.f32(lin.bias),
         "u0": R.f32(lin.weight_u), "v0": R.f32(lin.weight_v)}
    x1, x2 = torch.randn(3, 6, generator=g), torch.randn(3, 6, generator=g)
    r1, r2 = torch.randn(3, 4, generator=g), torch.randn(3, 4, generator=g)
    y1 = lin(x1)
    y2 = lin(x2)
    ((y1 * r1).sum() + (y2 * r2).sum()).backward()
    T.update(x1=x1.numpy(), x2=x2.numpy(), r1=r1.numpy(), r2=r2.numpy(), y1=R.f32(y1), y2=R.f32(y2),
             dweight=R.f32(lin.weight_orig.grad), dbias=R.f32(lin.bias.grad),
             u=R.f32(lin.weight_u), v=R.f32(lin.weight_v))
    save("step_sn.safetensors", T, meta())


# ---- step_disc -------------------------------------------------------------
def make_disc():
    torch.manual_seed(21)
    g = torch.Generator().manual_seed(21)
    D0 = R.Discriminator(DF)
    T = {}
    for stage in range(3):
        size = 8 << stage
        real, fake = images(BS, size, g), images(BS, size, g)
        # A fresh D answers 3 to 30 on these images, where the hinge's real
        # term relu(1 - D(real)) is zero and D(real) would get no gradient.
        # D is positively homogeneous in (input, biases) (convolutions, ReLU,
        # average pooling, the sum, a linear layer without bias; spectral
        # norm depends on the weights only), so scaling both by c scales D by
        # c: choose c so that |D| < 0.8 and both terms of the loss are active.
        probe = copy.deepcopy(D0)
        probe.cur_stage = stage
        with torch.no_grad():
            c = 0.8 / float(torch.cat([probe(real), probe(fake)]).abs().max())
        Ds = copy.deepcopy(D0)
        with torch.no_grad():
            for name, p in Ds.named_parameters():
                if name.endswith("bias"):
                    p.mul_(c)
        real, fake = real * c, fake * c
        T.update(R.state(Ds, f"stage{stage}/start.D."))
        T[f"stage{stage}/real"], T[f"stage{stage}/fake"] = real.numpy(), fake.numpy()
        for dt, tag in [(torch.float32, ""), (torch.float64, "f64/")]:
            D = copy.deepcopy(Ds).to(dt)
            D.cur_stage = stage
            real_out = D(real.to(dt))
            fake_out = D(fake.to(dt))
            loss = R.hinge_d(real_out, fake_out)
            loss.backward()
            p = f"{tag}stage{stage}/"
            T.update({p + "real_out": R.f64(real_out), p + "fake_out": R.f64(fake_out), p + "loss": R.f64(loss).reshape(1)})
            T.update(grads(D, p + "grad/", R.f64 if tag else R.f32))
            if not tag:
                T.update(R.state(D, p + "end.D."))
    save("step_disc.safetensors", T, meta(params=R.param_names(D0)))


# ---- step_shared -----------------------------------------------------------
WARM0 = [[1, 0, 1, 1], [0, 1, 2, 0], [1, 2, 0, 1], [0, 0, 1, 1], [1, 1, 2, 0]]
WARM1 = [[1, 0, 1, 1, 0, 1, 0, 1, 1], [0, 1, 2, 0, 1, 2, 1, 0, 0], [1, 2, 0, 1, 1, 0, 2, 1, 1],
         [0, 0, 1, 1, 0, 0, 0, 0, 1], [1, 1, 2, 0, 1, 1, 1, 1, 0]]
CYCLE = [[0, 1, 2, 1, 1, 2, 0, 1, 1, 0, 2, 2, 0, 3],   # BN+deconv, IN+bilinear+skip, IN+deconv (x2, x4 skips)
         [1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 3],   # autogan_cifar10_a
         [0, 2, 0, 0, 1, 1, 2, 0, 1, 0, 1, 0, 1, 2],
         [1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 2, 2, 1, 1],
         [0, 0, 2, 1, 0, 2, 1, 0, 1, 1, 1, 0, 0, 0]]


def shared_cycle(G, D, optG, optD, stage, archs, reals, zs, zg, record=None, tag=""):
    """One train_shared cycle: D steps with a new architecture each, the G
    step after the first (step % n_critic == 0)."""
    for k, arch in enumerate(archs):
        G.set_arch(arch, stage)
        D.cur_stage = stage
        optD.zero_grad()
        loss, _, _ = R.d_backward(G, D, reals[k], zs[k])
        if record is not None:
            record[f"{tag}d{k}/loss"] = R.f64(loss).reshape(1)
            record.update(grads(D, f"{tag}d{k}/grad/", R.f64 if tag else R.f32))
        optD.step()
        if k % NCRITIC == 0:
            optG.zero_grad()
            gl = R.g_backward(G, D, zg)
            if record is not None:
                record[f"{tag}g{k}/loss"] = R.f64(gl).reshape(1)
                record.update(grads(G, f"{tag}g{k}/grad/", R.f64 if tag else R.f32))
            optG.step()


def make_shared():
    torch.manual_seed(31)
    g = torch.Generator().manual_seed(31)
    G, D = R.SearchGenerator(GF, LAT), R.Discriminator(DF)
    optG = R.Adam11(G.named_parameters(), LR, BETAS)
    optD = R.Adam11(D.named_parameters(), LR, BETAS)
    G.train(), D.train()
    for stage, archs in [(0, WARM0), (1, WARM1)]:
        size = 8 << stage
        shared_cycle(G, D, optG, optD, stage, archs, [images(BS, size, g) for _ in archs],
                     [torch.randn(BS, LAT, generator=g) for _ in archs], torch.randn(GBS, LAT, generator=g))
    T = {}
    T.update(R.state(G, "start.G."))
    T.update(R.state(D, "start.D."))
    T.update(optG.export("start.optG."))
    T.update(optD.export("start.optD."))
    reals = [images(BS, 32, g) for _ in CYCLE]
    zs = [torch.randn(BS, LAT, generator=g) for _ in CYCLE]
    zg = torch.randn(GBS, LAT, generator=g)
    for k in range(len(CYCLE)):
        T[f"in/real{k}"], T[f"in/z{k}"] = reals[k].numpy(), zs[k].numpy()
    T["in/zg"] = zg.numpy()
    T["in/archs"] = np.array(CYCLE, np.int64)

    G64, D64 = clone64(G, lambda: R.SearchGenerator(GF, LAT)), clone64(D, lambda: R.Discriminator(DF))
    optG64 = R.Adam11(G64.named_parameters(), LR, BETAS)
    optD64 = R.Adam11(D64.named_parameters(), LR, BETAS)
    optG.copy_to(optG64), optD.copy_to(optD64)
    shared_cycle(G, D, optG, optD, 2, CYCLE, reals, zs, zg, T)
    shared_cycle(G64, D64, optG64, optD64, 2, CYCLE, [r.double() for r in reals], [z.double() for z in zs],
                 zg.double(), T, "f64/")
    T.update(R.state(G, "end.G."))
    T.update(R.state(D, "end.D."))
    T.update(optG.export("end.optG."))
    T.update(optD.export("end.optD."))
    T.update(state64(G64, "f64/end.G."))
    T.update(state64(D64, "f64/end.D."))
    T.update(optG64.export_moments64("f64/end.optG."))
    T.update(optD64.export_moments64("f64/end.optD."))
    save("step_shared.safetensors", T, meta(gen_params=R.param_names(G), dis_params=R.param_names(D),
                                            latent=LAT, gf=GF, df=DF, n_critic=NCRITIC))


# ---- step_controller ------------------------------------------------------
REWARDS = [1.7, 2.3, 2.05]


def controller_steps(ctrl, opt, h0, c0, prefix_idx, actions=None, gen=None, record=None, tag=""):
    """train_controller's loop body for ctrl_sample_batch = 1 (the
    reference's value): reward + entropy_coeff * entropies, the per-token
    baseline (None at the start of every call), adv, the (1xT)*(Tx1)
    broadcast product summed, Adam."""
    baseline, drawn = None, []
    for step, reward in enumerate(REWARDS):
        i = prefix_idx[step]
        hidden = (h0[i:i + 1].clone(), c0[i:i + 1].clone())
        acts, logp, ent, _ = ctrl.run(hidden, None if actions is None else actions[step:step + 1], gen)
        drawn.append(acts)
        r = torch.tensor([reward], dtype=ent.dtype).unsqueeze(-1) + 1e-3 * ent
        baseline = r if baseline is None else 0.9 * baseline.detach() + 0.1 * r
        adv = r - baseline
        loss = (-logp * adv).sum()
        opt.zero_grad()
        loss.backward()
        if record is not None:
            f = R.f64 if tag else R.f32
            record.update({f"{tag}c{step}/loss": R.f64(loss).reshape(1), f"{tag}c{step}/logp": f(logp),
                           f"{tag}c{step}/entropies": f(ent), f"{tag}c{step}/baseline": f(baseline)})
            record.update(grads(ctrl, f"{tag}c{step}/grad/", f))
        opt.step()
    return torch.cat(drawn, 0)


def make_controller():
    torch.manual_seed(41)
    g = torch.Generator().manual_seed(41)
    hid, stage, K = 16, 1, 3
    ctrl = R.Controller(hid, R.tokens_of(stage))
    opt = R.Adam11(ctrl.named_parameters(), CTRL_LR, BETAS)
    h0, c0 = 0.5 * torch.randn(K, hid, generator=g), 0.5 * torch.randn(K, hid, generator=g)
    prefix_idx = [int(x) for x in torch.randint(0, K, (len(REWARDS),), generator=g)]
    T = {"in/h0": h0.numpy(), "in/c0": c0.numpy(), "in/prefix_idx": np.array(prefix_idx, np.int64),
         "in/rewards": np.array(REWARDS, np.float64)}
    T.update(R.state(ctrl, "start.ctrl."))
    ctrl64 = copy.deepcopy(ctrl).double()
    opt64 = R.Adam11(ctrl64.named_parameters(), CTRL_LR, BETAS)
    actions = controller_steps(ctrl, opt, h0, c0, prefix_idx, gen=g, record=T)
    controller_steps(ctrl64, opt64, h0.double(), c0.double(), prefix_idx, actions=actions, record=T, tag="f64/")
    T["in/actions"] = actions.numpy().astype(np.int64)
    T.update(R.state(ctrl, "end.ctrl."))
    T.update(opt.export("end.optC."))
    T.update({"f64/end.ctrl." + n: R.f64(p) for n, p in ctrl64.named_parameters()})
    T.update(opt64.export_moments64("f64/end.optC."))
    save("step_controller.safetensors", T, meta(params=R.param_names(ctrl), hid=hid, stage=stage,
                                                entropy_coeff=1e-3, baseline_decay=0.9))


# ---- step_derived ----------------------------------------------------------
DERIVED = [1, 1, 1, 1, 0, 1, 2, 1, 1, 1, 0, 0, 0, 3]


def ema_arithmetic():
    """Which float32 arithmetic avg.mul_(0.999).add_(p, alpha=0.001) is, on
    this PyTorch: checked element by element on a million random values."""
    g = torch.Generator().manual_seed(5)
    a, p = torch.randn(1 << 20, generator=g), torch.randn(1 << 20, generator=g)
    t = a.clone().mul_(0.999).add_(p, alpha=0.001).numpy()
    a1 = (a.numpy() * np.float32(0.999)).astype(np.float32)
    fused = (a1.astype(np.float64) + np.float64(np.float32(0.001)) * p.numpy().astype(np.float64)).astype(np.float32)
    separate = (a1 + (np.float32(0.001) * p.numpy()).astype(np.float32)).astype(np.float32)
    n_fused, n_sep = int((fused == t).sum()), int((separate == t).sum())
    if n_fused == t.size:
        return "mul then fused multiply-add: fl(fl(a*0.999f) + 0.001f*p)"
    if n_sep == t.size:
        return "mul then multiply then add: fl(fl(a*0.999f) + fl(0.001f*p))"
    raise SystemExit(f"EMA arithmetic not recognised: fused matches {n_fused}, separate {n_sep} of {t.size}")


def derived_cycle(G, D, optG, optD, avg, reals, zs, zg, global_step, record=None, tag=""):
    for k in range(len(reals)):
        optD.zero_grad()
        loss, _, _ = R.d_backward(G, D, reals[k], zs[k])
        if record is not None:
            record[f"{tag}d{k}/loss"] = R.f64(loss).reshape(1)
            record.update(grads(D, f"{tag}d{k}/grad/", R.f64 if tag else R.f32))
        optD.step()
        if (global_step + k) % NCRITIC == 0:
            optG.zero_grad()
            gl = R.g_backward(G, D, zg)
            if record is not None:
                record[f"{tag}g{k}/loss"] = R.f64(gl).reshape(1)
                record.update(grads(G, f"{tag}g{k}/grad/", R.f64 if tag else R.f32))
            optG.step()
            R.ema_update(avg, [p for _, p in G.named_parameters()])


def make_derived():
    torch.manual_seed(51)
    g = torch.Generator().manual_seed(51)
    G, D = R.SearchGenerator(GF, LAT), R.Discriminator(DF)
    G.set_arch(DERIVED, 2)
    optG = R.Adam11(G.named_parameters(), LR, BETAS)
    optD = R.Adam11(D.named_parameters(), LR, BETAS)
    avg = [p.detach().clone() for _, p in G.named_parameters()]
    G.train(), D.train()
    derived_cycle(G, D, optG, optD, avg, [images(BS, 32, g) for _ in range(NCRITIC)],
                  [torch.randn(BS, LAT, generator=g) for _ in range(NCRITIC)], torch.randn(GBS, LAT, generator=g), 0)
    T = {}
    T.update(R.state(G, "start.G."))
    T.update(R.state(D, "start.D."))
    T.update(optG.export("start.optG."))
    T.update(optD.export("start.optD."))
    T.update({"start.ema." + n: R.f32(a) for (n, _), a in zip(G.named_parameters(), avg)})
    reals = [images(BS, 32, g) for _ in range(NCRITIC)]
    zs = [torch.randn(BS, LAT, generator=g) for _ in range(NCRITIC)]
    zg = torch.randn(GBS, LAT, generator=g)
    for k in range(NCRITIC):
        T[f"in/real{k}"], T[f"in/z{k}"] = reals[k].numpy(), zs[k].numpy()
    T["in/zg"] = zg.numpy()
    G64, D64 = clone64(G, lambda: R.SearchGenerator(GF, LAT)), clone64(D, lambda: R.Discriminator(DF))
    G64.set_arch(DERIVED, 2)
    optG64 = R.Adam11(G64.named_parameters(), LR, BETAS)
    optD64 = R.Adam11(D64.named_parameters(), LR, BETAS)
    optG.copy_to(optG64), optD.copy_to(optD64)
    avg64 = [a.double() for a in avg]
    derived_cycle(G, D, optG, optD, avg, reals, zs, zg, NCRITIC, T)
    derived_cycle(G64, D64, optG64, optD64, avg64, [r.double() for r in reals], [z.double() for z in zs],
                  zg.double(), NCRITIC, T, "f64/")
    T.update(R.state(G, "end.G."))
    T.update(R.state(D, "end.D."))
    T.update(optG.export("end.optG."))
    T.update(optD.export("end.optD."))
    T.update({"end.ema." + n: R.f32(a) for (n, _), a in zip(G.named_parameters(), avg)})
    T.update(state64(G64, "f64/end.G."))
    T.update(state64(D64, "f64/end.D."))
    T.update({"f64/end.ema." + n: R.f64(a) for (n, _), a in zip(G64.named_parameters(), avg64)})
    T.update(optG64.export_moments64("f64/end.optG."))
    T.update(optD64.export_moments64("f64/end.optD."))
    # The moving average alone, element by element: the Go test requires
    # the same float32 bits.
    ga = torch.Generator().manual_seed(52)
    a, p = torch.randn(4096, generator=ga), torch.randn(4096, generator=ga)
    T.update({"ema_unit/avg": a.numpy(), "ema_unit/param": p.numpy(),
              "ema_unit/out": a.clone().mul_(0.999).add_(p, alpha=0.001).numpy()})
    save("step_derived.safetensors", T, meta(gen_params=R.param_names(G), dis_params=R.param_names(D),
                                             arch=" ".join(map(str, DERIVED)), latent=LAT, gf=GF, df=DF,
                                             n_critic=NCRITIC, global_step=NCRITIC, ema_decay=0.999,
                                             ema_arithmetic=ema_arithmetic()))


if __name__ == "__main__":
    make_sn()
    make_disc()
    make_shared()
    make_controller()
    make_derived()
    print("wrote step_sn, step_disc, step_shared, step_controller, step_derived (.safetensors)")
