//! JSON: the model, results, warnings and sensitivity in one document.
//! The schema is documented in `docs/exporting.md`; `schema` names its version.

use std::io::Write;

use serde::Serialize;

use super::{ExportError, ExportOptions};
use crate::compute::{Results, Warning, reconcile, warnings};
use crate::model::Appraisal;

/// The schema identifier written into every document.
pub const SCHEMA: &str = "appraise-export/1";

/// The whole export document.
#[derive(Debug, Serialize)]
pub struct ExportJson<'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Title and other details of the appraisal.
    pub appraisal: MetaJson<'a>,
    /// The scoring scale.
    pub scale: ScaleJson<'a>,
    /// Criteria in file order.
    pub criteria: Vec<CriterionJson<'a>>,
    /// Options in file order, with their scores and notes.
    pub options: Vec<OptionJson<'a>>,
    /// Totals and ranks.
    pub results: ResultsJson<'a>,
    /// Every warning.
    pub warnings: Vec<Warning>,
    /// The sensitivity analysis, in the schema of `appraise sensitivity --format json`.
    pub sensitivity: crate::sensitivity::output::Document,
    /// The format version, where it is 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u8>,
    /// Criteria groups with effective weights, as `rank --format json`
    /// gives them (absent without groups).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<crate::detail::GroupDetail<'a>>,
    /// Options screened out, with why (absent without any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub long_list: Vec<crate::detail::ScreenedOut<'a>>,
}

/// Descriptive details.
#[derive(Debug, Serialize)]
pub struct MetaJson<'a> {
    /// Title.
    pub title: &'a str,
    /// Organisation, if given.
    pub organisation: Option<&'a str>,
    /// Date, as written.
    pub date: Option<&'a str>,
    /// Source document.
    pub source: Option<&'a str>,
    /// Description.
    pub description: Option<&'a str>,
}

/// The scale.
#[derive(Debug, Serialize)]
pub struct ScaleJson<'a> {
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Step between scores.
    pub step: f64,
    /// Anchor wording, by value.
    pub labels: Vec<LabelJson<'a>>,
}

/// One anchor on the scale.
#[derive(Debug, Serialize)]
pub struct LabelJson<'a> {
    /// The score.
    pub value: f64,
    /// Its wording.
    pub label: &'a str,
}

/// One criterion.
#[derive(Debug, Serialize)]
pub struct CriterionJson<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Weight as written.
    pub weight: f64,
    /// Share of the total weight, 0-1.
    pub share: f64,
    /// Description.
    pub description: Option<&'a str>,
    /// Version-2 details: group, effective weight, own scale, value
    /// function (absent for a version-1 file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_2: Option<crate::detail::CriterionDetail<'a>>,
}

/// One option.
#[derive(Debug, Serialize)]
pub struct OptionJson<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Group.
    pub group: Option<&'a str>,
    /// Description.
    pub description: Option<&'a str>,
    /// Strengths.
    pub strengths: &'a [String],
    /// Weaknesses.
    pub weaknesses: &'a [String],
    /// The total the source document states.
    pub published_total: Option<f64>,
    /// How many decimals the source printed it with (`3.8` has 1, `24`
    /// none): the precision it is compared at.
    pub published_decimals: Option<u32>,
    /// One entry per criterion, in criterion order.
    pub scores: Vec<ScoreJson<'a>>,
}

/// One cell of the score matrix.
#[derive(Debug, Serialize)]
pub struct ScoreJson<'a> {
    /// The criterion's id.
    pub criterion: &'a str,
    /// The score, or null if not yet given.
    pub score: Option<f64>,
    /// The evaluation note.
    pub note: Option<&'a str>,
    /// Evidence for and against the score, where any is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceJson<'a>>,
}

/// Points for (+) and against (–) a score.
#[derive(Debug, Serialize)]
pub struct EvidenceJson<'a> {
    /// Points in favour.
    #[serde(rename = "for")]
    pub for_: &'a [String],
    /// Points against.
    pub against: &'a [String],
}

/// Totals and ranks.
#[derive(Debug, Serialize)]
pub struct ResultsJson<'a> {
    /// Highest possible total.
    pub max_total: f64,
    /// Lowest possible total.
    pub min_total: f64,
    /// Options in rank order (ties in file order).
    pub ranking: Vec<RankJson<'a>>,
}

