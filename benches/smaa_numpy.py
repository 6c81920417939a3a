"""Side-by-side peer for `appraise`'s Monte Carlo: the same weights-only SMAA-2
run (uniform simplex weights from exponential draws, which numpy generates
faster than it sorts uniforms; ranks by counting who is
strictly ahead, ties sharing the better rank, central weights) in vectorised
numpy. See docs/performance.md.

Usage: python3 benches/smaa_numpy.py [FILE] [--samples N] [--seed S] [--repeat R] [--case C]
Prints the best wall time of R runs and the first-rank acceptabilities, so
the two tools' results can be compared within their standard errors.

With --compare BINARY (a release build of appraise), each of R rounds times
the numpy peer and then `BINARY sensitivity` on one thread on every
instruction set the CPU has (APPRAISE_SIMD=scalar, avx2, avx512), so the
ratios come from runs made back to back under the same load. appraise's
time per million samples is the difference between a long run and a
one-sample run of the same command (which leaves out loading, the exact
analyses and starting the process), divided by the millions.

--case chooses what the panel agrees on about the weights (issue 18), the
same for both tools: `plain` (nothing: any weighting), `order` (a complete
order, the criteria in file order: numpy sorts each sample's shares),
`share` (the fifth criterion between 10% and 30%: both propose from the
simplex shifted up by the lower bound and reject samples outside), `tight`
(the eighth criterion between 30% and 31% and the sixth at most 2%: numpy
rejects from the shifted simplex, about 1.4% passing, appraise walks
hit-and-run chains), `ranges` (issue 18 §4: the example with a ninth,
measured criterion whose transition costs are ranges,
tests/fixtures/v2/ranges-example.toml, which this case always reads: both
tools draw each option's cost uniformly from its range in every sample and
score it on a local linear scale, the cheapest of that sample scoring 5 and
the dearest 0, then draw the costs again for the confidence factors at the
central weights), or `all` (every case but `ranges`).
"""

import argparse
import os
import pathlib
import resource
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
RANGES = HERE.parent / "tests" / "fixtures" / "v2" / "ranges-example.toml"


def load(path):
    doc = tomllib.loads(pathlib.Path(path).read_text())
    crit = [c for c in doc["criteria"] if c.get("weight", 1) > 0]
    ids = [c["id"] for c in crit]
    names = [o["name"] for o in doc["options"]]
    # Unscored cells count as nothing, as in appraise.
    scores = np.array(
        [[float(o.get("scores", {}).get(c, 0.0)) for c in ids] for o in doc["options"]]
    )
    return names, scores, ids


def load_ranges(path):
    """The judged scores as `load` gives them, and each option's (low, high)
    for the one measured criterion, which comes last."""
    doc = tomllib.loads(pathlib.Path(path).read_text())
    judged = [c["id"] for c in doc["criteria"] if "unit" not in c]
    measured = [c["id"] for c in doc["criteria"] if "unit" in c]
    assert len(measured) == 1 and doc["criteria"][-1]["id"] == measured[0]
    scores = np.array([[float(o["scores"].get(c, 0.0)) for c in judged] for o in doc["options"]])
    ranges = np.array([[o["measures"][measured[0]]["low"], o["measures"][measured[0]]["high"]] for o in doc["options"]])
    return [o["name"] for o in doc["options"]], scores, ranges


def ranged_scores(rng, ranges, k, top=5.0):
    """k draws of every option's cost, scored on the local linear scale
    (lower is better): (n, k) scores."""
    low, high = ranges[:, :1], ranges[:, 1:]
    raw = low + rng.random((ranges.shape[0], k)) * (high - low)
    best, worst = raw.min(axis=0), raw.max(axis=0)
    return top * (raw - worst) / (best - worst)


def smaa_ranges(scores, ranges, samples, seed, chunk=65_536):
    """The rank pass and the confidence pass with costs drawn from ranges,
    in double precision, as appraise runs them."""
    n, m = scores.shape
    rng = np.random.default_rng(seed)
    counts = np.zeros(n * n, dtype=np.int64)
    cw = np.zeros((n, m + 1))
    offsets = (np.arange(n, dtype=np.int16) * n)[:, None]
    done = 0
    while done < samples:
        k = min(chunk, samples - done)
        w = rng.standard_exponential((m + 1, k))
        w /= w.sum(axis=0)
        t = scores @ w[:m] + ranged_scores(rng, ranges, k) * w[m]
        r = np.add.reduce(t[None, :, :] > t[:, None, :], axis=1, dtype=np.int16)
        counts += np.bincount((r + offsets).ravel(), minlength=n * n)
        cw += (r == 0).astype(np.float64) @ w.T
        done += k
    firsts = counts.reshape(n, n)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = cw / firsts[:, None]
    confidence = np.zeros(n)
    done = 0
    while done < samples:
        k = min(chunk, samples - done)
        cost = ranged_scores(rng, ranges, k)
        for i in np.nonzero(firsts)[0]:
            t = scores @ central[i, :m][:, None] + cost * central[i, m]
            confidence[i] += np.count_nonzero(t[i] >= t.max(axis=0))
        done += k
    return counts.reshape(n, n) / samples, central, confidence / samples


