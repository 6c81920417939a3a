//! Monte Carlo rank acceptability analysis (SMAA-2, Lahdelma & Salminen 2001).
//!
//! Weights are drawn uniformly from the simplex (Dirichlet(1, ..., 1), as the
//! gaps between sorted uniforms, or normalised exponentials for more than 64
//! criteria) or within a band around the base weights;
//! scores may be perturbed within a band of scale steps. For every option the
//! result gives its rank acceptabilities, central weight vector and
//! confidence factor, each with a standard error.
//!
//! Reproducibility: samples are split into chunks of [`CHUNK_SAMPLES`]; chunk
//! `c` draws from `LANES` xoshiro256++ streams that are the seed's stream
//! advanced by `jump()` (2^128 steps) `c * LANES + lane` times. Chunks are
//! tallied independently and merged in chunk order, so the numbers depend
//! only on the seed and the sample count, never on the number of threads.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::SeedableRng;
use rayon::prelude::*;
use serde::Serialize;
use thiserror::Error;

use super::constraints::{
    self, ConstraintError, MIN_ACCEPTANCE, Region, Sampler, WeightConstraints,
};
use super::draws::{self, sampled};
use super::hit_and_run;
use super::kernel::{self, ChunkTally, Isa, IsaError, LANES, LaneRng, Problem, WeightDraw};
use super::ranges::RangeDraw;
use crate::model::Appraisal;

/// Samples per chunk: the unit of parallel work and of random stream assignment.
/// Changing it changes the numbers a given seed produces.
pub const CHUNK_SAMPLES: usize = 32_768;

/// Most samples accepted in one run.
pub const MAX_SAMPLES: u64 = 1_000_000_000;

/// Most options a Monte Carlo run takes. Ranking costs grow with the square of
/// the options, as does the rank table; beyond this a run would take minutes
/// and gigabytes, and a table of thousands of ranks helps nobody.
pub const MAX_OPTIONS: usize = 2_000;

/// Chunks tallied in parallel before their results are merged; bounds memory.
const BATCH_CHUNKS: usize = 64;

/// How the weights are varied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WeightModel {
    /// Any weighting at all: uniform over every set of shares that add up to 1.
    Uniform,
    /// Each weight independently within plus or minus `percent`% of its base value.
    Spread {
        /// Half-width of the band, as a percentage of each base weight (0-100).
        percent: f64,
    },
}

/// Settings for a Monte Carlo run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SmaaConfig {
    /// Number of samples (the TUI uses a few thousand for live updates).
    pub samples: u64,
    /// Seed of the random streams.
    pub seed: u64,
    /// Worker threads; `None` uses rayon's global pool, `Some(1)` runs on the caller's thread.
    #[serde(skip)]
    pub threads: Option<usize>,
    /// How the weights are varied.
    pub weights: WeightModel,
    /// Half-width of the uniform score perturbation in scale steps (0 for none).
    pub score_spread: f64,
}

impl Default for SmaaConfig {
    fn default() -> Self {
        SmaaConfig {
            samples: 1_000_000,
            seed: 1,
            threads: None,
            weights: WeightModel::Uniform,
            score_spread: 0.0,
        }
    }
}

/// Why a Monte Carlo run could not start.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SmaaError {
    /// Zero samples, or more than [`MAX_SAMPLES`].
    #[error("the number of samples must be between 1 and {MAX_SAMPLES}, not {0}")]
    Samples(u64),
    /// The weight spread is not a percentage from 0 to 100.
    #[error("the weight spread must be a percentage from 0 to 100, not {0}")]
    WeightSpread(f64),
    /// The score spread is negative or not a number.
    #[error("the score spread must be a number of scale steps, zero or more, not {0}")]
    ScoreSpread(f64),
    /// Too many options for a Monte Carlo run.
    #[error(
        "Monte Carlo rank acceptability handles at most {MAX_OPTIONS} options; this appraisal has {0}"
    )]
    TooManyOptions(usize),
    /// Zero threads were asked for.
    #[error("the number of threads must be at least 1")]
    Threads,
    /// The thread pool could not be started.
    #[error("could not start {0} worker threads")]
    Pool(usize),
    /// The instruction set asked for cannot be used.
    #[error(transparent)]
    Isa(#[from] IsaError),
    /// The weight constraints cannot be sampled.
    #[error(transparent)]
    Constraints(#[from] ConstraintError),
    /// Weights drawn through the value tree were asked for with a weight spread.
    #[error(
        "drawing weights level by level through the groups (--hierarchy level) describes every possible weighting, so it goes with uniform weights, not a weight spread"
    )]
    LevelsWithSpread,
    /// Weights drawn through the value tree were asked for with weight constraints.
    #[error(
        "weight constraints are on the criteria's shares of the total weight, so they are sampled flat (--hierarchy flat), not level by level through the groups"
    )]
    LevelsWithConstraints,
    /// A hierarchy was chosen for an appraisal without criteria groups.
    #[error(
        "this appraisal has no criteria groups, so there is no hierarchy to choose (--hierarchy is for appraisals with [[groups]])"
    )]
    NoGroups,
    /// Weight constraints were given with a weight spread.
    #[error(
        "weight constraints describe which weightings are possible, so they go with uniform weights, not a weight spread"
    )]
    ConstraintsWithSpread,
}

/// Monte Carlo results for one option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionAcceptability {
    /// Index of the option in file order.
    pub option: usize,
    /// `acceptability[r]`: share of samples in which the option ranks `r + 1`
    /// (options that tie share the better rank; see `docs/methods.md` for
    /// when a tie can occur), i.e. b_i^r.
    pub acceptability: Vec<f64>,
    /// Standard error of each acceptability, `sqrt(b(1 - b) / N)`.
    pub acceptability_se: Vec<f64>,
    /// Mean normalised weights over the samples where it ranks first, one per
    /// criterion in file order (0 for criteria with no weight); `None` if it never does.
    pub central_weights: Option<Vec<f64>>,
    /// Standard error of each central weight.
    pub central_weights_se: Option<Vec<f64>>,
    /// Share of score samples in which it ranks first under its central
    /// weights; `None` without central weights.
    pub confidence: Option<f64>,
    /// Standard error of the confidence factor (0 when scores are not perturbed).
    pub confidence_se: Option<f64>,
}

/// The result of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Smaa {
    /// The settings used.
    pub config: SmaaConfig,
    /// Criteria whose weights were varied (those with positive base weight), in file order.
    pub sampled_criteria: Vec<usize>,
    /// One entry per option, in file order.
    pub options: Vec<OptionAcceptability>,
    /// What the panel agrees on about the weights, assumed by the run
    /// (empty for any weighting at all).
    pub constraints: WeightConstraints,
    /// How the weights were sampled.
    pub sampler: Sampler,
    /// For an appraisal whose criteria sit in groups, whether the weights
    /// were drawn level by level through the tree or flat over the
    /// effective weights; `None` without groups.
    pub hierarchy: Option<super::groups::Hierarchy>,
    /// The measured criteria (by index as written) whose raw values were
    /// drawn from the ranges the file gives; empty when none were.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drawn_ranges: Vec<usize>,
}

impl Smaa {
    /// Share of samples in which option `i` ranks first (0 if out of range).
    pub fn first_share(&self, i: usize) -> f64 {
        first_of(self.options.get(i).map(|o| o.acceptability.as_slice()))
    }
}

/// The share at rank 1 of an option's rank acceptabilities (0 without them).
pub(crate) fn first_of(acceptability: Option<&[f64]>) -> f64 {
    acceptability
        .and_then(|a| a.first())
        .copied()
        .unwrap_or(0.0)
}

/// Builds the flattened problem for the kernel.
fn problem(appraisal: &Appraisal, config: &SmaaConfig) -> (Problem, Vec<usize>) {
    let crit = sampled(appraisal);
    let n = appraisal.options().len();
    let m = crit.len();
    let scale = appraisal.scale();
    let unit = score_unit(scale.min(), scale.max());
    let mut scores = Vec::with_capacity(n * m);
    let mut present = Vec::with_capacity(n * m);
    for o in appraisal.options() {
        for &j in &crit {
            scores.push((o.score(j).unwrap_or(0.0) / unit) as f32);
            present.push(o.score(j).is_some());
        }
    }
    let wsum: f64 = crit.iter().map(|&j| appraisal.criteria()[j].weight()).sum();
    let base = crit
        .iter()
        .map(|&j| (appraisal.criteria()[j].weight() / wsum) as f32)
        .collect();
    let weights = match config.weights {
        WeightModel::Uniform => WeightDraw::Simplex,
        WeightModel::Spread { percent } => WeightDraw::Spread((percent / 100.0) as f32),
    };
    (
        Problem {
            n,
            m,
            scores,
            present,
            base,
            weights,
            affine: None,
            reject: Vec::new(),
            score_spread: (config.score_spread * scale.step() / unit) as f32,
            lo: (scale.min() / unit) as f32,
            hi: (scale.max() / unit) as f32,
        },
        crit,
    )
}

