//! What a panel agrees on about the weights, for the Monte Carlo run: an
//! order of importance (complete or partial), bounds on shares, and fixed
//! shares.
//!
//! The weights are sampled exactly and uniformly over the shares that meet
//! every constraint (`docs/methods.md`, "Partial weight information"):
//!
//! - fixed shares are taken out, and the other criteria share what is left;
//! - the region is mapped onto the smallest simplex that holds it and that
//!   is cheap to sample: shares shifted up by their lower bounds or, when
//!   the order ranks every varied criterion, the *ordered simplex*, whose
//!   vertices give equal shares to the first 1, 2, ... criteria in the order;
//! - whatever that simplex does not already guarantee (an upper bound, or
//!   the rest of a partial order) is checked sample by sample, and samples
//!   that fail are rejected. Rejection keeps the draws exact and uniform;
//!   it is used only while enough samples pass ([`MIN_ACCEPTANCE`]), and
//!   hit-and-run chains walk through the region otherwise
//!   ([`super::hit_and_run`]).
//!
//! A set of constraints that no weighting meets is refused with the
//! constraints that conflict.

use serde::Serialize;
use thiserror::Error;

use super::kernel::{Affine, Halfspace};
use crate::model::Appraisal;

/// Fewest samples in a hundred that must pass the checks for rejection to
/// be used; below it the weights are sampled by hit-and-run.
pub const MIN_ACCEPTANCE: f64 = 0.02;

/// Shares closer than this are treated as equal when constraints are checked
/// against each other (shares are fractions of 1).
const EPS: f64 = 1e-12;

/// One thing the panel agrees on. Criteria are indices into
/// [`Appraisal::criteria`]; shares are fractions of the total weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WeightConstraint {
    /// Criterion `more` matters at least as much as criterion `less`.
    AtLeastAsImportant {
        /// The criterion that matters more (or as much).
        more: usize,
        /// The criterion that matters less (or as much).
        less: usize,
    },
    /// The share of `criterion` is between `min` and `max`, inclusive.
    Share {
        /// The criterion.
        criterion: usize,
        /// Smallest share, 0 to 1.
        min: f64,
        /// Largest share, 0 to 1.
        max: f64,
    },
    /// The share of `criterion` is exactly `share`.
    Fixed {
        /// The criterion.
        criterion: usize,
        /// The share, 0 to 1.
        share: f64,
    },
}

impl WeightConstraint {
    /// The constraint in words, with the appraisal's criterion names (or
    /// numbers, for a criterion that does not exist).
    pub fn describe(&self, appraisal: &Appraisal) -> String {
        let name = |j: usize| {
            appraisal
                .criteria()
                .get(j)
                .map_or_else(|| format!("criterion {}", j + 1), |c| c.name().to_string())
        };
        match *self {
            WeightConstraint::AtLeastAsImportant { more, less } => {
                format!("{} matters at least as much as {}", name(more), name(less))
            }
            WeightConstraint::Share {
                criterion,
                min,
                max,
            } => {
                format!("{} between {} and {}", name(criterion), pct(min), pct(max))
            }
            WeightConstraint::Fixed { criterion, share } => {
                format!("{} fixed at {}", name(criterion), pct(share))
            }
        }
    }

    fn criteria(&self) -> [usize; 2] {
        match *self {
            WeightConstraint::AtLeastAsImportant { more, less } => [more, less],
            WeightConstraint::Share { criterion, .. }
            | WeightConstraint::Fixed { criterion, .. } => [criterion, criterion],
        }
    }
}

/// A constraint as the JSON document gives it: criteria by id, with the
/// constraint in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstraintEntry {
    /// The constraint, criteria by id.
    #[serde(flatten)]
    pub constraint: ConstraintIds,
    /// The constraint in words.
    pub text: String,
}

/// [`WeightConstraint`] with criteria by id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ConstraintIds {
    /// `more` matters at least as much as `less`.
    AtLeastAsImportant {
        /// Id of the criterion that matters more (or as much).
        more: String,
        /// Id of the criterion that matters less (or as much).
        less: String,
    },
    /// The share is between `min` and `max` (fractions of 1), inclusive.
    Share {
        /// Criterion id.
        criterion: String,
        /// Smallest share.
        min: f64,
        /// Largest share.
        max: f64,
    },
    /// The share is exactly `share`.
    Fixed {
        /// Criterion id.
        criterion: String,
        /// The share.
        share: f64,
    },
}

