//! The Monte Carlo inner loops, laid out so every step is the same
//! arithmetic across a group of samples.
//!
//! Samples are evaluated in blocks of [`BLOCK`]; every per-sample quantity is
//! a `[f32; BLOCK]` row (structure of arrays). The random bits come from
//! [`LANES`] xoshiro256++ streams advanced together.
//!
//! There are two loops, each written once for every instruction set:
//!
//! - the *register loop* (module `fast`), for the common case: weights
//!   uniform on a simplex (the whole simplex or the one that a set of
//!   constraints maps to), fixed scores, at most 16 options and 16 sampled
//!   coordinates. It is generic over the small vector trait in module
//!   `simd`, implemented for AVX-512, for AVX2 with FMA and for plain arrays,
//!   and keeps one group of 16 samples in registers from the random bits to
//!   the rank counters;
//! - the *general loop* (here), for everything else (score and weight
//!   spreads, more options or criteria, exponentials past 64 criteria),
//!   written for the compiler to vectorise and compiled for the same three
//!   instruction sets.
//!
//! The rank acceptability pass works in `f32`: simplex weights as the gaps
//! between uniforms sorted by a sorting network (or, for many criteria,
//! exponential variates from a polynomial logarithm with absolute error below
//! 1.1e-7), totals and comparisons in single precision. `docs/methods.md`
//! gives the tolerance argument, and the tests compare the rank counts with
//! an `f64` evaluation of the same draws. Only correctly rounded
//! operations are used (IEEE basic operations, and fused multiply-add for
//! the totals; no library `ln`), so every sample computes bit-for-bit the
//! same on every machine and in both loops, whichever instruction set runs
//! them; the tests check it for every path the machine can run.
//!
//! The instruction set is the best the CPU has, or the one named by the
//! environment variable [`ISA_VAR`] (for benchmarks and tests). The fused
//! multiply-adds are hardware instructions on the AVX2 and AVX-512 paths;
//! the portable path on x86 (SSE2, which has no FMA) gets `mul_add` as a call
//! to the C library's correctly rounded `fmaf`: slower, the same numbers.

// Lane loops index several arrays in step; that is the pattern the vectoriser wants.
#![allow(clippy::needless_range_loop)]

use std::fmt;

use rand_xoshiro::Xoshiro256PlusPlus;
use thiserror::Error;

mod fast;
mod simd;

/// Independent random streams advanced together (one vector of `u64`).
pub const LANES: usize = 8;

/// Samples evaluated together in one block.
pub const BLOCK: usize = 64;

/// 32-bit values produced by one step of the streams: one group of samples.
const WORDS: usize = 2 * LANES;

/// Groups of [`WORDS`] samples in a block.
const GROUPS: usize = BLOCK / WORDS;

const _: () = assert!(WORDS == simd::WIDTH);

/// Coefficients of `q` in `ln(1 + f) = f * q(f)` for `f` in
/// `[sqrt(1/2) - 1, sqrt(2) - 1]`, interpolated at Chebyshev nodes by
/// `benches/fit_log_poly.py`; evaluated in `f32`, the largest absolute error
/// of `f * q(f)` is 1.1e-7.
const LOG1P_Q: [f32; 8] = [
    0.999_999_94,
    -0.500_003_76,
    0.333_346_07,
    -0.249_689_07,
    0.199_133_49,
    -0.172_782_06,
    0.161_262_48,
    -0.098_953_51,
];

/// Above this many options, ranks are tallied one sample at a time rather
/// than with byte-packed counters.
const HISTOGRAM_MAX_OPTIONS: usize = 16;

/// Above this many options, ranks come from sorting rather than pairwise
/// counting: counting grows as `n^2` and sorting as `n log n`, and on the
/// benchmark machine they cost the same at about 300 options.
const PAIRWISE_MAX_OPTIONS: usize = 256;

/// The environment variable that forces an instruction set: `scalar`,
/// `avx2` or `avx512` (case-insensitive); unset or empty for the best the
/// CPU has.
pub const ISA_VAR: &str = "APPRAISE_SIMD";

/// An instruction set the Monte Carlo loops are compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// Plain Rust, vectorised by the compiler for the baseline target
    /// (SSE2 on x86-64); what every other architecture runs.
    Scalar,
    /// AVX2 with FMA (x86-64 from about 2013 on).
    Avx2,
    /// AVX-512 F, BW, DQ and VL.
    Avx512,
}

impl Isa {
    /// Every instruction set, narrowest first.
    pub const ALL: [Isa; 3] = [Isa::Scalar, Isa::Avx2, Isa::Avx512];

    /// The name [`ISA_VAR`] takes.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// Whether this CPU can run it.
    pub fn available(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => simd::Avx2::new().is_some(),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => simd::Avx512::new().is_some(),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The widest this CPU can run.
    pub fn best() -> Isa {
        Isa::ALL
            .into_iter()
            .rev()
            .find(|isa| isa.available())
            .unwrap_or(Isa::Scalar)
    }

    /// The instruction set named by `value` (as [`ISA_VAR`] gives it).
    pub fn from_name(value: &str) -> Option<Isa> {
        Isa::ALL
            .into_iter()
            .find(|isa| isa.name().eq_ignore_ascii_case(value.trim()))
    }

    /// The instruction set to run: the one [`ISA_VAR`] names, or the best
    /// available. Naming one this CPU lacks is an error rather than a quiet
    /// fallback, so a benchmark or test never measures another path than
    /// it says.
    pub fn chosen() -> Result<Isa, IsaError> {
        match std::env::var(ISA_VAR) {
            Ok(v) if !v.trim().is_empty() => {
                let isa = Isa::from_name(&v).ok_or_else(|| IsaError::Unknown(v.clone()))?;
                if isa.available() {
                    Ok(isa)
                } else {
                    Err(IsaError::Unavailable(isa))
                }
            }
            _ => Ok(Isa::best()),
        }
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why [`ISA_VAR`] cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IsaError {
    /// Not the name of an instruction set.
    #[error("{ISA_VAR}={0:?} is not an instruction set: use scalar, avx2 or avx512")]
    Unknown(String),
    /// This CPU lacks it.
    #[error("{ISA_VAR} asks for {0}, which this CPU does not have")]
    Unavailable(Isa),
}

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

/// The uniform `(k + 0.5) / 2^23` on (0, 1) from the top 23 of 32 random
/// bits; exact in `f32`, never 0 or 1.
///
/// Built from bits rather than converted: `1 + k / 2^23` has `k` as its
/// mantissa, and subtracting `1 - 2^-24` (representable, and within a factor
/// of two, so the subtraction is exact) leaves `(k + 0.5) / 2^23`.
#[inline(always)]
pub fn uniform_f32(k: u32) -> f32 {
    f32::from_bits((k >> 9) | 0x3F80_0000) - (1.0 - 1.0 / 16_777_216.0)
}

/// `-ln(u)` for `u` in (0, 1): a standard exponential variate.
#[inline(always)]
pub fn neg_ln_f32(u: f32) -> f32 {
    let bits = u.to_bits();
    let e = ((bits >> 23) as i32 - 127) as f32;
    let mant = f32::from_bits((bits & 0x007F_FFFF) | 0x3F80_0000);
    let big = mant > std::f32::consts::SQRT_2;
    let mant = if big { mant * 0.5 } else { mant };
    let e = if big { e + 1.0 } else { e };
    let f = mant - 1.0;
    let mut q = LOG1P_Q[7];
    q = q * f + LOG1P_Q[6];
    q = q * f + LOG1P_Q[5];
    q = q * f + LOG1P_Q[4];
    q = q * f + LOG1P_Q[3];
    q = q * f + LOG1P_Q[2];
    q = q * f + LOG1P_Q[1];
    q = q * f + LOG1P_Q[0];
    -(e * std::f32::consts::LN_2 + f * q)
}

/// Up to this many sampled coordinates, simplex weights are the spacings of
/// sorted uniforms; above it, normalised exponentials, since a sorting
/// network grows as `m log^2 m` while logarithms grow as `m`.
pub const SPACINGS_MAX_CRITERIA: usize = 64;

/// How the weights of one sample are drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WeightDraw {
    /// Uniform on a simplex: the gaps between `k - 1` sorted uniforms (up
    /// to [`SPACINGS_MAX_CRITERIA`] coordinates), else independent standard
    /// exponentials (normalised only where the shares are needed). Without
    /// [`Problem::affine`] the simplex is the shares themselves.
    Simplex,
    /// Each base weight times `1 + spread * (2u - 1)`, `u` uniform on (0, 1).
    Spread(f32),
}

/// Shares as an affine function `w = offset + matrix * g` of a point `g`
/// uniform on the standard simplex of `k` coordinates: how constrained
/// weights are sampled (see `docs/methods.md`). Kept in double precision;
/// the loops round what they need once.
#[derive(Debug, Clone, PartialEq)]
pub struct Affine {
    /// Coordinates of the simplex sampled.
    pub k: usize,
    /// `offset[j]`: the share of sampled criterion `j` at `g = 0`.
    pub offset: Vec<f64>,
    /// `matrix[j * k + q]`: how much coordinate `q` adds to share `j`.
    pub matrix: Vec<f64>,
}

/// A condition `coeffs . g <= bound` on the simplex point that a sample
/// must meet; samples that do not are rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Halfspace {
    /// One coefficient per simplex coordinate.
    pub coeffs: Vec<f64>,
    /// The bound.
    pub bound: f64,
}

/// Everything the inner loop needs, flattened for speed.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Number of options.
    pub n: usize,
    /// Number of sampled criteria (those with positive weight).
    pub m: usize,
    /// Scores, option-major (`i * m + j`); unscored cells hold 0.
    pub scores: Vec<f32>,
    /// Whether each cell is scored (unscored cells are never perturbed).
    pub present: Vec<bool>,
    /// Base weights of the sampled criteria, normalised to sum 1.
    pub base: Vec<f32>,
    /// How weights are drawn.
    pub weights: WeightDraw,
    /// With [`WeightDraw::Simplex`], the shares as a function of the
    /// simplex point; `None` when the point is the shares.
    pub affine: Option<Affine>,
    /// With [`WeightDraw::Simplex`], conditions a sample must meet.
    pub reject: Vec<Halfspace>,
    /// Half-width of the uniform score perturbation, in score units (0 for none).
    pub score_spread: f32,
    /// Lowest score on the scale.
    pub lo: f32,
    /// Highest score on the scale.
    pub hi: f32,
}

