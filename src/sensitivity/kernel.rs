//! The Monte Carlo inner loop, laid out so the compiler vectorises it.
//!
//! Samples are drawn `LANES` at a time. Each lane has its own xoshiro256++
//! stream, and every per-sample quantity is stored as `[f64; LANES]` arrays
//! (structure of arrays), so each step is the same arithmetic across lanes.
//! Only IEEE basic operations are used (no `mul_add`, no library `ln`), so
//! every lane computes bit-for-bit the same whatever vector width the CPU
//! offers; the AVX2 and AVX-512 builds of the loop exist only for speed.

// Lane loops index several arrays in step; that is the pattern the vectoriser wants.
#![allow(clippy::needless_range_loop)]

use rand_xoshiro::Xoshiro256PlusPlus;

/// Samples drawn together, one per lane.
pub const LANES: usize = 8;

/// Coefficients of `q` in `ln(1 + f) = f * q(f)` for `f` in
/// `[sqrt(1/2) - 1, sqrt(2) - 1]`, interpolated at Chebyshev nodes by
/// `benches/fit_log_poly.py`. Largest absolute error of `f * q(f)`: 1.7e-9.
const LOG1P_Q: [f64; 10] = [
    0.999_999_999_383_255_2,
    -0.499_999_884_961_426_33,
    0.333_333_453_498_063_26,
    -0.250_015_790_991_609_5,
    0.200_009_394_404_306_7,
    -0.166_083_694_141_307_94,
    0.141_996_500_971_414_09,
    -0.132_660_313_599_723_63,
    0.128_066_104_383_387_9,
    -0.074_511_862_325_905_1,
];

/// `xoshiro256++` run in `LANES` independent streams at once.
#[derive(Debug, Clone)]
pub struct LaneRng {
    s0: [u64; LANES],
    s1: [u64; LANES],
    s2: [u64; LANES],
    s3: [u64; LANES],
}

impl LaneRng {
    /// Takes the state of one generator per lane.
    pub fn new(streams: &[Xoshiro256PlusPlus; LANES]) -> LaneRng {
        let mut rng = LaneRng {
            s0: [0; LANES],
            s1: [0; LANES],
            s2: [0; LANES],
            s3: [0; LANES],
        };
        for (l, g) in streams.iter().enumerate() {
            let st = g.state();
            let word = |k: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&st[8 * k..8 * k + 8]);
                u64::from_le_bytes(b)
            };
            rng.s0[l] = word(0);
            rng.s1[l] = word(1);
            rng.s2[l] = word(2);
            rng.s3[l] = word(3);
        }
        rng
    }

    /// The next 64-bit output of every lane (the xoshiro256++ reference step).
    #[inline(always)]
    pub fn next_lanes(&mut self) -> [u64; LANES] {
        let mut out = [0u64; LANES];
        for l in 0..LANES {
            out[l] = self.s0[l]
                .wrapping_add(self.s3[l])
                .rotate_left(23)
                .wrapping_add(self.s0[l]);
            let t = self.s1[l] << 17;
            self.s2[l] ^= self.s0[l];
            self.s3[l] ^= self.s1[l];
            self.s1[l] ^= self.s2[l];
            self.s0[l] ^= self.s3[l];
            self.s2[l] ^= t;
            self.s3[l] = self.s3[l].rotate_left(45);
        }
        out
    }
}

/// The open-interval uniform `(k + 0.5) / 2^32` built from 32 random bits,
/// returned as `1 + u` so that it is exact: the bits go straight into the mantissa.
#[inline(always)]
fn one_plus_uniform(k: u64) -> f64 {
    f64::from_bits(0x3FF0_0000_0000_0000 | ((k & 0xFFFF_FFFF) << 20) | (1 << 19))
}

