#!/usr/bin/python3
"""Writes small files with torch.save in both of its formats, for the .pth
reader tests (internal/torchfile):

  pth_state_zip.pth, pth_state_legacy.pth
      an OrderedDict state dict (with _metadata) holding float32, float64,
      float16 and int64 tensors, a scalar num_batches_tracked, a
      non-contiguous (transposed) tensor and a view with a storage offset;
  pth_ckpt_zip.pth, pth_ckpt_legacy.pth
      a training checkpoint shaped like AutoGAN's: a dict with epoch,
      best_fid, path_helper, gen_state_dict and avg_gen_state_dict;
  pth_expected.safetensors
      the expected values, flattened row-major.

    /usr/bin/python3 make_pth_fixtures.py
"""
from collections import OrderedDict

import numpy as np
import torch

from safetensors_io import save

torch.manual_seed(3)
base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 7
state = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3)).state_dict()
state["half"] = torch.tensor([1.5, -2.25, 65504.0], dtype=torch.float16)
state["double"] = torch.tensor([[1e-3, 2.0], [3.0, -4.5]], dtype=torch.float64)
state["transposed"] = base.t()          # stride (1, 6): not contiguous
state["offset_view"] = base[1:3, 2:5]   # storage offset 8, stride (6, 1)
state["long"] = torch.tensor([7, -8, 9], dtype=torch.int64)
assert isinstance(state, OrderedDict) and hasattr(state, "_metadata")

gen = OrderedDict([("l1.weight", torch.randn(3, 4)), ("l1.bias", torch.randn(3))])
avg = OrderedDict([(k, v * 0.5) for k, v in gen.items()])
ckpt = {"epoch": 5, "best_fid": 12.42, "path_helper": {"prefix": "logs/autogan_cifar10_a"},
        "gen_state_dict": gen, "avg_gen_state_dict": avg}

for name, obj in (("state", state), ("ckpt", ckpt)):
    torch.save(obj, f"pth_{name}_zip.pth")
    torch.save(obj, f"pth_{name}_legacy.pth", _use_new_zipfile_serialization=False)

expected = {}
for k, v in state.items():
    expected["state/" + k] = v.detach().contiguous().numpy().astype(np.float32 if v.is_floating_point() else np.int64)
for k, v in gen.items():
    expected["gen/" + k] = v.numpy()
    expected["avg/" + k] = avg[k].numpy()
save("pth_expected.safetensors", expected, {"generator": "make_pth_fixtures.py", "torch": torch.__version__})