impl Problem {
    /// Weights uniform on the simplex and fixed scores, every cell scored
    /// (`scores` option-major, `n * m` of them, on a 0-5 scale).
    pub fn uniform_weights(n: usize, m: usize, scores: Vec<f32>) -> Problem {
        Problem {
            n,
            m,
            present: vec![true; n * m],
            scores,
            base: vec![1.0 / m as f32; m],
            weights: WeightDraw::Simplex,
            affine: None,
            reject: Vec::new(),
            score_spread: 0.0,
            lo: 0.0,
            hi: 5.0,
        }
    }

    /// Coordinates of the simplex sampled (`m` without an affine map).
    pub fn k(&self) -> usize {
        self.affine.as_ref().map_or(self.m, |a| a.k)
    }

    /// Whether simplex weights are spacings of sorted uniforms.
    fn spaced(&self) -> bool {
        self.weights == WeightDraw::Simplex && self.k() <= SPACINGS_MAX_CRITERIA
    }
}

/// Counts and sums from one chunk of samples.
///
/// Central weights are accumulated in batches: slot `l` of every block of a
/// chunk is one batch. `cw` sums the batch totals `X` of normalised weights
/// over the samples where the option is first, and `cw_x2`, `cw_xk`, `k2` the
/// squares and cross products with the batch counts `K`, which give the
/// standard error of the ratio `sum X / sum K` (see `docs/methods.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkTally {
    /// Samples counted (those accepted).
    pub samples: u64,
    /// Samples drawn to get them (more than `samples` only with rejection).
    pub proposals: u64,
    /// `counts[i * n + r]`: samples in which option `i` took rank `r + 1`.
    pub counts: Vec<u64>,
    /// `cw[i * m + j]`: sum of normalised weight `j` over samples where `i` was first.
    pub cw: Vec<f64>,
    /// Sum over batches of `X^2`.
    pub cw_x2: Vec<f64>,
    /// Sum over batches of `X * K`.
    pub cw_xk: Vec<f64>,
    /// `k2[i]`: sum over batches of `K^2`.
    pub k2: Vec<f64>,
}

impl ChunkTally {
    /// An empty tally for `n` options and `m` criteria.
    pub fn new(n: usize, m: usize) -> ChunkTally {
        ChunkTally {
            samples: 0,
            proposals: 0,
            counts: vec![0; n * n],
            cw: vec![0.0; n * m],
            cw_x2: vec![0.0; n * m],
            cw_xk: vec![0.0; n * m],
            k2: vec![0.0; n],
        }
    }

    /// Adds another tally; callers merge in chunk order so float sums are reproducible.
    pub fn add(&mut self, other: &ChunkTally) {
        self.samples += other.samples;
        self.proposals += other.proposals;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (mine, theirs) in [
            (&mut self.cw, &other.cw),
            (&mut self.cw_x2, &other.cw_x2),
            (&mut self.cw_xk, &other.cw_xk),
            (&mut self.k2, &other.k2),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }
}

/// Most proposals a chunk draws for each sample it must count before it
/// gives up (see [`run_chunk`]); callers only reject where acceptance is
/// far higher.
pub const MAX_PROPOSALS_PER_SAMPLE: u64 = 100_000;

type Row<T> = [T; BLOCK];

/// Linear functions `start[i] + sum_j coeffs[i * rows + j] * x[j]` of the
/// drawn rows (sorted uniforms, or exponentials): the totals with fixed
/// scores, or the rejection conditions (a sample passes when every value
/// is at most 0).
///
/// For the totals without an affine map the coefficients are the scores
/// and the start is 0; with spacings, `w_1 = U_1`, `w_j = U_j - U_(j-1)`
/// and `w_m = 1 - U_(m-1)` give `sum_j s_j w_j = s_m + sum_(j<m) (s_j -
/// s_(j+1)) U_j`: the totals come straight from the sorted uniforms, one
/// product per criterion fewer and without forming the gaps. An affine map
/// `w = b + V g` first turns the scores `s` into `s . b` plus coefficients
/// `s V` on the simplex point `g`; with exponentials, which are `g` up to a
/// positive factor, the constant is spread over the coordinates instead.
#[derive(Debug, Clone, PartialEq)]
struct Linear {
    coeffs: Vec<f32>,
    start: Vec<f32>,
}

impl Linear {
    /// Coefficients per function.
    fn width(&self) -> usize {
        self.coeffs.len().checked_div(self.start.len()).unwrap_or(0)
    }

    /// `start + coeffs . x` for functions `constant + a . g` of the
    /// simplex point, given as `(constant, a)` in double precision and
    /// rounded once.
    fn of_simplex(functions: impl Iterator<Item = (f64, Vec<f64>)>, spaced: bool) -> Linear {
        let mut coeffs = Vec::new();
        let mut start = Vec::new();
        for (c, a) in functions {
            if spaced {
                coeffs.extend(a.windows(2).map(|x| (x[0] - x[1]) as f32));
                start.push((c + a.last().copied().unwrap_or(0.0)) as f32);
            } else {
                coeffs.extend(a.iter().map(|x| (c + x) as f32));
                start.push(0.0);
            }
        }
        Linear { coeffs, start }
    }

    /// The totals, for fixed scores.
    fn totals(p: &Problem, spaced: bool) -> Linear {
        let (n, m) = (p.n, p.m);
        let rows = p.scores.chunks_exact(m.max(1)).take(n);
        let Some(a) = &p.affine else {
            // In single precision, as the scores are: a difference of two
            // single-precision numbers rounded once.
            if !spaced {
                return Linear {
                    coeffs: p.scores.clone(),
                    start: vec![0.0; n],
                };
            }
            let mut coeffs = Vec::with_capacity(n * m.saturating_sub(1));
            let mut start = Vec::with_capacity(n);
            for row in rows {
                coeffs.extend(row.windows(2).map(|x| x[0] - x[1]));
                start.push(if m == 0 { 0.0 } else { row[m - 1] });
            }
            return Linear { coeffs, start };
        };
        let k = a.k;
        let functions = rows.map(|s| {
            let constant: f64 = s
                .iter()
                .zip(&a.offset)
                .map(|(&x, b)| f64::from(x) * b)
                .sum();
            let coeffs = (0..k)
                .map(|q| {
                    s.iter()
                        .enumerate()
                        .map(|(j, &x)| f64::from(x) * a.matrix[j * k + q])
                        .sum()
                })
                .collect();
            (constant, coeffs)
        });
        Linear::of_simplex(functions, spaced)
    }

