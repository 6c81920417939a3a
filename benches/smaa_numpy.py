"""Side-by-side peer for `appraise`'s Monte Carlo: the same weights-only SMAA-2
run (uniform simplex weights from exponential draws, which numpy generates
faster than it sorts uniforms; ranks by counting who is
strictly ahead, ties sharing the better rank, central weights) in vectorised
numpy. See docs/performance.md.

Usage: python3 benches/smaa_numpy.py [FILE] [--samples N] [--seed S] [--repeat R]
Prints the best wall time of R runs and the first-rank acceptabilities, so
the two tools' results can be compared within their standard errors.
"""

import argparse
import os
import pathlib
import time
import tomllib

# One BLAS thread: the comparison is with appraise on one thread (and the
# tiny matrix products only slow down when BLAS spreads them over threads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT = HERE.parent / "appraisals" / "children-services-ama-2017.toml"


def load(path):
    doc = tomllib.loads(pathlib.Path(path).read_text())
    crit = [c for c in doc["criteria"] if c.get("weight", 1) > 0]
    ids = [c["id"] for c in crit]
    names = [o["name"] for o in doc["options"]]
    # Unscored cells count as nothing, as in appraise.
    scores = np.array(
        [[float(o.get("scores", {}).get(c, 0.0)) for c in ids] for o in doc["options"]]
    )
    return names, scores


def smaa(scores, samples, seed, chunk=65_536):
    n, m = scores.shape
    rng = np.random.default_rng(seed)
    # Single precision, as appraise uses for this pass: half the memory traffic.
    s32 = scores.astype(np.float32)
    counts = np.zeros(n * n, dtype=np.int64)
    cw = np.zeros((n, m))
    offsets = (np.arange(n, dtype=np.int16) * n)[:, None]
    done = 0
    while done < samples:
        k = min(chunk, samples - done)
        # criterion-major layout: one contiguous row per criterion
        w = rng.standard_exponential((m, k), dtype=np.float32)
        t = s32 @ w  # (n, k) totals, option-major; only their order matters
        # rank of i = number of options strictly ahead of it, all pairs at once
        r = np.add.reduce(t[None, :, :] > t[:, None, :], axis=1, dtype=np.int16)
        counts += np.bincount((r + offsets).ravel(), minlength=n * n)
        w /= w.sum(axis=0)
        cw += (r == 0).astype(np.float32) @ w.T
        done += k
    acc = counts.reshape(n, n) / samples
    firsts = counts.reshape(n, n)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = cw / firsts[:, None]
    return acc, central


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--samples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=10)
    a = ap.parse_args()
    names, scores = load(a.file)
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        acc, central = smaa(scores, a.samples, a.seed)
        best = min(best, time.perf_counter() - t0)
    print(f"numpy {np.__version__}: {a.samples} samples, {scores.shape[0]} options x {scores.shape[1]} criteria")
    print(f"best of {a.repeat}: {best * 1000:.1f} ms")
    for name, b in zip(names, acc[:, 0]):
        se = (b * (1 - b) / a.samples) ** 0.5
        print(f"  {name}: first in {100 * b:.2f}% (se {100 * se:.3f}%)")


if __name__ == "__main__":
    main()