CASES = ["plain", "order", "share", "tight"]


def flags(case, ids):
    """appraise's flags for a case."""
    if case == "order":
        return ["--order", ">".join(ids)]
    if case == "share":
        return ["--share", f"{ids[4]}=10%..30%"]
    if case == "tight":
        return ["--share", f"{ids[7]}=30%..31%", "--share", f"{ids[5]}=..2%"]
    return []


def keep(case, w):
    """The samples (columns of normalised shares) that meet a case's bounds."""
    if case == "share":
        return (w[4] >= 0.1) & (w[4] <= 0.3)
    if case == "tight":
        return (w[7] >= 0.3) & (w[7] <= 0.31) & (w[5] <= 0.02)
    return None


def smaa(scores, samples, seed, chunk=65_536, case="plain"):
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
        if case != "plain":
            w /= w.sum(axis=0)
            # Proposals as appraise makes them: the simplex shifted up by
            # the lower bound, then rejection.
            if case == "share":
                w *= 0.9
                w[4] += 0.1
            elif case == "tight":
                w *= 0.7
                w[7] += 0.3
            if case == "order":
                w = np.sort(w, axis=0)[::-1]
            else:
                w = w[:, keep(case, w)][:, :k]
                k = w.shape[1]
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


# Wall time, or with --cpu-time the CPU time the process itself used: on a
# machine shared with other work, waiting for a core inflates wall time but
# not CPU time, so CPU time compares the two programs fairly there.
CPU_TIME = False


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def own_clock():
    return time.process_time() if CPU_TIME else time.perf_counter()


def appraise_seconds(binary, file, isa, samples, extra=()):
    """Time of one single-threaded `sensitivity` run, or None if the
    binary refuses the instruction set (the CPU lacks it)."""
    env = dict(os.environ, APPRAISE_SIMD=isa)
    cmd = [binary, "sensitivity", file, "--samples", str(samples), "--threads", "1", "--format", "json", *extra]
    t0, c0 = time.perf_counter(), children_cpu()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = (children_cpu() - c0) if CPU_TIME else (time.perf_counter() - t0)
    return elapsed if done.returncode == 0 else None


def compare(a, peer, extra, case):
    # The portable path is slow (no FMA instruction at the SSE2 baseline),
    # so it runs fewer samples; the ranges run is not dispatched by
    # instruction set, and runs 2M samples on every path.
    millions = {"scalar": 1, "avx2": 10, "avx512": 10}
    if case == "ranges":
        millions = {isa: 2 for isa in millions}
    best_numpy = float("inf")
    best = {isa: float("inf") for isa in millions}
    for _ in range(a.repeat):
        t0 = own_clock()
        peer(1_000_000, a.seed)
        best_numpy = min(best_numpy, own_clock() - t0)
        for isa, mil in millions.items():
            long = appraise_seconds(a.compare, a.file, isa, mil * 1_000_000, extra)
            short = appraise_seconds(a.compare, a.file, isa, 1, extra)
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
    print(f"case {case} {' '.join(extra)}")
    clock = "CPU time" if CPU_TIME else "wall time"
    print(f"{cpu}; load average {os.getloadavg()[0]:.2f}; numpy {np.__version__}; best of {a.repeat} rounds; {clock}")
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
    ap.add_argument("--case", choices=CASES + ["all", "ranges"], default="plain", help="weight constraints, or raw values as ranges")
    ap.add_argument("--cpu-time", action="store_true", help="compare CPU time, not wall time (for a busy machine)")
    a = ap.parse_args()
    global CPU_TIME
    CPU_TIME = a.cpu_time
    if a.case == "ranges":
        a.file = str(RANGES)
        names, scores, ranges = load_ranges(a.file)
        peer = lambda samples, seed: smaa_ranges(scores, ranges, samples, seed)  # noqa: E731
        if a.compare:
            compare(a, peer, [], "ranges")
            return
        best = float("inf")
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            acc, _, _ = peer(a.samples, a.seed)
            best = min(best, time.perf_counter() - t0)
        report(a, names, acc, best, scores.shape[1] + 1)
        return
    names, scores, ids = load(a.file)
    cases = CASES if a.case == "all" else [a.case]
    if a.compare:
        for case in cases:
            compare(a, lambda samples, seed: smaa(scores, samples, seed, case=case), flags(case, ids), case)
        return
    best = float("inf")
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        acc, central = smaa(scores, a.samples, a.seed, case=cases[0])
        best = min(best, time.perf_counter() - t0)
    report(a, names, acc, best, scores.shape[1])


def report(a, names, acc, best, criteria):
    print(f"numpy {np.__version__}: {a.samples} samples, {len(names)} options x {criteria} criteria")
    print(f"best of {a.repeat}: {best * 1000:.1f} ms")
    for name, b in zip(names, acc[:, 0]):
        se = (b * (1 - b) / a.samples) ** 0.5
        print(f"  {name}: first in {100 * b:.2f}% (se {100 * se:.3f}%)")


if __name__ == "__main__":
    main()