/// The unit scores are measured in for the single-precision kernel: 1 for
/// any ordinary scale, else the power of two that brings the scale's largest
/// magnitude into [1, 2), so that scores like 1e300 (beyond `f32`) or 1e-300
/// (below it) neither overflow nor vanish. Dividing every score by a power
/// of two is exact and scales every total alike, so no ranking changes.
fn score_unit(lo: f64, hi: f64) -> f64 {
    let big = lo.abs().max(hi.abs());
    if big == 0.0 || !big.is_finite() || (2f64.powi(-60)..=2f64.powi(60)).contains(&big) {
        return 1.0;
    }
    2f64.powi(big.log2().floor() as i32)
}

/// What every Monte Carlo run needs of its size: at most [`MAX_OPTIONS`]
/// options, 1 to [`MAX_SAMPLES`] samples, and at least one thread if a
/// number is given.
pub(crate) fn check_size(
    options: usize,
    samples: u64,
    threads: Option<usize>,
) -> Result<(), SmaaError> {
    if options > MAX_OPTIONS {
        return Err(SmaaError::TooManyOptions(options));
    }
    if samples == 0 || samples > MAX_SAMPLES {
        return Err(SmaaError::Samples(samples));
    }
    if threads == Some(0) {
        return Err(SmaaError::Threads);
    }
    Ok(())
}

fn check(config: &SmaaConfig, appraisal: &Appraisal) -> Result<(), SmaaError> {
    check_size(appraisal.options().len(), config.samples, config.threads)?;
    if let WeightModel::Spread { percent } = config.weights
        && !(0.0..=100.0).contains(&percent)
    {
        return Err(SmaaError::WeightSpread(percent));
    }
    if !(config.score_spread >= 0.0 && config.score_spread.is_finite()) {
        return Err(SmaaError::ScoreSpread(config.score_spread));
    }
    Ok(())
}

/// The random streams for `chunks` chunks: `LANES` per chunk, each the
/// previous one advanced by `jump()`.
fn streams(mut base: Xoshiro256PlusPlus, chunks: usize) -> Vec<LaneRng> {
    (0..chunks)
        .map(|_| {
            let lanes: [Xoshiro256PlusPlus; LANES] = std::array::from_fn(|_| {
                let g = base.clone();
                base.jump();
                g
            });
            LaneRng::new(&lanes)
        })
        .collect()
}

/// Sizes of the chunks that make up `samples`.
fn chunk_sizes(samples: u64) -> Vec<usize> {
    let full = (samples / CHUNK_SAMPLES as u64) as usize;
    let rest = (samples % CHUNK_SAMPLES as u64) as usize;
    let mut sizes = vec![CHUNK_SAMPLES; full];
    if rest > 0 {
        sizes.push(rest);
    }
    sizes
}

/// The run's chunks: each one's size, with the stream `streams` gives it
/// (called with the number of chunks).
fn jobs<R>(config: &SmaaConfig, streams: impl FnOnce(usize) -> Vec<R>) -> Vec<(usize, R)> {
    let sizes = chunk_sizes(config.samples);
    let rngs = streams(sizes.len());
    sizes.into_iter().zip(rngs).collect()
}

/// Runs `f` in a pool of `threads` threads, or rayon's global pool for `None`.
fn in_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T, SmaaError> {
    match threads {
        None => Ok(f()),
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|_| SmaaError::Pool(t))?;
            Ok(pool.install(f))
        }
    }
}

/// Runs `job` on every chunk (its size and stream), [`BATCH_CHUNKS`] at a
/// time in parallel (on the caller's thread for one thread), handing the
/// results to `merge` in chunk order and telling `teller` after each batch:
/// the one way every pass of every sampler is run, so none depends on the
/// thread count.
fn chunked<J: Send, T: Send>(
    config: &SmaaConfig,
    jobs: &mut [(usize, J)],
    job: impl Fn(&mut J, usize) -> T + Sync,
    mut merge: impl FnMut(T),
    teller: &mut Teller,
) -> Result<(), SmaaError> {
    for batch in jobs.chunks_mut(BATCH_CHUNKS) {
        let parts: Vec<T> = if config.threads == Some(1) {
            batch.iter_mut().map(|(s, r)| job(r, *s)).collect()
        } else {
            in_pool(config.threads, || {
                batch.par_iter_mut().map(|(s, r)| job(r, *s)).collect()
            })?
        };
        parts.into_iter().for_each(&mut merge);
        teller.tell(batch.iter().map(|(s, _)| *s as u64).sum());
    }
    Ok(())
}

/// Runs the per-sample loop ([`draws::chunk`]) over the run's chunks, each
/// with weights from `weights` (given the chunk's stream, which a chain
/// burns in with) and scores from `scores`, on the streams after
/// `long_jumps` long jumps.
fn per_sample<W: draws::Weights>(
    config: &SmaaConfig,
    weights: impl Fn(&mut Xoshiro256PlusPlus) -> W + Sync,
    scores: &draws::Scores,
    long_jumps: usize,
    teller: &mut Teller,
) -> Result<draws::ChainTally, SmaaError> {
    let mut jobs = jobs(config, |c| draws::streams(config.seed, long_jumps, c));
    let mut tally = draws::ChainTally::new(scores.n, scores.m);
    chunked(
        config,
        &mut jobs,
        |rng, s| draws::chunk(&mut weights(rng), scores, rng, s),
        |part| tally.add(&part),
        teller,
    )?;
    Ok(tally)
}

/// Runs the SMAA-2 simulation on `appraisal`.
pub fn smaa(appraisal: &Appraisal, config: &SmaaConfig) -> Result<Smaa, SmaaError> {
    smaa_with_progress(appraisal, config, &|_| {})
}

/// How far a Monte Carlo run has gone: samples done of the total. A run that
/// also varies the scores passes over the samples twice, so `total` counts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Samples done so far.
    pub done: u64,
    /// Samples the whole run takes.
    pub total: u64,
}

/// [`smaa`], telling `progress` after each batch of samples (on the calling
/// thread, so it may draw a progress bar). The results are the same.
pub fn smaa_with_progress(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    check(config, appraisal)?;
    let (p, crit) = problem(appraisal, config);
    let mut teller = Teller::new(progress, config, false);
    run(appraisal, config, p, crit, &mut teller).map(|(smaa, _)| smaa)
}

/// Proposals in the pilot run that decides whether rejection is fast
/// enough (blocks of 64).
const PILOT_BLOCKS: usize = 256;

/// Seed of the pilot run: fixed, so that whether a set of constraints can
/// be sampled does not depend on the seed.
const PILOT_SEED: u64 = 0x5EED_0FC0_5747;

/// Runs the SMAA-2 simulation with the weights uniform over the weightings
/// that meet `constraints` (see [`constraints`]). `config.weights` must be
/// [`WeightModel::Uniform`]. With no constraints, or only ones that never
/// bind, the numbers are exactly those of [`smaa`].
pub fn smaa_constrained(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
) -> Result<Smaa, SmaaError> {
    constrained_with(appraisal, config, constraints, false, None, &|_| {})
}

/// [`smaa_constrained`], telling `progress` after each batch of samples
/// (on the calling thread). The results are the same.
pub fn smaa_constrained_with_progress(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    constrained_with(appraisal, config, constraints, false, None, progress)
}

/// The scores of `appraisal`'s sampled criteria `crit` in double
/// precision, spread as `config` says, with the raw values `ranges` draws:
/// what the per-sample loop draws from when raw values or weights level by
/// level are drawn.
fn exact_scores<'a>(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    crit: &[usize],
    ranges: Option<&'a RangeDraw<'a>>,
) -> draws::Scores<'a> {
    let scale = appraisal.scale();
    let mut base = Vec::with_capacity(appraisal.options().len() * crit.len());
    let mut present = Vec::with_capacity(base.capacity());
    for o in appraisal.options() {
        for &j in crit {
            base.push(o.score(j).unwrap_or(0.0));
            present.push(o.score(j).is_some());
        }
    }
    draws::Scores {
        n: appraisal.options().len(),
        m: crit.len(),
        base,
        present,
        spread: config.score_spread * scale.step(),
        lo: scale.min(),
        hi: scale.max(),
        ranges,
    }
}

