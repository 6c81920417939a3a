//! The register loop: weights uniform on a simplex, fixed scores, up to 16
//! options and 16 simplex coordinates, written once over the vector trait
//! [`Simd`] and compiled for each instruction set.
//!
//! It computes exactly what the general loop computes for the same problem,
//! bit for bit (the tests run both on many shapes and every instruction
//! set), but keeps one group of 16 samples in registers from the random
//! bits to the rank counts: the streams' state, the sorted uniforms, the
//! totals and the counters. The general loop passes every quantity through
//! memory between steps.
//!
//! Sizes are fixed at compile time (options padded up to 8 or 16, uniforms
//! to 3, 7 or 15), so the sorting network and every loop unroll. Padded
//! uniforms sort past every real one and enter the totals only with
//! coefficient 0; padded options total minus infinity, so they are never
//! ahead of a real option, and their counts are never read.

use super::simd::{Scalar, Simd, WIDTH};
use super::{
    CentralSlots, ChunkTally, FLUSH_BLOCKS, GROUPS, Isa, LaneRng, MAX_PROPOSALS_PER_SAMPLE,
    Network, PAIRWISE_MAX_OPTIONS, Plan, Problem, SPACINGS_MAX_CRITERIA, WeightDraw,
    finish_central, first_bits,
};

/// Most options this loop takes.
const MAX_OPTIONS: usize = 16;

/// Most sorted uniforms (simplex coordinates less one) this loop takes.
const MAX_UNIFORMS: usize = 15;

// Within these sizes the general loop ranks pairwise and draws spacings,
// which is what this loop reproduces.
const _: () = assert!(MAX_OPTIONS <= PAIRWISE_MAX_OPTIONS);
const _: () = assert!(MAX_UNIFORMS < SPACINGS_MAX_CRITERIA);

/// Vectors counted between moving the 4-bit rank counters into 8-bit ones:
/// each lane gains at most 1 per vector, so a nibble stays below 16.
const NIBBLE_ADDS: usize = 15;

/// Nibble moves between emptying the 8-bit counters: each adds at most 15,
/// so a byte stays below 256.
const BYTE_MOVES: usize = 17;

/// Whether `p` is a problem this loop computes: simplex weights as
/// spacings, fixed scores, and the sizes above.
pub fn fits(p: &Problem) -> bool {
    p.weights == WeightDraw::Simplex
        && p.score_spread == 0.0
        && (1..=MAX_OPTIONS).contains(&p.n)
        && (1..=MAX_UNIFORMS + 1).contains(&p.k())
}

/// Calls `$run::<NP, RP>(args)` with the padded sizes for problem `$p`.
macro_rules! by_size {
    ($run:ident, $p:expr, $($arg:expr),*) => {
        match ($p.n <= 8, $p.k() - 1) {
            (true, 0..=3) => $run::<8, 3>($($arg),*),
            (true, 4..=7) => $run::<8, 7>($($arg),*),
            (true, _) => $run::<8, 15>($($arg),*),
            (false, 0..=3) => $run::<16, 3>($($arg),*),
            (false, 4..=7) => $run::<16, 7>($($arg),*),
            (false, _) => $run::<16, 15>($($arg),*),
        }
    };
}

/// Runs a problem that [`fits`] on `isa`, or on the portable path if this
/// CPU lacks it.
pub fn run(isa: Isa, p: &Problem, plan: &Plan, rng: &mut LaneRng, samples: usize) -> ChunkTally {
    #[cfg(target_arch = "x86_64")]
    {
        use super::simd::{Avx2, Avx512};
        if isa == Isa::Avx512
            && let Some(s) = Avx512::new()
        {
            // SAFETY: `Avx512::new` has confirmed the target features.
            return unsafe { by_size!(on_avx512, p, s, p, plan, rng, samples) };
        }
        if isa == Isa::Avx2
            && let Some(s) = Avx2::new()
        {
            // SAFETY: `Avx2::new` has confirmed the target features.
            return unsafe { by_size!(on_avx2, p, s, p, plan, rng, samples) };
        }
    }
    let _ = isa;
    by_size!(on_scalar, p, Scalar, p, plan, rng, samples)
}

