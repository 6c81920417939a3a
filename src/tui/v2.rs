//! What the screen says about the parts of a version-2 appraisal: criteria
//! groups (and which of them are folded), effective weights, per-criterion
//! scales, measured criteria and their value functions, screening, the
//! baseline and option references. Pure functions of the appraisal and its
//! results, shared by the views and by `update`.

use crate::compute::Results;
use crate::model::Appraisal;
use crate::numbers;

/// The grid's columns, as criterion indices in order: every criterion,
/// except that a folded group shows as one column, held by its first
/// criterion. Without groups (every version-1 file), `0..n`.
pub fn columns(a: &Appraisal, folded: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.criteria().len());
    let mut shown: Vec<usize> = Vec::new();
    for c in 0..a.criteria().len() {
        match folded_group_of(a, c, folded) {
            Some(g) if shown.contains(&g) => {}
            Some(g) => {
                shown.push(g);
                out.push(c);
            }
            None => out.push(c),
        }
    }
    out
}

/// The outermost folded group that criterion `c` sits in, if any.
pub fn folded_group_of(a: &Appraisal, c: usize, folded: &[usize]) -> Option<usize> {
    let inner = a.criteria().get(c)?.group()?;
    a.group_path(inner)
        .into_iter()
        .rev()
        .find(|g| folded.contains(g))
}

/// The groups criterion `c` sits in, outermost first, as "Quality ▸ Service
/// delivery"; `None` outside any group.
pub fn group_path_words(a: &Appraisal, c: usize) -> Option<String> {
    let inner = a.criteria().get(c)?.group()?;
    let mut path = a.group_path(inner);
    path.reverse();
    let names: Vec<&str> = path
        .iter()
        .filter_map(|&g| a.groups().get(g).map(|x| x.name()))
        .collect();
    Some(names.join(" ▸ "))
}

/// The top-level group criterion `c` sits in, if any.
pub fn top_group(a: &Appraisal, c: usize) -> Option<usize> {
    let inner = a.criteria().get(c)?.group()?;
    a.group_path(inner).last().copied()
}

/// The weights of the members of group `parent` (or of the top level),
/// criteria and groups alike: what a weight inside it is relative to.
fn siblings_weight(a: &Appraisal, parent: Option<usize>) -> f64 {
    let crits: f64 = a
        .criteria()
        .iter()
        .filter(|k| k.group() == parent)
        .map(|k| k.weight())
        .sum();
    let groups: f64 = a
        .groups()
        .iter()
        .filter(|g| g.parent() == parent)
        .map(|g| g.weight())
        .sum();
    crits + groups
}

/// The weight of criterion `c`'s siblings (the other members of its group,
/// or the other top-level groups and criteria), without `c` itself.
pub fn others_weight(a: &Appraisal, c: usize) -> f64 {
    let Some(k) = a.criteria().get(c) else {
        return 0.0;
    };
    siblings_weight(a, k.group()) - k.weight()
}

/// Criterion `c`'s share of the total weight, at its effective weight.
pub fn share(a: &Appraisal, c: usize) -> String {
    share_of(a, a.effective_weights().get(c).copied().unwrap_or(0.0))
}

/// What `o` does on group `g`'s folded column, in words: a group inside
/// another widens the fold to it, a top-level group unfolds.
pub fn fold_key_words(a: &Appraisal, g: usize) -> &'static str {
    if a.groups().get(g).and_then(|x| x.parent()).is_some() {
        "o folds the group around it"
    } else {
        "o unfolds"
    }
}

/// Group `g`'s share of the total weight, as a folded column heads it.
pub fn group_share(a: &Appraisal, g: usize) -> String {
    share_of(a, a.group_weights().get(g).copied().unwrap_or(0.0))
}

/// An effective weight as a share of the total weight.
fn share_of(a: &Appraisal, weight: f64) -> String {
    let sum: f64 = a.effective_weights().iter().sum();
    numbers::share(if sum > 0.0 { weight / sum } else { 0.0 })
}

/// How criterion `c`'s effective weight comes from the weights written:
/// "effective weight 18 = Quality 60 × Service delivery 50 ÷ 100 × 60 ÷ 100,
/// 18.0% of the total weight". Outside any group, the weight as written.
pub fn weight_words(a: &Appraisal, c: usize) -> String {
    let Some(k) = a.criteria().get(c) else {
        return String::new();
    };
    let Some(inner) = k.group() else {
        return format!(
            "weight {}, {} of the total weight",
            numbers::weight(k.weight()),
            share(a, c)
        );
    };
    let mut path = a.group_path(inner);
    path.reverse();
    // A top-level group's effective weight is its own weight; each level
    // below takes its members' weights in proportion.
    let mut steps = Vec::new();
    let mut parent = None;
    for &g in &path {
        let Some(x) = a.groups().get(g) else { continue };
        steps.push(if parent.is_none() {
            format!("{} {}", x.name(), numbers::weight(x.weight()))
        } else {
            format!(
                "{} {} ÷ {}",
                x.name(),
                numbers::weight(x.weight()),
                numbers::weight(siblings_weight(a, parent))
            )
        });
        parent = Some(g);
    }
    steps.push(format!(
        "{} ÷ {}",
        numbers::weight(k.weight()),
        numbers::weight(siblings_weight(a, Some(inner)))
    ));
    let eff = a.effective_weights().get(c).copied().unwrap_or(0.0);
    format!(
        "weight {} within {}; effective weight {} = {}, {} of the total weight",
        numbers::weight(k.weight()),
        a.groups().get(inner).map_or("", |g| g.name()),
        numbers::weight(eff),
        steps.join(" × "),
        share(a, c)
    )
}

