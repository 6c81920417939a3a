//! Escaping shared by the writers. Appraisal text is untrusted: every writer
//! passes it through one of these before it reaches a file.

/// Escapes text for XML and HTML content and attribute values.
///
/// Control characters other than tab and newline cannot appear in XML 1.0 at
/// all, so they are dropped rather than escaped (the model already refuses
/// most of them; this is the last line of defence).
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml(&mut out, s);
    out
}

/// [`xml`], appended to `out`.
pub fn push_xml(out: &mut String, s: &str) {
    // Most text needs no escaping; copying it whole keeps large exports fast.
    let plain =
        |b: u8| (0x20..0x7f).contains(&b) && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if s.bytes().all(plain) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            '\r' => {}
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Whether XML 1.0 allows the character in a document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether text would be read as a formula by a spreadsheet.
pub fn is_formula_like(s: &str) -> bool {
    s.starts_with(FORMULA_TRIGGERS)
}

/// Neutralises text that a spreadsheet would read as a formula by putting an
/// apostrophe in front of it, as OWASP recommends for CSV. Numbers are never
/// passed through here: only text cells are.
pub fn neutralise_formula(s: &str) -> String {
    if is_formula_like(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Escapes text for a Markdown table cell or heading: Markdown and HTML
/// specials are backslash-escaped or written as entities so that nothing in
/// the text becomes markup, and newlines become `<br>`, which GitHub and
/// pandoc both accept inside pipe tables.
pub fn markdown(s: &str) -> String {
    // Most cells need no escaping; copying them whole keeps large exports fast.
    let plain = |b: u8| {
        (0x20..0x7f).contains(&b)
            && !matches!(
                b,
                b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'|' | b'~' | b'$' | b'<' | b'>' | b'&'
            )
    };
    if s.bytes().all(plain) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let s = s.replace("\r\n", "\n");
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '\t' => out.push(' '),
            // Nothing a Markdown reader would turn into HTML may hold a
            // character XML forbids.
            c if c.is_control() || !is_xml_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes a Markdown heading's text: as [`markdown`], with `#` escaped too
/// so a trailing `#` is not taken for a closing sequence.
pub fn markdown_heading(s: &str) -> String {
    markdown(s).replace('#', "\\#")
}

/// Escapes a Markdown paragraph: as [`markdown`], but newlines stay line
/// breaks, and a line that would start a list, quote or heading is escaped.
pub fn markdown_paragraph(s: &str) -> String {
    s.replace("\r\n", "\n")
        .split('\n')
        .map(|line| {
            let esc = markdown(line);
            let trimmed = esc.trim_start();
            if trimmed.starts_with(['-', '+', '=', '#']) {
                return format!("\\{trimmed}");
            }
            // "1. text" would start a numbered list: escape its dot.
            let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
            match trimmed[digits..].chars().next() {
                Some(p @ ('.' | ')')) if digits > 0 => {
                    format!("{}\\{p}{}", &trimmed[..digits], &trimmed[digits + 1..])
                }
                _ => trimmed.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("  \n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(xml("a\u{1}b\u{FFFE}c"), "abc");
        assert_eq!(xml("🙂"), "🙂");
    }

    #[test]
    fn push_xml_appends_plain_text_whole_and_escapes_the_rest() {
        let mut out = String::from("<w:t>");
        push_xml(&mut out, "Evidence from the review.");
        push_xml(&mut out, " A&B\r\n\u{1}");
        assert_eq!(out, "<w:t>Evidence from the review. A&amp;B\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(neutralise_formula(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(neutralise_formula("Plain"), "Plain");
        assert_eq!(neutralise_formula(""), "");
    }

    #[test]
    fn markdown_cells_stay_in_their_cell() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("two\nlines"), "two<br>lines");
        assert_eq!(markdown("<script>"), "&lt;script&gt;");
        assert_eq!(markdown("*bold* [x](y)"), "\\*bold\\* \\[x\\](y)");
        assert_eq!(markdown_paragraph("- item\n1. one"), "\\- item  \n1\\. one");
    }
}