/// `-ln(1 - v)` for `1 + v = m` in `(1, 2)`: a standard exponential variate.
#[inline(always)]
fn exponential(m: f64) -> f64 {
    // 2 - m is exact (Sterbenz) and lies in (0, 1).
    let u = 2.0 - m;
    let bits = u.to_bits();
    // The biased exponent as a float, without an integer-to-float conversion.
    let e =
        f64::from_bits(0x4330_0000_0000_0000 | (bits >> 52)) - (4_503_599_627_370_496.0 + 1023.0);
    let mant = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    let big = mant > std::f64::consts::SQRT_2;
    let mant = if big { mant * 0.5 } else { mant };
    let e = if big { e + 1.0 } else { e };
    let f = mant - 1.0;
    let mut q = LOG1P_Q[9];
    q = q * f + LOG1P_Q[8];
    q = q * f + LOG1P_Q[7];
    q = q * f + LOG1P_Q[6];
    q = q * f + LOG1P_Q[5];
    q = q * f + LOG1P_Q[4];
    q = q * f + LOG1P_Q[3];
    q = q * f + LOG1P_Q[2];
    q = q * f + LOG1P_Q[1];
    q = q * f + LOG1P_Q[0];
    -(e * std::f64::consts::LN_2 + f * q)
}

/// How the weights of one sample are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WeightDraw {
    /// Uniform on the simplex: independent standard exponentials, normalised.
    Simplex,
    /// Each base weight times `1 + spread * (2u - 1)`, `u` uniform on (0, 1).
    Spread(f64),
}

/// Everything the inner loop needs, flattened for speed.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Number of options.
    pub n: usize,
    /// Number of sampled criteria (those with positive weight).
    pub m: usize,
    /// Scores, option-major (`i * m + j`); unscored cells hold 0.
    pub scores: Vec<f64>,
    /// Whether each cell is scored (unscored cells are never perturbed).
    pub present: Vec<bool>,
    /// Base weights of the sampled criteria, normalised to sum 1.
    pub base: Vec<f64>,
    /// How weights are drawn.
    pub weights: WeightDraw,
    /// Half-width of the uniform score perturbation, in score units (0 for none).
    pub score_spread: f64,
    /// Lowest score on the scale.
    pub lo: f64,
    /// Highest score on the scale.
    pub hi: f64,
}

/// Counts and sums from one chunk of samples.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkTally {
    /// `counts[i * n + r]`: samples in which option `i` took rank `r + 1`.
    pub counts: Vec<u64>,
    /// `cw[i * m + j]`: sum of normalised weight `j` over samples where `i` was first.
    pub cw: Vec<f64>,
    /// Sum of the squares of the same.
    pub cw_sq: Vec<f64>,
}

impl ChunkTally {
    /// An empty tally for `n` options and `m` criteria.
    pub fn new(n: usize, m: usize) -> ChunkTally {
        ChunkTally {
            counts: vec![0; n * n],
            cw: vec![0.0; n * m],
            cw_sq: vec![0.0; n * m],
        }
    }

    /// Adds another tally; callers merge in chunk order so float sums are reproducible.
    pub fn add(&mut self, other: &ChunkTally) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.cw.iter_mut().zip(&other.cw) {
            *a += b;
        }
        for (a, b) in self.cw_sq.iter_mut().zip(&other.cw_sq) {
            *a += b;
        }
    }
}

/// Scratch space for one block of `LANES` samples.
struct Scratch {
    w: Vec<[f64; LANES]>,
    s: Vec<[f64; LANES]>,
    t: Vec<[f64; LANES]>,
    r: Vec<[u64; LANES]>,
}

/// Runs `samples` samples of the rank acceptability simulation.
pub fn run_chunk(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            // SAFETY: the CPU supports the features the function is compiled for.
            return unsafe { run_chunk_avx512(p, rng, samples) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: as above.
            return unsafe { run_chunk_avx2(p, rng, samples) };
        }
    }
    run_chunk_generic(p, rng, samples)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2")]
