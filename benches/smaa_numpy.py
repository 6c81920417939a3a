"""Side-by-side peer for `appraise`'s Monte Carlo: the same weights-only SMAA-2
run (uniform simplex weights from exponential draws, which numpy generates
faster than it sorts uniforms; ranks by counting who is
strictly ahead, ties sharing the better rank, central weights) in vectorised
numpy. See docs/performance.md.

Usage: python3 benches/smaa_numpy.py [FILE] [--samples N] [--seed S] [--repeat R]
Prints the best wall time of R runs and the first-rank acceptabilities, so
the two tools' results can be compared within their standard errors.

With --compare BINARY (a release build of appraise), each of R rounds times
the numpy peer and then `BINARY sensitivity` on one thread on every
instruction set the CPU has (APPRAISE_SIMD=scalar, avx2, avx512), so the
ratios come from runs made back to back under the same load. appraise's
time per million samples is the difference between a long run and a
one-sample run of the same command (which leaves out loading, the exact
analyses and starting the process), divided by the millions.
"""

import argparse
import os
import pathlib
import subprocess
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


def appraise_seconds(binary, file, isa, samples):
    """Wall time of one single-threaded `sensitivity` run, or None if the
    binary refuses the instruction set (the CPU lacks it)."""
    env = dict(os.environ, APPRAISE_SIMD=isa)
    cmd = [binary, "sensitivity", file, "--samples", str(samples), "--threads", "1", "--format", "json"]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    return elapsed if done.returncode == 0 else None


def compare(a, scores):
    # The portable path is slow (no FMA instruction at the SSE2 baseline),
    # so it runs fewer samples.
    millions = {"scalar": 1, "avx2": 10, "avx512": 10}
    best_numpy = float("inf")
    best = {isa: float("inf") for isa in millions}
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        smaa(scores, 1_000_000, a.seed)
        best_numpy = min(best_numpy, time.perf_counter() - t0)
        for isa, mil in millions.items():
            long = appraise_seconds(a.compare, a.file, isa, mil * 1_000_000)
            short = appraise_seconds(a.compare, a.file, isa, 1)
            if long is None or short is None:
                best[isa] = None
                continue
            # On a loaded machine the difference can come out at or below
            # zero; such a round says nothing and is left out.
            if best[isa] is not None and long > short:
                best[isa] = min(best[isa], (long - short) / mil)
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        "unknown CPU",
    )
    print(f"{cpu}; load average {os.getloadavg()[0]:.2f}; numpy {np.__version__}; best of {a.repeat} rounds")
    print(f"numpy peer: {best_numpy * 1000:.1f} ms per million samples")
    for isa, t in best.items():
        if t is None:
            print(f"appraise {isa}: not run (this CPU does not have it)")
        elif t == float("inf"):
            print(f"appraise {isa}: no usable round (the machine is too busy)")
        else:
            print(f"appraise {isa}: {t * 1000:.1f} ms per million samples, {best_numpy / t:.1f} times faster than numpy")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--samples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--compare", metavar="BINARY", help="time this appraise build too")
    a = ap.parse_args()
    names, scores = load(a.file)
    if a.compare:
        compare(a, scores)
        return
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
