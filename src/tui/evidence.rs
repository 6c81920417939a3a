//! Points for (+) and against (−) a score as the evidence box holds them:
//! one point a line, each starting with its sign. The one rule for reading
//! the box back, so that the box, its hints and its tests agree.

use crate::model::Evidence;

/// The sign of a point for.
pub const FOR: char = '+';
/// The sign of a point against, as the details pane shows it.
pub const AGAINST: char = '−';

/// Whether `ch` starts a point against: the minus sign, a hyphen or a dash
/// (what a keyboard or a pasted Word list gives).
fn is_against(ch: char) -> bool {
    matches!(ch, '−' | '-' | '–' | '—')
}

/// The box's text for `e`: the points for, then those against, one a line.
/// With none, one empty point for, so the box shows how a line starts.
pub fn to_text(e: &Evidence) -> String {
    let lines: Vec<String> = e
        .for_
        .iter()
        .map(|s| format!("{FOR} {s}"))
        .chain(e.against.iter().map(|s| format!("{AGAINST} {s}")))
        .collect();
    if lines.is_empty() {
        format!("{FOR} ")
    } else {
        lines.join("\n")
    }
}

/// Reads the box's text back: each line starting with `+` is a point for,
/// with `−` or `-` a point against; blank lines and a sign with nothing
/// after it are dropped. A line with no sign is refused, with its number
/// (from 1), so that nothing typed is silently taken the wrong way.
pub fn parse(text: &str) -> Result<Evidence, usize> {
    let mut e = Evidence::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let mut chars = line.chars();
        let Some(first) = chars.next() else {
            continue;
        };
        let point = chars.as_str().trim().to_owned();
        if first == FOR {
            if !point.is_empty() {
                e.for_.push(point);
            }
        } else if is_against(first) {
            if !point.is_empty() {
                e.against.push(point);
            }
        } else {
            return Err(i + 1);
        }
    }
    Ok(e)
}

/// The sign a new line after `line` starts with: the same as `line`'s, so
/// that a list of points against goes on against.
pub fn sign_after(line: &str) -> char {
    match line.trim_start().chars().next() {
        Some(ch) if is_against(ch) => AGAINST,
        _ => FOR,
    }
}

/// `line` with its sign switched (for ↔ against); a line without a sign
/// gains `+ `. Returns the new line and how far the cursor moves.
pub fn flip(line: &str) -> (String, isize) {
    let lead = line.len() - line.trim_start().len();
    let (indent, rest) = line.split_at(lead);
    let mut chars = rest.chars();
    match chars.next() {
        Some(FOR) => (format!("{indent}{AGAINST}{}", chars.as_str()), 0),
        Some(ch) if is_against(ch) => (format!("{indent}{FOR}{}", chars.as_str()), 0),
        _ => (format!("{indent}{FOR} {rest}"), 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_points_round_trip() {
        let e = Evidence {
            for_: vec!["Existing depot".into(), "Local staff".into()],
            against: vec!["Ageing vehicles".into()],
        };
        let text = to_text(&e);
        assert_eq!(text, "+ Existing depot\n+ Local staff\n− Ageing vehicles");
        assert_eq!(parse(&text), Ok(e));
    }

    #[test]
    fn hyphens_dashes_and_blank_lines_are_read_as_people_type_them() {
        let e = parse("- a\n\n – b \n+   c  \n+\n—d").unwrap();
        assert_eq!(e.for_, vec!["c"]);
        assert_eq!(e.against, vec!["a", "b", "d"]);
        assert_eq!(
            parse(&to_text(&Evidence::default())),
            Ok(Evidence::default())
        );
    }

    #[test]
    fn a_line_without_a_sign_is_refused_by_number() {
        assert_eq!(parse("+ fine\nno sign here"), Err(2));
    }

    #[test]
    fn flipping_switches_the_sign_and_new_lines_follow_it() {
        assert_eq!(flip("+ a"), ("− a".to_owned(), 0));
        assert_eq!(flip("  - a"), ("  + a".to_owned(), 0));
        assert_eq!(flip("a"), ("+ a".to_owned(), 2));
        assert_eq!(sign_after("− a"), AGAINST);
        assert_eq!(sign_after("+ a"), FOR);
        assert_eq!(sign_after(""), FOR);
    }
}