    /// The rejection conditions `a . g - bound <= 0`.
    fn limits(p: &Problem, spaced: bool) -> Linear {
        Linear::of_simplex(
            p.reject.iter().map(|h| (-h.bound, h.coeffs.clone())),
            spaced,
        )
    }
}

/// What both loops work out from a problem before drawing anything.
struct Plan {
    /// Whether simplex weights are spacings of sorted uniforms.
    spaced: bool,
    /// Coordinates of the simplex sampled.
    k: usize,
    /// Totals from the drawn rows (fixed scores only).
    linear: Linear,
    /// Rejection conditions on the drawn rows.
    limits: Linear,
    /// `twin[i * n + k]`: options whose totals are computed from the same
    /// numbers, so that they always tie (see [`rank_once`]).
    twin: Vec<bool>,
}

impl Plan {
    fn new(p: &Problem) -> Plan {
        let spaced = p.spaced();
        let linear = Linear::totals(p, spaced);
        let twin = twins(&linear, p.n);
        Plan {
            spaced,
            k: p.k(),
            limits: Linear::limits(p, spaced),
            linear,
            twin,
        }
    }
}

/// `twin[i * n + k]`: whether options `i` and `k` have the same start and
/// coefficients, so that every sample gives them the same total.
fn twins(linear: &Linear, n: usize) -> Vec<bool> {
    let w = linear.width();
    let row = |i: usize| (linear.start[i], linear.coeffs.get(i * w..(i + 1) * w));
    let mut twin = vec![false; n * n];
    for i in 0..n.min(linear.start.len()) {
        for k in 0..n.min(linear.start.len()) {
            let (a, b) = (row(i), row(k));
            // `==` rather than bits: 0 and -0 give the same totals.
            twin[i * n + k] = i != k
                && a.0 == b.0
                && a.1
                    .zip(b.1)
                    .is_some_and(|(x, y)| x.iter().zip(y).all(|(p, q)| p == q));
        }
    }
    twin
}

/// The first `need` set bits of `bits` (all of them if there are fewer),
/// and how many lanes, from the lowest, were looked at to find them: all
/// `lanes` if fewer than `need` are set, else up to the last one kept.
fn first_bits(bits: u64, need: usize, lanes: u32) -> (u64, u64) {
    if (bits.count_ones() as usize) < need {
        return (bits, u64::from(lanes));
    }
    let mut out = 0;
    let mut rest = bits;
    for _ in 0..need {
        let low = rest & rest.wrapping_neg();
        out |= low;
        rest ^= low;
    }
    (out, u64::from(64 - out.leading_zeros()))
}

/// Per-slot sums for one option: `x[j][l]` adds row `j` of the shares (or,
/// with spacings, of the sorted uniforms) over the samples in slot `l` where
/// the option was first, `k[l]` counts them.
///
/// The rows are first added in single precision into `part`, which is
/// moved into the double-precision `x` every [`FLUSH_BLOCKS`] blocks: a
/// vector add per row rather than a widening, and at most 255 terms of at
/// most 1 in any single-precision sum.
struct Slots {
    x: Vec<Row<f64>>,
    part: Vec<Row<f32>>,
    k: Row<u32>,
}

/// Per-slot sums, allocated only for options that are ever first.
struct CentralSlots(Vec<Option<Slots>>);

impl CentralSlots {
    fn entry(&mut self, i: usize, rows: usize) -> &mut Slots {
        if self.0.len() <= i {
            self.0.resize_with(i + 1, || None);
        }
        self.0[i].get_or_insert_with(|| Slots {
            x: vec![[0.0; BLOCK]; rows],
            part: vec![[0.0; BLOCK]; rows],
            k: [0; BLOCK],
        })
    }