impl WeightConstraints {
    /// The constraints for the JSON document.
    pub fn entries(&self, appraisal: &Appraisal) -> Vec<ConstraintEntry> {
        let id = |j: usize| {
            appraisal
                .criteria()
                .get(j)
                .map_or_else(String::new, |c| c.id().to_string())
        };
        self.list
            .iter()
            .map(|c| ConstraintEntry {
                constraint: match *c {
                    WeightConstraint::AtLeastAsImportant { more, less } => {
                        ConstraintIds::AtLeastAsImportant {
                            more: id(more),
                            less: id(less),
                        }
                    }
                    WeightConstraint::Share {
                        criterion,
                        min,
                        max,
                    } => ConstraintIds::Share {
                        criterion: id(criterion),
                        min,
                        max,
                    },
                    WeightConstraint::Fixed { criterion, share } => ConstraintIds::Fixed {
                        criterion: id(criterion),
                        share,
                    },
                },
                text: c.describe(appraisal),
            })
            .collect()
    }
}

/// A share as a percentage, as a person writes it (up to four decimals,
/// trailing zeros dropped), rounded by the rule in `numbers`.
fn pct(x: f64) -> String {
    format!("{}%", crate::numbers::decimals(100.0 * x, 4))
}

/// The constraints a Monte Carlo run assumes, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct WeightConstraints {
    list: Vec<WeightConstraint>,
}

impl WeightConstraints {
    /// No constraints: any weighting at all.
    pub fn new() -> WeightConstraints {
        WeightConstraints::default()
    }

    /// The constraints, in the order given.
    pub fn list(&self) -> &[WeightConstraint] {
        &self.list
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Adds a constraint.
    pub fn push(&mut self, c: WeightConstraint) -> &mut WeightConstraints {
        self.list.push(c);
        self
    }

    /// Adds an order of importance in tiers: every criterion in a tier
    /// matters at least as much as every criterion in the next. One
    /// criterion per tier is a complete order; `[[a], [b, c, d]]` says only
    /// that `a` matters most.
    pub fn order(&mut self, tiers: &[&[usize]]) -> &mut WeightConstraints {
        for pair in tiers.windows(2) {
            for &more in pair[0] {
                for &less in pair[1] {
                    self.list
                        .push(WeightConstraint::AtLeastAsImportant { more, less });
                }
            }
        }
        self
    }

    /// Adds bounds on a criterion's share.
    pub fn share(&mut self, criterion: usize, min: f64, max: f64) -> &mut WeightConstraints {
        self.push(WeightConstraint::Share {
            criterion,
            min,
            max,
        })
    }

    /// Fixes a criterion's share.
    pub fn fixed(&mut self, criterion: usize, share: f64) -> &mut WeightConstraints {
        self.push(WeightConstraint::Fixed { criterion, share })
    }
}

/// Why a constraint written as text (a command-line flag) cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConstraintParseError {
    /// A name that is no criterion's id or name.
    #[error("`{text}`: there is no criterion `{name}`; the criteria are {known}")]
    UnknownCriterion {
        /// The text given.
        text: String,
        /// The name not found.
        name: String,
        /// The criteria's ids, listed.
        known: String,
    },
    /// The text does not have the expected shape.
    #[error("`{text}`: {problem}; write it like {example}")]
    Syntax {
        /// The text given.
        text: String,
        /// What is wrong.
        problem: String,
        /// An example of the right shape.
        example: &'static str,
    },
}

/// Which entry of `[agreed_weights]` a constraint came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreedEntry {
    /// The `order` entry with this index.
    Order(usize),
    /// The `share` entry with this index.
    Share(usize),
    /// The `fixed` entry with this index.
    Fixed(usize),
}

impl WeightConstraints {
    /// The constraints a panel recorded in its file, read against
    /// `appraisal` (as analysed), or the first entry that cannot be read.
    pub fn agreed(
        appraisal: &Appraisal,
        agreed: &crate::model::AgreedWeights,
    ) -> Result<WeightConstraints, (AgreedEntry, ConstraintParseError)> {
        let mut c = WeightConstraints::new();
        for (i, t) in agreed.order.iter().enumerate() {
            c.parse_order(appraisal, t)
                .map_err(|e| (AgreedEntry::Order(i), e))?;
        }
        for (i, t) in agreed.share.iter().enumerate() {
            c.parse_share(appraisal, t)
                .map_err(|e| (AgreedEntry::Share(i), e))?;
        }
        for (i, t) in agreed.fixed.iter().enumerate() {
            c.parse_fixed(appraisal, t)
                .map_err(|e| (AgreedEntry::Fixed(i), e))?;
        }
        Ok(c)
    }
}