/// [`smaa_constrained`], with hit-and-run whatever the acceptance rate when
/// `always_hit_and_run` (for the tests that check it against exact answers),
/// and with raw values drawn by `ranges` if given (then a weight spread is
/// drawn too, and the whole run goes through the per-sample loop).
pub(crate) fn constrained_with(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    always_hit_and_run: bool,
    ranges: Option<&RangeDraw>,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    check(config, appraisal)?;
    if config.weights != WeightModel::Uniform && !constraints.is_empty() {
        return Err(SmaaError::ConstraintsWithSpread);
    }
    let (mut p, crit) = problem(appraisal, config);
    let plan = constraints::plan(appraisal, &crit, constraints)?;
    p.affine = plan.affine;
    p.reject = plan.reject;
    let rejecting = !p.reject.is_empty();
    let mut pilot_acceptance = 1.0;
    if rejecting {
        let mut pilot = streams(Xoshiro256PlusPlus::seed_from_u64(PILOT_SEED), 1);
        let passed = pilot
            .first_mut()
            .map_or(0, |rng| kernel::count_accepted(&p, rng, PILOT_BLOCKS));
        pilot_acceptance = passed as f64 / (PILOT_BLOCKS * kernel::BLOCK) as f64;
    }
    let ranged = ranges.map(|r| exact_scores(appraisal, config, &crit, Some(r)));
    let mut teller = Teller::new(progress, config, ranged.is_some());
    let mut smaa = if always_hit_and_run || (rejecting && pilot_acceptance < MIN_ACCEPTANCE) {
        let scores = ranged.unwrap_or_else(|| problem_scores(&p));
        hit_and_run(
            appraisal,
            config,
            &p,
            crit,
            (&plan.region, pilot_acceptance),
            &scores,
            &mut teller,
        )?
    } else if let Some(scores) = &ranged {
        let base = &p.base.iter().map(|&b| f64::from(b)).collect::<Vec<_>>();
        let spread = match config.weights {
            WeightModel::Uniform => None,
            WeightModel::Spread { percent } => Some((base.as_slice(), percent / 100.0)),
        };
        let weights = |_: &mut Xoshiro256PlusPlus| draws::Flat {
            affine: p.affine.as_ref(),
            reject: &p.reject,
            spread,
            cuts: Vec::with_capacity(p.m),
        };
        let (smaa, tally) = independent(
            appraisal,
            config,
            (&p, crit),
            weights,
            scores,
            0,
            &mut teller,
        )?;
        sampled_as(smaa, rejecting, &tally)
    } else {
        let (smaa, tally) = run(appraisal, config, p, crit, &mut teller)?;
        sampled_as(smaa, rejecting, &tally)
    };
    smaa.constraints = constraints.clone();
    Ok(smaa)
}

/// A run of the per-sample loop ([`per_sample`]), whose samples are
/// independent, made into results for `p` and its sampled criteria, with
/// the merged tally.
fn independent<W: draws::Weights>(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    (p, crit): (&Problem, Vec<usize>),
    weights: impl Fn(&mut Xoshiro256PlusPlus) -> W + Sync,
    scores: &draws::Scores,
    long_jumps: usize,
    teller: &mut Teller,
) -> Result<(Smaa, ChunkTally), SmaaError> {
    let tally = per_sample(config, weights, scores, long_jumps, teller)?;
    let ranged = scores.ranges.is_some().then_some(scores);
    let errors = Errors::independent(tally.batches);
    let smaa = finish(
        appraisal,
        config,
        p,
        crit,
        &tally.tally,
        errors,
        ranged,
        teller,
    )?;
    Ok((smaa, tally.tally))
}

/// `smaa` with its sampler: by rejection, with the acceptance rate of
/// `tally`, when `rejecting`.
fn sampled_as(mut smaa: Smaa, rejecting: bool, tally: &ChunkTally) -> Smaa {
    if rejecting {
        smaa.sampler = Sampler::Rejection {
            acceptance: tally.samples as f64 / tally.proposals.max(1) as f64,
        };
    }
    smaa
}

/// The kernel's scores in double precision (as the kernel holds them, in
/// its score unit), for the per-sample loop.
fn problem_scores(p: &Problem) -> draws::Scores<'static> {
    draws::Scores {
        n: p.n,
        m: p.m,
        base: p.scores.iter().map(|&x| f64::from(x)).collect(),
        present: p.present.clone(),
        spread: f64::from(p.score_spread),
        lo: f64::from(p.lo),
        hi: f64::from(p.hi),
        ranges: None,
    }
}

/// The simulation with weights from hit-and-run chains through `region`
/// (with the pilot's acceptance rate, which said why), one per chunk.
fn hit_and_run(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    p: &Problem,
    crit: Vec<usize>,
    (region, pilot_acceptance): (&Region, f64),
    scores: &draws::Scores,
    teller: &mut Teller,
) -> Result<Smaa, SmaaError> {
    // Streams apart from the rank pass (the seed's stream) and the
    // confidence pass (after one long jump).
    let chain = |rng: &mut Xoshiro256PlusPlus| hit_and_run::Chain::new(region, p.m, rng);
    let tally = per_sample(config, chain, scores, 2, teller)?;
    let se = tally.acceptability_se(p.n);
    let mut smaa = finish(
        appraisal,
        config,
        p,
        crit,
        &tally.tally,
        Errors {
            batches: tally.batches,
            acceptability_se: Some(&se),
        },
        scores.ranges.is_some().then_some(scores),
        teller,
    )?;
    let total = config.samples as f64;
    let effective_samples = smaa
        .options
        .iter()
        .filter_map(|o| {
            let b = o.acceptability.first().copied()?;
            let se = o.acceptability_se.first().copied()?;
            (b > 0.0 && b < 1.0 && se > 0.0).then(|| (b * (1.0 - b) / (se * se)).min(total))
        })
        .fold(total, f64::min);
    let thin = hit_and_run::thinning(region.free.len());
    smaa.sampler = Sampler::HitAndRun {
        pilot_acceptance,
        chains: chunk_sizes(config.samples).len(),
        burn_in: (hit_and_run::BURN_IN_SAMPLES * thin) as u64,
        thinning: thin as u64,
        effective_samples,
        psrf: tally.psrf(),
    };
    Ok(smaa)
}

/// Counts samples done and tells a progress callback.
struct Teller<'a> {
    progress: &'a dyn Fn(Progress),
    done: u64,
    total: u64,
}

impl<'a> Teller<'a> {
    /// For a run of `config` (two passes when scores vary: with a score
    /// spread, or with raw values drawn when `ranged`).
    fn new(progress: &'a dyn Fn(Progress), config: &SmaaConfig, ranged: bool) -> Teller<'a> {
        let passes = if config.score_spread > 0.0 || ranged {
            2
        } else {
            1
        };
        Teller {
            progress,
            done: 0,
            total: config.samples.saturating_mul(passes),
        }
    }

    fn tell(&mut self, samples: u64) {
        self.done += samples;
        (self.progress)(Progress {
            done: self.done.min(self.total),
            total: self.total,
        });
    }
}

/// The simulation for a problem built by [`problem`] (and perhaps
/// constrained), with the merged tally's sample and proposal counts.
fn run(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    p: Problem,
    crit: Vec<usize>,
    teller: &mut Teller,
) -> Result<(Smaa, ChunkTally), SmaaError> {
    let isa = Isa::chosen()?;
    let (n, m) = (p.n, p.m);
    let mut jobs = jobs(config, |c| {
        streams(Xoshiro256PlusPlus::seed_from_u64(config.seed), c)
    });
    let mut tally = ChunkTally::new(n, m);
    chunked(
        config,
        &mut jobs,
        |r, s| kernel::run_chunk(isa, &p, r, s),
        |part| tally.add(&part),
        teller,
    )?;
    let smaa = finish(
        appraisal,
        config,
        &p,
        crit,
        &tally,
        Errors::independent(jobs.len() * kernel::BLOCK),
        None,
        teller,
    )?;
    let summary = ChunkTally {
        counts: Vec::new(),
        cw: Vec::new(),
        cw_x2: Vec::new(),
        cw_xk: Vec::new(),
        k2: Vec::new(),
        ..tally
    };
    Ok((smaa, summary))
}

/// What the standard errors come from: the tally's batches, and the
/// acceptabilities' own standard errors where samples are correlated.
struct Errors<'a> {
    /// Batches in the tally, for the central weights' standard errors.
    batches: usize,
    /// Standard errors of the acceptabilities, `i * n + r`; `None` for
    /// independent samples.
    acceptability_se: Option<&'a [f64]>,
}

