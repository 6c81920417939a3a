//! The weights-only simplex loop for up to 16 options and 16 criteria,
//! written with AVX-512 intrinsics.
//!
//! It computes exactly what [`run_chunk_generic`](super::run_chunk_generic)
//! computes for the same problem, bit for bit (a test runs both on many
//! shapes), but keeps one group of 16 samples in registers from the random
//! bits to the rank counts: the streams' state, the sorted uniforms, the
//! totals and the counters. The portable loop passes every quantity through
//! memory between steps and counts each comparison with three instructions;
//! here a comparison is one instruction into a mask and the counts are
//! masked adds.
//!
//! Sizes are fixed at compile time (options padded up to 8 or 16, uniforms
//! to 3, 7 or 15), so the sorting network and every loop unroll and the
//! arrays of vectors stay in registers. Padded uniforms sort to the end and
//! enter the totals only with coefficient 0; padded options are never
//! compared and their counts are never read.

use std::arch::x86_64::*;

use super::{
    BLOCK, CentralSlots, ChunkTally, FLUSH_BLOCKS, GROUPS, LaneRng, Linear, Network,
    PAIRWISE_MAX_OPTIONS, Problem, SPACINGS_MAX_CRITERIA, WORDS, WeightDraw, finish_central, twins,
};

/// Most options this kernel takes.
const MAX_OPTIONS: usize = 16;

/// Most sorted uniforms (criteria less one) this kernel takes.
const MAX_UNIFORMS: usize = 15;

// Within these sizes the portable loop ranks pairwise and draws spacings,
// which is what this loop reproduces.
const _: () = assert!(MAX_OPTIONS <= PAIRWISE_MAX_OPTIONS);
const _: () = assert!(MAX_UNIFORMS < SPACINGS_MAX_CRITERIA);

/// Groups between moving the 4-bit rank counters into 8-bit ones: each lane
/// gains at most 1 per group, so a nibble stays below 16.
const NIBBLE_GROUPS: usize = 15;

/// Nibble moves between emptying the 8-bit counters: each adds at most 15,
/// so a byte stays below 256.
const BYTE_MOVES: usize = 17;

/// Whether the CPU has the AVX-512 subsets this kernel is compiled for.
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512bw")
        && std::arch::is_x86_feature_detected!("avx512dq")
        && std::arch::is_x86_feature_detected!("avx512vl")
}

/// Whether `p` is a problem this kernel computes: uniform simplex weights as
/// spacings, fixed scores, and the sizes above.
pub fn fits(p: &Problem) -> bool {
    p.weights == WeightDraw::Simplex
        && p.score_spread == 0.0
        && (1..=MAX_OPTIONS).contains(&p.n)
        && (1..=MAX_UNIFORMS + 1).contains(&p.m)
}

/// Runs `samples` samples of a problem that [`fits`], on a CPU that is
/// [`available`].
pub fn run(p: &Problem, rng: &mut LaneRng, samples: usize) -> Option<ChunkTally> {
    if !fits(p) || !available() {
        return None;
    }
    let r = p.m - 1;
    // SAFETY (every arm): `available()` has confirmed the target features.
    let tally = match (p.n <= 8, r) {
        (true, 0..=3) => unsafe { run_sized::<8, 3>(p, rng, samples) },
        (true, 4..=7) => unsafe { run_sized::<8, 7>(p, rng, samples) },
        (true, _) => unsafe { run_sized::<8, 15>(p, rng, samples) },
        (false, 0..=3) => unsafe { run_sized::<16, 3>(p, rng, samples) },
        (false, 4..=7) => unsafe { run_sized::<16, 7>(p, rng, samples) },
        (false, _) => unsafe { run_sized::<16, 15>(p, rng, samples) },
    };
    Some(tally)
}

/// The sorting network for `RP` values, built at compile time.
struct Net<const RP: usize>;

impl<const RP: usize> Net<RP> {
    const NET: Network = Network::batcher(RP);
}