    /// Moves the single-precision partial sums into the double-precision ones.
    fn flush(&mut self) {
        for s in self.0.iter_mut().flatten() {
            for (x, part) in s.x.iter_mut().zip(s.part.iter_mut()) {
                for l in 0..BLOCK {
                    x[l] += f64::from(part[l]);
                }
                *part = [0.0; BLOCK];
            }
        }
    }
}

/// Moves the per-slot central weight sums into the tally: each slot is one
/// batch, contributing its sum `X`, and `X^2`, `X * K`, `K^2` for the
/// standard error, added in slot order. With spacings the slots hold sums of
/// sorted uniforms `U_j`, and the sums of the gaps are their differences,
/// with `U_0 = 0` and `U_k = K` (every sample's last uniform-to-1 gap ends
/// at 1). With an affine map the sums of the simplex coordinates are then
/// turned into sums of shares, `K b + V X`, batch by batch.
fn finish_central(central: &CentralSlots, p: &Problem, spaced: bool, tally: &mut ChunkTally) {
    let (m, k) = (p.m, p.k());
    let mut g = vec![0.0; k];
    let mut w = vec![0.0; m];
    for (i, slots) in central.0.iter().enumerate() {
        let Some(s) = slots else { continue };
        if s.k.iter().all(|&k| k == 0) {
            continue;
        }
        for l in 0..BLOCK {
            let count = f64::from(s.k[l]);
            tally.k2[i] += count * count;
            let mut below = 0.0;
            for (q, gq) in g.iter_mut().enumerate() {
                *gq = if spaced {
                    let upper = s.x.get(q).map_or(count, |row| row[l]);
                    upper - std::mem::replace(&mut below, upper)
                } else {
                    s.x[q][l]
                };
            }
            let shares = match &p.affine {
                None => &g,
                Some(a) => {
                    for (j, wj) in w.iter_mut().enumerate() {
                        let row = &a.matrix[j * k..(j + 1) * k];
                        *wj = count * a.offset[j]
                            + row.iter().zip(&g).map(|(v, x)| v * x).sum::<f64>();
                    }
                    &w
                }
            };
            for (j, &x) in shares.iter().enumerate() {
                let at = i * m + j;
                tally.cw[at] += x;
                tally.cw_x2[at] += x * x;
                tally.cw_xk[at] += x * count;
            }
        }
    }
}

/// Blocks between emptying the byte counters (each gains at most 1 per
/// block, and a byte must stay below 256) and the single-precision central
/// weight sums.
const FLUSH_BLOCKS: usize = 255;

/// Runs samples of the rank acceptability simulation on instruction set
/// `isa` (the portable path if this CPU lacks it) until `samples` are
/// accepted, or until [`MAX_PROPOSALS_PER_SAMPLE`] times as many have been
/// drawn (the tally then counts fewer).
pub fn run_chunk(isa: Isa, p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    if fast::fits(p) {
        return fast::run(isa, p, &Plan::new(p), rng, samples);
    }
    general_chunk(isa, p, rng, samples)
}

/// Runs the general loop, compiled for `isa` (the portable build if this
/// CPU lacks it), whatever the problem; [`run_chunk`] uses it where the
/// register loop does not apply, and the tests and benchmarks to compare
/// the two.
pub fn general_chunk(isa: Isa, p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    #[cfg(target_arch = "x86_64")]
    {
        if isa == Isa::Avx512 && isa.available() {
            // SAFETY: the CPU supports the features the function is compiled for.
            return unsafe { general_avx512(p, rng, samples) };
        }
        if isa == Isa::Avx2 && isa.available() {
            // SAFETY: as above.
            return unsafe { general_avx2(p, rng, samples) };
        }
    }
    let _ = isa;
    general_portable(p, rng, samples)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
fn general_avx512(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    general_portable(p, rng, samples)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn general_avx2(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    general_portable(p, rng, samples)
}

/// Scratch space for one block of samples.
struct Scratch {
    /// The drawn rows, criterion-major: with spacings the `k - 1` sorted
    /// uniforms, otherwise `k` unnormalised weights.
    w: Vec<Row<f32>>,
    /// Perturbed scores, cell-major (only with a score spread).
    s: Vec<Row<f32>>,
    /// Totals, option-major.
    t: Vec<Row<f32>>,
    /// Values of the rejection conditions.
    h: Vec<Row<f32>>,
    /// Number of options ahead, option-major; `n` marks an unused slot.
    r: Vec<Row<u32>>,
    /// Byte-packed rank counters `hist[i * words + q]`, one per slot (few options only).
    hist: Vec<Row<u32>>,
    /// Blocks added to `hist` since it was last emptied.
    blocks: usize,
    /// Simplex coordinates, coordinate-major: the normalised weights, or
    /// with spacings the gaps (formed only when a score spread needs them).
    wn: Vec<Row<f32>>,
    /// The shares, with an affine map and a score spread.
    shares: Vec<Row<f32>>,
    /// The affine map in single precision (offsets, then the matrix).
    affine: Option<(Vec<f32>, Vec<f32>)>,
    /// Comparators of the sorting network for spacings.
    net: Vec<(usize, usize)>,
    /// Per-slot central weight sums for the options that have been first.
    central: CentralSlots,
}

/// The general loop; the wrappers above only compile it for wider vectors.
#[inline(always)]
fn general_portable(p: &Problem, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    let (n, m) = (p.n, p.m);
    let plan = Plan::new(p);
    let k = plan.k;
    let mut tally = ChunkTally::new(n, m);
    let words = n.div_ceil(4);
    let spaced = plan.spaced;
    let spread = p.score_spread > 0.0;
    let drawn = match p.weights {
        WeightDraw::Simplex if spaced => k.saturating_sub(1),
        WeightDraw::Simplex => k,
        WeightDraw::Spread(_) => m,
    };
    let mut sc = Scratch {
        w: vec![[0.0; BLOCK]; drawn],
        s: vec![[0.0; BLOCK]; if spread { n * m } else { 0 }],
        t: vec![[0.0; BLOCK]; n],
        h: vec![[0.0; BLOCK]; plan.limits.start.len()],
        r: vec![[0; BLOCK]; n],
        hist: vec![
            [0; BLOCK];
            if n <= HISTOGRAM_MAX_OPTIONS {
                n * words
            } else {
                0
            }
        ],
        blocks: 0,
        // Needed for normalised shares, or for gaps with a score spread.
        wn: vec![[0.0; BLOCK]; if spaced && !spread { 0 } else { k }],
        shares: vec![[0.0; BLOCK]; if spread && p.affine.is_some() { m } else { 0 }],
        affine: p.affine.as_ref().map(|a| {
            (
                a.offset.iter().map(|&x| x as f32).collect(),
                a.matrix.iter().map(|&x| x as f32).collect(),
            )
        }),
        net: if spaced {
            sorting_network(k.saturating_sub(1))
        } else {
            Vec::new()
        },
        central: CentralSlots(Vec::new()),
    };
    let only_twins_tie = p.weights == WeightDraw::Simplex && !spread && n <= PAIRWISE_MAX_OPTIONS;
    let twin = only_twins_tie.then_some(plan.twin.as_slice());
    let cap = (samples as u64).saturating_mul(MAX_PROPOSALS_PER_SAMPLE);
    while (tally.samples as usize) < samples && tally.proposals < cap {
        let need = samples - tally.samples as usize;
        block(p, &plan, twin, rng, &mut sc, &mut tally, need);
    }
    flush_histogram(&mut sc, &mut tally, n);
    sc.central.flush();
    finish_central(&sc.central, p, spaced, &mut tally);
    tally
}

/// Of `blocks` blocks of proposals drawn from `rng`, how many meet the
/// problem's rejection conditions: a pilot run, to choose how to sample.
pub fn count_accepted(p: &Problem, rng: &mut LaneRng, blocks: usize) -> u64 {
    let plan = Plan::new(p);
    let drawn = if plan.spaced {
        plan.k.saturating_sub(1)
    } else {
        plan.k
    };
    let net = if plan.spaced {
        sorting_network(drawn)
    } else {
        Vec::new()
    };
    let mut w = vec![[0.0f32; BLOCK]; drawn];
    let mut h = vec![[0.0f32; BLOCK]; plan.limits.start.len()];
    let mut accepted = 0;
    for _ in 0..blocks {
        if plan.spaced {
            fill_rows(rng, &mut w, |u| u);
            sort_rows(&mut w, &net);
        } else {
            fill_rows(rng, &mut w, neg_ln_f32);
        }
        linear_totals(&mut h, &w, &plan.limits);
        accepted += (0..BLOCK)
            .filter(|&l| h.iter().all(|row| row[l] <= 0.0))
            .count() as u64;
    }
    accepted
}

/// Fills each row with uniforms on (0, 1) passed through `f`.
///
/// One step of the streams gives [`WORDS`] values, a group of samples for one
/// row; groups are filled in order and, within a group, the rows in order.
/// Stream `l`'s low half goes to sample `2l` and its high half to `2l + 1`,
/// which is the memory order of the eight 64-bit words, so a vector
/// implementation reads them without shuffling.
///
/// The raw bits are parked in the rows first and transformed in a second
/// pass, so `f` runs over whole rows rather than interleaved with the
/// generator; the values are the same either way. Parking only moves bits
/// (`from_bits` and `to_bits` with no arithmetic between), so every pattern,
/// NaNs included, comes back unchanged.
#[inline(always)]
pub fn fill_rows(rng: &mut LaneRng, rows: &mut [Row<f32>], f: impl Fn(f32) -> f32) {
    for g in 0..GROUPS {
        for row in rows.iter_mut() {
            let bits = rng.next_lanes();
            let out = &mut row[g * WORDS..(g + 1) * WORDS];
            for l in 0..LANES {
                out[2 * l] = f32::from_bits(bits[l] as u32);
                out[2 * l + 1] = f32::from_bits((bits[l] >> 32) as u32);
            }
        }
    }
    for row in rows.iter_mut() {
        for x in row.iter_mut() {
            *x = f(uniform_f32(x.to_bits()));
        }
    }
}
/// Comparators `(a, b)`, `a < b`, of Batcher's odd-even merge sort for `n`
/// values (Knuth, TAOCP 5.3.4, algorithm M). Comparators that would touch
/// positions past `n` are dropped, as if the missing values were +infinity.
pub fn sorting_network(n: usize) -> Vec<(usize, usize)> {
    let net = Network::batcher(n);
    net.pairs[..net.len]
        .iter()
        .map(|&(a, b)| (usize::from(a), usize::from(b)))
        .collect()
}

/// Most comparators [`Network::batcher`] gives, reached at 63 values.
const NETWORK_MAX: usize = 537;

/// A sorting network of at most [`NETWORK_MAX`] comparators, built at compile
/// time where the size is known, so a vector kernel can unroll it.
#[derive(Debug, Clone, Copy)]
struct Network {
    /// Comparators `(a, b)`, `a < b`; the first `len` are used.
    pairs: [(u8, u8); NETWORK_MAX],
    /// Number of comparators.
    len: usize,
}

impl Network {
    /// Batcher's odd-even merge sort for `n` values, `n` at most 63 (more
    /// gives an empty network).
    const fn batcher(n: usize) -> Network {
        let mut net = Network {
            pairs: [(0, 0); NETWORK_MAX],
            len: 0,
        };
        if n > 63 {
            return net;
        }
        let mut p = 1;
        while p < n {
            let mut k = p;
            while k >= 1 {
                let mut j = k % p;
                while j + k < n {
                    let mut i = 0;
                    while i < k && i < n - j - k {
                        if (i + j) / (2 * p) == (i + j + k) / (2 * p) && net.len < NETWORK_MAX {
                            net.pairs[net.len] = ((i + j) as u8, (i + j + k) as u8);
                            net.len += 1;
                        }
                        i += 1;
                    }
                    j += 2 * k;
                }
                k /= 2;
            }
            p *= 2;
        }
        net
    }
}

/// Sorts every sample's values across the rows, lane by lane, with the
/// comparators `net`. Applied to `m - 1` uniforms this gives the order
/// statistics `U_(1) <= ... <= U_(m-1)` whose gaps, with 0 and 1 at the ends,
/// are uniform on the simplex (Devroye, 1986, ch. V.2).
#[inline(always)]
fn sort_rows(rows: &mut [Row<f32>], net: &[(usize, usize)]) {
    for &(a, b) in net {
        let (low, high) = rows.split_at_mut(b);
        let (ra, rb) = (&mut low[a], &mut high[0]);
        for l in 0..BLOCK {
            let (x, y) = (ra[l], rb[l]);
            // Plain selects, so they compile to vector min and max.
            ra[l] = if y < x { y } else { x };
            rb[l] = if y < x { x } else { y };
        }
    }
}

/// The gaps between consecutive values of `0, u[0], ..., u[m - 2], 1`: the
/// `m` weights given by sorted uniforms. Every gap is a multiple of 2^-24
/// below 1, so each subtraction is exact.
#[inline(always)]
fn gaps(u: &[Row<f32>], w: &mut [Row<f32>]) {
    let mut below = [0.0f32; BLOCK];
    for (j, wj) in w.iter_mut().enumerate() {
        let upper = u.get(j).copied().unwrap_or([1.0; BLOCK]);
        for l in 0..BLOCK {
            wj[l] = upper[l] - below[l];
        }
        below = upper;
    }
}

/// Moves the byte-packed rank counts into the tally and clears them.
fn flush_histogram(sc: &mut Scratch, tally: &mut ChunkTally, n: usize) {
    let words = n.div_ceil(4);
    for i in 0..n {
        for q in 0..words {
            let Some(h) = sc.hist.get_mut(i * words + q) else {
                continue;
            };
            for lane in h.iter_mut() {
                for b in 0..4 {
                    let rank = q * 4 + b;
                    if rank < n
                        && let Some(c) = tally.counts.get_mut(i * n + rank)
                    {
                        *c += u64::from((*lane >> (8 * b)) & 0xFF);
                    }
                }
                *lane = 0;
            }
        }
    }
    sc.blocks = 0;
}

/// Totals `start + coeffs . rows` for every option, two options at a time:
/// twice the independent additions in flight, and each row loaded once for
/// both. Fused multiply-adds: half the instructions and one rounding per term.
#[inline(always)]
fn linear_totals(t: &mut [Row<f32>], rows: &[Row<f32>], linear: &Linear) {
    let r = rows.len();
    // Driven by the options, not the coefficients: with one criterion there
    // are no coefficients and each total is its start.
    for (pair, (ts, starts)) in t.chunks_mut(2).zip(linear.start.chunks(2)).enumerate() {
        let at = 2 * pair * r;
        let ca = linear.coeffs.get(at..at + r).unwrap_or(&[]);
        let cb = linear.coeffs.get(at + r..at + 2 * r).unwrap_or(&[]);
        let sa = starts.first().copied().unwrap_or(0.0);
        let sb = starts.get(1).copied().unwrap_or(0.0);
        let (mut a, mut b) = ([sa; BLOCK], [sb; BLOCK]);
        for (j, row) in rows.iter().enumerate() {
            let xa = ca.get(j).copied().unwrap_or(0.0);
            let xb = cb.get(j).copied().unwrap_or(0.0);
            for l in 0..BLOCK {
                a[l] = xa.mul_add(row[l], a[l]);
                b[l] = xb.mul_add(row[l], b[l]);
            }
        }
        ts[0] = a;
        if let Some(t) = ts.get_mut(1) {
            *t = b;
        }
    }
}

/// Ranks when only twins (options with identical scores) can tie: options
/// that are not twins are ordered strictly, the lower-numbered option taking
/// an exact tie, and twins share the better rank. Option `i` counts as ahead
/// of it every later option with a larger total and every earlier one with a
/// total at least as large, other than its twins.
///
/// With weights uniform on the simplex and fixed scores, two options whose
/// scores differ anywhere tie only on a set of weights of probability zero
/// (their difference is a non-zero linear function of the weights that is
/// not constant on the simplex), so rounding is the only way such a tie can
/// arise, and settling it either way is as good as the rounding itself.
#[inline(always)]
fn rank_once(t: &[Row<f32>], r: &mut [Row<u32>], twin: &[bool]) {
    let n = t.len();
    for (i, (ti, ri)) in t.iter().zip(r.iter_mut()).enumerate() {
        // Every other option is compared, without branches, so the counters
        // stay in vector registers. A twin's total is computed exactly as
        // this option's, so an earlier twin always counts (>=) and a later
        // one never does (>); the earlier twins are taken off afterwards.
        let mut c = [0u32; BLOCK];
        for tk in &t[..i] {
            for l in 0..BLOCK {
                c[l] += u32::from(tk[l] >= ti[l]);
            }
        }
        for tk in &t[i + 1..] {
            for l in 0..BLOCK {
                c[l] += u32::from(tk[l] > ti[l]);
            }
        }
        let twins_before = twin[i * n..i * n + i].iter().filter(|&&x| x).count() as u32;
        for l in 0..BLOCK {
            ri[l] = c[l] - twins_before;
        }
    }
}

/// One block of samples: draws, tests the rejection conditions, and counts
/// the first `need` samples that pass.
#[inline(always)]
fn block(
    p: &Problem,
    plan: &Plan,
    twin: Option<&[bool]>,
    rng: &mut LaneRng,
    sc: &mut Scratch,
    tally: &mut ChunkTally,
    need: usize,
) {
    let (n, m) = (p.n, p.m);
    let spaced = plan.spaced;
    // 1. Weights (exponentials and spreads are left unnormalised: only the
    // order of totals matters until step 5).
    match p.weights {
        WeightDraw::Simplex if spaced => {
            fill_rows(rng, &mut sc.w, |u| u);
            sort_rows(&mut sc.w, &sc.net);
        }
        WeightDraw::Simplex => fill_rows(rng, &mut sc.w, neg_ln_f32),
        WeightDraw::Spread(spread) => {
            fill_rows(rng, &mut sc.w, |u| u);
            for (wj, base) in sc.w.iter_mut().zip(&p.base) {
                for x in wj.iter_mut() {
                    *x = base * (1.0 + spread * (2.0 * *x - 1.0));
                }
            }
        }
    }
    // 2. Which samples count: those that meet every rejection condition,
    // up to the number still needed, in sample order.
    let mut pass = [true; BLOCK];
    if !sc.h.is_empty() {
        linear_totals(&mut sc.h, &sc.w, &plan.limits);
        for h in &sc.h {
            for l in 0..BLOCK {
                pass[l] &= h[l] <= 0.0;
            }
        }
    }
    let bits = pass
        .iter()
        .enumerate()
        .fold(0u64, |acc, (l, &b)| acc | (u64::from(b) << l));
    let (alive, looked) = first_bits(bits, need, BLOCK as u32);
    tally.samples += u64::from(alive.count_ones());
    tally.proposals += looked;
    let live = |l: usize| alive >> l & 1 == 1;
    // 3. Totals, with scores perturbed if asked (uniform, clamped to the scale).
    let mut normalised = spaced;
    if p.score_spread > 0.0 {
        let (lo, hi, d) = (p.lo, p.hi, p.score_spread);
        fill_rows(rng, &mut sc.s, |u| u);
        for ((row, &base), &present) in sc.s.iter_mut().zip(&p.scores).zip(&p.present) {
            for x in row.iter_mut() {
                let v = (base + d * (2.0 * *x - 1.0)).max(lo).min(hi);
                *x = if present { v } else { 0.0 };
            }
        }
        if spaced {
            gaps(&sc.w, &mut sc.wn);
        } else if sc.affine.is_some() {
            normalise(&sc.w, &mut sc.wn);
            normalised = true;
        }
        let weights = if let Some((offset, matrix)) = &sc.affine {
            // The shares themselves: the totals are not linear in the
            // simplex point once scores vary.
            let k = sc.wn.len();
            for (j, wj) in sc.shares.iter_mut().enumerate() {
                let mut acc = [offset[j]; BLOCK];
                for (gq, &v) in sc.wn.iter().zip(&matrix[j * k..(j + 1) * k]) {
                    for l in 0..BLOCK {
                        acc[l] = v.mul_add(gq[l], acc[l]);
                    }
                }
                *wj = acc;
            }
            &sc.shares
        } else if spaced {
            &sc.wn
        } else {
            &sc.w
        };
        for (t, cells) in sc.t.iter_mut().zip(sc.s.chunks_exact(m.max(1))) {
            let mut acc = [0.0; BLOCK];
            for (wj, sij) in weights.iter().zip(cells) {
                for l in 0..BLOCK {
                    acc[l] += sij[l] * wj[l];
                }
            }
            *t = acc;
        }
    } else {
        linear_totals(&mut sc.t, &sc.w, &plan.linear);
    }
    // 4. Ranks: how many options are ahead (options that tie share the better rank).
    if let Some(twin) = twin {
        rank_once(&sc.t, &mut sc.r, twin);
    } else if n <= PAIRWISE_MAX_OPTIONS {
        for (i, r) in sc.r.iter_mut().enumerate() {
            let ti = &sc.t[i];
            // Branch-free, so the counters stay in vector registers.
            let mut c = [0u32; BLOCK];
            for tk in &sc.t {
                for l in 0..BLOCK {
                    c[l] += u32::from(tk[l] > ti[l]);
                }
            }
            *r = c;
        }
    } else {
        // One integer key per option: the total's bits mapped so that larger
        // totals give smaller keys, then the option's index. Sorting plain
        // integers is several times faster than sorting pairs by a float.
        let mut keys: Vec<u64> = Vec::with_capacity(n);
        for l in (0..BLOCK).filter(|&l| live(l)) {
            keys.clear();
            keys.extend(sc.t.iter().enumerate().map(|(i, t)| {
                // Adding 0 turns -0 into +0, which the comparisons treat as equal.
                let bits = (t[l] + 0.0).to_bits();
                let ascending = if bits >> 31 == 1 {
                    !bits
                } else {
                    bits | 1 << 31
                };
                (u64::from(!ascending) << 32) | i as u64
            }));
            keys.sort_unstable();
            let mut ahead = 0;
            let mut previous = None;
            for (pos, &key) in keys.iter().enumerate() {
                let total = key >> 32;
                if previous != Some(total) {
                    ahead = pos;
                    previous = Some(total);
                }
                if let Some(r) = sc.r.get_mut((key & 0xFFFF_FFFF) as usize) {
                    r[l] = ahead as u32;
                }
            }
        }
    }
    // Slots that do not count take no rank at all.
    if alive != u64::MAX {
        for r in sc.r.iter_mut() {
            for (l, x) in r.iter_mut().enumerate() {
                if !live(l) {
                    *x = n as u32;
                }
            }
        }
    }
    // 5. Tally ranks. For few options, rank r adds 1 << 8(r mod 4) to
    // counter word r / 4, so one vector add counts four ranks at once; the
    // bytes are emptied into the tally before they can overflow.
    if n <= HISTOGRAM_MAX_OPTIONS {
        let words = n.div_ceil(4);
        for (i, r) in sc.r.iter().enumerate() {
            for q in 0..words {
                let Some(h) = sc.hist.get_mut(i * words + q) else {
                    continue;
                };
                let q = q as u32;
                for l in 0..BLOCK {
                    let rank = r[l];
                    let bit = 1u32 << ((rank & 3) << 3);
                    h[l] += if rank >> 2 == q { bit } else { 0 };
                }
            }
        }
    } else {
        for (i, r) in sc.r.iter().enumerate() {
            for &rank in r.iter().filter(|&&rank| (rank as usize) < n) {
                if let Some(c) = tally.counts.get_mut(i * n + rank as usize) {
                    *c += 1;
                }
            }
        }
    }
    // 6. Central weights: per-slot sums of the simplex coordinates (with
    // spacings, of the sorted uniforms, whose differences give the
    // coordinates' sums at the end) of whoever is first. Slot l of every
    // block forms one batch of the chunk's samples; the batch sums give the
    // standard error (see `finish_central`).
    for (i, r) in sc.r.iter().enumerate() {
        // A full count rather than `any`, so it vectorises without branches.
        if r.iter().map(|&x| u32::from(x == 0)).sum::<u32>() == 0 {
            continue;
        }
        if !normalised {
            normalise(&sc.w, &mut sc.wn);
            normalised = true;
        }
        let shares = if spaced { &sc.w } else { &sc.wn };
        let slot = sc.central.entry(i, shares.len());
        for l in 0..BLOCK {
            slot.k[l] += u32::from(r[l] == 0);
        }
        for (acc, wn) in slot.part.iter_mut().zip(shares) {
            for l in 0..BLOCK {
                acc[l] += if r[l] == 0 { wn[l] } else { 0.0 };
            }
        }
    }
    sc.blocks += 1;
    if sc.blocks == FLUSH_BLOCKS {
        flush_histogram(sc, tally, n);
        sc.central.flush();
    }
}

/// Weights divided by their sum, sample by sample.
#[inline(always)]
fn normalise(w: &[Row<f32>], out: &mut [Row<f32>]) {
    let mut sum = [0.0f32; BLOCK];
    for wj in w {
        for l in 0..BLOCK {
            sum[l] += wj[l];
        }
    }
    for l in 0..BLOCK {
        sum[l] = 1.0 / sum[l];
    }
    for (wn, wj) in out.iter_mut().zip(w) {
        for l in 0..BLOCK {
            wn[l] = wj[l] * sum[l];
        }
    }
}

/// Counts, for each option with central weights, the samples of perturbed
/// scores in which it ranks first (ties count) under those weights. This pass
/// runs only with a score spread, and works in `f64`.
pub fn confidence_chunk(
    p: &Problem,
    central: &[Option<Vec<f64>>],
    rng: &mut LaneRng,
    samples: usize,
) -> Vec<u64> {
    let (n, m) = (p.n, p.m);
    let (lo, hi, d) = (f64::from(p.lo), f64::from(p.hi), f64::from(p.score_spread));
    let mut firsts = vec![0u64; n];
    let mut u = vec![[0.0f32; BLOCK]; n * m];
    let mut s = vec![[0.0f64; BLOCK]; n * m];
    let mut t = vec![[0.0f64; BLOCK]; n];
    let mut done = 0;
    while done < samples {
        let valid = (samples - done).min(BLOCK);
        fill_rows(rng, &mut u, |x| x);
        for (c, (row, urow)) in s.iter_mut().zip(&u).enumerate() {
            let base = f64::from(p.scores[c]);
            let present = p.present[c];
            for l in 0..BLOCK {
                let v = (base + d * (2.0 * f64::from(urow[l]) - 1.0))
                    .max(lo)
                    .min(hi);
                row[l] = if present { v } else { 0.0 };
            }
        }
        for (o, cw) in central.iter().enumerate() {
            let Some(cw) = cw else { continue };
            for (ti, cells) in t.iter_mut().zip(s.chunks_exact(m.max(1))) {
                let mut acc = [0.0; BLOCK];
                for (&wj, sij) in cw.iter().zip(cells) {
                    for l in 0..BLOCK {
                        acc[l] += sij[l] * wj;
                    }
                }
                *ti = acc;
            }
            let mine = t[o];
            let mut first = [true; BLOCK];
            for tk in &t {
                for l in 0..BLOCK {
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
    fn uniforms_are_exact_and_open() {
        assert_eq!(uniform_f32(0), 0.5 / 8_388_608.0);
        assert_eq!(uniform_f32(u32::MAX), 1.0 - 0.5 / 8_388_608.0);
        assert!(uniform_f32(u32::MAX) < 1.0);
        // The bit construction gives exactly (k + 0.5) / 2^23 for every k.
        for k in 0..(1u32 << 23) {
            let want = (f64::from(k) + 0.5) / 8_388_608.0;
            assert_eq!(f64::from(uniform_f32(k << 9 | 0x1FF)), want, "k = {k}");
        }
    }

    #[test]
    fn exponentials_are_accurate() {
        // Every one of the 2^23 possible uniforms.
        let mut worst: f64 = 0.0;
        for k in 0..(1u32 << 23) {
            let u = uniform_f32(k << 9);
            let got = f64::from(neg_ln_f32(u));
            let want = -f64::from(u).ln();
            worst = worst.max((got - want).abs() / want.max(1.0));
        }
        assert!(worst < 2e-7, "worst error {worst}");
    }

    /// A plain f64 evaluation of the same draws: ranks per sample, with a
    /// library sort (or logarithm) and double-precision totals.
    fn reference_counts(p: &Problem, rng: &mut LaneRng, samples: usize) -> Vec<u64> {
        let (n, m) = (p.n, p.m);
        let mut counts = vec![0u64; n * n];
        let mut w = vec![[0.0f32; BLOCK]; m];
        let mut done = 0;
        while done < samples {
            let valid = (samples - done).min(BLOCK);
            let spacings = m <= SPACINGS_MAX_CRITERIA;
            let rows = if spacings { m - 1 } else { m };
            fill_rows(rng, &mut w[..rows], |u| u);
            for l in 0..valid {
                let e: Vec<f64> = if spacings {
                    let mut u: Vec<f64> = w[..rows].iter().map(|row| f64::from(row[l])).collect();
                    u.sort_by(f64::total_cmp);
                    u.push(1.0);
                    u.iter()
                        .scan(0.0, |prev, &x| Some(x - std::mem::replace(prev, x)))
                        .collect()
                } else {
                    w.iter().map(|row| -f64::from(row[l]).ln()).collect()
                };
                let t: Vec<f64> = (0..n)
                    .map(|i| (0..m).map(|j| f64::from(p.scores[i * m + j]) * e[j]).sum())
                    .collect();
                for i in 0..n {
                    let ahead = t.iter().filter(|&&x| x > t[i]).count();
                    counts[i * n + ahead] += 1;
                }
            }
            done += valid;
        }
        counts
    }

    fn streams(seed: u64) -> LaneRng {
        use rand_xoshiro::rand_core::SeedableRng;
        let mut base = Xoshiro256PlusPlus::seed_from_u64(seed);
        let lanes: [Xoshiro256PlusPlus; LANES] = std::array::from_fn(|_| {
            let g = base.clone();
            base.jump();
            g
        });
        LaneRng::new(&lanes)
    }

    fn problem(n: usize, m: usize, scores: Vec<f32>) -> Problem {
        Problem::uniform_weights(n, m, scores)
    }

    #[test]
    fn single_precision_ranks_match_double_precision() {
        // Sum over options and ranks of |count difference|: each sample whose
        // ranks differ moves at most 2n of it. Bounds, as in docs/methods.md:
        // the example, 1e-5 of the samples; a deliberately hard case (twelve
        // options with near-equal scores of 60-68 on ten criteria), 5e-4.
        let example = crate::load::load_example().unwrap().appraisal;
        let ex: Vec<f32> = example
            .options()
            .iter()
            .flat_map(|o| o.scores().iter().map(|s| s.unwrap_or(0.0) as f32))
            .collect();
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u32
        };
        let hard: Vec<f32> = (0..12 * 10).map(|_| 60.0 + (next() % 9) as f32).collect();
        for (p, samples, bound) in [
            (problem(8, 8, ex), 400_000, 2e-5),
            (problem(12, 10, hard), 100_000, 5e-4),
        ] {
            let fast = run_chunk(Isa::best(), &p, &mut streams(5), samples).counts;
            let slow = reference_counts(&p, &mut streams(5), samples);
            let moved: u64 = fast.iter().zip(&slow).map(|(a, b)| a.abs_diff(*b)).sum();
            assert!(
                moved as f64 <= bound * samples as f64,
                "{moved} rank counts differ in {samples} samples"
            );
        }
    }

    #[test]
    fn sorting_networks_sort() {
        // The 0-1 principle: a comparator network sorts every input if it
        // sorts every input of 0s and 1s. Exhaustive up to 14 values.
        for n in 0..=14 {
            let net = sorting_network(n);
            assert!(net.iter().all(|&(a, b)| a < b && b < n));
            for bits in 0u32..(1 << n) {
                let mut v: Vec<u32> = (0..n).map(|i| (bits >> i) & 1).collect();
                for &(a, b) in &net {
                    if v[b] < v[a] {
                        v.swap(a, b);
                    }
                }
                assert!(v.is_sorted(), "n = {n}, input {bits:b}");
            }
        }
        // Larger sizes, on random inputs up to the largest size used.
        let mut x: u64 = 7;
        for n in [15, 31, 33, 63] {
            let net = sorting_network(n);
            for _ in 0..200 {
                let mut v: Vec<u64> = (0..n)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x % 50
                    })
                    .collect();
                for &(a, b) in &net {
                    if v[b] < v[a] {
                        v.swap(a, b);
                    }
                }
                assert!(v.is_sorted(), "n = {n}");
            }
        }
    }

    #[test]
    fn many_options_are_ranked_by_sorting_with_ties_shared() {
        // Past the pairwise limit ranks come from a sort; identical rows tie
        // exactly, and must share the better rank as they do in the reference.
        let (n, m) = (PAIRWISE_MAX_OPTIONS + 9, 6);
        let scores: Vec<f32> = (0..n * m)
            .map(|c| ((c / m % 20) * (c % m + 1) % 7) as f32)
            .collect();
        let p = problem(n, m, scores);
        let fast = run_chunk(Isa::best(), &p, &mut streams(3), 640).counts;
        let slow = reference_counts(&p, &mut streams(3), 640);
        let moved: u64 = fast.iter().zip(&slow).map(|(a, b)| a.abs_diff(*b)).sum();
        assert!(moved <= 2 * n as u64, "{moved} rank counts differ");
        // Rows 0 and 20 are the same, so they always share a rank.
        assert_eq!(fast[..n], fast[20 * n..21 * n]);
    }

    #[test]
    fn spacings_are_shares() {
        for m in [1, 2, 3, 8, 17, SPACINGS_MAX_CRITERIA] {
            let net = sorting_network(m - 1);
            let mut u = vec![[0.0f32; BLOCK]; m - 1];
            let mut w = vec![[0.0f32; BLOCK]; m];
            let mut rng = streams(m as u64);
            for _ in 0..20 {
                fill_rows(&mut rng, &mut u, |x| x);
                sort_rows(&mut u, &net);
                gaps(&u, &mut w);
                for l in 0..BLOCK {
                    let sum: f64 = w.iter().map(|row| f64::from(row[l])).sum();
                    assert!((sum - 1.0).abs() < 1e-6, "m = {m}: sum {sum}");
                    assert!(w.iter().all(|row| (0.0..=1.0).contains(&row[l])));
                }
            }
        }
    }

    #[test]
    fn totals_from_sorted_uniforms_equal_totals_from_gaps() {
        // The rewriting in `Linear` is exact in real arithmetic; in single
        // precision the two agree to rounding.
        let scores: Vec<f32> = (0..5 * 7).map(|c| ((c * 13) % 11) as f32 * 0.5).collect();
        let p = problem(5, 7, scores);
        let linear = Linear::totals(&p, true);
        let net = sorting_network(6);
        let mut u = vec![[0.0f32; BLOCK]; 6];
        let mut w = vec![[0.0f32; BLOCK]; 7];
        let mut t = vec![[0.0f32; BLOCK]; 5];
        fill_rows(&mut streams(4), &mut u, |x| x);
        sort_rows(&mut u, &net);
        gaps(&u, &mut w);
        linear_totals(&mut t, &u, &linear);
        for (i, ti) in t.iter().enumerate() {
            for l in 0..BLOCK {
                let want: f64 = (0..7)
                    .map(|j| f64::from(p.scores[i * 7 + j]) * f64::from(w[j][l]))
                    .sum();
                assert!(
                    (f64::from(ti[l]) - want).abs() < 1e-5,
                    "{} against {want}",
                    ti[l]
                );
            }
        }
    }

    #[test]
    fn many_criteria_use_exponentials_that_match_double_precision() {
        let (n, m) = (4, SPACINGS_MAX_CRITERIA + 6);
        let scores: Vec<f32> = (0..n * m).map(|c| ((c * 7) % 6) as f32).collect();
        let p = problem(n, m, scores);
        let fast = run_chunk(Isa::best(), &p, &mut streams(11), 20_000).counts;
        let slow = reference_counts(&p, &mut streams(11), 20_000);
        let moved: u64 = fast.iter().zip(&slow).map(|(a, b)| a.abs_diff(*b)).sum();
        assert!(moved <= 2, "{moved} rank counts differ");
    }

    /// The instruction sets `test` can run here. The others are reported
    /// as skipped on stderr, or fail the test where the environment
    /// variable `APPRAISE_REQUIRE_SIMD` names them (a comma-separated list,
    /// or `all`), as a machine that must have them would set it.
    fn runnable(test: &str) -> Vec<Isa> {
        let required = std::env::var("APPRAISE_REQUIRE_SIMD").unwrap_or_default();
        let must = |isa: Isa| {
            required.split(',').any(|r| {
                let r = r.trim();
                r.eq_ignore_ascii_case("all") || r.eq_ignore_ascii_case(isa.name())
            })
        };
        Isa::ALL
            .into_iter()
            .filter(|&isa| {
                if isa.available() {
                    return true;
                }
                assert!(
                    !must(isa),
                    "{test}: APPRAISE_REQUIRE_SIMD says this machine has {isa}, but it does not"
                );
                eprintln!("SKIPPED: {test} on {isa}: this CPU does not have it");
                false
            })
            .collect()
    }

    /// The example's scores, option-major, on the sampled criteria.
    fn example_scores() -> Vec<f32> {
        let example = crate::load::load_example().unwrap().appraisal;
        example
            .options()
            .iter()
            .flat_map(|o| o.scores().iter().map(|s| s.unwrap_or(0.0) as f32))
            .collect()
    }

    #[test]
    #[cfg_attr(
        all(windows, target_env = "gnu"),
        ignore = "MinGW's fmaf, which the baseline build calls, is not correctly rounded"
    )]
    fn every_instruction_set_gives_the_same_bits() {
        let mut p = problem(8, 8, example_scores());
        for spread in [0.0, 0.5] {
            p.score_spread = spread;
            let portable = general_portable(&p, &mut streams(9), 10_000);
            for isa in runnable("every_instruction_set_gives_the_same_bits") {
                assert_eq!(
                    general_chunk(isa, &p, &mut streams(9), 10_000),
                    portable,
                    "{isa}"
                );
                assert_eq!(
                    run_chunk(isa, &p, &mut streams(9), 10_000),
                    portable,
                    "{isa}"
                );
            }
        }
    }

    #[test]
    fn one_criterion_ranks_by_its_scores() {
        // One sampled criterion: every total is the option's score. The best
        // option is listed last, past the hand-written loop's 16 options and
        // past the pairwise limit (where ranks come from sorting).
        for n in [2, 17, PAIRWISE_MAX_OPTIONS + 44] {
            let scores: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
            let p = problem(n, 1, scores);
            let slow = reference_counts(&p, &mut streams(2), 1_000);
            let runs = Isa::ALL
                .into_iter()
                .filter(|isa| isa.available())
                .flat_map(|isa| {
                    [
                        run_chunk(isa, &p, &mut streams(2), 1_000),
                        general_chunk(isa, &p, &mut streams(2), 1_000),
                    ]
                });
            for fast in runs {
                assert_eq!(fast.counts, slow, "{n} options");
                assert_eq!(fast.counts[(n - 1) * n], 1_000, "{n} options");
            }
        }
    }

    #[test]
    #[cfg_attr(
        all(windows, target_env = "gnu"),
        ignore = "MinGW's fmaf, which the baseline build calls, is not correctly rounded"
    )]
    fn an_exact_tie_between_different_options_goes_to_the_first_listed() {
        // (3, 3) and (3, 3 + 2^-22) differ, but their single-precision totals
        // 3 and 3 + 2^-22 (1 - U_1) round to the same value in about half the
        // samples. Such a tie goes to whichever is listed first; otherwise
        // the second option is ahead.
        let (a, b) = ([3.0f32, 3.0], [3.0f32, 3.0 + 1.0 / 4_194_304.0]);
        let samples = 5_000;
        for (first, second, always) in [(a, b, false), (b, a, true)] {
            let p = problem(2, 2, [first, second].concat());
            let runs: Vec<ChunkTally> = Isa::ALL
                .into_iter()
                .filter(|isa| isa.available())
                .flat_map(|isa| {
                    [
                        run_chunk(isa, &p, &mut streams(8), samples),
                        general_chunk(isa, &p, &mut streams(8), samples),
                    ]
                })
                .collect();
            for r in &runs {
                assert_eq!(r, &runs[0]);
                // Never both first: no tie is shared.
                assert_eq!(r.counts[0] + r.counts[2], samples as u64);
                if always {
                    assert_eq!(r.counts[0], samples as u64);
                } else {
                    assert!(r.counts[0] > 1_000 && r.counts[2] > 1_000, "{:?}", r.counts);
                }
            }
        }
    }

