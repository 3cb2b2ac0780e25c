#!/usr/bin/env python3
"""Writes the reference values the Stats tests compare against, into Fixtures/stats/*.csv.

Run once when the cases change (the Swift tests need no Python):

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install numpy scipy
    /tmp/peers/bin/python scripts/reference/stats_reference.py

Every number comes from scipy (or, for Holm and the bootstrap, from a separate numpy
implementation written here from the papers' definitions), never from reslab's code.
"""
import csv
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parents[2] / "Fixtures" / "stats"


def write(name, header, rows):
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["# scipy " + scipy.__version__ + ", numpy " + np.__version__])
        w.writerow(header)
        for row in rows:
            w.writerow([repr(v) if isinstance(v, float) else v for v in row])


def wilson():
    cases = [(0, 1), (1, 1), (0, 10), (10, 10), (5, 10), (1, 2), (31, 100), (713, 1000),
             (1853, 2000), (0, 2000), (2000, 2000), (1, 10000), (9999, 10000), (7000, 10000)]
    rows = []
    for confidence in (0.95, 0.90, 0.99):
        for k, n in cases:
            ci = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
            rows.append((k, n, confidence, float(ci.low), float(ci.high)))
    write("wilson.csv", ["successes", "trials", "confidence", "lower", "upper"], rows)


def quantiles():
    rows = []
    for p in (0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 1e-10):
        rows.append(("normal", 0.0, p, float(stats.norm.ppf(p))))
    for df in (1, 2, 3, 4, 9, 29, 100, 1000):
        for p in (0.6, 0.95, 0.975, 0.995, 0.025):
            rows.append(("t", float(df), p, float(stats.t.ppf(p, df))))
    write("quantiles.csv", ["distribution", "df", "p", "quantile"], rows)


def seed_summaries():
    cases = [[0.71], [0.70, 0.74], [0.70, 0.72, 0.75], [0.61, 0.64, 0.60, 0.66, 0.62],
             [0.9, 0.9, 0.9]]
    rows = []
    for values in cases:
        a = np.array(values)
        sd = float(a.std(ddof=1)) if len(a) > 1 else 0.0
        if len(a) >= 3 and sd > 0:
            low, high = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
        elif len(a) >= 3:
            low = high = float(a.mean())
        else:
            low = high = float("nan")
        rows.append((" ".join(repr(v) for v in values), float(a.mean()), sd, float(low), float(high)))
    write("seeds.csv", ["values", "mean", "sd", "lower", "upper"], rows)


def mcnemar():
    # Exact McNemar = two-sided binomial test of b successes in b + c trials at 1/2.
    # With no discordant pairs there is no evidence of a difference: p = 1 by definition
    # (scipy's binomtest refuses n = 0).
    cases = [(0, 1), (1, 0), (0, 5), (3, 3), (10, 2), (25, 40), (100, 150), (500, 620), (0, 60),
             (5000, 5200), (1000, 1300), (1, 2), (7, 8), (0, 1500)]
    rows = [(0, 0, 1.0)]
    for b, c in cases:
        rows.append((b, c, float(stats.binomtest(b, b + c, 0.5).pvalue)))
    write("mcnemar.csv", ["b", "c", "p"], rows)


def holm():
    # Holm 1979, step-down: reject H(1..k) while p(i) <= alpha / (m - i + 1); the adjusted
    # p-value of H(i) is the smallest alpha at which it would be rejected.
    cases = [[0.01, 0.04, 0.03, 0.005], [0.5], [0.2, 0.2, 0.2], [1e-6, 0.04, 0.049, 0.9, 0.01],
             [0.03, 0.03]]
    rows = []
    for ps in cases:
        m = len(ps)
        adjusted = []
        for p in ps:
            # smallest alpha rejecting this one = max over the steps up to its rank
            ordered = sorted(ps)
            rank = ordered.index(p)
            adjusted.append(min(1.0, max((m - j) * ordered[j] for j in range(rank + 1))))
        rows.append((" ".join(repr(p) for p in ps), " ".join(repr(a) for a in adjusted)))
    write("holm.csv", ["p", "adjusted"], rows)


def bootstrap():
    # Paired bootstrap of an accuracy difference with numpy's generator and many replicates;
    # the Swift test allows the Monte Carlo error of its own 2000 replicates.
    rng = np.random.default_rng(20261126)
    rows = []
    for n, b, c in ((2000, 150, 100), (1000, 40, 45), (500, 0, 12), (10000, 700, 500)):
        d = np.zeros(n)
        d[:b] = 1
        d[b:b + c] = -1
        reps = np.array([d[rng.integers(0, n, n)].mean() for _ in range(20000)])
        low, high = np.percentile(reps, [2.5, 97.5])
        rows.append((n, b, c, float(low), float(high)))
    write("bootstrap.csv", ["images", "b", "c", "lower", "upper"], rows)


if __name__ == "__main__":
    wilson()
    quantiles()
    seed_summaries()
    mcnemar()
    holm()
    bootstrap()