/// One step of the eight xoshiro256++ streams, as in [`LaneRng::next_lanes`].
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn step(s: &mut [__m512i; 4]) -> __m512i {
    let out = _mm512_add_epi64(_mm512_rol_epi64::<23>(_mm512_add_epi64(s[0], s[3])), s[0]);
    let t = _mm512_slli_epi64::<17>(s[1]);
    s[2] = _mm512_xor_si512(s[2], s[0]);
    s[3] = _mm512_xor_si512(s[3], s[1]);
    s[1] = _mm512_xor_si512(s[1], s[2]);
    s[0] = _mm512_xor_si512(s[0], s[3]);
    s[2] = _mm512_xor_si512(s[2], t);
    s[3] = _mm512_rol_epi64::<45>(s[3]);
    out
}

/// Sixteen uniforms from one step's bits, as [`super::uniform_f32`] makes
/// them; the 32-bit halves are in the order [`super::fill_rows`] uses.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn uniforms(bits: __m512i) -> __m512 {
    let mantissa = _mm512_or_si512(_mm512_srli_epi32::<9>(bits), _mm512_set1_epi32(0x3F80_0000));
    _mm512_sub_ps(
        _mm512_castsi512_ps(mantissa),
        _mm512_set1_ps(1.0 - 1.0 / 16_777_216.0),
    )
}

