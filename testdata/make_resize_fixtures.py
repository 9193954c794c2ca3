#!/usr/bin/python3
"""Writes resize.safetensors: random 8-bit RGB images and their PIL
BILINEAR resizes (Pillow, as torchvision's Resize uses it), for the exact
resize test of package cifar: 32->16 and 32->8 (search stages 0 and 1),
96->48 (STL-10), and an odd 37->13 and an upscale 20->32 for good measure.

    /usr/bin/python3 make_resize_fixtures.py
"""
import numpy as np
from PIL import Image
import PIL

from safetensors_io import save

rng = np.random.RandomState(7)
T = {}
for name, size, out in [("s32", 32, (16, 8)), ("s96", 96, (48,)), ("s37", 37, (13,)), ("s20", 20, (32,))]:
    imgs = rng.randint(0, 256, size=(3, size, size, 3), dtype=np.uint8)
    # Smooth content as well as noise: a gradient image.
    yy, xx = np.mgrid[0:size, 0:size]
    imgs[0, :, :, 0] = (xx * 255 // (size - 1)).astype(np.uint8)
    imgs[0, :, :, 1] = (yy * 255 // (size - 1)).astype(np.uint8)
    T[f"{name}/in"] = imgs.transpose(0, 3, 1, 2).copy()  # N,C,H,W
    for o in out:
        res = np.stack([np.asarray(Image.fromarray(im).resize((o, o), Image.BILINEAR)) for im in imgs])
        T[f"{name}/out{o}"] = res.transpose(0, 3, 1, 2).copy()
save("resize.safetensors", T, {"generator": "make_resize_fixtures.py", "pillow": PIL.__version__})