const ORDER_EXAMPLE: &str = "\"child>workforce>rest\" or \"child,risk>rest\"";
const SHARE_EXAMPLE: &str = "\"risk=10%..30%\", \"risk=..30%\" or \"risk=10%..\"";
const FIX_EXAMPLE: &str = "\"cost=20%\"";

impl WeightConstraints {
    /// Reads an order of importance such as `child>workforce>rest`: tiers
    /// from most to least important separated by `>` (or `>=`), criteria
    /// within a tier by commas, each named by id or by name (any case).
    /// `rest` stands for every weighted criterion the order does not name.
    pub fn parse_order(
        &mut self,
        appraisal: &Appraisal,
        text: &str,
    ) -> Result<&mut WeightConstraints, ConstraintParseError> {
        let syntax = |problem: &str| syntax(text, problem, ORDER_EXAMPLE);
        let parts: Vec<&str> = text.split('>').map(|t| t.trim_start_matches('=')).collect();
        if parts.len() < 2 {
            return Err(syntax("an order needs at least two tiers separated by `>`"));
        }
        let mut tiers: Vec<Option<Vec<usize>>> = Vec::new();
        let mut named = Vec::new();
        for part in parts {
            let names: Vec<&str> = part.split(',').map(str::trim).collect();
            if names.iter().any(|n| n.is_empty()) {
                return Err(syntax("a tier is empty"));
            }
            if names.len() == 1 && names[0].eq_ignore_ascii_case("rest") {
                tiers.push(None);
                continue;
            }
            let mut tier = Vec::new();
            for name in names {
                let j = find(appraisal, text, name)?;
                if named.contains(&j) {
                    return Err(syntax(&format!(
                        "{} is named twice",
                        appraisal.criteria()[j].name()
                    )));
                }
                named.push(j);
                tier.push(j);
            }
            tiers.push(Some(tier));
        }
        if tiers.iter().filter(|t| t.is_none()).count() > 1 {
            return Err(syntax("`rest` can appear only once"));
        }
        let rest: Vec<usize> = super::draws::sampled(appraisal)
            .into_iter()
            .filter(|j| !named.contains(j))
            .collect();
        let tiers: Vec<Vec<usize>> = tiers
            .into_iter()
            .map(|t| t.unwrap_or_else(|| rest.clone()))
            .filter(|t| !t.is_empty())
            .collect();
        let refs: Vec<&[usize]> = tiers.iter().map(Vec::as_slice).collect();
        Ok(self.order(&refs))
    }

    /// Reads bounds on a share such as `risk=10%..30%` (either end may be
    /// left open; the `%` is optional, the numbers are percentages).
    pub fn parse_share(
        &mut self,
        appraisal: &Appraisal,
        text: &str,
    ) -> Result<&mut WeightConstraints, ConstraintParseError> {
        let syntax = |problem: &str| syntax(text, problem, SHARE_EXAMPLE);
        let (j, range) = named(appraisal, text, SHARE_EXAMPLE)?;
        let (lo, hi) = range
            .split_once("..")
            .ok_or_else(|| syntax("give the range as low..high"))?;
        let bound = |x: &str, open: f64| -> Result<f64, ConstraintParseError> {
            let x = x.trim();
            if x.is_empty() {
                Ok(open)
            } else {
                percent(x)
                    .ok_or_else(|| syntax(&format!("`{x}` is not a percentage from 0 to 100")))
            }
        };
        let (min, max) = (bound(lo, 0.0)?, bound(hi, 1.0)?);
        if min > max {
            return Err(syntax("the smaller share comes first"));
        }
        Ok(self.share(j, min, max))
    }

    /// Reads a fixed share such as `cost=20%`.
    pub fn parse_fixed(
        &mut self,
        appraisal: &Appraisal,
        text: &str,
    ) -> Result<&mut WeightConstraints, ConstraintParseError> {
        let syntax = |problem: &str| syntax(text, problem, FIX_EXAMPLE);
        let (j, value) = named(appraisal, text, FIX_EXAMPLE)?;
        let share = percent(value.trim()).ok_or_else(|| {
            syntax(&format!(
                "`{}` is not a percentage from 0 to 100",
                value.trim()
            ))
        })?;
        Ok(self.fixed(j, share))
    }

