//! Uncertain measured values in the Monte Carlo: where a version-2 file
//! gives a measured criterion's raw value as a range ("cost is £2m–£3m"),
//! each sample draws every such value from its range as well as a
//! weighting, and scores the drawn values with the criterion's value
//! function, so the uncertainty in the figures feeds rank acceptability.
//!
//! - A range `low`–`high` is drawn uniformly; `low`–`likely`–`high`
//!   triangularly with its peak at the likely value. Values are drawn
//!   independently, option by option and criterion by criterion.
//! - The value function is applied to each draw as written. A local scale
//!   (linear between the options' own worst and best) and relative-to-best
//!   take their reference points from the drawn values of that sample, as
//!   they take them from the written values for the point estimate: the
//!   rule is the same, only its inputs move.
//! - Weights are uniform over every weighting of the criteria at their
//!   effective weights (flat, not level by level through the groups), or
//!   over those that meet the panel's constraints where they can be met by
//!   the direct or rejection samplers.
//!
//! Reproducibility: chunk `c` of [`CHUNK_SAMPLES`] samples draws from the
//! seed's stream advanced by `jump()` `c` times; chunks are tallied apart
//! and merged in chunk order, so the numbers depend only on the seed and
//! the sample count, never on the thread count. The arithmetic is plain
//! double precision (sums, products and square roots) in code that is not
//! dispatched by instruction set, so it is the same on every machine.
//! The mathematics is in `docs/methods.md`, "Uncertain raw values".

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;

use super::constraints::{self, ConstraintError, MIN_ACCEPTANCE, Sampler, WeightConstraints};
use super::kernel::{Affine, Halfspace};
use super::smaa::{CHUNK_SAMPLES, MAX_OPTIONS, MAX_SAMPLES, OptionAcceptability, Smaa, SmaaConfig};
use super::smaa::{Progress, SmaaError, WeightModel};
use crate::model::Appraisal;
use crate::model::value_fn::RawRange;

/// Whether any shortlisted option of `original` gives a raw value as a range.
pub fn has_ranges(original: &Appraisal) -> bool {
    original
        .options()
        .iter()
        .any(|o| !o.screened_out() && o.has_ranges())
}

/// The criteria (indices in file order) whose raw values some shortlisted
/// option gives as a range: those the Monte Carlo draws.
pub fn drawn_criteria(original: &Appraisal) -> Vec<usize> {
    (0..original.criteria().len())
        .filter(|&c| {
            original
                .options()
                .iter()
                .any(|o| !o.screened_out() && o.range(c).is_some())
        })
        .collect()
}

/// One measured criterion that is drawn.
struct Drawn {
    /// Its index among the sampled criteria (positive weight); `None` when
    /// it weighs nothing, so its draws cannot matter.
    at: Option<usize>,
    /// The criterion in the appraisal as written.
    c: usize,
    /// Each option's range (as written, every option), or its fixed value.
    values: Vec<Value>,
}

#[derive(Clone, Copy)]
enum Value {
    Fixed(Option<f64>),
    Range(RawRange),
}

/// The flattened problem.
struct Problem<'a> {
    original: &'a Appraisal,
    /// Shortlisted options, by index as written.
    shortlist: Vec<usize>,
    counts: Vec<bool>,
    n: usize,
    m: usize,
    /// Points of every option on every sampled criterion, `i * m + j`
    /// (unscored 0), for the criteria not drawn.
    points: Vec<f64>,
    drawn: Vec<Drawn>,
    affine: Option<Affine>,
    reject: Vec<Halfspace>,
}

/// One chunk's tally.
#[derive(Clone)]
struct Tally {
    counts: Vec<u64>,
    /// Sums of the weights where each option ranks first, `i * m + j`.
    cw: Vec<f64>,
    cw2: Vec<f64>,
    firsts: Vec<u64>,
    samples: u64,
    proposals: u64,
}

impl Tally {
    fn new(n: usize, m: usize) -> Tally {
        Tally {
            counts: vec![0; n * n],
            cw: vec![0.0; n * m],
            cw2: vec![0.0; n * m],
            firsts: vec![0; n],
            samples: 0,
            proposals: 0,
        }
    }