impl Errors<'_> {
    /// For independent samples tallied in `batches` batches.
    fn independent(batches: usize) -> Errors<'static> {
        Errors {
            batches,
            acceptability_se: None,
        }
    }
}

/// Results from a merged tally of `batches` batches, which must have
/// counted every sample asked for: acceptabilities (with
/// standard errors `sqrt(b (1 - b) / N)` for independent samples, or those
/// given, `i * n + r`), central weights and confidence factors (with raw
/// values drawn as `ranged` draws them, if given).
#[allow(clippy::too_many_arguments)]
fn finish(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    p: &Problem,
    crit: Vec<usize>,
    tally: &ChunkTally,
    errors: Errors,
    ranged: Option<&draws::Scores>,
    teller: &mut Teller,
) -> Result<Smaa, SmaaError> {
    if tally.samples != config.samples {
        // Rejection gave up on a chunk (far below the pilot's acceptance).
        return Err(ConstraintError::TooTight {
            acceptance: tally.samples as f64 / tally.proposals.max(1) as f64,
        }
        .into());
    }
    let Errors {
        batches,
        acceptability_se,
    } = errors;
    let (n, m) = (p.n, p.m);
    let total = config.samples as f64;
    let mut central: Vec<Option<Vec<f64>>> = Vec::with_capacity(n);
    let mut options: Vec<OptionAcceptability> = (0..n)
        .map(|i| {
            let counts = &tally.counts[i * n..(i + 1) * n];
            let acceptability: Vec<f64> = counts.iter().map(|&c| c as f64 / total).collect();
            let acceptability_se = match acceptability_se {
                Some(se) => se[i * n..(i + 1) * n].to_vec(),
                None => acceptability
                    .iter()
                    .map(|&b| (b * (1.0 - b) / total).sqrt())
                    .collect(),
            };
            let firsts = counts.first().copied().unwrap_or(0);
            let (cw, cw_se) = if firsts == 0 {
                (None, None)
            } else {
                let k = firsts as f64;
                // Batches, for the ratio estimator's variance.
                let blocks = batches as f64;
                let correction = if blocks > 1.0 {
                    blocks / (blocks - 1.0)
                } else {
                    0.0
                };
                let mut full = vec![0.0; appraisal.criteria().len()];
                let mut full_se = vec![0.0; appraisal.criteria().len()];
                for (jj, &j) in crit.iter().enumerate() {
                    let at = i * m + jj;
                    let mean = tally.cw[at] / k;
                    // sum over blocks of (X_b - mean * K_b)^2
                    let ss = (tally.cw_x2[at] - 2.0 * mean * tally.cw_xk[at]
                        + mean * mean * tally.k2[i])
                        .max(0.0);
                    full[j] = mean;
                    full_se[j] = (ss * correction).sqrt() / k;
                }
                (Some(full), Some(full_se))
            };
            central.push(
                cw.as_ref()
                    .map(|v: &Vec<f64>| crit.iter().map(|&j| v[j]).collect()),
            );
            OptionAcceptability {
                option: i,
                acceptability,
                acceptability_se,
                central_weights: cw,
                central_weights_se: cw_se,
                confidence: None,
                confidence_se: None,
            }
        })
        .collect();

    // Confidence factors: exact when scores are fixed, simulated otherwise
    // (on the streams after one long jump).
    let firsts = if let Some(scores) = ranged {
        let mut jobs = jobs(config, |c| draws::streams(config.seed, 1, c));
        Some(confidence_pass(config, &mut jobs, teller, n, |r, s| {
            draws::confidence(scores, &central, r, s)
        })?)
    } else if p.score_spread > 0.0 {
        let mut base = Xoshiro256PlusPlus::seed_from_u64(config.seed);
        base.long_jump();
        let mut jobs = jobs(config, |c| streams(base, c));
        Some(confidence_pass(config, &mut jobs, teller, n, |r, s| {
            kernel::confidence_chunk(p, &central, r, s)
        })?)
    } else {
        None
    };
    match firsts {
        Some(firsts) => {
            for (o, f) in options.iter_mut().zip(&firsts) {
                if o.central_weights.is_some() {
                    let c = *f as f64 / total;
                    o.confidence = Some(c);
                    o.confidence_se = Some((c * (1.0 - c) / total).sqrt());
                }
            }
        }
        None => {
            for (i, o) in options.iter_mut().enumerate() {
                let Some(cw) = &central[i] else { continue };
                let totals: Vec<f64> = (0..n)
                    .map(|k| (0..m).map(|j| f64::from(p.scores[k * m + j]) * cw[j]).sum())
                    .collect();
                let first = totals.iter().all(|&t| t <= totals[i]);
                o.confidence = Some(if first { 1.0 } else { 0.0 });
                o.confidence_se = Some(0.0);
            }
        }
    }
    Ok(Smaa {
        config: *config,
        sampled_criteria: crit,
        options,
        constraints: WeightConstraints::new(),
        sampler: Sampler::Direct,
        hierarchy: None,
        drawn_ranges: Vec::new(),
    })
}

/// The confidence pass: each chunk's count of samples in which each
/// option is first under its central weights, added up.
fn confidence_pass<J: Send>(
    config: &SmaaConfig,
    jobs: &mut [(usize, J)],
    teller: &mut Teller,
    n: usize,
    job: impl Fn(&mut J, usize) -> Vec<u64> + Sync,
) -> Result<Vec<u64>, SmaaError> {
    let mut firsts = vec![0u64; n];
    chunked(
        config,
        jobs,
        job,
        |part| {
            for (a, b) in firsts.iter_mut().zip(&part) {
                *a += b;
            }
        },
        teller,
    )?;
    Ok(firsts)
}

/// Runs the SMAA-2 simulation with the weights drawn level by level
/// through `tree` (uniform shares at each level; see [`super::levels`]):
/// the appraisal is the one analysed (criteria at their effective
/// weights), `tree` the value tree as written. `config.weights` must be
/// [`WeightModel::Uniform`]. The numbers depend only on the seed and the
/// sample count.
pub fn smaa_levels(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    tree: &super::groups::Tree,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    levels_with(appraisal, config, tree, None, progress)
}

/// [`smaa_levels`], with raw values drawn by `ranges` if given.
pub(crate) fn levels_with(
    appraisal: &Appraisal,
    config: &SmaaConfig,
    tree: &super::groups::Tree,
    ranges: Option<&RangeDraw>,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    check(config, appraisal)?;
    if config.weights != WeightModel::Uniform {
        return Err(SmaaError::LevelsWithSpread);
    }
    let (p, crit) = problem(appraisal, config);
    let plan = super::levels::LevelPlan::new(tree, &crit);
    let scores = exact_scores(appraisal, config, &crit, ranges);
    let mut teller = Teller::new(progress, config, ranges.is_some());
    // Streams apart from every other pass: three long jumps.
    let levels = |_: &mut Xoshiro256PlusPlus| super::levels::LevelDraw::new(&plan);
    let (mut smaa, _) = independent(
        appraisal,
        config,
        (&p, crit),
        levels,
        &scores,
        3,
        &mut teller,
    )?;
    smaa.hierarchy = Some(super::groups::Hierarchy::Level);
    Ok(smaa)
}

/// The Monte Carlo run with uncertain raw values drawn from their ranges:
/// `original` is the appraisal as written (its ranges and value
/// functions), `analysed` its [`Appraisal::for_analysis`]. Weights are
/// drawn flat over the effective weights as [`smaa_constrained`]
/// draws them: uniform over the weightings that meet `constraints` (all
/// of them when there are none; by hit-and-run when rejection would be
/// too slow), or within `config`'s weight spread; `config`'s score spread
/// applies to the criteria whose raw values are not drawn.
pub fn smaa_ranges(
    original: &Appraisal,
    analysed: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    let draw = RangeDraw::new(original, analysed, &sampled(analysed));
    let run = constrained_with(analysed, config, constraints, false, Some(&draw), progress);
    run.map(|m| Smaa {
        drawn_ranges: super::ranges::drawn_criteria(original),
        ..m
    })
}