/// The effective weight shown under a criterion's header: as written
/// outside groups (so version-1 files read as before).
pub fn shown_weight(a: &Appraisal, c: usize) -> f64 {
    match a.criteria().get(c) {
        Some(k) if k.group().is_none() => k.weight(),
        Some(_) => a.effective_weights().get(c).copied().unwrap_or(0.0),
        None => 0.0,
    }
}

/// How measured criterion `c` is scored, for the details pane and the raw
/// value prompt: "lower is better; " and the value function in the words
/// every table uses ([`Appraisal::value_rule`]).
pub fn function_words(a: &Appraisal, c: usize) -> Option<String> {
    let m = a.criteria().get(c)?.measure()?;
    Some(format!(
        "{} is better; {}",
        m.better.as_str(),
        a.value_rule(c)?
    ))
}

/// A raw value as the grid cell shows it, without its unit.
pub fn raw_text(raw: f64) -> String {
    numbers::as_given(raw)
}

/// What the selected measured cell holds, in words: "9 months → 0 of 5
/// (9 months: in the band any other value, which scores 0)".
pub fn measured_words(a: &Appraisal, o: usize, c: usize) -> Option<String> {
    let m = a.criteria().get(c)?.measure()?;
    let raw = a.options().get(o)?.measure(c);
    let scale = a.scale_of(c);
    Some(match raw {
        None => format!(
            "no raw value yet (type one, in {})",
            m.unit.as_deref().unwrap_or("the criterion's unit")
        ),
        Some(r) => {
            let d = a.derivations(c).into_iter().nth(o).flatten();
            match d {
                Some(d) => format!(
                    "raw {} → score {} of {} ({})",
                    m.with_unit(r),
                    numbers::total(d.score),
                    numbers::score(scale.max()),
                    d.derivation
                ),
                None => format!("raw {} (no score can be derived from it)", m.with_unit(r)),
            }
        }
    })
}

/// Why option `o` was screened out: each failed test and its reason.
pub fn screened_reason(a: &Appraisal, o: usize) -> Option<String> {
    let opt = a.options().get(o)?;
    if !opt.screened_out() {
        return None;
    }
    let parts: Vec<String> = a
        .screens()
        .iter()
        .zip(opt.screening())
        .filter_map(|(s, r)| {
            let r = r.as_ref().filter(|r| !r.pass)?;
            Some(match &r.reason {
                Some(why) => format!("fails \"{}\": {why}", s.name()),
                None => format!("fails \"{}\"", s.name()),
            })
        })
        .collect();
    Some(parts.join("; "))
}

/// The option's name as tables give it: "A. Name" with a reference, and
/// "(baseline)" for the baseline.
pub fn option_label(a: &Appraisal, o: usize) -> String {
    let Some(opt) = a.options().get(o) else {
        return String::new();
    };
    if opt.is_baseline() {
        format!("{} (baseline)", opt.label())
    } else {
        opt.label()
    }
}

/// The display order of rows: `order` with any screened-out options moved
/// to the end, in file order, so they sit apart from the shortlist.
pub fn shortlist_first(a: &Appraisal, mut order: Vec<usize>, results: &Results) -> Vec<usize> {
    if results.options.iter().all(|r| !r.screened_out) {
        return order;
    }
    order.retain(|&o| a.options().get(o).is_some_and(|x| !x.screened_out()));
    order.extend(results.long_list());
    order
}

/// The display row at which the screened-out options start, if any are
/// shown apart (never when every option is screened out).
pub fn long_list_row(a: &Appraisal, order: &[usize]) -> Option<usize> {
    let first = order
        .iter()
        .position(|&o| a.options().get(o).is_some_and(|x| x.screened_out()))?;
    (first > 0).then_some(first)
}

/// Group `g`'s subtotal for option `o`, and the most it could be.
pub fn subtotal(results: &Results, o: usize, g: usize) -> Option<(f64, f64)> {
    let r = results.options.get(o)?;
    Some((*r.subtotals.get(g)?, *results.max_subtotals.get(g)?))
}

/// What the details pane says of folded group `g` for option `o`: its
/// path, weight, subtotal, description and criteria.
pub fn group_lines(a: &Appraisal, results: &Results, o: usize, g: usize) -> Vec<String> {
    let Some(group) = a.groups().get(g) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let eff = a.group_weights().get(g).copied().unwrap_or(0.0);
    let share = group_share(a, g);
    out.push(format!(
        "{} (folded; {}): weight {}, effective weight {}, {share} of the total weight",
        group.name(),
        fold_key_words(a, g),
        numbers::weight(group.weight()),
        numbers::weight(eff)
    ));
    if let Some((v, max)) = subtotal(results, o, g) {
        out.push(format!(
            "Subtotal for {}: {} of {}",
            a.options().get(o).map_or(String::new(), |x| x.label()),
            numbers::total(v),
            numbers::total(max)
        ));
    }
    if let Some(d) = &group.description {
        out.push(d.clone());
    }
    out.push(String::new());
    out.push("Criteria in it:".to_owned());
    for (c, k) in a.criteria().iter().enumerate() {
        if a.in_group(c, g) {
            out.push(format!(
                "  {} (effective weight {})",
                k.name(),
                numbers::weight(a.effective_weights().get(c).copied().unwrap_or(0.0))
            ));
        }
    }
    out
}

/// The number of criteria in group `g`, directly or through subgroups.
pub fn criteria_in(a: &Appraisal, g: usize) -> usize {
    (0..a.criteria().len())
        .filter(|&c| a.in_group(c, g))
        .count()
}