    fn add(&mut self, o: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        for (a, b) in self.cw.iter_mut().zip(&o.cw) {
            *a += b;
        }
        for (a, b) in self.cw2.iter_mut().zip(&o.cw2) {
            *a += b;
        }
        for (a, b) in self.firsts.iter_mut().zip(&o.firsts) {
            *a += b;
        }
        self.samples += o.samples;
        self.proposals += o.proposals;
    }
}

/// A uniform number in [0, 1) from 53 random bits.
fn unit(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A point uniform on the simplex of `k` coordinates, as the gaps between
/// `k - 1` sorted uniforms (exact: no logarithms).
fn simplex(rng: &mut Xoshiro256PlusPlus, k: usize, cuts: &mut Vec<f64>, out: &mut [f64]) {
    cuts.clear();
    cuts.extend((1..k).map(|_| unit(rng)));
    cuts.sort_by(f64::total_cmp);
    let mut last = 0.0;
    for (q, slot) in out.iter_mut().enumerate().take(k) {
        let next = cuts.get(q).copied().unwrap_or(1.0);
        *slot = next - last;
        last = next;
    }
}

impl Problem<'_> {
    /// Draws a weighting that meets the constraints (proposals counted), or
    /// `None` after too many proposals fail.
    fn weights(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        cuts: &mut Vec<f64>,
        g: &mut Vec<f64>,
        w: &mut [f64],
        proposals: &mut u64,
    ) -> bool {
        let k = self.affine.as_ref().map_or(self.m, |a| a.k);
        g.resize(k, 0.0);
        // Far below the pilot's acceptance: give up rather than loop.
        for _ in 0..100_000 {
            *proposals += 1;
            simplex(rng, k, cuts, g);
            let ok = self.reject.iter().all(|h| {
                h.coeffs
                    .iter()
                    .zip(g.iter())
                    .map(|(c, x)| c * x)
                    .sum::<f64>()
                    <= h.bound
            });
            if !ok {
                continue;
            }
            match &self.affine {
                None => w.copy_from_slice(&g[..self.m]),
                Some(a) => {
                    for (j, slot) in w.iter_mut().enumerate() {
                        *slot = a.offset[j]
                            + (0..a.k).map(|q| a.matrix[j * a.k + q] * g[q]).sum::<f64>();
                    }
                }
            }
            return true;
        }
        false
    }

    /// Draws the uncertain raw values and fills `pts` (`i * m + j`) with
    /// the points of the shortlist for that draw.
    fn points(&self, rng: &mut Xoshiro256PlusPlus, raws: &mut Vec<Option<f64>>, pts: &mut [f64]) {
        pts.copy_from_slice(&self.points);
        for d in &self.drawn {
            raws.clear();
            // Every option draws, whether it counts or not, so the streams
            // do not depend on which criterion weighs nothing.
            raws.extend(d.values.iter().map(|v| match v {
                Value::Fixed(x) => *x,
                Value::Range(r) => Some(r.at(unit(rng))),
            }));
            let Some(j) = d.at else { continue };
            let Some(measure) = self.original.criteria()[d.c].measure() else {
                continue;
            };
            let scale = self.original.scale_of(d.c);
            let scores = measure.scores_all(scale.min(), scale.max(), raws, &self.counts);
            for (i, &o) in self.shortlist.iter().enumerate() {
                pts[i * self.m + j] = scores[o].map_or(0.0, |s| self.original.to_points(d.c, s));
            }
        }
    }

    /// One chunk of `size` samples; with `central`, the confidence pass
    /// (weights fixed at each option's central weights, only raw values drawn).
    fn chunk(
        &self,
        mut rng: Xoshiro256PlusPlus,
        size: usize,
        central: Option<&[Option<Vec<f64>>]>,
    ) -> Tally {
        let (n, m) = (self.n, self.m);
        let mut t = Tally::new(n, m);
        let mut cuts = Vec::with_capacity(m);
        let mut g = Vec::with_capacity(m);
        let mut w = vec![0.0; m];
        let mut raws = Vec::with_capacity(self.original.options().len());
        let mut pts = vec![0.0; n * m];
        let mut totals = vec![0.0; n];
        while (t.samples as usize) < size {
            if central.is_none()
                && !self.weights(&mut rng, &mut cuts, &mut g, &mut w, &mut t.proposals)
            {
                break;
            }
            self.points(&mut rng, &mut raws, &mut pts);
            t.samples += 1;
            if let Some(central) = central {
                for (i, cw) in central.iter().enumerate() {
                    let Some(cw) = cw else { continue };
                    let total = |k: usize| (0..m).map(|j| cw[j] * pts[k * m + j]).sum::<f64>();
                    let ti = total(i);
                    if (0..n).all(|k| total(k) <= ti) {
                        t.firsts[i] += 1;
                    }
                }
                continue;
            }
            for (i, slot) in totals.iter_mut().enumerate() {
                *slot = (0..m).map(|j| w[j] * pts[i * m + j]).sum();
            }
            for i in 0..n {
                let ti = totals[i];
                let rank = totals.iter().filter(|&&x| x > ti).count();
                t.counts[i * n + rank] += 1;
                if rank == 0 {
                    for (j, &wj) in w.iter().enumerate() {
                        t.cw[i * m + j] += wj;
                        t.cw2[i * m + j] += wj * wj;
                    }
                }
            }
        }
        t
    }
}