unsafe fn run_chunk_avx512(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    run_chunk_generic(p, rng, samples)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_chunk_avx2(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    run_chunk_generic(p, rng, samples)
}

/// The portable loop; the wrappers above only compile it for wider vectors.
#[inline(always)]
pub fn run_chunk_generic(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    let mut tally = ChunkTally::new(p.n, p.m);
    let pairs = p.m.div_ceil(2);
    let mut sc = Scratch {
        w: vec![[0.0; LANES]; 2 * pairs],
        s: vec![[0.0; LANES]; if p.score_spread > 0.0 { p.n * p.m } else { 0 }],
        t: vec![[0.0; LANES]; p.n],
        r: vec![[0; LANES]; p.n],
    };
    let mut done = 0;
    while done < samples {
        let valid = (samples - done).min(LANES);
        block(p, rng, &mut sc, &mut tally, valid);
        done += valid;
    }
    tally
}

#[inline(always)]
fn block(p: &Problem, rng: &mut LaneRng, sc: &mut Scratch, tally: &mut ChunkTally, valid: usize) {
    let (n, m) = (p.n, p.m);
    // 1. Weights: two 32-bit uniforms from every 64-bit draw.
    for pair in sc.w.chunks_exact_mut(2) {
        let bits = rng.next_lanes();
        let [a, b] = pair else { continue };
        match p.weights {
            WeightDraw::Simplex => {
                for l in 0..LANES {
                    a[l] = exponential(one_plus_uniform(bits[l] >> 32));
                    b[l] = exponential(one_plus_uniform(bits[l]));
                }
            }
            WeightDraw::Spread(_) => {
                for l in 0..LANES {
                    a[l] = one_plus_uniform(bits[l] >> 32) - 1.0;
                    b[l] = one_plus_uniform(bits[l]) - 1.0;
                }
            }
        }
    }
    if let WeightDraw::Spread(spread) = p.weights {
        for (wj, base) in sc.w.iter_mut().zip(&p.base) {
            for x in wj.iter_mut() {
                *x = base * (1.0 + spread * (2.0 * *x - 1.0));
            }
        }
    }
    let w = &sc.w[..m];
    // 2. Scores, perturbed if asked: uniform within the spread, clamped to the scale.
    let scores_now: &[[f64; LANES]] = if p.score_spread > 0.0 {
        let cells = n * m;
        let mut c = 0;
        while c < cells {
            let bits = rng.next_lanes();
            for half in 0..2 {
                let Some(slot) = sc.s.get_mut(c) else { break };
                let base = p.scores[c];
                if p.present[c] {
                    for l in 0..LANES {
                        let k = if half == 0 { bits[l] >> 32 } else { bits[l] };
                        let u = one_plus_uniform(k) - 1.0;
                        let v = base + p.score_spread * (2.0 * u - 1.0);
                        slot[l] = v.max(p.lo).min(p.hi);
                    }
                } else {
                    *slot = [0.0; LANES];
                }
                c += 1;
            }
        }
        &sc.s
    } else {
        &[]
    };
    // 3. Totals (unnormalised weights: only the order matters here).
    for (i, t) in sc.t.iter_mut().enumerate() {
        let mut acc = [0.0; LANES];
        for (j, wj) in w.iter().enumerate() {
            if p.score_spread > 0.0 {
                let s = &scores_now[i * m + j];
                for l in 0..LANES {
                    acc[l] += s[l] * wj[l];
                }
            } else {
                let s = p.scores[i * m + j];
                for l in 0..LANES {
                    acc[l] += s * wj[l];
                }
            }
        }
        *t = acc;
    }
    // 4. Ranks by counting who is strictly ahead: ties share the better rank.
    for (i, r) in sc.r.iter_mut().enumerate() {
        let ti = sc.t[i];
        let mut c = [0u64; LANES];
        for tk in &sc.t {
            for l in 0..LANES {
                c[l] += u64::from(tk[l] > ti[l]);
            }
        }
        *r = c;
    }
    // 5. Tally ranks, and the normalised weights of whoever is first.
    for l in 0..valid {
        let mut inv = None;
        for i in 0..n {
            let rank = sc.r[i][l] as usize;
            if let Some(c) = tally.counts.get_mut(i * n + rank) {
                *c += 1;
            }
            if rank == 0 {
                let inv = *inv.get_or_insert_with(|| 1.0 / w.iter().map(|x| x[l]).sum::<f64>());
                let row = i * m;
                for (j, wj) in w.iter().enumerate() {
                    let x = wj[l] * inv;
                    tally.cw[row + j] += x;
                    tally.cw_sq[row + j] += x * x;
                }
            }
        }
    }
}

/// Counts, for each option with central weights, the samples of perturbed
/// scores in which it ranks first (ties count) under those weights.
pub fn confidence_chunk(
    p: &Problem,
    central: &[Option<Vec<f64>>],
    rng: &mut LaneRng,
    samples: usize,
) -> Vec<u64> {
    let (n, m) = (p.n, p.m);
    let mut firsts = vec![0u64; n];
    let mut s = vec![[0.0; LANES]; n * m];
    let mut t = vec![[0.0; LANES]; n];
    let mut done = 0;
    while done < samples {
        let valid = (samples - done).min(LANES);
        let mut c = 0;
        while c < n * m {
            let bits = rng.next_lanes();
            for half in 0..2 {
                let Some(slot) = s.get_mut(c) else { break };
                let base = p.scores[c];
                if p.present[c] {
                    for l in 0..LANES {
                        let k = if half == 0 { bits[l] >> 32 } else { bits[l] };
                        let u = one_plus_uniform(k) - 1.0;
                        let v = base + p.score_spread * (2.0 * u - 1.0);
                        slot[l] = v.max(p.lo).min(p.hi);
                    }
                } else {
                    *slot = [0.0; LANES];
                }
                c += 1;
            }
        }
        for (o, cw) in central.iter().enumerate() {
            let Some(cw) = cw else { continue };
            for (i, ti) in t.iter_mut().enumerate() {
                let mut acc = [0.0; LANES];
                for (j, wj) in cw.iter().enumerate() {
                    let sij = &s[i * m + j];
                    for l in 0..LANES {
                        acc[l] += sij[l] * wj;
                    }
                }
                *ti = acc;
            }
            let mine = t[o];
            let mut first = [true; LANES];
            for tk in &t {
                for l in 0..LANES {
                    first[l] &= tk[l] <= mine[l];
                }
            }
            firsts[o] += first[..valid].iter().filter(|&&f| f).count() as u64;
        }
        done += valid;
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_xoshiro::rand_core::{Rng, SeedableRng};

    #[test]
    fn lanes_match_the_reference_generator() {
        let mut gens: [Xoshiro256PlusPlus; LANES] =
            std::array::from_fn(|l| Xoshiro256PlusPlus::seed_from_u64(l as u64 * 7 + 1));
        let mut lanes = LaneRng::new(&gens);
        for _ in 0..100 {
            let got = lanes.next_lanes();
            for (l, g) in gens.iter_mut().enumerate() {
                assert_eq!(got[l], g.next_u64());
            }
        }
    }

    #[test]
    fn exponentials_are_accurate() {
        for k in [
            0u64,
            1,
            2,
            1000,
            1 << 31,
            (1 << 32) - 2,
            (1 << 32) - 1,
            123_456_789,
        ] {
            let m = one_plus_uniform(k);
            let u = 1.0 - (k as f64 + 0.5) / 4_294_967_296.0;
            assert_eq!(2.0 - m, u);
            let want = -u.ln();
            let got = exponential(m);
            assert!((got - want).abs() < 2e-9, "k={k}: {got} vs {want}");
        }
        // Dense sweep of the whole range.
        for i in 0..100_000u64 {
            let k = i * 42_949;
            let m = one_plus_uniform(k);
            let u = 2.0 - m;
            assert!((exponential(m) + u.ln()).abs() < 2e-9);
        }
    }
}