    /// The constraints as a clause for a sentence ("Child focused matters
    /// most and Risk carries between 10% and 30% of the weight"): order
    /// steps from one criterion are gathered, and one criterion that
    /// matters at least as much as every other weighted criterion "matters
    /// most".
    pub fn clause(&self, appraisal: &Appraisal) -> String {
        let name = |j: usize| {
            appraisal
                .criteria()
                .get(j)
                .map_or_else(|| format!("criterion {}", j + 1), |c| c.name().to_string())
        };
        let weighted = super::draws::sampled(appraisal);
        // Order steps gathered by the criterion that matters more, in the
        // order first given.
        let mut above: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut parts: Vec<(usize, String)> = Vec::new();
        for (at, c) in self.list.iter().enumerate() {
            match *c {
                WeightConstraint::AtLeastAsImportant { more, less } => {
                    match above.iter_mut().find(|(m, _)| *m == more) {
                        Some((_, l)) => {
                            if !l.contains(&less) {
                                l.push(less);
                            }
                        }
                        None => {
                            above.push((more, vec![less]));
                            parts.push((at, String::new()));
                        }
                    }
                }
                WeightConstraint::Share {
                    criterion,
                    min,
                    max,
                } => {
                    let text = if min <= 0.0 {
                        format!(
                            "{} carries at most {} of the weight",
                            name(criterion),
                            pct(max)
                        )
                    } else if max >= 1.0 {
                        format!(
                            "{} carries at least {} of the weight",
                            name(criterion),
                            pct(min)
                        )
                    } else {
                        format!(
                            "{} carries between {} and {} of the weight",
                            name(criterion),
                            pct(min),
                            pct(max)
                        )
                    };
                    parts.push((at, text));
                }
                WeightConstraint::Fixed { criterion, share } => parts.push((
                    at,
                    format!(
                        "{} carries exactly {} of the weight",
                        name(criterion),
                        pct(share)
                    ),
                )),
            }
        }
        let mut steps = above.into_iter();
        let words: Vec<String> = parts
            .into_iter()
            .map(|(_, text)| {
                if !text.is_empty() {
                    return text;
                }
                let Some((more, less)) = steps.next() else {
                    return text;
                };
                let others: Vec<usize> = weighted.iter().copied().filter(|&j| j != more).collect();
                let mut sorted = less.clone();
                sorted.sort_unstable();
                if sorted == others && others.len() > 1 {
                    format!("{} matters most", name(more))
                } else {
                    let names: Vec<String> = less.iter().map(|&j| name(j)).collect();
                    format!(
                        "{} matters at least as much as {}",
                        name(more),
                        crate::numbers::join_and(&names)
                    )
                }
            })
            .collect();
        crate::numbers::join_and(&words)
    }
}

/// A percentage such as `12.5%` or `12.5`, as a fraction of 1.
fn percent(text: &str) -> Option<f64> {
    let x: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0).contains(&x).then_some(x / 100.0)
}

/// A constraint in words that cannot be read: `problem`, with `example`.
fn syntax(text: &str, problem: &str, example: &'static str) -> ConstraintParseError {
    ConstraintParseError::Syntax {
        text: text.to_string(),
        problem: problem.to_string(),
        example,
    }
}

/// `criterion=rest`, as `--share` and `--fix` take them: the criterion
/// (found as [`find`] finds it) and the text after `=`.
fn named<'t>(
    appraisal: &Appraisal,
    text: &'t str,
    example: &'static str,
) -> Result<(usize, &'t str), ConstraintParseError> {
    let (name, rest) = text
        .split_once('=')
        .ok_or_else(|| syntax(text, "name the criterion, then `=`", example))?;
    Ok((find(appraisal, text, name.trim())?, rest))
}

/// The criterion with this id, or else this name (any case).
fn find(appraisal: &Appraisal, text: &str, name: &str) -> Result<usize, ConstraintParseError> {
    let criteria = appraisal.criteria();
    criteria
        .iter()
        .position(|c| c.id().as_str() == name)
        .or_else(|| {
            criteria.iter().position(|c| {
                c.name().eq_ignore_ascii_case(name) || c.id().as_str().eq_ignore_ascii_case(name)
            })
        })
        .ok_or_else(|| ConstraintParseError::UnknownCriterion {
            text: text.to_string(),
            name: name.to_string(),
            known: crate::numbers::join_and(
                &criteria
                    .iter()
                    .map(|c| c.id().to_string())
                    .collect::<Vec<_>>(),
            ),
        })
}

