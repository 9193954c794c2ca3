#!/usr/bin/python3
"""Writes the reference values of the metric tests (package inception):

  fid_cases.safetensors   random statistics (D = 64) and the FID that
                          pytorch-fid's calculate_frechet_distance computes
                          with scipy.linalg.sqrtm, including a rank-deficient
                          case; random logits and the Inception Score of the
                          OpenAI formula (float64 softmax, 10 splits,
                          population std).
  stats_compressed.npz    np.savez_compressed(mu, sigma), as TTUR and
                          pytorch-fid write statistics files
  stats_stored.npz        np.savez (no compression)
  stats_v2_fortran.npz    .npy members with a version 2.0 header, sigma in
                          Fortran order and mu as float32
  stats_v3.npz            version 3.0 headers

    /usr/bin/python3 make_metric_fixtures.py
"""
import io
import zipfile

import numpy as np
import scipy
from scipy import linalg

from safetensors_io import save


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """pytorch-fid's calculate_frechet_distance."""
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("Imaginary component {}".format(np.max(np.abs(covmean.imag))))
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


def inception_score(logits, splits=10):
    """OpenAI improved-gan's formula on float64 softmax probabilities."""
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    scores = []
    n = len(p)
    for i in range(splits):
        part = p[i * n // splits:(i + 1) * n // splits]
        kl = part * (np.log(part) - np.log(np.expand_dims(np.mean(part, 0), 0)))
        scores.append(np.exp(np.mean(np.sum(kl, 1))))
    return np.mean(scores), np.std(scores)


rng = np.random.RandomState(2024)
T = {}
for case, (d, n) in enumerate([(64, 500), (64, 200), (64, 40)]):  # the last is rank-deficient (n < d)
    # float32 features, as the networks produce; statistics in float64.
    a = (rng.randn(n, d) * rng.uniform(0.2, 2.0, size=d)).astype(np.float32).astype(np.float64)
    b = (rng.randn(n, d) @ (np.eye(d) + 0.3 * rng.randn(d, d)) + 0.5).astype(np.float32).astype(np.float64)
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    fid = frechet_distance(mu1, s1, mu2, s2)
    for k, v in dict(mu1=mu1, mu2=mu2, sigma1=s1, sigma2=s2, fid=np.array([fid])).items():
        T[f"case{case}/{k}"] = v
    if case == 1:
        T["case1/feats"] = a.astype(np.float32)  # exact: a holds float32 values
    print(f"case{case}: d={d} n={n} fid={fid!r}")
logits = rng.randn(200, 10) * 3
m, s = inception_score(logits)
T["is/logits"], T["is/mean_std"] = logits, np.array([m, s])
print("IS", m, s)
save("fid_cases.safetensors", T, {"generator": "make_metric_fixtures.py", "numpy": np.__version__, "scipy": scipy.__version__})

mu, sigma = T["case1/mu1"], T["case1/sigma1"]
np.savez_compressed("stats_compressed.npz", mu=mu, sigma=sigma)
np.savez("stats_stored.npz", mu=mu, sigma=sigma)
for name, version in (("stats_v2_fortran.npz", (2, 0)), ("stats_v3.npz", (3, 0))):
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as z:
        for key, arr in (("mu", mu), ("sigma", sigma)):
            if version == (2, 0):
                arr = np.asfortranarray(sigma) if key == "sigma" else mu.astype(np.float32)
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, version=version)
            z.writestr(key + ".npy", buf.getvalue())
