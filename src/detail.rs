//! The version-2 parts of the results, as JSON outputs carry them: criteria
//! groups with effective weights and subtotals, option references, the
//! baseline comparison, derived scores with their raw values and
//! derivations, and the long list of options screened out with the reasons.
//!
//! Every field is left out where a file does not use it, so the output for a
//! version-1 file is exactly as before.

use serde::Serialize;

use crate::compute::Results;
use crate::model::Appraisal;

/// The appraisal-wide parts: groups and the long list.
#[derive(Debug, Serialize)]
pub struct StructureDetail<'a> {
    /// The format version, where it is 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u8>,
    /// Criteria groups, in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupDetail<'a>>,
    /// Criteria with scales of their own or measured, in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionDetail<'a>>,
    /// Options screened out, in file order, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub long_list: Vec<ScreenedOut<'a>>,
}

/// One criteria group.
#[derive(Debug, Serialize)]
pub struct GroupDetail<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// The id of the group it sits in, if any.
    pub parent: Option<&'a str>,
    /// Its weight as written.
    pub weight: f64,
    /// Its effective weight (see docs/format.md).
    pub effective_weight: f64,
    /// Its share of the total weight, 0-1.
    pub share: f64,
    /// The highest subtotal possible.
    pub max_subtotal: f64,
}

/// A criterion's version-2 details.
#[derive(Debug, Serialize)]
pub struct CriterionDetail<'a> {
    /// Its id.
    pub id: &'a str,
    /// The group it sits in.
    pub group: Option<&'a str>,
    /// Its weight as written.
    pub weight: f64,
    /// Its effective weight.
    pub effective_weight: f64,
    /// Its own scale: (min, max, step), if it has one.
    pub scale: Option<(f64, f64, f64)>,
    /// How its raw values become scores, if measured.
    pub measure: Option<&'a crate::model::value_fn::Measure>,
}

/// An option screened out.
#[derive(Debug, Serialize)]
pub struct ScreenedOut<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its reference, if any.
    #[serde(rename = "ref")]
    pub reference: Option<&'a str>,
    /// Its name.
    pub name: &'a str,
    /// Each test failed: (test id, reason).
    pub failed: Vec<(&'a str, &'a str)>,
}

/// One option's version-2 details.
#[derive(Debug, Serialize)]
pub struct OptionDetail<'a> {
    /// Its reference, if any.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'a str>,
    /// Whether it is the baseline.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub baseline: bool,
    /// Its total less the baseline's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_baseline: Option<f64>,
    /// Each group's subtotal, in group order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subtotals: Vec<Subtotal<'a>>,
    /// Each measured criterion's raw value, score and derivation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measured: Vec<MeasuredScore<'a>>,
}

/// A group subtotal.
#[derive(Debug, Serialize)]
pub struct Subtotal<'a> {
    /// The group's id.
    pub group: &'a str,
    /// The subtotal.
    pub subtotal: f64,
}

/// A derived score.
#[derive(Debug, Serialize)]
pub struct MeasuredScore<'a> {
    /// The criterion's id.
    pub criterion: &'a str,
    /// The raw value.
    pub value: f64,
    /// Its unit.
    pub unit: Option<&'a str>,
    /// The score derived, on the criterion's scale.
    pub score: f64,
    /// How, in words.
    pub derivation: String,
}

/// The appraisal-wide details.
pub fn structure<'a>(appraisal: &'a Appraisal, results: &Results) -> StructureDetail<'a> {
    let total: f64 = appraisal.total_weight();
    let eff = appraisal.effective_weights();
    let gw = appraisal.group_weights();
    let groups = appraisal
        .groups()
        .iter()
        .enumerate()
        .map(|(g, x)| GroupDetail {
            id: x.id().as_str(),
            name: x.name(),
            parent: x.parent().map(|p| appraisal.groups()[p].id().as_str()),
            weight: x.weight(),
            effective_weight: gw[g],
            share: gw[g] / total,
            max_subtotal: results.max_subtotals.get(g).copied().unwrap_or(0.0),
        })
        .collect();
    let criteria = if appraisal.is_v2() {
        appraisal
            .criteria()
            .iter()
            .enumerate()
            .map(|(c, k)| CriterionDetail {
                id: k.id().as_str(),
                group: k.group().map(|g| appraisal.groups()[g].id().as_str()),
                weight: k.weight(),
                effective_weight: eff[c],
                scale: k.own_scale().map(|s| (s.min(), s.max(), s.step())),
                measure: k.measure(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let long_list = results
        .long_list()
        .into_iter()
        .map(|i| {
            let o = &appraisal.options()[i];
            ScreenedOut {
                id: o.id().as_str(),
                reference: o.reference(),
                name: o.name(),
                failed: appraisal
                    .screens()
                    .iter()
                    .zip(o.screening())
                    .filter_map(|(s, r)| {
                        let r = r.as_ref().filter(|r| !r.pass)?;
                        Some((s.id().as_str(), r.reason.as_deref().unwrap_or("")))
                    })
                    .collect(),
            }
        })
        .collect();
    StructureDetail {
        version: appraisal.is_v2().then_some(2),
        groups,
        criteria,
        long_list,
    }
}

/// One option's details.
pub fn option<'a>(appraisal: &'a Appraisal, results: &Results, i: usize) -> OptionDetail<'a> {
    let o = &appraisal.options()[i];
    let r = &results.options[i];
    let subtotals = r
        .subtotals
        .iter()
        .zip(appraisal.groups())
        .map(|(s, g)| Subtotal {
            group: g.id().as_str(),
            subtotal: *s,
        })
        .collect();
    let mut measured = Vec::new();
    for (c, k) in appraisal.criteria().iter().enumerate() {
        let (Some(m), Some(value)) = (k.measure(), o.measure(c)) else {
            continue;
        };
        if let Some(Some(d)) = appraisal.derivations(c).into_iter().nth(i) {
            measured.push(MeasuredScore {
                criterion: k.id().as_str(),
                value,
                unit: m.unit.as_deref(),
                score: d.score,
                derivation: d.derivation,
            });
        }
    }
    OptionDetail {
        reference: o.reference(),
        baseline: o.is_baseline(),
        vs_baseline: r.vs_baseline,
        subtotals,
        measured,
    }
}