/// Why a set of constraints cannot be sampled. Every variant lists the
/// constraints at fault by position in [`WeightConstraints::list`], and
/// says what they are in words.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConstraintError {
    /// A constraint names a criterion the appraisal does not have.
    #[error("{what}: the appraisal has {criteria} criteria")]
    UnknownCriterion {
        /// Position of the constraint.
        at: usize,
        /// The constraint in words.
        what: String,
        /// Number of criteria.
        criteria: usize,
    },
    /// A constraint is on a criterion weighted zero, which the Monte Carlo
    /// leaves out.
    #[error(
        "{what}: {criterion} has no weight, so the Monte Carlo leaves it out; give it a weight or drop the constraint"
    )]
    Unweighted {
        /// Position of the constraint.
        at: usize,
        /// The constraint in words.
        what: String,
        /// The criterion's name.
        criterion: String,
    },
    /// A share that is not a number from 0 to 1, or a lower bound above
    /// the upper.
    #[error("{what}: shares must be from 0% to 100%, the smaller first")]
    BadShare {
        /// Position of the constraint.
        at: usize,
        /// The constraint in words.
        what: String,
    },
    /// The order of importance goes round in a circle.
    #[error("the order of importance goes round in a circle: {}; if these matter equally, say so with bounds or fixed shares", .what.join(", "))]
    Circular {
        /// Positions of the constraints in the circle.
        at: Vec<usize>,
        /// Those constraints in words.
        what: Vec<String>,
    },
    /// No weighting meets every constraint.
    #[error("no weighting meets all of these together: {}; {reason}", .what.join("; "))]
    Conflict {
        /// Positions of the constraints that conflict.
        at: Vec<usize>,
        /// Those constraints in words.
        what: Vec<String>,
        /// Why, in words.
        reason: String,
    },
    /// Too few weightings meet the constraints for rejection sampling.
    #[error(
        "the constraints are met by only about {} of all weightings that the sampler proposes, too few to sample exactly this way; loosen them, or fix the shares that are nearly determined", pct(*.acceptance))]
    TooTight {
        /// Share of proposals that pass.
        acceptance: f64,
    },
}

/// How the weights are sampled under a set of constraints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Sampler {
    /// Directly, uniform on the simplex the constraints map to: no sample
    /// is rejected.
    Direct,
    /// Uniform on a simplex holding the region, rejecting samples outside it.
    Rejection {
        /// Share of proposals that passed in the run.
        acceptance: f64,
    },
    /// By hit-and-run chains, because too few proposals would pass for
    /// rejection (see `docs/methods.md`, "Hit-and-run").
    HitAndRun {
        /// Share of the pilot's proposals that passed: why rejection was not used.
        pilot_acceptance: f64,
        /// Independent chains (one per chunk of samples).
        chains: usize,
        /// Steps discarded at the start of each chain.
        burn_in: u64,
        /// Steps between kept samples.
        thinning: u64,
        /// What the samples are worth in independent samples: the smallest,
        /// over the options with a first-rank acceptability strictly between
        /// 0 and 1, of `b (1 - b) / se^2` with the batch-means standard
        /// error; the sample count when there is none.
        effective_samples: f64,
        /// Largest potential scale reduction factor over the shares (1 when
        /// the chains agree; above 1.1 says they have not mixed).
        psrf: f64,
    },
}

/// The plan for sampling under constraints: the shares of the sampled
/// criteria as an affine function of a uniform simplex point, and the
/// conditions that point must meet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// `None` when the constraints change nothing: the shares are uniform
    /// on the whole simplex, exactly as without them.
    pub affine: Option<Affine>,
    /// Conditions checked sample by sample.
    pub reject: Vec<Halfspace>,
    /// The allowed shares as bounds and order steps, for hit-and-run.
    pub region: Region,
}

/// The allowed weightings of the sampled criteria, as hit-and-run needs
/// them: each share between its bounds (carried through the order), the
/// order's steps between shares that are not determined, and the shares
/// that are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Region {
    /// Smallest share of each sampled criterion.
    pub low: Vec<f64>,
    /// Largest share of each sampled criterion.
    pub high: Vec<f64>,
    /// The share of each sampled criterion that is determined.
    pub pinned: Vec<Option<f64>>,
    /// The sampled criteria whose shares vary, in order.
    pub free: Vec<usize>,
    /// `(a, b)`: share `a` at least share `b`, both free.
    pub edges: Vec<(usize, usize)>,
}

