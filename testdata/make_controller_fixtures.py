#!/usr/bin/python3
"""Writes controller.safetensors: AutoGAN's stage-2 controller (an LSTMCell,
shared embedding, a decoder per token) sampling two architectures from stored
prefix hidden states, the log-probabilities, entropies and final states of
the sampled actions, and the gradients of one REINFORCE step of the
reference's train_controller (reward 3.5, a given previous baseline), for the
tests of package nas.

    /usr/bin/python3 make_controller_fixtures.py
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from safetensors_io import save

torch.manual_seed(99)
hid, tokens = 24, [2, 3, 3, 2, 4]  # the reference uses 100; a small width keeps the file small


class Controller(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTMCell(hid, hid)
        self.encoder = nn.Embedding(sum(tokens), hid)
        self.decoders = nn.ModuleList([nn.Linear(hid, t) for t in tokens])


c = Controller()
bs = 2
h0, c0 = torch.randn(bs, hid) * 0.5, torch.randn(bs, hid) * 0.5
x = torch.zeros(bs, hid)
hidden = (h0, c0)
logps, ents, acts = [], [], []
for k in range(len(tokens)):
    embed = x if k == 0 else c.encoder(x)
    hx, cx = c.lstm(embed, hidden)
    hidden = (hx, cx)
    logit = c.decoders[k](hx)
    prob, log_prob = F.softmax(logit, dim=-1), F.log_softmax(logit, dim=-1)
    ents.append(-(log_prob * prob).sum(1, keepdim=True))
    action = prob.multinomial(1)
    acts.append(action)
    logps.append(log_prob.gather(1, action.data))
    x = action.view(bs) + sum(tokens[:k])
logp = torch.cat(logps, -1)      # bs × T
ent = torch.cat(ents, 0)          # T·bs × 1
actions = torch.cat(acts, -1)

# One REINFORCE step on the first sample, as train_controller computes it.
reward = 3.5
prev_baseline = torch.tensor([[3.0], [3.2], [3.1], [2.9], [3.3]])
r = torch.tensor([reward]).unsqueeze(-1) + 1e-3 * ent[0::bs]  # this sample's T entropies
baseline = 0.9 * prev_baseline + 0.1 * r
adv = r - baseline
loss = (-logp[0:1] * adv).sum()
loss.backward()

T = {"h0": h0, "c0": c0, "actions": actions.numpy().astype(np.int64), "logp": logp, "entropies": ent,
     "hx": hidden[0], "cx": hidden[1], "prev_baseline": prev_baseline, "baseline": baseline, "loss": loss.reshape(1)}
for name, p in c.named_parameters():
    T["param/" + name] = p
    T["grad/" + name] = p.grad
T = {k: (v.detach().numpy().copy() if isinstance(v, torch.Tensor) else v) for k, v in T.items()}
save("controller.safetensors", T, {"generator": "make_controller_fixtures.py", "torch": torch.__version__})
print("actions", actions.tolist(), "loss", loss.item())
