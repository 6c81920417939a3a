//! What an appraise workbook carries beyond its visible sheets
//! ([`crate::carried`]), put back into a draft: each value is written into
//! the file as the source file wrote it, where the visible sheets still
//! agree with it.

use super::OptionExtra;
use crate::import::DraftOption;

/// A number in an inline table's text, by key.
fn number_in(table: &toml_edit::InlineTable, key: &str) -> Option<f64> {
    match table.get(key)? {
        toml_edit::Value::Integer(i) => Some(*i.value() as f64),
        toml_edit::Value::Float(f) => Some(*f.value()),
        _ => None,
    }
}

fn inline(text: &str) -> Option<toml_edit::InlineTable> {
    text.parse::<toml_edit::Value>()
        .ok()?
        .as_inline_table()
        .cloned()
}

/// The (min, max, step) of a scale written as an inline table.
pub(in crate::import) fn scale_of(text: &str) -> Option<(f64, f64, f64)> {
    let t = inline(text)?;
    Some((
        number_in(&t, "min")?,
        number_in(&t, "max")?,
        number_in(&t, "step").unwrap_or(1.0),
    ))
}

/// The point estimate of a range written as an inline table: its likely
/// value, or the midpoint of low and high (the model's rule).
fn range_point(text: &str) -> Option<f64> {
    let t = inline(text)?;
    let range = crate::model::value_fn::RawRange {
        low: number_in(&t, "low")?,
        likely: number_in(&t, "likely"),
        high: number_in(&t, "high")?,
    };
    Some(range.point())
}

/// Puts an option's carried published figures and ranges into `x`, and
/// the scores and raw values of an option screened out (which the Matrix
/// does not show) into `o` and `x`. A range comes back only where the
/// Matrix still shows its point estimate (a raw value changed in the
/// workbook is taken as shown).
pub(super) fn apply_to_option(
    carried: &[(String, String)],
    criteria: &[String],
    o: &mut DraftOption,
    x: &mut OptionExtra,
) {
    let off_matrix = o.scores.iter().all(Option::is_none) && x.measures.iter().all(Option::is_none);
    // Ranges first: they replace the raw values they stand for.
    let mut carried: Vec<&(String, String)> = carried.iter().collect();
    carried.sort_by_key(|(k, _)| k != "measures");
    for (key, value) in carried {
        match key.as_str() {
            "scores" | "measures" if off_matrix => {
                let Some(t) = inline(value) else { continue };
                for (id, v) in t.iter() {
                    let Some(j) = criteria.iter().position(|c| c == id) else {
                        continue;
                    };
                    let figure = match v {
                        toml_edit::Value::Integer(i) => Some(*i.value() as f64),
                        toml_edit::Value::Float(f) => Some(*f.value()),
                        _ => None,
                    };
                    let slots = if key == "scores" {
                        &mut o.scores
                    } else {
                        &mut x.measures
                    };
                    if let Some(slot) = slots.get_mut(j) {
                        *slot = figure;
                    }
                }
            }
            "ranges" if off_matrix => {
                let Some(t) = inline(value) else { continue };
                x.ranges = vec![None; criteria.len()];
                for (id, range) in t.iter() {
                    let text = range.to_string().trim().to_string();
                    if let (Some(j), Some(point)) =
                        (criteria.iter().position(|c| c == id), range_point(&text))
                    {
                        x.ranges[j] = Some(text);
                        if let Some(slot) = x.measures.get_mut(j) {
                            *slot = Some(point);
                        }
                    }
                }
            }
            "published_rank" | "published_percent" | "published_subtotals" => {
                x.published.push((key.clone(), value.clone()));
            }
            "ranges" => {
                let Some(t) = inline(value) else { continue };
                x.ranges = vec![None; criteria.len()];
                for (id, range) in t.iter() {
                    let text = range.to_string().trim().to_string();
                    let Some(j) = criteria.iter().position(|c| c == id) else {
                        continue;
                    };
                    if range_point(&text).is_some()
                        && x.measures.get(j).copied().flatten() == range_point(&text)
                    {
                        x.ranges[j] = Some(text);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_comes_back_only_where_the_matrix_shows_its_point() {
        let mut x = OptionExtra {
            measures: vec![Some(2.5), Some(7.0)],
            ..OptionExtra::default()
        };
        let carried = vec![
            (
                "ranges".to_string(),
                "{ a = { low = 2, high = 3 }, b = { low = 1, likely = 2, high = 4 } }".to_string(),
            ),
            ("published_rank".to_string(), "2".to_string()),
        ];
        let mut o = DraftOption {
            scores: vec![Some(1.0), None],
            ..DraftOption::named("X".into(), 2)
        };
        apply_to_option(&carried, &["a".into(), "b".into()], &mut o, &mut x);
        assert_eq!(
            x.ranges,
            vec![Some("{ low = 2, high = 3 }".to_string()), None]
        );
        assert_eq!(x.published, vec![("published_rank".into(), "2".into())]);
        assert_eq!(
            scale_of("{ min = 0, max = 1, step = 0.5 }"),
            Some((0.0, 1.0, 0.5))
        );
        assert_eq!(scale_of("{ min = 1, max = 5 }"), Some((1.0, 5.0, 1.0)));
        assert_eq!(scale_of("\"x\""), None);
    }
}