impl Region {
    /// A weighting that meets every constraint: each free share the same
    /// fraction of the way from its lower bound to its upper, the fraction
    /// chosen so the shares add up to 1. The bounds respect the order, so
    /// this mixture does too.
    pub fn start(&self) -> Vec<f64> {
        let fixed: f64 = self.pinned.iter().flatten().sum();
        let (lo, hi): (f64, f64) = self
            .free
            .iter()
            .map(|&j| (self.low[j], self.high[j]))
            .fold((0.0, 0.0), |(a, b), (l, u)| (a + l, b + u));
        let theta = if hi > lo {
            ((1.0 - fixed - lo) / (hi - lo)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (0..self.low.len())
            .map(|j| self.pinned[j].unwrap_or(self.low[j] + theta * (self.high[j] - self.low[j])))
            .collect()
    }
}

/// Where a bound on one criterion's share comes from.
#[derive(Debug, Clone, Copy)]
struct Source {
    /// The share.
    value: f64,
    /// The constraint that sets it (`None`: the natural 0 or 1).
    at: Option<usize>,
    /// The criterion the constraint is on (through the order, it bounds others).
    on: usize,
}

/// Turns constraints into a sampling plan for the sampled criteria `crit`
/// (indices into the appraisal's criteria, in order).
pub(crate) fn plan(
    appraisal: &Appraisal,
    crit: &[usize],
    constraints: &WeightConstraints,
) -> Result<Plan, ConstraintError> {
    let list = constraints.list();
    let describe = |at: usize| list[at].describe(appraisal);
    let m = crit.len();
    let all = appraisal.criteria().len();
    // Sampled position of each criterion.
    let mut pos = vec![None; all];
    for (j, &c) in crit.iter().enumerate() {
        pos[c] = Some(j);
    }
    let place = |at: usize, c: usize| -> Result<usize, ConstraintError> {
        if c >= all {
            return Err(ConstraintError::UnknownCriterion {
                at,
                what: describe(at),
                criteria: all,
            });
        }
        pos[c].ok_or_else(|| ConstraintError::Unweighted {
            at,
            what: describe(at),
            criterion: appraisal.criteria()[c].name().to_string(),
        })
    };
    let share_ok = |x: f64| (0.0..=1.0).contains(&x);

    // Bounds of each criterion's own, and the order's edges.
    let mut lo: Vec<Source> = (0..m)
        .map(|j| Source {
            value: 0.0,
            at: None,
            on: j,
        })
        .collect();
    let mut hi: Vec<Source> = (0..m)
        .map(|j| Source {
            value: 1.0,
            at: None,
            on: j,
        })
        .collect();
    let mut fixed: Vec<Option<(f64, usize)>> = vec![None; m];
    // `edges[a]`: (b, constraint) with a at least as important as b.
    let mut edges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); m];
    for (at, c) in list.iter().enumerate() {
        let [x, y] = c.criteria();
        let (a, b) = (place(at, x)?, place(at, y)?);
        match *c {
            WeightConstraint::AtLeastAsImportant { .. } => {
                if a != b && !edges[a].iter().any(|&(t, _)| t == b) {
                    edges[a].push((b, at));
                }
            }
            WeightConstraint::Share { min, max, .. } => {
                if !(share_ok(min) && share_ok(max) && min <= max) {
                    return Err(ConstraintError::BadShare {
                        at,
                        what: describe(at),
                    });
                }
                if min > lo[a].value {
                    lo[a] = Source {
                        value: min,
                        at: Some(at),
                        on: a,
                    };
                }
                if max < hi[a].value {
                    hi[a] = Source {
                        value: max,
                        at: Some(at),
                        on: a,
                    };
                }
            }
            WeightConstraint::Fixed { share, .. } => {
                if !share_ok(share) {
                    return Err(ConstraintError::BadShare {
                        at,
                        what: describe(at),
                    });
                }
                if let Some((other, first)) = fixed[a]
                    && (other - share).abs() > EPS
                {
                    return Err(ConstraintError::Conflict {
                        at: vec![first, at],
                        what: vec![describe(first), describe(at)],
                        reason: "a share cannot be fixed at two values".to_string(),
                    });
                }
                fixed[a] = Some((share, at));
                if share > lo[a].value {
                    lo[a] = Source {
                        value: share,
                        at: Some(at),
                        on: a,
                    };
                }
                if share < hi[a].value {
                    hi[a] = Source {
                        value: share,
                        at: Some(at),
                        on: a,
                    };
                }
            }
        }
    }
    if let Some(cycle) = find_cycle(&edges) {
        return Err(ConstraintError::Circular {
            what: cycle.iter().map(|&at| describe(at)).collect(),
            at: cycle,
        });
    }