    /// Shapes the register loop takes: every padding bucket, twins, a
    /// single option or criterion, runs that end mid-group and mid-block,
    /// and runs long enough to pass every counter flush (nibbles at 15
    /// groups, bytes at 255 groups, central sums at 255 blocks).
    fn register_shapes() -> Vec<Problem> {
        let mut x: u64 = 99;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        [
            (1, 1),
            (1, 3),
            (2, 2),
            (3, 4),
            (5, 7),
            (8, 8),
            (8, 9),
            (7, 16),
            (9, 3),
            (12, 12),
            (16, 16),
            (16, 5),
        ]
        .into_iter()
        .map(|(n, m)| {
            let mut scores: Vec<f32> = (0..n * m).map(|_| (next() % 11) as f32 * 0.5).collect();
            if n >= 3 {
                // Options 0 and 2 are twins: always tied, sharing a rank.
                let first: Vec<f32> = scores[..m].to_vec();
                scores[2 * m..3 * m].copy_from_slice(&first);
            }
            problem(n, m, scores)
        })
        .collect()
    }

    /// Runs the register loop on `isa` and the general loop's portable
    /// build on the same streams, and compares everything.
    fn same_bits(isa: Isa, p: &Problem, samples: usize) -> ChunkTally {
        assert!(fast::fits(p), "{} x {}", p.n, p.m);
        let (mut a, mut b) = (streams(p.n as u64), streams(p.n as u64));
        let quick = fast::run(isa, p, &Plan::new(p), &mut a, samples);
        let general = general_portable(p, &mut b, samples);
        assert_eq!(
            quick, general,
            "{isa}: {} x {}, {samples} samples",
            p.n, p.m
        );
        assert_eq!(a.next_lanes(), b.next_lanes(), "{isa}: streams left apart");
        general
    }