/// The loop for at most `NP` options and `RP` sorted uniforms.
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn run_sized<const NP: usize, const RP: usize>(
    p: &Problem,
    rng: &mut LaneRng,
    samples: usize,
) -> ChunkTally {
    let (n, m) = (p.n, p.m);
    let r = m - 1;
    let mut tally = ChunkTally::new(n, m);
    let linear = Linear::new(p, true);
    let mut coeff = [[0.0f32; RP]; NP];
    let mut start = [0.0f32; NP];
    for i in 0..n {
        start[i] = linear.start[i];
        coeff[i][..r].copy_from_slice(&linear.coeffs[i * r..(i + 1) * r]);
    }
    // Pairs compared (not twins, both real), and each option's count before
    // the comparisons: one for every earlier option it is compared with,
    // taken back when that option turns out to be behind (see `rank_once`).
    // Counts are kept in quarters, ready to be a shift of 4 * rank bits.
    let twin = twins(p);
    let mut compare = [[0 as __mmask16; NP]; NP];
    let mut base = [0i32; NP];
    for k in 0..n {
        for i in 0..k {
            if !twin[i * n + k] {
                compare[i][k] = 0xFFFF;
                base[k] += 4;
            }
        }
    }
    // Every option's sums exist from the start, so the loop only looks them
    // up; an option never first adds nothing (`finish_central` skips it).
    let mut central = CentralSlots(Vec::new());
    for i in 0..n {
        central.entry(i, r);
    }

    let mut s = [
        load_u64s(&rng.s0),
        load_u64s(&rng.s1),
        load_u64s(&rng.s2),
        load_u64s(&rng.s3),
    ];
    let four = _mm512_set1_epi32(4);
    let one = _mm512_set1_epi32(1);
    let mut hist = Histogram::<NP>::new();
    let mut blocks = 0;
    let mut done = 0;
    while done < samples {
        let valid = (samples - done).min(BLOCK);
        for g in 0..GROUPS {
            // Loops run to the padded sizes, so they unroll with constant
            // indices and the arrays stay in registers; padded entries are
            // skipped or never read.
            // 1. Uniforms (padding sorts past every real one), sorted.
            let mut u = [_mm512_set1_ps(2.0); RP];
            for (j, uj) in u.iter_mut().enumerate() {
                if j < r {
                    *uj = uniforms(step(&mut s));
                }
            }
            let net = &Net::<RP>::NET;
            for c in 0..net.len {
                let (a, b) = (usize::from(net.pairs[c].0), usize::from(net.pairs[c].1));
                let (x, y) = (u[a], u[b]);
                u[a] = _mm512_min_ps(x, y);
                u[b] = _mm512_max_ps(x, y);
            }
            // 2. Totals, in the order `linear_totals` adds them. A padded
            // uniform has coefficient 0 and adds 0, which changes a total
            // only if it is -0 (to +0), and no comparison tells those apart.
            let mut t = [_mm512_setzero_ps(); NP];
            for i in 0..NP {
                let mut acc = _mm512_set1_ps(start[i]);
                for j in 0..RP {
                    acc = _mm512_fmadd_ps(_mm512_set1_ps(coeff[i][j]), u[j], acc);
                }
                t[i] = acc;
            }
            // 3. Ranks, one comparison per pair; a pair not compared (twins,
            // or padding) has an empty mask.
            let mut c = [_mm512_setzero_si512(); NP];
            for i in 0..NP {
                c[i] = _mm512_set1_epi32(base[i]);
            }
            for i in 0..NP {
                for k in i + 1..NP {
                    let ahead = _mm512_mask_cmp_ps_mask::<_CMP_GT_OQ>(compare[i][k], t[k], t[i]);
                    c[i] = _mm512_mask_add_epi32(c[i], ahead, c[i], four);
                    c[k] = _mm512_mask_sub_epi32(c[k], ahead, c[k], four);
                }
            }
            // Slots past the end of the run take rank n, which is never counted.
            let live = valid.saturating_sub(g * WORDS).min(WORDS);
            if live < WORDS {
                let dead = !((1u32 << live) - 1) as u16;
                for ci in c.iter_mut() {
                    *ci = _mm512_mask_mov_epi32(*ci, dead, _mm512_set1_epi32(4 * n as i32));
                }
            }
            // 4. Rank counts.
            hist.add(&c, &mut tally, n);
            // 5. Central weights: sums of the sorted uniforms where first.
            for i in 0..NP {
                let first = _mm512_cmpeq_epi32_mask(c[i], _mm512_setzero_si512());
                if i >= n || first == 0 {
                    continue;
                }
                let Some(slot) = central.0.get_mut(i).and_then(Option::as_mut) else {
                    continue;
                };
                if let Some(k) = slot.k.as_chunks_mut::<WORDS>().0.get_mut(g) {
                    add_masked_u32(k, first, one);
                }
                for (part, &uj) in slot.part.iter_mut().zip(&u) {
                    if let Some(x) = part.as_chunks_mut::<WORDS>().0.get_mut(g) {
                        add_masked_f32(x, first, uj);
                    }
                }
            }
        }
        // The portable loop empties its single-precision sums every
        // FLUSH_BLOCKS blocks; doing the same keeps the rounding identical.
        blocks += 1;
        if blocks == FLUSH_BLOCKS {
            central.flush();
            blocks = 0;
        }
        done += valid;
    }
    hist.empty(&mut tally, n);
    central.flush();
    finish_central(&central, true, &mut tally, m);
    store_u64s(&mut rng.s0, s[0]);
    store_u64s(&mut rng.s1, s[1]);
    store_u64s(&mut rng.s2, s[2]);
    store_u64s(&mut rng.s3, s[3]);
    tally
}

/// Rank counts for every option and lane: rank `r` adds `1 << 4(r mod 8)` to
/// the 4-bit counters in word `r / 8`, which are moved into 8-bit counters
/// (even ranks and odd ranks apart) before they fill, and those into the
/// tally before they fill.
struct Histogram<const NP: usize> {
    nibbles: [[__m512i; 2]; NP],
    even: [[__m512i; 2]; NP],
    odd: [[__m512i; 2]; NP],
    groups: usize,
    moves: usize,
}

impl<const NP: usize> Histogram<NP> {
    /// Words of nibbles needed for `NP` ranks.
    const WORDS: usize = NP.div_ceil(8);

    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
    fn new() -> Self {
        let zero = [[_mm512_setzero_si512(); 2]; NP];
        Histogram {
            nibbles: zero,
            even: zero,
            odd: zero,
            groups: 0,
            moves: 0,
        }
    }