    // Through the order, a criterion's lower bound is at least every
    // lower bound below it, and its upper bound at most every upper bound
    // above it.
    let below = reach(&edges);
    let mut low = lo.clone();
    let mut high = hi.clone();
    for a in 0..m {
        for b in 0..m {
            if below[a][b] {
                if lo[b].value > low[a].value {
                    low[a] = lo[b];
                }
                if hi[a].value < high[b].value {
                    high[b] = hi[a];
                }
            }
        }
    }
    // The constraints behind a criterion's bound: the bound's own, and the
    // order that carries it there.
    let behind = |j: usize, s: &Source, out: &mut Vec<usize>| {
        out.extend(s.at);
        let path = if s.on == j {
            Vec::new()
        } else if below[j][s.on] {
            path(&edges, j, s.on)
        } else {
            path(&edges, s.on, j)
        };
        out.extend(path);
    };
    let conflict = |mut at: Vec<usize>, reason: String| {
        at.sort_unstable();
        at.dedup();
        ConstraintError::Conflict {
            what: at.iter().map(|&a| describe(a)).collect(),
            at,
            reason,
        }
    };
    for j in 0..m {
        if low[j].value > high[j].value + EPS {
            let mut at = Vec::new();
            behind(j, &low[j], &mut at);
            behind(j, &high[j], &mut at);
            let name = appraisal.criteria()[crit[j]].name();
            return Err(conflict(
                at,
                format!(
                    "together they put the share of {name} at least {} and at most {}",
                    pct(low[j].value),
                    pct(high[j].value)
                ),
            ));
        }
    }
    let sum_low: f64 = low.iter().map(|s| s.value).sum();
    if sum_low > 1.0 + EPS {
        let mut at = Vec::new();
        for (j, s) in low.iter().enumerate() {
            behind(j, s, &mut at);
        }
        return Err(conflict(
            at,
            format!("the smallest shares they allow add up to {}", pct(sum_low)),
        ));
    }
    let sum_high: f64 = high.iter().map(|s| s.value).sum();
    if sum_high < 1.0 - EPS {
        let mut at = Vec::new();
        for (j, s) in high.iter().enumerate() {
            behind(j, s, &mut at);
        }
        return Err(conflict(
            at,
            format!(
                "the largest shares they allow add up to only {}",
                pct(sum_high)
            ),
        ));
    }

    // Criteria whose share is determined: fixed, bounded to one value, or
    // every one when the bounds leave no room at all.
    let (l, u): (Vec<f64>, Vec<f64>) = (
        low.iter().map(|s| s.value).collect(),
        high.iter().map(|s| s.value).collect(),
    );
    let pinned: Vec<Option<f64>> = if sum_low >= 1.0 - EPS {
        l.iter().map(|&x| Some(x)).collect()
    } else if sum_high <= 1.0 + EPS {
        u.iter().map(|&x| Some(x)).collect()
    } else {
        (0..m)
            .map(|j| (u[j] - l[j] <= EPS).then_some(l[j]))
            .collect()
    };
    let free: Vec<usize> = (0..m).filter(|&j| pinned[j].is_none()).collect();
    let left = 1.0 - pinned.iter().flatten().sum::<f64>();
    let k = free.len();
    let region = Region {
        low: l.clone(),
        high: u.clone(),
        pinned: pinned.clone(),
        free: free.clone(),
        edges: free
            .iter()
            .flat_map(|&a| edges[a].iter().map(move |&(b, _)| (a, b)))
            .filter(|&(_, b)| pinned[b].is_none())
            .collect(),
    };
    if list.is_empty()
        || (k == m
            && l.iter().all(|&x| x <= 0.0)
            && u.iter().all(|&x| x >= 1.0)
            && edges.iter().all(Vec::is_empty))
    {
        // Nothing binds: the plain simplex.
        return Ok(Plan {
            affine: None,
            reject: Vec::new(),
            region,
        });
    }

    // The simplex to sample: the order's ordered simplex when it ranks
    // every free criterion, else the free shares shifted by their lower
    // bounds.
    let chain = complete_order(&below, &free);
    let mut offset: Vec<f64> = pinned.iter().map(|p| p.unwrap_or(0.0)).collect();
    let mut matrix = vec![0.0; m * k.max(1)];
    if k == 0 {
        // Every share is determined; one coordinate that moves nothing.
        return Ok(Plan {
            affine: Some(Affine {
                k: 1,
                offset,
                matrix: vec![0.0; m],
            }),
            reject: Vec::new(),
            region,
        });
    }
    match &chain {
        Some(chain) => {
            // w = c + (left - k c) sum_q g_q v_q, v_q equal shares on the
            // first q criteria of the chain; c the lowest lower bound, that
            // of the last criterion.
            let c = chain.last().map_or(0.0, |&j| l[j]);
            let scale = left - k as f64 * c;
            for (rank, &j) in chain.iter().enumerate() {
                offset[j] = c;
                for q in rank..k {
                    matrix[j * k + q] = scale / (q + 1) as f64;
                }
            }
        }
        None => {
            let scale = left - free.iter().map(|&j| l[j]).sum::<f64>();
            for (q, &j) in free.iter().enumerate() {
                offset[j] = l[j];
                matrix[j * k + q] = scale;
            }
        }
    }
    let affine = Affine { k, offset, matrix };