/// Chunks of `samples`, each with its stream: the seed's stream advanced by
/// `jump()` once per chunk (after `long_jumps` long jumps).
fn work(seed: u64, samples: u64, long_jumps: usize) -> Vec<(usize, Xoshiro256PlusPlus)> {
    let full = (samples / CHUNK_SAMPLES as u64) as usize;
    let rest = (samples % CHUNK_SAMPLES as u64) as usize;
    let mut sizes = vec![CHUNK_SAMPLES; full];
    if rest > 0 {
        sizes.push(rest);
    }
    let mut base = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..long_jumps {
        base.long_jump();
    }
    sizes
        .into_iter()
        .map(|s| {
            let g = base.clone();
            base.jump();
            (s, g)
        })
        .collect()
}

/// Runs the chunks, in parallel unless one thread was asked for, merged in
/// chunk order.
fn tally(
    p: &Problem,
    config: &SmaaConfig,
    long_jumps: usize,
    central: Option<&[Option<Vec<f64>>]>,
    progress: &dyn Fn(Progress),
    done: &mut u64,
    total: u64,
) -> Result<Tally, SmaaError> {
    let mut out = Tally::new(p.n, p.m);
    let jobs = work(config.seed, config.samples, long_jumps);
    let run = |job: &(usize, Xoshiro256PlusPlus)| p.chunk(job.1.clone(), job.0, central);
    let pool = match config.threads {
        Some(t) if t > 1 => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|_| SmaaError::Pool(t))?,
        ),
        _ => None,
    };
    for batch in jobs.chunks(64) {
        let parts: Vec<Tally> = match (config.threads, &pool) {
            (Some(1), _) => batch.iter().map(run).collect(),
            (_, Some(pool)) => pool.install(|| batch.par_iter().map(run).collect()),
            _ => batch.par_iter().map(run).collect(),
        };
        for part in &parts {
            out.add(part);
        }
        *done += batch.iter().map(|(s, _)| *s as u64).sum::<u64>();
        progress(Progress {
            done: (*done).min(total),
            total,
        });
    }
    Ok(out)
}

