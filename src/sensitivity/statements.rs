//! Plain-English statements an officer can paste into a report.
//!
//! Each statement stands on its own (it names the option rather than saying
//! "it") and rounds figures towards the cautious side: a share up to which
//! the leader is safe is rounded down, one from which it is safe is rounded up.

use serde::Serialize;

use super::Sensitivity;
use super::constraints::Sampler;
use super::groups::Hierarchy;
use super::smaa::{Smaa, WeightModel};

/// Chains whose largest potential scale reduction factor is at most this
/// are said to agree (Gelman and Rubin's customary 1.1).
pub const PSRF_MIXED: f64 = 1.1;
use super::weights::CriterionSensitivity;
use crate::model::Appraisal;
use crate::numbers::{self, join_and, join_with};

/// What a statement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatementKind {
    /// A caveat that applies to everything else (incomplete scoring, a single option).
    Caveat,
    /// Who is first now, and any tie.
    Ranking,
    /// One-way weight sensitivity.
    Weights,
    /// Score robustness.
    Scores,
    /// Leave one criterion out.
    LeaveOneOut,
    /// Monte Carlo rank acceptability.
    MonteCarlo,
    /// Group-level weight stability and leaving a group out.
    Groups,
    /// Value for money: benefit against cost.
    ValueForMoney,
}

/// One sentence (or two) for a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// What it is about.
    pub kind: StatementKind,
    /// The text, ready to paste.
    pub text: String,
}

fn st(kind: StatementKind, text: String) -> Statement {
    Statement { kind, text }
}

/// Every statement for a full analysis, in reading order.
pub fn statements(appraisal: &Appraisal, s: &Sensitivity) -> Vec<Statement> {
    let mut out = exact_statements(appraisal, &s.exact);
    if let Some(g) = &s.groups
        && appraisal.options().len() > 1
    {
        out.extend(group_statements(appraisal, &s.exact, g));
    }
    if let Some(m) = &s.smaa {
        out.extend(smaa_statements(appraisal, &s.exact.results, m));
    }
    if let Some(v) = &s.value {
        out.extend(value_statements(appraisal, v));
    }
    out
}