    // Whatever the simplex does not guarantee is checked: lower and upper
    // bounds and the order's steps, each kept only if some vertex of the
    // simplex breaks it (a linear condition holds on a simplex when it
    // holds at every vertex).
    let row = |j: usize| &affine.matrix[j * k..(j + 1) * k];
    let mut reject = Vec::new();
    let mut keep = |coeffs: Vec<f64>, bound: f64| {
        if coeffs.iter().any(|&c| c > bound + EPS) {
            reject.push(Halfspace { coeffs, bound });
        }
    };
    for &j in &free {
        // w_j <= u_j and -w_j <= -l_j.
        keep(row(j).to_vec(), u[j] - affine.offset[j]);
        keep(row(j).iter().map(|x| -x).collect(), affine.offset[j] - l[j]);
    }
    for &a in &free {
        for &(b, _) in &edges[a] {
            if pinned[b].is_none() {
                // w_b - w_a <= 0.
                let coeffs = row(b).iter().zip(row(a)).map(|(x, y)| x - y).collect();
                keep(coeffs, affine.offset[a] - affine.offset[b]);
            }
        }
    }
    Ok(Plan {
        affine: Some(affine),
        reject,
        region,
    })
}

/// The free criteria in order of importance, if the order ranks every pair.
fn complete_order(below: &[Vec<bool>], free: &[usize]) -> Option<Vec<usize>> {
    let mut chain = free.to_vec();
    // Above more of the others means earlier; in a complete order the
    // counts are k - 1, ..., 0.
    let above = |a: usize| free.iter().filter(|&&b| below[a][b]).count();
    chain.sort_by_key(|&a| std::cmp::Reverse(above(a)));
    chain.windows(2).all(|w| below[w[0]][w[1]]).then_some(chain)
}

/// `reach[a][b]`: some chain of constraints puts `a` at least as high as `b`.
fn reach(edges: &[Vec<(usize, usize)>]) -> Vec<Vec<bool>> {
    let m = edges.len();
    let mut r = vec![vec![false; m]; m];
    for a in 0..m {
        let mut stack: Vec<usize> = edges[a].iter().map(|&(b, _)| b).collect();
        while let Some(b) = stack.pop() {
            if !r[a][b] {
                r[a][b] = true;
                stack.extend(edges[b].iter().map(|&(c, _)| c));
            }
        }
    }
    r
}

/// The constraints along a chain from `a` down to `b` (breadth first).
fn path(edges: &[Vec<(usize, usize)>], a: usize, b: usize) -> Vec<usize> {
    let m = edges.len();
    let mut from: Vec<Option<(usize, usize)>> = vec![None; m];
    let mut queue = std::collections::VecDeque::from([a]);
    let mut seen = vec![false; m];
    seen[a] = true;
    while let Some(x) = queue.pop_front() {
        if x == b {
            break;
        }
        for &(y, at) in &edges[x] {
            if !seen[y] {
                seen[y] = true;
                from[y] = Some((x, at));
                queue.push_back(y);
            }
        }
    }
    let mut out = Vec::new();
    let mut x = b;
    while let Some((prev, at)) = from[x] {
        out.push(at);
        x = prev;
    }
    out.reverse();
    out
}

/// The constraints of one circle in the order, if there is one.
fn find_cycle(edges: &[Vec<(usize, usize)>]) -> Option<Vec<usize>> {
    let m = edges.len();
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; m];
    let mut via: Vec<Option<(usize, usize)>> = vec![None; m];
    for root in 0..m {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (x, ref mut next)) = stack.last_mut() {
            if let Some(&(y, at)) = edges[x].get(*next) {
                *next += 1;
                match state[y] {
                    0 => {
                        state[y] = 1;
                        via[y] = Some((x, at));
                        stack.push((y, 0));
                    }
                    1 => {
                        // Back to y: the circle is y -> ... -> x -> y.
                        let mut out = vec![at];
                        let mut z = x;
                        while z != y {
                            let Some((prev, a)) = via[z] else { break };
                            out.push(a);
                            z = prev;
                        }
                        out.reverse();
                        return Some(out);
                    }
                    _ => {}
                }
            } else {
                state[x] = 2;
                stack.pop();
            }
        }
    }
    None
}