    /// Counts one group's ranks, given in quarters (`4 * rank`).
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
    fn add(&mut self, c: &[__m512i; NP], tally: &mut ChunkTally, n: usize) {
        let one = _mm512_set1_epi32(1);
        for i in 0..NP {
            for q in 0..Self::WORDS {
                // A shift of 32 or more (or "negative") gives 0.
                let shift = _mm512_sub_epi32(c[i], _mm512_set1_epi32(32 * q as i32));
                self.nibbles[i][q] =
                    _mm512_add_epi32(self.nibbles[i][q], _mm512_sllv_epi32(one, shift));
            }
        }
        self.groups += 1;
        if self.groups == NIBBLE_GROUPS {
            self.move_nibbles();
            if self.moves == BYTE_MOVES {
                self.empty(tally, n);
            }
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
    fn move_nibbles(&mut self) {
        let low = _mm512_set1_epi32(0x0F0F_0F0F);
        for i in 0..NP {
            for q in 0..Self::WORDS {
                let x = self.nibbles[i][q];
                self.even[i][q] = _mm512_add_epi32(self.even[i][q], _mm512_and_si512(x, low));
                self.odd[i][q] = _mm512_add_epi32(
                    self.odd[i][q],
                    _mm512_and_si512(_mm512_srli_epi32::<4>(x), low),
                );
                self.nibbles[i][q] = _mm512_setzero_si512();
            }
        }
        self.groups = 0;
        self.moves += 1;
    }

    /// Moves every count into the tally and clears the counters.
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
    fn empty(&mut self, tally: &mut ChunkTally, n: usize) {
        self.move_nibbles();
        for i in 0..n.min(NP) {
            for q in 0..Self::WORDS {
                for (parity, word) in [(0, &mut self.even[i][q]), (1, &mut self.odd[i][q])] {
                    for b in 0..4 {
                        let rank = 8 * q + 2 * b + parity;
                        if rank < n {
                            let bytes = _mm512_and_si512(
                                _mm512_srlv_epi32(*word, _mm512_set1_epi32(8 * b as i32)),
                                _mm512_set1_epi32(0xFF),
                            );
                            // At most 16 lanes of 255: no overflow.
                            let sum = _mm512_reduce_add_epi32(bytes) as u32;
                            tally.counts[i * n + rank] += u64::from(sum);
                        }
                    }
                    *word = _mm512_setzero_si512();
                }
            }
        }
        self.moves = 0;
    }
}

/// `x[l] += add[l]` where `mask` has bit `l`, for one group of 16.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn add_masked_u32(x: &mut [u32; WORDS], mask: __mmask16, add: __m512i) {
    // SAFETY: `x` is exactly one vector of 16 u32.
    unsafe {
        let v = _mm512_loadu_si512(x.as_ptr().cast());
        _mm512_storeu_si512(
            x.as_mut_ptr().cast(),
            _mm512_mask_add_epi32(v, mask, v, add),
        );
    }
}

/// `x[l] += add[l]` where `mask` has bit `l`, for one group of 16.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn add_masked_f32(x: &mut [f32; WORDS], mask: __mmask16, add: __m512) {
    // SAFETY: `x` is exactly one vector of 16 f32.
    unsafe {
        let v = _mm512_loadu_ps(x.as_ptr());
        _mm512_storeu_ps(x.as_mut_ptr(), _mm512_mask_add_ps(v, mask, v, add));
    }
}

#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn load_u64s(x: &[u64; 8]) -> __m512i {
    // SAFETY: eight u64 are one vector.
    unsafe { _mm512_loadu_si512(x.as_ptr().cast()) }
}

#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl")]
fn store_u64s(x: &mut [u64; 8], v: __m512i) {
    // SAFETY: as above.
    unsafe { _mm512_storeu_si512(x.as_mut_ptr().cast(), v) }
}