/// One option's result.
#[derive(Debug, Serialize)]
pub struct RankJson<'a> {
    /// The option's id.
    pub option: &'a str,
    /// Competition rank (ties share the better rank).
    pub rank: usize,
    /// Weighted total.
    pub total: f64,
    /// Position between the lowest and highest possible totals, 0-100.
    pub percent: f64,
    /// Whether every criterion is scored.
    pub complete: bool,
    /// The published total, when it differs from `total`.
    pub published_total_differs: Option<f64>,
    /// Version-2 details (reference, subtotals, baseline difference,
    /// derived scores), where used.
    #[serde(flatten)]
    pub detail: crate::detail::OptionDetail<'a>,
}

/// Builds the export document.
pub fn document<'a>(
    appraisal: &'a Appraisal,
    results: &Results,
    options: &ExportOptions,
) -> Result<ExportJson<'a>, ExportError> {
    // The analyses see the shortlist at effective weights, as `appraise
    // sensitivity` does.
    // Run on the appraisal as written, for its groups and costs; the
    // document describes the shortlist at effective weights.
    let analyses = super::sensitivity::analyse(appraisal, options)?;
    let sensitivity = super::sensitivity::json(appraisal, &analyses);
    let meta = &appraisal.meta;
    let total_weight = appraisal.total_weight();
    let effective = appraisal.effective_weights();
    let structure = crate::detail::structure(appraisal, results);
    let mut criteria_detail = structure.criteria.into_iter();
    let mismatches = reconcile(appraisal, results);
    let ranking = results
        .rank_order()
        .into_iter()
        .filter_map(|i| {
            let o = appraisal.options().get(i)?;
            let r = results.options.get(i)?;
            Some(RankJson {
                option: o.id().as_str(),
                rank: r.rank,
                total: r.total,
                percent: r.percent,
                complete: r.complete,
                published_total_differs: mismatches.iter().find(|m| m.0 == i).map(|m| m.1),
                detail: crate::detail::option(appraisal, results, i),
            })
        })
        .collect();
    Ok(ExportJson {
        schema: SCHEMA,
        appraisal: MetaJson {
            title: &meta.title,
            organisation: meta.organisation.as_deref(),
            date: meta.date.as_deref(),
            source: meta.source.as_deref(),
            description: meta.description.as_deref(),
        },
        scale: ScaleJson {
            min: appraisal.scale().min(),
            max: appraisal.scale().max(),
            step: appraisal.scale().step(),
            labels: appraisal
                .scale()
                .labels()
                .iter()
                .map(|(v, l)| LabelJson {
                    value: *v,
                    label: l,
                })
                .collect(),
        },
        criteria: appraisal
            .criteria()
            .iter()
            .zip(&effective)
            .map(|(c, e)| CriterionJson {
                id: c.id().as_str(),
                name: c.name(),
                weight: c.weight(),
                // At the effective weight: the weight as written without groups.
                share: e / total_weight,
                description: c.description.as_deref(),
                version_2: criteria_detail.next(),
            })
            .collect(),
        options: appraisal
            .options()
            .iter()
            .map(|o| OptionJson {
                id: o.id().as_str(),
                name: o.name(),
                group: o.group.as_deref(),
                description: o.description.as_deref(),
                strengths: &o.strengths,
                weaknesses: &o.weaknesses,
                published_total: o.published_total(),
                published_decimals: o.published().map(|p| p.decimals()),
                scores: appraisal
                    .criteria()
                    .iter()
                    .enumerate()
                    .map(|(c, crit)| ScoreJson {
                        criterion: crit.id().as_str(),
                        score: o.score(c),
                        note: o.note(c),
                        evidence: o.evidence().get(c).filter(|e| !e.is_empty()).map(|e| {
                            EvidenceJson {
                                for_: &e.for_,
                                against: &e.against,
                            }
                        }),
                    })
                    .collect(),
            })
            .collect(),
        results: ResultsJson {
            max_total: results.max_total,
            min_total: results.min_total,
            ranking,
        },
        warnings: warnings(appraisal, results),
        sensitivity,
        version: structure.version,
        groups: structure.groups,
        long_list: structure.long_list,
    })
}

/// Writes the export document as pretty-printed JSON.
pub fn write(
    appraisal: &Appraisal,
    results: &Results,
    options: &ExportOptions,
    out: &mut impl Write,
) -> Result<(), ExportError> {
    let doc = document(appraisal, results, options)?;
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}
