#!/usr/bin/python3
"""Fixtures of the study's statistics, computed with SciPy.

    /usr/bin/python3 nas/study/testdata/make_stats_fixtures.py

writes nas/study/testdata/stats.json: for small samples like a study's
(3 to 12 values, with ties), Spearman's rho (scipy.stats.spearmanr), the
ranks (scipy.stats.rankdata), the two-sided exact permutation test of the
difference of means (scipy.stats.permutation_test, independent samples,
every split), and a percentile bootstrap interval of rho
(scipy.stats.bootstrap, paired, 20000 resamples; ours uses another random
stream, so the test allows for the Monte Carlo error of both).
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20191027)


def perm_p(a, b):
    res = stats.permutation_test(
        (a, b), lambda x, y: np.mean(x) - np.mean(y), permutation_type="independent",
        alternative="two-sided", n_resamples=np.inf, vectorized=False)
    return float(res.statistic), float(res.pvalue)


def boot(x, y):
    res = stats.bootstrap((x, y), lambda u, v: stats.spearmanr(u, v)[0], paired=True,
                          vectorized=False, n_resamples=20000, method="percentile",
                          confidence_level=0.95, random_state=np.random.default_rng(7))
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


cases = {"permutation": [], "spearman": [], "bootstrap": []}
perm_samples = [
    ([41.2, 38.7, 44.0, 40.1, 39.5], [45.3, 47.1, 43.8, 46.0, 44.9]),  # clearly apart
    ([41.2, 38.7, 44.0, 40.1, 39.5], [40.3, 42.1, 39.8, 41.0, 43.9]),  # overlapping
    ([3.1, 2.9, 3.4], [3.0, 3.3, 2.8]),                                # 3 vs 3
    ([12.0, 15.5, 11.2, 14.1, 13.3], [16.2, 14.9, 17.5]),              # 5 vs 3
    ([1.0, 2.0, 2.0, 3.0], [2.0, 3.0, 3.0, 4.0]),                      # ties
    ([1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 100.0]),                    # 5 vs 3, skewed: 2·min(one-sided)
    ([40.31, 39.87, 41.02, 40.55, 39.64], [40.12, 40.98, 40.47, 39.91, 41.3]),  # FIDs near 40, close
    ([5.013, 4.987, 5.102, 4.955, 5.061], [5.013, 5.044, 4.921, 5.088, 4.969]),  # IS, one value in both
]
for a, b in perm_samples:
    d, p = perm_p(np.array(a), np.array(b))
    cases["permutation"].append({"a": a, "b": b, "diff": d, "p": p})

for n, ties in [(5, False), (8, True), (12, False), (16, True), (20, False)]:
    x = rng.normal(size=n)
    y = 0.7 * x + 0.7 * rng.normal(size=n)
    if ties:
        x, y = np.round(x, 1), np.round(y, 0)
    x, y = [float(v) for v in x], [float(v) for v in y]
    rho = float(stats.spearmanr(x, y)[0])
    cases["spearman"].append({"x": x, "y": y, "rho": rho,
                              "rank_x": [float(v) for v in stats.rankdata(x)]})
    if n >= 12:
        lo, hi = boot(np.array(x), np.array(y))
        cases["bootstrap"].append({"x": x, "y": y, "lo": lo, "hi": hi, "resamples": 20000})

cases["versions"] = {"numpy": np.__version__, "scipy": scipy.__version__}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=1)
print("wrote", out)