    #[test]
    #[cfg_attr(
        all(windows, target_env = "gnu"),
        ignore = "MinGW's fmaf, which the baseline build calls, is not correctly rounded"
    )]
    fn the_register_loop_gives_the_general_loops_bits_on_every_instruction_set() {
        let samples = [
            100, 77, 1_000, 5_000, 1_234, 20_000, 333, 2_000, 1_000, 2_500, 1_500, 40_000,
        ];
        for isa in runnable("the_register_loop_gives_the_general_loops_bits") {
            for (p, &samples) in register_shapes().iter().zip(&samples) {
                let general = same_bits(isa, p, samples);
                let n = p.n;
                assert_eq!(general.samples, samples as u64);
                if n >= 3 {
                    assert_eq!(general.counts[..n], general.counts[2 * n..3 * n]);
                }
            }
        }
    }

    /// `p` constrained as `constraints::plan` would: the first criterion
    /// at least as important as the second, the third's share at most 30%,
    /// and the last fixed at 10%. Needs at least four criteria.
    fn constrained(mut p: Problem) -> Problem {
        use crate::sensitivity::constraints::{self, WeightConstraints};
        let m = p.m;
        // The plan needs only the criteria.
        let a = crate::sensitivity::testutil::full(&vec![1.0; m], &[&vec![0.0; m]]);
        let mut c = WeightConstraints::new();
        c.order(&[&[0], &[1]]).share(2, 0.0, 0.3).fixed(m - 1, 0.1);
        let crit: Vec<usize> = (0..m).collect();
        let plan = constraints::plan(&a, &crit, &c).unwrap();
        p.affine = plan.affine;
        p.reject = plan.reject;
        assert!(!p.reject.is_empty());
        p
    }

    #[test]
    #[cfg_attr(
        all(windows, target_env = "gnu"),
        ignore = "MinGW's fmaf, which the baseline build calls, is not correctly rounded"
    )]
    fn constrained_sampling_gives_the_same_bits_on_every_path() {
        let test = "constrained_sampling_gives_the_same_bits_on_every_path";
        let isas = runnable(test);
        for p in register_shapes().into_iter().filter(|p| p.m >= 4) {
            let p = constrained(p);
            for samples in [1, 700, 5_000] {
                for &isa in &isas {
                    let general = same_bits(isa, &p, samples);
                    assert_eq!(general.samples, samples as u64);
                    if samples > 1 {
                        assert!(general.proposals > general.samples, "{} x {}", p.n, p.m);
                    }
                }
            }
        }
        // The general loop alone: a score spread, exponentials past 64
        // criteria, more options than the register loop takes.
        let mut x = 7u32;
        let mut next = move || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) % 11
        };
        for (n, m, spread) in [(5, 6, 0.5), (3, 70, 0.0), (20, 5, 0.0), (20, 5, 0.25)] {
            let scores: Vec<f32> = (0..n * m).map(|_| next() as f32 * 0.5).collect();
            let mut p = constrained(problem(n, m, scores));
            p.score_spread = spread;
            let portable = general_portable(&p, &mut streams(4), 3_000);
            assert_eq!(portable.samples, 3_000);
            for &isa in &isas {
                assert_eq!(
                    general_chunk(isa, &p, &mut streams(4), 3_000),
                    portable,
                    "{isa}: {n} x {m}"
                );
                assert_eq!(
                    run_chunk(isa, &p, &mut streams(4), 3_000),
                    portable,
                    "{isa}: {n} x {m}"
                );
            }
        }
    }

    #[test]
    fn rejection_counts_exactly_the_samples_asked_for_in_sample_order() {
        // Keeping the first `need` passing samples of a block, by slot.
        assert_eq!(first_bits(0b1011_0110, 2, 64), (0b0000_0110, 3));
        assert_eq!(first_bits(0b1011_0110, 5, 64), (0b1011_0110, 8));
        assert_eq!(first_bits(0b1011_0110, 6, 64), (0b1011_0110, 64));
        assert_eq!(first_bits(0b1011_0110, 0, 64), (0, 0));
        assert_eq!(first_bits(u64::MAX, 64, 64), (u64::MAX, 64));
        assert_eq!(first_bits(0xFFFF, 16, 16), (0xFFFF, 16));
        assert_eq!(first_bits(0, 3, 16), (0, 16));
    }
}