/// The register loop compiled for one instruction set: `$name` runs
/// [`run_sized`] on vectors `$vector`, under the attributes given (the
/// target features to enable; none for the baseline), so the one generic
/// loop is written once.
macro_rules! compiled_for {
    ($(#[$attr:meta])* $name:ident, $vector:ty) => {
        $(#[$attr])*
        fn $name<const NP: usize, const RP: usize>(
            s: $vector,
            p: &Problem,
            plan: &Plan,
            rng: &mut LaneRng,
            samples: usize,
        ) -> ChunkTally {
            run_sized::<_, NP, RP>(s, p, plan, rng, samples)
        }
    };
}

compiled_for!(
    /// The loop compiled for the baseline instruction set.
    on_scalar,
    Scalar
);
compiled_for!(
    /// The loop compiled for AVX-512.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
    on_avx512,
    super::simd::Avx512
);
compiled_for!(
    /// The loop compiled for AVX2 with FMA.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    on_avx2,
    super::simd::Avx2
);

/// The sorting network for `RP` values, built at compile time.
struct Net<const RP: usize>;

impl<const RP: usize> Net<RP> {
    const NET: Network = Network::batcher(RP);
}

/// One step of the eight xoshiro256++ streams, as in [`LaneRng::next_lanes`].
#[inline(always)]
fn step<S: Simd>(v: S, s: &mut [S::U64s; 4]) -> S::U64s {
    let out = v.add_u64(v.rotl23_u64(v.add_u64(s[0], s[3])), s[0]);
    let t = v.shl17_u64(s[1]);
    s[2] = v.xor_u64(s[2], s[0]);
    s[3] = v.xor_u64(s[3], s[1]);
    s[1] = v.xor_u64(s[1], s[2]);
    s[0] = v.xor_u64(s[0], s[3]);
    s[2] = v.xor_u64(s[2], t);
    s[3] = v.rotl45_u64(s[3]);
    out
}

/// `start + coeffs . u`, in the order the general loop's `linear_totals`
/// adds the terms. The constants come as whole vectors, made once per
/// chunk: AVX2 has no multiply-add that broadcasts its operand.
#[inline(always)]
fn linear<S: Simd, const RP: usize>(
    v: S,
    start: S::F32s,
    coeffs: &[S::F32s; RP],
    u: &[S::F32s; RP],
) -> S::F32s {
    let mut acc = start;
    for j in 0..RP {
        acc = v.mul_add(coeffs[j], u[j], acc);
    }
    acc
}

/// The loop for at most `NP` options and `RP` sorted uniforms.
#[inline(always)]
fn run_sized<S: Simd, const NP: usize, const RP: usize>(
    v: S,
    p: &Problem,
    plan: &Plan,
    rng: &mut LaneRng,
    samples: usize,
) -> ChunkTally {
    let n = p.n;
    let r = plan.k - 1;
    let mut tally = ChunkTally::new(n, p.m);
    let mut coeff = [[0.0f32; RP]; NP];
    let mut start = [f32::NEG_INFINITY; NP];
    for i in 0..n {
        start[i] = plan.linear.start[i];
        coeff[i][..r].copy_from_slice(&plan.linear.coeffs[i * r..(i + 1) * r]);
    }
    let limits: Vec<(S::F32s, [S::F32s; RP])> = (0..plan.limits.start.len())
        .map(|h| {
            let mut c = [0.0f32; RP];
            c[..r].copy_from_slice(&plan.limits.coeffs[h * r..(h + 1) * r]);
            (v.splat(plan.limits.start[h]), c.map(|x| v.splat(x)))
        })
        .collect();
    let coeff: [[S::F32s; RP]; NP] = coeff.map(|row| row.map(|x| v.splat(x)));
    let start: [S::F32s; NP] = start.map(|x| v.splat(x));
    // Each option's count before the comparisons: one for every earlier
    // option that is not its twin, taken back when that option turns out to
    // be behind (see `rank_once`). A twin's total is computed from the same
    // numbers, so neither is ever ahead of the other.
    let mut base = [0i32; NP];
    let mut twins_before = [0i32; NP];
    for k in 0..n {
        base[k] = (0..k).filter(|&i| !plan.twin[i * n + k]).count() as i32;
        twins_before[k] = k as i32 - base[k];
    }
    // Every option's sums exist from the start, so the loop only looks them
    // up; an option never first adds nothing (`finish_central` skips it).
    let mut central = CentralSlots(Vec::new());
    for i in 0..n {
        central.entry(i, r);
    }

    // A vector holds a group of samples or half of one; each half is the
    // samples of half of the streams, so it is computed on its own.
    let passes = WIDTH / S::LANES;
    let streams = S::LANES / 2;
    let full = (u32::MAX >> (32 - S::LANES)) as u16;
    let mut state: [[S::U64s; 4]; 2] = std::array::from_fn(|pass| {
        let at = if pass < passes { pass * streams } else { 0 };
        [
            v.load_u64s(&rng.s0[at..]),
            v.load_u64s(&rng.s1[at..]),
            v.load_u64s(&rng.s2[at..]),
            v.load_u64s(&rng.s3[at..]),
        ]
    });
    let dead_rank = v.splat_i32(n as i32);
    let mut hist = Histogram::<S, NP>::new(v);
    let mut blocks = 0;
    let cap = (samples as u64).saturating_mul(MAX_PROPOSALS_PER_SAMPLE);
    while (tally.samples as usize) < samples && tally.proposals < cap {
        for g in 0..GROUPS {
            for (pass, s) in state.iter_mut().enumerate().take(passes) {
                // This vector's samples are slots `off..off + LANES` of the block.
                let off = g * WIDTH + pass * S::LANES;
                // Loops run to the padded sizes, so they unroll with constant
                // indices and the arrays stay in registers; padded entries are
                // skipped or never read.
                // 1. Uniforms (padding sorts past every real one), sorted.
                let mut u = [v.splat(2.0); RP];
                for (j, uj) in u.iter_mut().enumerate() {
                    if j < r {
                        *uj = v.uniforms(step(v, s));
                    }
                }
                let net = &Net::<RP>::NET;
                for c in 0..net.len {
                    let (a, b) = (usize::from(net.pairs[c].0), usize::from(net.pairs[c].1));
                    let (x, y) = (u[a], u[b]);
                    u[a] = v.min(x, y);
                    u[b] = v.max(x, y);
                }
                // 2. Which samples count: those meeting every condition, up
                // to the number still needed.
                let mut pass_bits = full;
                for (c0, c) in &limits {
                    pass_bits &= v.bits(v.le_zero(linear(v, *c0, c, &u)));
                }
                let need = samples - tally.samples as usize;
                let (alive, looked) = first_bits(u64::from(pass_bits), need, S::LANES as u32);
                let alive = alive as u16;
                tally.samples += u64::from(alive.count_ones());
                tally.proposals += looked;
                // 3. Totals, in the order `linear_totals` adds them. A padded
                // uniform has coefficient 0 and adds 0, which changes a total
                // only if it is -0 (to +0), and no comparison tells those apart.
                let mut t = [v.splat(0.0); NP];
                for i in 0..NP {
                    t[i] = linear(v, start[i], &coeff[i], &u);
                }
                // 4. Ranks: with many registers one comparison per pair,
                // counting for both options; with few, each option's count
                // on its own (every later option with a larger total and
                // every earlier one with one at least as large, less its
                // earlier twins, as `rank_once` counts), so that only one
                // count is live at a time. The two give the same counts.
                let mut c = [v.splat_i32(0); NP];
                if S::FEW_REGISTERS {
                    for i in 0..NP {
                        let mut ci = v.splat_i32(-twins_before[i]);
                        for k in 0..NP {
                            if k < i {
                                ci = v.inc(ci, v.ge(t[k], t[i]));
                            } else if k > i {
                                ci = v.inc(ci, v.gt(t[k], t[i]));
                            }
                        }
                        c[i] = ci;
                    }
                } else {
                    for i in 0..NP {
                        c[i] = v.splat_i32(base[i]);
                    }
                    for i in 0..NP {
                        for k in i + 1..NP {
                            let ahead = v.gt(t[k], t[i]);
                            c[i] = v.inc(c[i], ahead);
                            c[k] = v.dec(c[k], ahead);
                        }
                    }
                }
                // Samples that do not count take rank n, which is never counted.
                if alive != full {
                    let keep = v.mask_of(alive);
                    for ci in c.iter_mut() {
                        *ci = v.select_i32(keep, *ci, dead_rank);
                    }
                }
                // 5. Rank counts.
                hist.add(&c, &mut tally, n);
                let mut firsts = [0u16; NP];
                for i in 0..NP {
                    firsts[i] = v.bits(v.eq_zero(c[i]));
                }
                // 6. Central weights: sums of the sorted uniforms where first,
                // for the (usually one or two) options first somewhere.
                let mut who = 0u32;
                for i in 0..NP {
                    who |= u32::from(firsts[i] != 0) << i;
                }
                who &= (1u32 << n) - 1;
                while who != 0 {
                    let i = who.trailing_zeros() as usize;
                    who &= who - 1;
                    let first = v.mask_of(firsts[i]);
                    let Some(slot) = central.0.get_mut(i).and_then(Option::as_mut) else {
                        continue;
                    };
                    if let Some(k) = slot.k.get_mut(off..off + S::LANES) {
                        v.add_one_where(k, first);
                    }
                    for (part, &uj) in slot.part.iter_mut().zip(&u) {
                        if let Some(x) = part.get_mut(off..off + S::LANES) {
                            v.add_where(x, first, uj);
                        }
                    }
                }
            }
        }
        // The general loop empties its single-precision sums every
        // FLUSH_BLOCKS blocks; doing the same keeps the rounding identical.
        blocks += 1;
        if blocks == FLUSH_BLOCKS {
            central.flush();
            blocks = 0;
        }
    }
    hist.empty(&mut tally, n);
    central.flush();
    finish_central(&central, p, true, &mut tally);
    for (pass, s) in state.iter().enumerate().take(passes) {
        let at = pass * streams;
        v.store_u64s(&mut rng.s0[at..], s[0]);
        v.store_u64s(&mut rng.s1[at..], s[1]);
        v.store_u64s(&mut rng.s2[at..], s[2]);
        v.store_u64s(&mut rng.s3[at..], s[3]);
    }
    tally
}

/// Rank counts for every option and lane: rank `r` adds `1 << 4(r mod 8)` to
/// the 4-bit counters in word `r / 8`, which are moved into 8-bit counters
/// (even ranks and odd ranks apart) before they fill, and those into the
/// tally before they fill. Counts are summed over lanes, so a vector of
/// either width counts the same.
struct Histogram<S: Simd, const NP: usize> {
    v: S,
    nibbles: [[S::I32s; 2]; NP],
    even: [[S::I32s; 2]; NP],
    odd: [[S::I32s; 2]; NP],
    /// Vectors counted since the nibbles were last moved.
    adds: usize,
    moves: usize,
}

impl<S: Simd, const NP: usize> Histogram<S, NP> {
    /// Words of nibbles needed for `NP` ranks.
    const WORDS: usize = NP.div_ceil(8);

    #[inline(always)]
    fn new(v: S) -> Self {
        let zero = [[v.splat_i32(0); 2]; NP];
        Histogram {
            v,
            nibbles: zero,
            even: zero,
            odd: zero,
            adds: 0,
            moves: 0,
        }
    }

    /// Counts one vector's ranks.
    #[inline(always)]
    fn add(&mut self, c: &[S::I32s; NP], tally: &mut ChunkTally, n: usize) {
        let v = self.v;
        for i in 0..NP {
            let quarters = v.shl2_i32(c[i]);
            for q in 0..Self::WORDS {
                // A shift of 32 or more (or "negative") gives 0.
                let shift = v.sub_i32(quarters, v.splat_i32(32 * q as i32));
                self.nibbles[i][q] = v.add_i32(self.nibbles[i][q], v.one_shl(shift));
            }
        }
        self.adds += 1;
        if self.adds == NIBBLE_ADDS {
            self.move_nibbles();
            if self.moves == BYTE_MOVES {
                self.empty(tally, n);
            }
        }
    }

    #[inline(always)]
    fn move_nibbles(&mut self) {
        let v = self.v;
        let low = v.splat_i32(0x0F0F_0F0F);
        for i in 0..NP {
            for q in 0..Self::WORDS {
                let x = self.nibbles[i][q];
                self.even[i][q] = v.add_i32(self.even[i][q], v.and_i32(x, low));
                self.odd[i][q] = v.add_i32(self.odd[i][q], v.and_i32(v.shr4_i32(x), low));
                self.nibbles[i][q] = v.splat_i32(0);
            }
        }
        self.adds = 0;
        self.moves += 1;
    }

    /// Moves every count into the tally and clears the counters.
    #[inline(always)]
    fn empty(&mut self, tally: &mut ChunkTally, n: usize) {
        let v = self.v;
        self.move_nibbles();
        for i in 0..n.min(NP) {
            for q in 0..Self::WORDS {
                for (parity, word) in [(0, &mut self.even[i][q]), (1, &mut self.odd[i][q])] {
                    for b in 0..4 {
                        let rank = 8 * q + 2 * b + parity;
                        if rank < n {
                            let bytes = v.and_i32(
                                v.shr_by(*word, v.splat_i32(8 * b as i32)),
                                v.splat_i32(0xFF),
                            );
                            // At most 16 lanes of 255: no overflow.
                            tally.counts[i * n + rank] += u64::from(v.sum_i32(bytes));
                        }
                    }
                    *word = v.splat_i32(0);
                }
            }
        }
        self.moves = 0;
    }
}