/// [`smaa_ranges`] with the weights drawn level by level through `tree`
/// (the value tree as written) as [`smaa_levels`] draws them.
pub fn smaa_ranges_levels(
    original: &Appraisal,
    analysed: &Appraisal,
    config: &SmaaConfig,
    tree: &super::groups::Tree,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    let draw = RangeDraw::new(original, analysed, &sampled(analysed));
    let run = levels_with(analysed, config, tree, Some(&draw), progress);
    run.map(|m| Smaa {
        drawn_ranges: super::ranges::drawn_criteria(original),
        ..m
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Appraisal;
    use crate::sensitivity::testutil::{cfg, within};

    fn appraisal(weights: &[f64], rows: &[&[f64]]) -> Appraisal {
        crate::sensitivity::testutil::full(weights, rows)
    }

    #[test]
    fn two_criteria_closed_form() {
        // A = (5, 1), B = (2, 3): A is first when 5a + (1 - a) >= 2a + 3(1 - a),
        // i.e. a >= 0.4 for a ~ U(0, 1): P = 0.6. Central weight of A on the first
        // criterion: E[a | a >= 0.4] = 0.7; of B: E[a | a < 0.4] = 0.2.
        let a = appraisal(&[1.0, 1.0], &[&[5.0, 1.0], &[2.0, 3.0]]);
        let r = smaa(&a, &cfg(200_000, 7, 1)).unwrap();
        let oa = &r.options[0];
        within(oa.acceptability[0], 0.6, oa.acceptability_se[0]);
        within(r.options[1].acceptability[0], 0.4, oa.acceptability_se[0]);
        let cw = oa.central_weights.as_ref().unwrap();
        let se = oa.central_weights_se.as_ref().unwrap();
        within(cw[0], 0.7, se[0]);
        let cwb = r.options[1].central_weights.as_ref().unwrap();
        let seb = r.options[1].central_weights_se.as_ref().unwrap();
        within(cwb[0], 0.2, seb[0]);
        // Standard error of a uniform on [0.4, 1] mean: sd = 0.6 / sqrt(12).
        let want_se = 0.6 / 12f64.sqrt() / (0.6 * 200_000.0f64).sqrt();
        assert!((se[0] / want_se - 1.0).abs() < 0.05);
        assert_eq!(oa.confidence, Some(1.0));
    }

    #[test]
    fn three_criteria_closed_form_is_a_true_dirichlet() {
        // A = (2, 0, 0) beats B = (0, 1, 1) when 2a >= 1 - a, i.e. a >= 1/3.
        // Under Dirichlet(1, 1, 1), a ~ Beta(1, 2): P = (2/3)^2 = 4/9.
        // Normalised uniform draws would give a different answer.
        let a = appraisal(&[1.0, 1.0, 1.0], &[&[2.0, 0.0, 0.0], &[0.0, 1.0, 1.0]]);
        let r = smaa(&a, &cfg(300_000, 3, 2)).unwrap();
        let o = &r.options[0];
        within(o.acceptability[0], 4.0 / 9.0, o.acceptability_se[0]);
    }

    #[test]
    fn scales_beyond_single_precision_give_the_same_answers() {
        // The Dirichlet case above on scales of 0-5e300 and 0-5e-300, where
        // single precision alone would overflow to infinity (everyone tied
        // first) or vanish to zero.
        for unit in ["e300", "e-300"] {
            let text = format!(
                "[appraisal]\ntitle = \"T\"\n[scale]\nmin = 0\nmax = 5{unit}\nstep = 1{unit}\n\
                 [[criteria]]\nid = \"a\"\nname = \"A\"\n[[criteria]]\nid = \"b\"\nname = \"B\"\n\
                 [[criteria]]\nid = \"c\"\nname = \"C\"\n\
                 [[options]]\nid = \"x\"\nname = \"X\"\nscores = {{ a = 2{unit}, b = 0, c = 0 }}\n\
                 [[options]]\nid = \"y\"\nname = \"Y\"\nscores = {{ a = 0, b = 1{unit}, c = 1{unit} }}\n"
            );
            let a = crate::load::load_str("t.toml", &text).unwrap().appraisal;
            let r = smaa(&a, &cfg(100_000, 3, 2)).unwrap();
            let (x, y) = (&r.options[0], &r.options[1]);
            within(x.acceptability[0], 4.0 / 9.0, x.acceptability_se[0]);
            within(y.acceptability[0], 5.0 / 9.0, y.acceptability_se[0]);
        }
    }

    #[test]
    fn weight_spread_closed_form() {
        // Base weights (1, 1), spread 100%: weights u1, u2 uniform on (0, 1),
        // normalised. A = (5, 1) first when u1 / (u1 + u2) >= 0.4, i.e.
        // u1 >= (2/3) u2: P = 1 - (2/3) / 2 = 2/3.
        let a = appraisal(&[1.0, 1.0], &[&[5.0, 1.0], &[2.0, 3.0]]);
        let config = SmaaConfig {
            weights: WeightModel::Spread { percent: 100.0 },
            ..cfg(200_000, 11, 2)
        };
        let r = smaa(&a, &config).unwrap();
        let o = &r.options[0];
        within(o.acceptability[0], 2.0 / 3.0, o.acceptability_se[0]);
    }

    #[test]
    fn score_spread_closed_form() {
        // One criterion, scores 3 and 2, spread of one step: 3 + x vs 2 + y with
        // x, y ~ U(-1, 1); A ranks second only when y - x > 1: P = 1/8.
        let a = appraisal(&[1.0], &[&[3.0], &[2.0]]);
        let config = SmaaConfig {
            score_spread: 1.0,
            ..cfg(200_000, 5, 2)
        };
        let r = smaa(&a, &config).unwrap();
        let o = &r.options[0];
        within(o.acceptability[1], 1.0 / 8.0, o.acceptability_se[1]);
        // With weight fixed at 1, the confidence factor is the same probability.
        within(o.confidence.unwrap(), 7.0 / 8.0, o.confidence_se.unwrap());
    }

    #[test]
    fn same_seed_same_numbers_whatever_the_threads() {
        let a = crate::load::load_example().unwrap().appraisal;
        let samples = 3 * CHUNK_SAMPLES as u64 + 123;
        let one = smaa(&a, &cfg(samples, 42, 1)).unwrap();
        for t in [2, 4] {
            assert_eq!(smaa(&a, &cfg(samples, 42, t)).unwrap().options, one.options);
        }
        let global = smaa(
            &a,
            &SmaaConfig {
                threads: None,
                ..cfg(samples, 42, 1)
            },
        )
        .unwrap();
        assert_eq!(global.options, one.options);
        let other = smaa(&a, &cfg(samples, 43, 1)).unwrap();
        assert_ne!(other.options, one.options);
        let spread = SmaaConfig {
            score_spread: 0.5,
            weights: WeightModel::Spread { percent: 30.0 },
            ..cfg(samples, 42, 1)
        };
        let s1 = smaa(&a, &spread).unwrap();
        let s4 = smaa(
            &a,
            &SmaaConfig {
                threads: Some(4),
                ..spread
            },
        )
        .unwrap();
        assert_eq!(s1.options, s4.options);
    }

    #[test]
    fn acceptabilities_add_up_and_ties_share_the_better_rank() {
        // Two identical options always tie for first.
        let a = appraisal(&[1.0, 2.0], &[&[3.0, 4.0], &[3.0, 4.0], &[1.0, 1.0]]);
        let r = smaa(&a, &cfg(10_000, 1, 1)).unwrap();
        assert_eq!(r.options[0].acceptability[0], 1.0);
        assert_eq!(r.options[1].acceptability[0], 1.0);
        assert_eq!(r.options[2].acceptability[2], 1.0);
        for o in &r.options {
            let sum: f64 = o.acceptability.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn bad_settings_are_refused() {
        let a = appraisal(&[1.0], &[&[3.0], &[2.0]]);
        assert_eq!(smaa(&a, &cfg(0, 1, 1)), Err(SmaaError::Samples(0)));
        let bad = SmaaConfig {
            weights: WeightModel::Spread { percent: 120.0 },
            ..cfg(10, 1, 1)
        };
        assert!(matches!(smaa(&a, &bad), Err(SmaaError::WeightSpread(_))));
        let bad = SmaaConfig {
            score_spread: f64::NAN,
            ..cfg(10, 1, 1)
        };
        assert!(matches!(smaa(&a, &bad), Err(SmaaError::ScoreSpread(_))));
        assert_eq!(smaa(&a, &cfg(10, 1, 0)), Err(SmaaError::Threads));
    }

    #[test]
    fn a_single_weighted_criterion_decides_alone() {
        // Only the second criterion carries weight, and the option listed
        // last is best on it.
        let a = appraisal(&[0.0, 1.0], &[&[5.0, 1.0], &[0.0, 3.0], &[0.0, 4.0]]);
        for threads in [1, 2] {
            let r = smaa(&a, &cfg(3_000, 4, threads)).unwrap();
            assert_eq!(r.options[2].acceptability, vec![1.0, 0.0, 0.0]);
            assert_eq!(r.options[1].acceptability, vec![0.0, 1.0, 0.0]);
            assert_eq!(r.options[0].acceptability, vec![0.0, 0.0, 1.0]);
        }
    }

    #[test]
    fn zero_weight_criteria_are_not_sampled() {
        // The second criterion has no weight: under any weighting of the first,
        // A (4, 0) beats B (3, 5).
        let a = appraisal(&[1.0, 0.0], &[&[4.0, 0.0], &[3.0, 5.0]]);
        let r = smaa(&a, &cfg(5_000, 1, 1)).unwrap();
        assert_eq!(r.sampled_criteria, vec![0]);
        assert_eq!(r.options[0].acceptability[0], 1.0);
        let cw = r.options[0].central_weights.clone().unwrap();
        assert!((cw[0] - 1.0).abs() < 1e-6 && cw[1] == 0.0, "{cw:?}");
    }

    fn constrained(a: &Appraisal, config: &SmaaConfig, c: &WeightConstraints) -> Smaa {
        smaa_constrained(a, config, c).unwrap()
    }

    /// The exact share of the weight simplex of three criteria, among the
    /// weightings that meet `halfplanes`, where option `i` is first:
    /// polygon areas in the coordinates (w1, w2), with w3 = 1 - w1 - w2.
    /// Each halfplane is `a . (w1, w2, w3) <= b`.
    fn exact_first(scores: &[[f64; 3]], halfplanes: &[([f64; 3], f64)], i: usize) -> f64 {
        // In (w1, w2): a . w = (a1 - a3) w1 + (a2 - a3) w2 + a3.
        let planar = |(a, b): &([f64; 3], f64)| ([a[0] - a[2], a[1] - a[2]], b - a[2]);
        let clip = |poly: Vec<[f64; 2]>, (a, b): ([f64; 2], f64)| {
            let inside = |p: &[f64; 2]| a[0] * p[0] + a[1] * p[1] <= b;
            let mut out = Vec::new();
            for (k, p) in poly.iter().enumerate() {
                let q = &poly[(k + 1) % poly.len()];
                let (fp, fq) = (a[0] * p[0] + a[1] * p[1] - b, a[0] * q[0] + a[1] * q[1] - b);
                if inside(p) {
                    out.push(*p);
                }
                if (fp < 0.0) != (fq < 0.0) && fp != fq {
                    let t = fp / (fp - fq);
                    out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
                }
            }
            out
        };
        let area = |poly: &[[f64; 2]]| {
            let mut twice = 0.0;
            for (k, p) in poly.iter().enumerate() {
                let q = &poly[(k + 1) % poly.len()];
                twice += p[0] * q[1] - q[0] * p[1];
            }
            (twice / 2.0).abs()
        };
        let mut region = vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        for h in halfplanes {
            region = clip(region, planar(h));
        }
        let whole = area(&region);
        for (k, sk) in scores.iter().enumerate() {
            if k != i {
                // Option k no further ahead: (s_k - s_i) . w <= 0.
                let a = [
                    sk[0] - scores[i][0],
                    sk[1] - scores[i][1],
                    sk[2] - scores[i][2],
                ];
                region = clip(region, planar(&(a, 0.0)));
            }
        }
        area(&region) / whole
    }

    #[test]
    fn constrained_shares_match_exact_areas() {
        // Three criteria; A = (2, 0, 0), B = (0, 1, 1), C = (1, 1, 0).
        let scores = [[2.0, 0.0, 0.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0]];
        let a = appraisal(
            &[1.0, 1.0, 1.0],
            &[&[2.0, 0.0, 0.0], &[0.0, 1.0, 1.0], &[1.0, 1.0, 0.0]],
        );
        let ge = |x: usize, y: usize| {
            let mut c = [0.0; 3];
            c[y] = 1.0;
            c[x] = -1.0;
            (c, 0.0)
        };
        let at_most = |j: usize, b: f64| {
            let mut c = [0.0; 3];
            c[j] = 1.0;
            (c, b)
        };
        let at_least = |j: usize, b: f64| {
            let mut c = [0.0; 3];
            c[j] = -1.0;
            (c, -b)
        };
        type Halfplanes = Vec<([f64; 3], f64)>;
        let cases: Vec<(WeightConstraints, Halfplanes, &str)> = vec![
            (
                WeightConstraints::new().order(&[&[1], &[0], &[2]]).clone(),
                vec![ge(1, 0), ge(0, 2)],
                "direct",
            ),
            (
                WeightConstraints::new().order(&[&[1], &[0, 2]]).clone(),
                vec![ge(1, 0), ge(1, 2)],
                "rejection",
            ),
            (
                WeightConstraints::new().share(0, 0.2, 0.5).clone(),
                vec![at_least(0, 0.2), at_most(0, 0.5)],
                "rejection",
            ),
            (
                WeightConstraints::new()
                    .share(1, 0.25, 1.0)
                    .share(2, 0.1, 1.0)
                    .clone(),
                vec![at_least(1, 0.25), at_least(2, 0.1)],
                "direct",
            ),
            (
                WeightConstraints::new()
                    .order(&[&[2], &[1], &[0]])
                    .share(0, 0.1, 0.3)
                    .share(2, 0.0, 0.6)
                    .clone(),
                vec![
                    ge(2, 1),
                    ge(1, 0),
                    at_least(0, 0.1),
                    at_most(0, 0.3),
                    at_most(2, 0.6),
                ],
                "rejection",
            ),
        ];
        for (c, planes, how) in &cases {
            let run = constrained(&a, &cfg(200_000, 21, 2), c);
            assert_eq!(
                matches!(run.sampler, Sampler::Direct),
                *how == "direct",
                "{c:?}: {:?}",
                run.sampler
            );
            for i in 0..3 {
                let want = exact_first(&scores, planes, i);
                let o = &run.options[i];
                within(o.acceptability[0], want, o.acceptability_se[0].max(1e-4));
            }
        }
    }

    #[test]
    fn two_criteria_orders_and_bounds_closed_form() {
        // A = (5, 1), B = (2, 3): A is first when w1 >= 0.4.
        let a = appraisal(&[1.0, 1.0], &[&[5.0, 1.0], &[2.0, 3.0]]);
        let config = cfg(200_000, 5, 2);
        // w2 >= w1: w1 ~ U(0, 0.5); A first with probability 0.2, and its
        // central weight on the first criterion is 0.45.
        let r = constrained(&a, &config, WeightConstraints::new().order(&[&[1], &[0]]));
        let o = &r.options[0];
        within(o.acceptability[0], 0.2, o.acceptability_se[0]);
        let (cw, se) = (
            o.central_weights.as_ref().unwrap(),
            o.central_weights_se.as_ref().unwrap(),
        );
        within(cw[0], 0.45, se[0]);
        assert_eq!(r.sampler, Sampler::Direct);
        // w1 >= w2: A is always first.
        let r = constrained(&a, &config, WeightConstraints::new().order(&[&[0], &[1]]));
        assert_eq!(r.options[0].acceptability[0], 1.0);
        // w1 between 30% and 60%: P = 2/3, central weight 0.5.
        let r = constrained(&a, &config, WeightConstraints::new().share(0, 0.3, 0.6));
        let o = &r.options[0];
        within(o.acceptability[0], 2.0 / 3.0, o.acceptability_se[0]);
        within(
            o.central_weights.as_ref().unwrap()[0],
            0.5,
            o.central_weights_se.as_ref().unwrap()[0],
        );
        let Sampler::Rejection { acceptance } = r.sampler else {
            panic!("{:?}", r.sampler)
        };
        // Proposals put w1 uniformly on [0.3, 1]; 0.3 of that 0.7 passes.
        assert!((acceptance - 3.0 / 7.0).abs() < 0.01, "{acceptance}");
        // w1 fixed at 35%: B is always first (1.75 + 0.65 < 0.7 + 1.95).
        let r = constrained(&a, &config, WeightConstraints::new().fixed(0, 0.35));
        assert_eq!(r.options[1].acceptability[0], 1.0);
        let cw = r.options[1].central_weights.as_ref().unwrap();
        assert!(
            (cw[0] - 0.35).abs() < 1e-6 && (cw[1] - 0.65).abs() < 1e-6,
            "{cw:?}"
        );
    }

    #[test]
    fn a_fixed_share_leaves_the_rest_uniform() {
        // Three criteria, w3 fixed at 40%: (w1, w2) uniform on w1 + w2 = 0.6.
        // A = (2, 0, 0) beats B = (0, 1, 1) when 2 w1 >= w2 + 0.4, i.e.
        // w1 >= 1/3: P = (0.6 - 1/3) / 0.6 = 4/9.
        let a = appraisal(&[1.0, 1.0, 1.0], &[&[2.0, 0.0, 0.0], &[0.0, 1.0, 1.0]]);
        let r = constrained(
            &a,
            &cfg(200_000, 8, 2),
            WeightConstraints::new().fixed(2, 0.4),
        );
        let o = &r.options[0];
        within(o.acceptability[0], 4.0 / 9.0, o.acceptability_se[0]);
        let cw = o.central_weights.as_ref().unwrap();
        assert!((cw[2] - 0.4).abs() < 1e-6, "{cw:?}");
        // Central weight of A on the first criterion: uniform on [1/3, 0.6].
        within(
            cw[0],
            (1.0 / 3.0 + 0.6) / 2.0,
            o.central_weights_se.as_ref().unwrap()[0],
        );
    }

    #[test]
    fn a_complete_order_on_the_example_agrees_with_the_ordered_simplex_vertices() {
        // With the criteria in file order of importance, the weights lie in
        // the simplex whose vertices give equal shares to the first q
        // criteria. Totals are linear, so an option ahead of another at
        // every vertex is ahead everywhere, and one behind some option at
        // every vertex is never first.
        let a = crate::load::load_example().unwrap().appraisal;
        let (n, m) = (a.options().len(), a.criteria().len());
        let tiers: Vec<Vec<usize>> = (0..m).map(|j| vec![j]).collect();
        let tiers: Vec<&[usize]> = tiers.iter().map(Vec::as_slice).collect();
        let r = constrained(
            &a,
            &cfg(500_000, 3, 2),
            WeightConstraints::new().order(&tiers),
        );
        assert_eq!(r.sampler, Sampler::Direct);
        let vertex = |i: usize, q: usize| {
            (0..q)
                .map(|j| a.options()[i].score(j).unwrap_or(0.0))
                .sum::<f64>()
                / q as f64
        };
        let mut decided = 0;
        for i in 0..n {
            let first = r.options[i].acceptability[0];
            let always = (0..n)
                .filter(|&k| k != i)
                .all(|k| (1..=m).all(|q| vertex(i, q) > vertex(k, q)));
            let never = (0..n)
                .filter(|&k| k != i)
                .any(|k| (1..=m).all(|q| vertex(k, q) > vertex(i, q)));
            if always {
                assert_eq!(first, 1.0, "option {i}");
                decided += 1;
            }
            if never {
                assert_eq!(first, 0.0, "option {i}");
                decided += 1;
            }
        }
        assert!(
            decided >= n / 2,
            "only {decided} options decided by the vertices"
        );
        // The order's central weights are ordered.
        for o in &r.options {
            if let Some(cw) = &o.central_weights {
                assert!(cw.windows(2).all(|w| w[0] >= w[1] - 1e-9), "{cw:?}");
            }
        }
    }

    #[test]
    fn constraints_that_never_bind_give_the_unconstrained_numbers() {
        let a = crate::load::load_example().unwrap().appraisal;
        let config = cfg(3 * CHUNK_SAMPLES as u64 + 7, 42, 2);
        let plain = smaa(&a, &config).unwrap();
        let mut loose = WeightConstraints::new();
        for j in 0..a.criteria().len() {
            loose.share(j, 0.0, 1.0);
        }
        for c in [WeightConstraints::new(), loose] {
            let r = constrained(&a, &config, &c);
            assert_eq!(r.options, plain.options);
            assert_eq!(r.sampler, Sampler::Direct);
        }
    }

    #[test]
    fn constrained_runs_give_the_same_numbers_whatever_the_threads() {
        let a = crate::load::load_example().unwrap().appraisal;
        let mut c = WeightConstraints::new();
        c.order(&[&[0], &[1, 2, 3]])
            .share(4, 0.05, 0.2)
            .fixed(7, 0.1);
        let samples = 2 * CHUNK_SAMPLES as u64 + 99;
        let one = constrained(&a, &cfg(samples, 9, 1), &c);
        assert!(
            matches!(one.sampler, Sampler::Rejection { .. }),
            "{:?}",
            one.sampler
        );
        for t in [2, 3] {
            let other = constrained(&a, &cfg(samples, 9, t), &c);
            assert_eq!(other.options, one.options);
            assert_eq!(other.sampler, one.sampler);
        }
        // Every option's central weights meet the constraints (they are
        // means of weightings that do, and the region is convex).
        for o in &one.options {
            if let Some(w) = &o.central_weights {
                assert!(w[0] + 1e-6 >= w[1] && w[0] + 1e-6 >= w[2] && w[0] + 1e-6 >= w[3]);
                assert!((0.05 - 1e-6..=0.2 + 1e-6).contains(&w[4]), "{w:?}");
                assert!((w[7] - 0.1).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn conflicting_constraints_are_named() {
        let a = appraisal(
            &[1.0, 1.0, 1.0, 0.0],
            &[&[1.0, 2.0, 3.0, 4.0], &[3.0, 2.0, 1.0, 0.0]],
        );
        let config = cfg(1_000, 1, 1);
        let err = |c: &WeightConstraints| smaa_constrained(&a, &config, c).unwrap_err();
        // Order against bounds, through a chain.
        let mut c = WeightConstraints::new();
        c.share(0, 0.0, 0.2)
            .order(&[&[0], &[1], &[2]])
            .share(2, 0.3, 1.0);
        let SmaaError::Constraints(ConstraintError::Conflict { at, what, .. }) = err(&c) else {
            panic!("{:?}", err(&c))
        };
        assert_eq!(at, vec![0, 1, 2, 3]);
        assert_eq!(what[0], "Criterion 1 between 0% and 20%");
        // Lower bounds adding up to more than everything; the order that
        // plays no part is not named.
        let mut c = WeightConstraints::new();
        c.order(&[&[1], &[2]]).share(0, 0.5, 1.0).fixed(1, 0.6);
        let SmaaError::Constraints(ConstraintError::Conflict { at, reason, .. }) = err(&c) else {
            panic!("{:?}", err(&c))
        };
        assert_eq!(at, vec![1, 2], "{reason}");
        assert!(reason.contains("110%"), "{reason}");
        // Upper bounds adding up to less than everything.
        let mut c = WeightConstraints::new();
        c.share(0, 0.0, 0.3).share(1, 0.0, 0.3).share(2, 0.1, 0.3);
        assert!(matches!(
            err(&c),
            SmaaError::Constraints(ConstraintError::Conflict { .. })
        ));
        // A circle, an unweighted criterion, a bad share, an unknown criterion.
        let mut c = WeightConstraints::new();
        c.order(&[&[0], &[1], &[2]]).order(&[&[2], &[0]]);
        let SmaaError::Constraints(ConstraintError::Circular { at, .. }) = err(&c) else {
            panic!("{:?}", err(&c))
        };
        assert_eq!(at, vec![0, 1, 2]);
        let c = WeightConstraints::new().share(3, 0.1, 0.2).clone();
        assert!(matches!(
            err(&c),
            SmaaError::Constraints(ConstraintError::Unweighted { at: 0, .. })
        ));
        let c = WeightConstraints::new().share(1, 0.4, 0.2).clone();
        assert!(matches!(
            err(&c),
            SmaaError::Constraints(ConstraintError::BadShare { at: 0, .. })
        ));
        let c = WeightConstraints::new().fixed(9, 0.2).clone();
        assert!(matches!(
            err(&c),
            SmaaError::Constraints(ConstraintError::UnknownCriterion { at: 0, .. })
        ));
        // With a weight spread.
        let spread = SmaaConfig {
            weights: WeightModel::Spread { percent: 10.0 },
            ..config
        };
        let c = WeightConstraints::new().share(0, 0.1, 0.5).clone();
        assert_eq!(
            smaa_constrained(&a, &spread, &c),
            Err(SmaaError::ConstraintsWithSpread)
        );
    }

    #[test]
    fn shares_that_leave_one_weighting_rank_at_it() {
        // Lower bounds adding up to exactly 100% pin every share.
        let a = appraisal(&[1.0, 1.0], &[&[5.0, 1.0], &[2.0, 3.0]]);
        let c = WeightConstraints::new()
            .share(0, 0.3, 1.0)
            .share(1, 0.7, 1.0)
            .clone();
        let r = constrained(&a, &cfg(5_000, 1, 1), &c);
        // 0.3 * 5 + 0.7 = 2.2 against 0.6 + 2.1 = 2.7.
        assert_eq!(r.options[1].acceptability[0], 1.0);
    }

    fn hit_and_run_run(a: &Appraisal, config: &SmaaConfig, c: &WeightConstraints) -> Smaa {
        let r = constrained_with(a, config, c, true, None, &|_| {}).unwrap();
        let Sampler::HitAndRun {
            chains,
            effective_samples,
            psrf,
            ..
        } = r.sampler
        else {
            panic!("{:?}", r.sampler)
        };
        assert_eq!(chains, chunk_sizes(config.samples).len());
        assert!(psrf < 1.05, "{psrf}");
        assert!(
            effective_samples > 0.05 * config.samples as f64,
            "{effective_samples}"
        );
        r
    }

    #[test]
    fn bounds_too_tight_for_rejection_are_sampled_by_hit_and_run_exactly() {
        // Three criteria in order of importance, the first at most 36%:
        // a sliver of 0.64% of the simplex at equal weights, where
        // A = (2, 0, 1), B = (0, 3, 0) and C = (1, 1, 1) all tie. A is first
        // where w1 + 1 > 4 w2, B where w2 is above that and 1/3.
        let scores = [[2.0, 0.0, 1.0], [0.0, 3.0, 0.0], [1.0, 1.0, 1.0]];
        let a = appraisal(
            &[1.0, 1.0, 1.0],
            &[&[2.0, 0.0, 1.0], &[0.0, 3.0, 0.0], &[1.0, 1.0, 1.0]],
        );
        let c = WeightConstraints::new()
            .order(&[&[0], &[1], &[2]])
            .share(0, 0.0, 0.36)
            .clone();
        let r = constrained(&a, &cfg(200_000, 4, 2), &c);
        let Sampler::HitAndRun {
            pilot_acceptance, ..
        } = r.sampler
        else {
            panic!("{:?}", r.sampler)
        };
        assert!(pilot_acceptance < MIN_ACCEPTANCE, "{pilot_acceptance}");
        let planes = vec![
            ([-1.0, 1.0, 0.0], 0.0),
            ([0.0, -1.0, 1.0], 0.0),
            ([1.0, 0.0, 0.0], 0.36),
        ];
        for i in 0..3 {
            let o = &r.options[i];
            let want = exact_first(&scores, &planes, i);
            assert!(i == 2 || want > 0.1, "{i}: {want}");
            within(o.acceptability[0], want, o.acceptability_se[0].max(1e-4));
        }
        // Two criteria, the first between 39.5% and 40.5%: A = (5, 1) is
        // first above 40%, half the time, with central weight 40.25%.
        let a = appraisal(&[1.0, 1.0], &[&[5.0, 1.0], &[2.0, 3.0]]);
        let c = WeightConstraints::new().share(0, 0.395, 0.405).clone();
        let r = constrained(&a, &cfg(200_000, 6, 2), &c);
        assert!(
            matches!(r.sampler, Sampler::HitAndRun { .. }),
            "{:?}",
            r.sampler
        );
        let o = &r.options[0];
        within(o.acceptability[0], 0.5, o.acceptability_se[0]);
        within(
            o.central_weights.as_ref().unwrap()[0],
            0.4025,
            o.central_weights_se.as_ref().unwrap()[0],
        );
    }

    #[test]
    fn hit_and_run_agrees_with_exact_answers_where_other_samplers_are_exact() {
        // No constraints binding: the Dirichlet case, A first with 4/9.
        let a = appraisal(&[1.0, 1.0, 1.0], &[&[2.0, 0.0, 0.0], &[0.0, 1.0, 1.0]]);
        let loose = WeightConstraints::new().share(0, 0.0, 1.0).clone();
        let r = hit_and_run_run(&a, &cfg(200_000, 3, 2), &loose);
        let o = &r.options[0];
        within(o.acceptability[0], 4.0 / 9.0, o.acceptability_se[0]);
        // A complete order on the example: what the ordered simplex's
        // vertices decide, hit-and-run decides too, and the rest agree
        // with direct sampling to within their standard errors.
        let a = crate::load::load_example().unwrap().appraisal;
        let m = a.criteria().len();
        let tiers: Vec<Vec<usize>> = (0..m).map(|j| vec![j]).collect();
        let tiers: Vec<&[usize]> = tiers.iter().map(Vec::as_slice).collect();
        let order = WeightConstraints::new().order(&tiers).clone();
        let config = cfg(200_000, 5, 2);
        let direct = constrained(&a, &config, &order);
        assert_eq!(direct.sampler, Sampler::Direct);
        let walked = hit_and_run_run(&a, &config, &order);
        for (d, w) in direct.options.iter().zip(&walked.options) {
            if d.acceptability[0] == 0.0 || d.acceptability[0] == 1.0 {
                assert_eq!(w.acceptability[0], d.acceptability[0]);
            }
            for r in 0..d.acceptability.len() {
                let se = (d.acceptability_se[r].powi(2) + w.acceptability_se[r].powi(2)).sqrt();
                within(w.acceptability[r], d.acceptability[r], se.max(1e-4));
            }
        }
        // Bounds with an order: against rejection, which is exact.
        let mut c = WeightConstraints::new();
        c.order(&[&[0], &[1, 2, 3]]).share(4, 0.05, 0.2);
        let rejected = constrained(&a, &config, &c);
        assert!(matches!(rejected.sampler, Sampler::Rejection { .. }));
        let walked = hit_and_run_run(&a, &config, &c);
        for (d, w) in rejected.options.iter().zip(&walked.options) {
            let se = (d.acceptability_se[0].powi(2) + w.acceptability_se[0].powi(2)).sqrt();
            within(w.acceptability[0], d.acceptability[0], se.max(1e-4));
        }
    }

    #[test]
    fn hit_and_run_gives_the_same_numbers_whatever_the_threads() {
        let a = crate::load::load_example().unwrap().appraisal;
        let c = WeightConstraints::new()
            .share(0, 0.3, 0.305)
            .share(4, 0.05, 0.2)
            .order(&[&[1], &[2, 3]])
            .clone();
        let samples = 2 * CHUNK_SAMPLES as u64 + 99;
        let one = constrained(&a, &cfg(samples, 9, 1), &c);
        assert!(
            matches!(one.sampler, Sampler::HitAndRun { .. }),
            "{:?}",
            one.sampler
        );
        for t in [2, 3] {
            let other = constrained(&a, &cfg(samples, 9, t), &c);
            assert_eq!(other.options, one.options);
            assert_eq!(other.sampler, one.sampler);
        }
        assert_ne!(
            constrained(&a, &cfg(samples, 10, 1), &c).options,
            one.options
        );
        for o in &one.options {
            if let Some(w) = &o.central_weights {
                assert!((0.3 - 1e-9..=0.305 + 1e-9).contains(&w[0]), "{w:?}");
                assert!(w[1] + 1e-9 >= w[2] && w[1] + 1e-9 >= w[3], "{w:?}");
            }
        }
        // With a score spread too.
        let spread = SmaaConfig {
            score_spread: 0.5,
            ..cfg(samples, 9, 1)
        };
        let s1 = constrained(&a, &spread, &c);
        let s3 = constrained(
            &a,
            &SmaaConfig {
                threads: Some(3),
                ..spread
            },
            &c,
        );
        assert_eq!(s1.options, s3.options);
        assert_ne!(s1.options, one.options);
    }
}