/// A name as a possessive: "Risk's", but "Partnerships'" for a name that
/// ends in s.
pub fn possessive(name: &str) -> String {
    if name.ends_with(['s', 'S']) {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// Statements for the group-level analyses: how far each group's share,
/// and each criterion's share within its group, can move, and leaving each
/// group out. `appraisal` is the appraisal as analysed.
pub fn group_statements(
    appraisal: &Appraisal,
    e: &super::Exact,
    g: &super::groups::GroupAnalysis,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let opt = |i: usize| option_name(appraisal, i);
    let tree = &g.tree;
    let lname = opt(e.scores.leader);
    let whole = |p: Option<usize>| match p {
        Some(p) => format!(
            "{} weight",
            possessive(&tree.name(super::groups::Member::Group(p), appraisal))
        ),
        None => "the total weight".to_string(),
    };
    // Members that hold throughout, gathered by the weight they share.
    let mut holds: Vec<(Option<usize>, Vec<String>)> = Vec::new();
    for m in &g.weights {
        let name = tree.name(m.member, appraisal);
        if m.within.holds_throughout() {
            match holds.iter_mut().find(|(p, _)| *p == m.parent) {
                Some((_, names)) => names.push(name),
                None => holds.push((m.parent, vec![name])),
            }
            continue;
        }
        out.push(st(
            StatementKind::Groups,
            weight_sentence_of(&lname, &name, &m.within, &opt, &whole(m.parent)),
        ));
    }
    for (parent, names) in holds {
        let who = if names.len() == 1 {
            names[0].clone()
        } else {
            format!("any one of {}", join_with(&names, "or"))
        };
        out.push(st(
            StatementKind::Groups,
            format!(
                "{lname} stays first however much or little of {} {who} carries.",
                whole(parent)
            ),
        ));
    }
    let group_name = |k: usize| tree.name(super::groups::Member::Group(k), appraisal);
    let mut changed = false;
    for l in &g.leave_one_out {
        if l.no_weight_left {
            out.push(st(
                StatementKind::Groups,
                format!(
                    "Leaving out the group {} leaves no weight to rank by.",
                    group_name(l.group)
                ),
            ));
        } else if !l.same_leaders(&e.results) {
            changed = true;
            let who = who_leads(&l.leaders, &opt);
            out.push(st(
                StatementKind::Groups,
                format!("Leaving out the group {} {who}.", group_name(l.group)),
            ));
        }
    }
    if !changed {
        let text = if e.results.leaders().len() > 1 {
            "Leaving out any one group keeps the same options tied for first.".to_string()
        } else {
            format!("Leaving out any one group, {lname} stays first.")
        };
        out.push(st(StatementKind::Groups, text));
    }
    out
}

/// Statements for value for money: the efficient options, what each step
/// along the frontier costs per benefit point, and which options are
/// dominated. `appraisal` is the appraisal as analysed.
pub fn value_statements(appraisal: &Appraisal, v: &super::value::ValueForMoney) -> Vec<Statement> {
    let mut out = Vec::new();
    let opt = |i: usize| option_name(appraisal, i);
    let cost_name = appraisal
        .criteria()
        .get(v.cost_criterion)
        .map_or("the cost".to_string(), |c| c.name().to_string());
    let money = |x: f64| v.with_unit(crate::model::snap(x));
    let benefit = numbers::total;
    let missing: Vec<String> = v
        .options
        .iter()
        .filter(|o| o.cost.is_none())
        .map(|o| opt(o.option))
        .collect();
    if !missing.is_empty() {
        out.push(st(
            StatementKind::ValueForMoney,
            format!(
                "{} {} no {cost_name} recorded, so {} left out of the value-for-money comparison.",
                join_and(&missing),
                if missing.len() == 1 { "has" } else { "have" },
                if missing.len() == 1 {
                    "it is"
                } else {
                    "they are"
                }
            ),
        ));
    }
    let point = |o: usize| {
        let x = &v.options[o];
        format!(
            "{} ({}, benefit {})",
            opt(o),
            x.cost.map_or_else(String::new, money),
            benefit(x.benefit)
        )
    };
    let of = format!(
        "the total without {cost_name}, out of {}",
        benefit(v.benefit_max)
    );
    match v.frontier.as_slice() {
        [] => {}
        [one] => out.push(st(
            StatementKind::ValueForMoney,
            format!(
                "On value for money, {} is the only efficient option: every other option costs more or gives less benefit ({of}).",
                point(*one)
            ),
        )),
        many => {
            let names: Vec<String> = many.iter().map(|&o| point(o)).collect();
            out.push(st(
                StatementKind::ValueForMoney,
                format!(
                    "On value for money, the efficient options, cheapest first, are {}: for each, no other option is both cheaper and at least as good (benefit is {of}).",
                    join_and(&names)
                ),
            ));
        }
    }
    for step in &v.steps {
        let text = match step.cost_per_point {
            Some(r) => format!(
                "Choosing {} over {} costs {} more for {} more benefit points: {} a point.",
                opt(step.to),
                opt(step.from),
                money(step.extra_cost),
                benefit(step.extra_benefit),
                v.with_unit(per_point(r))
            ),
            None => format!(
                "{} and {} have the same cost and benefit.",
                opt(step.from),
                opt(step.to)
            ),
        };
        out.push(st(StatementKind::ValueForMoney, text));
    }
    for o in &v.options {
        let (Some(k), Some(c)) = (o.dominated_by, o.cost) else {
            continue;
        };
        let d = &v.options[k];
        let dc = d.cost.unwrap_or(c);
        let cost_words = if dc < c {
            format!("costs less ({} against {})", money(dc), money(c))
        } else {
            format!("costs the same ({})", money(c))
        };
        let benefit_words = if d.benefit > o.benefit {
            format!(
                "gives more benefit ({} against {})",
                benefit(d.benefit),
                benefit(o.benefit)
            )
        } else {
            format!("gives as much benefit ({})", benefit(o.benefit))
        };
        out.push(st(
            StatementKind::ValueForMoney,
            format!(
                "{} is dominated: {} {cost_words} and {benefit_words}.",
                opt(o.option),
                opt(k)
            ),
        ));
    }
    out
}

/// An extra cost per benefit point to three significant figures, as a
/// number that prints as such.
pub fn per_point(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 2 - x.abs().log10().floor() as i32;
    if digits <= 0 {
        x.round()
    } else {
        numbers::round_nearest(x, digits as u32)
    }
}

/// Statements for the exact analyses only (caveats, ranking, weights, scores, leave-one-out).
pub fn exact_statements(appraisal: &Appraisal, e: &super::Exact) -> Vec<Statement> {
    let mut out = Vec::new();
    let opt = |i: usize| option_name(appraisal, i);
    let crit = |k: usize| {
        appraisal
            .criteria()
            .get(k)
            .map_or("?".to_string(), |c| c.name().to_string())
    };
    let missing: usize = appraisal.options().iter().map(|o| o.unscored()).sum();
    if missing > 0 {
        out.push(st(
            StatementKind::Caveat,
            format!(
                "These results are provisional: {} not yet scored, and an unscored cell counts as nothing.",
                if missing == 1 {
                    "1 score is".to_string()
                } else {
                    format!("{missing} scores are")
                }
            ),
        ));
    }
    let n = appraisal.options().len();
    if n < 2 {
        out.push(st(
            StatementKind::Caveat,
            format!(
                "{} is the only option, so there is nothing to compare it with and no sensitivity to test.",
                opt(0)
            ),
        ));
        return out;
    }
    let leaders = e.results.leaders();
    let leader = e.scores.leader;
    let lname = opt(leader);
    let tied = leaders.len() > 1;
    if tied {
        let names: Vec<String> = leaders.iter().map(|&i| opt(i)).collect();
        out.push(st(
            StatementKind::Ranking,
            format!(
                "{} are tied for first with {} each; the analysis below follows {}, the first listed.",
                join_and(&names),
                numbers::total(e.results.options[leader].total),
                lname
            ),
        ));
    } else if let Some(&second) = e.results.rank_order().get(1) {
        let rank2 = e.results.options[second].rank;
        let seconds: Vec<String> = e
            .results
            .rank_order()
            .into_iter()
            .filter(|&i| e.results.options[i].rank == rank2)
            .map(opt)
            .collect();
        out.push(st(
            StatementKind::Ranking,
            format!(
                "{} is first with {}, ahead of {} with {}{}.",
                lname,
                numbers::total(e.results.options[leader].total),
                join_and(&seconds),
                numbers::total(e.results.options[second].total),
                if seconds.len() > 1 { " each" } else { "" }
            ),
        ));
    }

    // Weights.
    let weighted: Vec<&CriterionSensitivity> = e.weights.iter().collect();
    if appraisal.criteria().len() == 1 {
        out.push(st(
            StatementKind::Weights,
            format!(
                "There is only one criterion, {}, so changing its weight cannot change the ranking.",
                crit(0)
            ),
        ));
    } else {
        let mut holds = Vec::new();
        for cs in &weighted {
            if cs.holds_throughout() {
                holds.push(crit(cs.criterion));
                continue;
            }
            out.push(st(
                StatementKind::Weights,
                weight_sentence(&lname, &crit(cs.criterion), cs, &opt),
            ));
        }
        if !holds.is_empty() {
            let all = holds.len() == weighted.len();
            let text = if all {
                format!(
                    "{lname} stays first however much or little weight any single criterion carries."
                )
            } else if holds.len() == 1 {
                format!(
                    "{lname} stays first however much or little weight {} carries.",
                    holds[0]
                )
            } else {
                format!(
                    "{lname} stays first however much or little weight any one of {} carries.",
                    join_with(&holds, "or")
                )
            };
            out.push(st(StatementKind::Weights, text));
        }
    }

    // Scores.
    let sr = &e.scores;
    let unit = appraisal.scale().step();
    let single = if unit == 1.0 {
        "single-point".to_string()
    } else {
        format!("single-step ({}-point)", numbers::score(unit))
    };
    match (sr.min_steps_to_overtake, sr.easiest()) {
        (Some(k), Some(ch)) => {
            let mut text = format!(
                "At least {} would be needed for another option to overtake {lname}",
                numbers::count(
                    f64::from(k),
                    &format!("{single} score change"),
                    &format!("{single} score changes")
                )
            );
            match (sr.min_steps_to_tie, sr.tie_challenger) {
                (Some(0), Some(t)) => {
                    text.push_str(&format!("; {} is already level with it", opt(t)));
                }
                (Some(tk), Some(t)) if tk < k => {
                    text.push_str(&format!("; {} would bring {} level with it", tk, opt(t)));
                }
                _ => {}
            }
            text.push('.');
            // "A's X score fell from 5 to 0 and its Y score from 5 to 2".
            let mut parts: Vec<String> = Vec::new();
            let mut prev: Option<(usize, super::Direction)> = None;
            for c in &ch.overtake_changes {
                let verb = match c.direction {
                    super::Direction::Down => "fell",
                    super::Direction::Up => "rose",
                };
                let text = match prev {
                    Some((o, d)) if o == c.option && d == c.direction => format!(
                        "its {} score from {} to {}",
                        crit(c.criterion),
                        numbers::score(c.from),
                        numbers::score(c.to)
                    ),
                    Some((o, _)) if o == c.option => format!(
                        "its {} score {verb} from {} to {}",
                        crit(c.criterion),
                        numbers::score(c.from),
                        numbers::score(c.to)
                    ),
                    _ => format!(
                        "{}'s {} score {verb} from {} to {}",
                        opt(c.option),
                        crit(c.criterion),
                        numbers::score(c.from),
                        numbers::score(c.to)
                    ),
                };
                parts.push(text);
                prev = Some((c.option, c.direction));
            }
            if !parts.is_empty() {
                text.push_str(&format!(
                    " For example, {} would overtake it if {}.",
                    opt(ch.challenger),
                    join_and(&parts)
                ));
            }
            out.push(st(StatementKind::Scores, text));
        }
        _ => out.push(st(
            StatementKind::Scores,
            format!(
                "No changes of score within the scale could let another option overtake {lname}."
            ),
        )),
    }
    if sr.has_unscored {
        out.push(st(
            StatementKind::Caveat,
            "Unscored cells are left out of the score-change count, since they have no score to move."
                .to_string(),
        ));
    }

    // Leave one out.
    let changed: Vec<&super::LeaveOneOut> = e
        .leave_one_out
        .iter()
        .filter(|l| !l.no_weight_left && !l.same_leaders(&e.results))
        .collect();
    for l in e.leave_one_out.iter().filter(|l| l.no_weight_left) {
        out.push(st(
            StatementKind::LeaveOneOut,
            format!(
                "Leaving out {} leaves no weight to rank by.",
                crit(l.criterion)
            ),
        ));
    }
    let all_weighted = e.leave_one_out.iter().all(|l| !l.no_weight_left);
    if changed.is_empty() {
        let any = if all_weighted {
            "any one criterion"
        } else {
            "any other criterion"
        };
        let text = if tied {
            format!("Leaving out {any} keeps the same options tied for first.")
        } else {
            format!("Leaving out {any}, {lname} stays first.")
        };
        out.push(st(StatementKind::LeaveOneOut, text));
    } else {
        for l in changed {
            let who = who_leads(&l.leaders, &opt);
            out.push(st(
                StatementKind::LeaveOneOut,
                format!("Leaving out {} {who}.", crit(l.criterion)),
            ));
        }
    }
    out
}

fn weight_sentence(
    lname: &str,
    cname: &str,
    cs: &CriterionSensitivity,
    opt: &dyn Fn(usize) -> String,
) -> String {
    weight_sentence_of(lname, cname, cs, opt, "the total weight")
}

/// [`weight_sentence`] for a share of `whole` ("the total weight",
/// "Quality's weight").
fn weight_sentence_of(
    lname: &str,
    cname: &str,
    cs: &CriterionSensitivity,
    opt: &dyn Fn(usize) -> String,
    whole: &str,
) -> String {
    let shown = cs.shown();
    let now = if cs.share > 0.0 {
        format!("it now carries {}", shown.share_text())
    } else {
        "it now carries no weight".to_string()
    };
    match (cs.below, cs.above) {
        (None, Some(a)) if cs.stable_to <= cs.share => format!(
            "Giving {cname} any more weight ({now}) would put {} ahead of {lname}.",
            opt(a)
        ),
        (Some(b), None) if cs.stable_from >= cs.share => format!(
            "Giving {cname} any less weight ({now}) would put {} ahead of {lname}.",
            opt(b)
        ),
        (None, Some(a)) => format!(
            "{lname} stays first unless {cname} carries more than {} of {whole} ({now}); then {} leads.",
            shown.to_text(),
            opt(a)
        ),
        (Some(b), None) => format!(
            "{lname} stays first unless {cname} carries less than {} of {whole} ({now}); then {} leads.",
            shown.from_text(),
            opt(b)
        ),
        (Some(b), Some(a)) => format!(
            "{lname} stays first while {cname} carries between {} and {} of {whole} ({now}); below that {} leads, above it {}.",
            shown.from_text(),
            shown.to_text(),
            opt(b),
            opt(a)
        ),
        (None, None) => {
            format!("{lname} stays first however much or little weight {cname} carries.")
        }
    }
}

/// Option `i`'s name ("?" if there is none).
/// The sentence on the strongest alternative to `leader` in a Monte Carlo
/// run of `samples`: `firsts` gives each option's chance of ranking first
/// and its standard error, and `leader_first` is the leader's own chance.
/// An option first more often than the leader is said to be so, not called
/// a runner-up. `None` when there is no other option.
pub(super) fn strongest_alternative(
    appraisal: &Appraisal,
    leader: usize,
    leader_first: f64,
    firsts: impl Iterator<Item = (usize, f64, f64)>,
    samples: u64,
) -> Option<String> {
    let (runner, b, se) = firsts
        .filter(|(o, _, _)| *o != leader)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
    let opt = |i: usize| option_name(appraisal, i);
    let (p, se) = (numbers::probability_words(b), numbers::standard_error(se));
    Some(if b > leader_first {
        format!(
            "{} ranks first more often than {}, in {p} of cases (standard error {se}).",
            opt(runner),
            opt(leader)
        )
    } else if b > 0.0 {
        format!(
            "The option most often first otherwise is {}, in {p} of cases (standard error {se}).",
            opt(runner)
        )
    } else {
        format!("No other option ranked first in any of the {samples} samples.")
    })
}

fn option_name(appraisal: &Appraisal, i: usize) -> String {
    appraisal
        .options()
        .get(i)
        .map_or("?".to_string(), |o| o.name().to_string())
}

/// What leaving something out does to the lead: "puts B first", "leaves A
/// and B tied for first".
fn who_leads(leaders: &[usize], opt: &dyn Fn(usize) -> String) -> String {
    let names: Vec<String> = leaders.iter().map(|&i| opt(i)).collect();
    if names.len() > 1 {
        format!("leaves {} tied for first", join_and(&names))
    } else {
        format!("puts {} first", join_and(&names))
    }
}

/// Statements for a Monte Carlo run.
pub fn smaa_statements(
    appraisal: &Appraisal,
    results: &crate::compute::Results,
    m: &Smaa,
) -> Vec<Statement> {
    let mut out = Vec::new();
    if appraisal.options().len() < 2 {
        return out;
    }
    let opt = |i: usize| option_name(appraisal, i);
    let leader = results.rank_order().first().copied().unwrap_or(0);
    let Some(lo) = m.options.get(leader) else {
        return out;
    };
    let unweighted: Vec<String> = appraisal
        .criteria()
        .iter()
        .enumerate()
        .filter(|(j, _)| !m.sampled_criteria.contains(j))
        .map(|(_, c)| c.name().to_string())
        .collect();
    let mut how = match m.config.weights {
        WeightModel::Uniform if !m.constraints.is_empty() => {
            let mut how = format!(
                "If the panel agrees only that {}",
                m.constraints.clause(appraisal)
            );
            if !unweighted.is_empty() {
                how.push_str(&format!(
                    " (leaving out {}, which carr{} no weight)",
                    join_and(&unweighted),
                    if unweighted.len() == 1 { "ies" } else { "y" }
                ));
            }
            how
        }
        WeightModel::Uniform => {
            let base = match m.hierarchy {
                Some(Hierarchy::Level) => {
                    "Under any weighting of the groups, and of the criteria within each group (the shares at each level drawn uniformly)"
                }
                Some(Hierarchy::Flat) => {
                    "Under any weighting of the criteria (drawn uniformly over their effective weights, the groups set aside)"
                }
                None => "Under any weighting of the criteria",
            };
            if unweighted.is_empty() {
                base.to_string()
            } else if m.hierarchy.is_none() {
                format!(
                    "Under any weighting of the criteria that carry weight (leaving out {}, which carr{} none)",
                    join_and(&unweighted),
                    if unweighted.len() == 1 { "ies" } else { "y" }
                )
            } else {
                format!(
                    "{base}, leaving out {}, which carr{} no weight",
                    join_and(&unweighted),
                    if unweighted.len() == 1 { "ies" } else { "y" }
                )
            }
        }
        WeightModel::Spread { percent } if percent > 0.0 => format!(
            "With each weight varied at random within {}% of its current value",
            numbers::weight(percent)
        ),
        WeightModel::Spread { .. } => "With the weights held at their current values".to_string(),
    };
    let scale = appraisal.scale();
    let ranged = !m.drawn_ranges.is_empty();
    let spread = (m.config.score_spread > 0.0).then(|| {
        format!(
            "every score{} varied at random by up to {} either way",
            if ranged {
                " not drawn from a range"
            } else {
                ""
            },
            numbers::count(m.config.score_spread * scale.step(), "point", "points")
        )
    });
    let drawn = ranged.then(|| {
        let names: Vec<String> = m
            .drawn_ranges
            .iter()
            .filter_map(|&c| appraisal.criteria().get(c))
            .map(|c| c.name().to_string())
            .collect();
        format!(
            "the raw values of {} drawn from the ranges the file gives (uniformly from low to high, or triangularly through the likely value)",
            join_and(&names)
        )
    });
    if m.config.weights == WeightModel::Uniform && !m.constraints.is_empty() {
        // "If the panel agrees only that ..., with ... and ..."
        let clauses: Vec<String> = spread.into_iter().chain(drawn).collect();
        if !clauses.is_empty() {
            how.push_str(", with ");
            how.push_str(&clauses.join(" and "));
        }
    } else {
        if let Some(spread) = spread {
            how.push_str(" and ");
            how.push_str(&spread);
        }
        if let Some(drawn) = drawn {
            // "With each weight varied ... and the raw values ...", but
            // "Under any weighting ..., with the raw values ...".
            let spread = matches!(m.config.weights, WeightModel::Spread { .. });
            how.push_str(if spread { " and " } else { ", with " });
            how.push_str(&drawn);
        }
    }
    let b1 = lo.acceptability.first().copied().unwrap_or(0.0);
    let se1 = lo.acceptability_se.first().copied().unwrap_or(0.0);
    out.push(st(
        StatementKind::MonteCarlo,
        format!(
            "{how}, {} ranks first in {} of cases (standard error {}).",
            opt(leader),
            numbers::probability_words(b1),
            numbers::standard_error(se1)
        ),
    ));
    let firsts = m.options.iter().map(|o| {
        let first = |v: &[f64]| v.first().copied().unwrap_or(0.0);
        (
            o.option,
            first(&o.acceptability),
            first(&o.acceptability_se),
        )
    });
    if let Some(text) = strongest_alternative(appraisal, leader, b1, firsts, m.config.samples) {
        out.push(st(StatementKind::MonteCarlo, text));
    }
    if let Sampler::HitAndRun {
        pilot_acceptance,
        chains,
        burn_in,
        thinning,
        effective_samples,
        psrf,
    } = m.sampler
    {
        let mixed = if psrf <= PSRF_MIXED {
            "the chains agree"
        } else {
            "the chains do NOT agree, so treat these figures with caution and run more samples"
        };
        out.push(st(
            StatementKind::MonteCarlo,
            format!(
                "So few weightings meet these constraints (about {} of those proposed) that they were sampled by hit-and-run: {} each kept a sample every {} after {} of burn-in. The {} samples are worth about {} independent ones, and {mixed} (largest potential scale reduction factor {:.3}).",
                numbers::probability_words(pilot_acceptance),
                numbers::count(chains as f64, "chain", "chains"),
                numbers::count(thinning as f64, "step", "steps"),
                numbers::count(burn_in as f64, "step", "steps"),
                m.config.samples,
                effective_samples.round() as u64,
                psrf
            ),
        ));
    }
    if (m.config.score_spread > 0.0 || ranged)
        && let (Some(c), Some(se)) = (lo.confidence, lo.confidence_se)
    {
        out.push(st(
            StatementKind::MonteCarlo,
            format!(
                "Using the weights under which it typically wins (its central weights), {} stays first in {} of the {} (standard error {}).",
                opt(leader),
                numbers::probability_words(c),
                if m.config.score_spread > 0.0 {
                    "score variations"
                } else {
                    "draws of the raw values"
                },
                numbers::standard_error(se)
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sensitivity::testutil::{build, full};
    use crate::sensitivity::{SmaaConfig, analyse};

    fn texts(a: &Appraisal) -> Vec<String> {
        let config = SmaaConfig {
            samples: 4_000,
            threads: Some(1),
            ..SmaaConfig::default()
        };
        statements(a, &analyse(a, &config).unwrap())
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn a_tie_for_first_is_stated_and_followed_through() {
        // Option 1 (3, 2) and Option 2 (2, 3) tie on 5 with equal weights.
        let t = texts(&full(&[1.0, 1.0], &[&[3.0, 2.0], &[2.0, 3.0], &[1.0, 1.0]]));
        assert_eq!(
            t[0],
            "Option 1 and Option 2 are tied for first with 5 each; the analysis below follows Option 1, the first listed."
        );
        assert!(t.contains(
            &"Giving Criterion 1 any less weight (it now carries 50.0%) would put Option 2 ahead of Option 1.".to_string()
        ), "{t:#?}");
        assert!(t.iter().any(|s| s.starts_with(
            "At least 1 single-point score change would be needed for another option to overtake Option 1; Option 2 is already level with it."
        )), "{t:#?}");
    }

    #[test]
    fn an_option_first_more_often_than_the_leader_is_not_called_a_runner_up() {
        // At weights 3:1, Option 1 (4, 0) leads Option 2 (0, 5) by 3 to
        // 1.25; over any weighting Option 2 is first in 5/9 of cases.
        let t = texts(&full(&[3.0, 1.0], &[&[4.0, 0.0], &[0.0, 5.0]]));
        assert!(
            t.iter()
                .any(|s| s.starts_with("Option 2 ranks first more often than Option 1, in 5")),
            "{t:#?}"
        );
        assert!(
            !t.iter().any(|s| s.contains("most often first otherwise")),
            "{t:#?}"
        );
        // Where the leader is also most often first, the runner-up wording stays.
        let t = texts(&full(&[1.0, 1.0], &[&[4.0, 3.0], &[0.0, 5.0]]));
        assert!(
            t.iter()
                .any(|s| s.starts_with("The option most often first otherwise is Option 2")),
            "{t:#?}"
        );
    }

    #[test]
    fn a_single_option_has_nothing_to_compare() {
        let t = texts(&full(&[1.0, 1.0], &[&[3.0, 2.0]]));
        assert_eq!(
            t,
            vec![
                "Option 1 is the only option, so there is nothing to compare it with and no sensitivity to test."
            ]
        );
    }

    #[test]
    fn zero_weight_criteria_are_named_honestly() {
        // Option 1 = (4, 0), Option 2 = (3, 5), weights (1, 0). Giving
        // Criterion 2 share p: 4(1 - p) vs 3(1 - p) + 5p, equal at p = 1/6.
        let t = texts(&full(&[1.0, 0.0], &[&[4.0, 0.0], &[3.0, 5.0]]));
        assert!(t.contains(&"Option 1 stays first unless Criterion 2 carries more than 16.6% of the total weight (it now carries no weight); then Option 2 leads.".to_string()), "{t:#?}");
        assert!(t.contains(&"Option 1 stays first unless Criterion 1 carries less than 83.4% of the total weight (it now carries 100.0%); then Option 2 leads.".to_string()), "{t:#?}");
        assert!(
            t.contains(&"Leaving out Criterion 1 leaves no weight to rank by.".to_string()),
            "{t:#?}"
        );
        assert!(t.iter().any(|s| s.starts_with(
            "Under any weighting of the criteria that carry weight (leaving out Criterion 2, which carries none), Option 1 ranks first in 100.0% of cases"
        )), "{t:#?}");
    }

    #[test]
    fn a_leader_that_holds_everywhere_is_summarised_once() {
        let t = texts(&full(&[1.0, 2.0], &[&[5.0, 5.0], &[1.0, 2.0]]));
        assert!(
            t.contains(
                &"Option 1 stays first however much or little weight any single criterion carries."
                    .to_string()
            ),
            "{t:#?}"
        );
        assert!(t.contains(&"Leaving out any one criterion, Option 1 stays first.".to_string()));
        assert!(
            t.contains(&"No other option ranked first in any of the 4000 samples.".to_string()),
            "{t:#?}"
        );
    }

    #[test]
    fn incomplete_scoring_is_provisional() {
        let a = build(
            &[1.0, 1.0],
            &[&[Some(4.0), None], &[Some(3.0), Some(2.0)]],
            1.0,
        );
        let t = texts(&a);
        assert_eq!(
            t[0],
            "These results are provisional: 1 score is not yet scored, and an unscored cell counts as nothing."
        );
        assert!(t.contains(&"Unscored cells are left out of the score-change count, since they have no score to move.".to_string()));
    }

    #[test]
    fn lists_read_naturally() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&["A"])), "A");
        assert_eq!(join_and(&v(&["A", "B"])), "A and B");
        assert_eq!(join_and(&v(&["A", "B", "C"])), "A, B and C");
    }
}