/// The Monte Carlo run with uncertain raw values drawn from their ranges:
/// `original` is the appraisal as written (its ranges and value
/// functions), `analysed` its [`Appraisal::for_analysis`]. Weights are
/// uniform over the weightings that meet `constraints` (all of them when
/// there are none), flat over the effective weights. A weight spread, a
/// score spread, and constraints that only hit-and-run could sample are
/// refused with a reason.
pub fn smaa_ranges(
    original: &Appraisal,
    analysed: &Appraisal,
    config: &SmaaConfig,
    constraints: &WeightConstraints,
    progress: &dyn Fn(Progress),
) -> Result<Smaa, SmaaError> {
    let n = analysed.options().len();
    if n > MAX_OPTIONS {
        return Err(SmaaError::TooManyOptions(n));
    }
    if config.samples == 0 || config.samples > MAX_SAMPLES {
        return Err(SmaaError::Samples(config.samples));
    }
    if config.threads == Some(0) {
        return Err(SmaaError::Threads);
    }
    if config.weights != WeightModel::Uniform {
        return Err(SmaaError::RangesWithSpread);
    }
    if config.score_spread != 0.0 {
        return Err(SmaaError::RangesWithScoreSpread);
    }
    let crit: Vec<usize> = analysed
        .criteria()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.weight() > 0.0)
        .map(|(j, _)| j)
        .collect();
    let m = crit.len();
    let plan = constraints::plan(analysed, &crit, constraints)?;
    let mut shortlist: Vec<usize> = (0..original.options().len())
        .filter(|&i| !original.options()[i].screened_out())
        .collect();
    // `analysed` is the shortlist in the same order; never index past it.
    shortlist.truncate(n);
    let mut points = Vec::with_capacity(n * m);
    for o in analysed.options() {
        for &j in &crit {
            points.push(o.score(j).unwrap_or(0.0));
        }
    }
    let drawn = drawn_criteria(original)
        .into_iter()
        .map(|c| Drawn {
            at: crit.iter().position(|&j| j == c),
            c,
            values: original
                .options()
                .iter()
                .map(|o| match o.range(c) {
                    Some(r) if !o.screened_out() => Value::Range(r),
                    _ => Value::Fixed(o.measure(c)),
                })
                .collect(),
        })
        .collect();
    let p = Problem {
        original,
        counts: original.shortlisted(),
        shortlist,
        n,
        m,
        points,
        drawn,
        affine: plan.affine,
        reject: plan.reject,
    };
    let rejecting = !p.reject.is_empty();
    if rejecting {
        let pilot = p.chunk(
            Xoshiro256PlusPlus::seed_from_u64(0x5EED_0FC0_5747),
            4096,
            None,
        );
        let acceptance = pilot.samples as f64 / pilot.proposals.max(1) as f64;
        if acceptance < MIN_ACCEPTANCE {
            return Err(SmaaError::RangesTooTight { acceptance });
        }
    }
    let total_work = config.samples.saturating_mul(2);
    let mut done = 0;
    let t = tally(&p, config, 0, None, progress, &mut done, total_work)?;
    if t.samples != config.samples {
        return Err(ConstraintError::TooTight {
            acceptance: t.samples as f64 / t.proposals.max(1) as f64,
        }
        .into());
    }
    let total = config.samples as f64;
    let k_all = analysed.criteria().len();
    let mut central: Vec<Option<Vec<f64>>> = Vec::with_capacity(n);
    let mut options: Vec<OptionAcceptability> = (0..n)
        .map(|i| {
            let counts = &t.counts[i * n..(i + 1) * n];
            let acceptability: Vec<f64> = counts.iter().map(|&c| c as f64 / total).collect();
            let acceptability_se = acceptability
                .iter()
                .map(|&b| (b * (1.0 - b) / total).sqrt())
                .collect();
            let firsts = counts.first().copied().unwrap_or(0);
            let (cw, cw_se) = if firsts == 0 {
                (None, None)
            } else {
                let k = firsts as f64;
                let mut full = vec![0.0; k_all];
                let mut full_se = vec![0.0; k_all];
                for (jj, &j) in crit.iter().enumerate() {
                    let mean = t.cw[i * m + jj] / k;
                    let var = (t.cw2[i * m + jj] / k - mean * mean).max(0.0);
                    full[j] = mean;
                    full_se[j] = if k > 1.0 {
                        (var * k / (k - 1.0) / k).sqrt()
                    } else {
                        0.0
                    };
                }
                (Some(full), Some(full_se))
            };
            central.push(cw.as_ref().map(|v| crit.iter().map(|&j| v[j]).collect()));
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
    // Confidence factors: raw values drawn again (streams after one long
    // jump), weights at each option's central weights.
    let c = tally(
        &p,
        config,
        1,
        Some(&central),
        progress,
        &mut done,
        total_work,
    )?;
    for (o, f) in options.iter_mut().zip(&c.firsts) {
        if o.central_weights.is_some() {
            let share = *f as f64 / total;
            o.confidence = Some(share);
            o.confidence_se = Some((share * (1.0 - share) / total).sqrt());
        }
    }
    Ok(Smaa {
        config: *config,
        sampled_criteria: crit,
        options,
        constraints: constraints.clone(),
        sampler: if rejecting {
            Sampler::Rejection {
                acceptance: t.samples as f64 / t.proposals.max(1) as f64,
            }
        } else {
            Sampler::Direct
        },
        hierarchy: None,
        drawn_ranges: drawn_criteria(original),
    })
}
