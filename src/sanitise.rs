//! The one sanitiser every piece of text passes through on its way to a
//! terminal: table cells, diagnostics, file names, summaries.
//!
//! Text from files is untrusted. The model refuses control characters in
//! names and notes, but file names, scoresheet fields quoted in messages and
//! text that older checks let through still reach the terminal; an escape
//! sequence there can clear the screen or retitle the window, and a bidi
//! override can make a line read differently from what it holds. So every
//! writer of terminal text ([`sanitise`]) shows such characters as visible
//! escapes instead. This module depends on nothing else in the crate, so
//! anything that prints (diagnostics, the commands, the scoring screen) can
//! use it without reaching into the report writers.

use std::borrow::Cow;
use std::fmt;

/// Whether a character would act on a terminal, or change how the rest of a
/// line reads, instead of showing as itself: control characters (C0, DEL and
/// C1), the bidi embeddings, overrides and isolates (U+202A to U+202E and
/// U+2066 to U+2069, the "Trojan source" characters), and the line and
/// paragraph separators, which some terminals take as line breaks.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// Text made safe for a terminal: every [`is_unsafe`] character apart from
/// the line break is shown as a Rust-style escape (`\u{1b}`, `\u{202e}`), so
/// the reader sees that it is there and what it is. Plain text comes back
/// as it was, without copying.
pub fn sanitise(s: &str) -> Cow<'_, str> {
    sanitise_keeping(s, true)
}

/// [`sanitise`] for text that must stay on one line (a file name, a table
/// cell's line): line breaks are escaped too.
pub fn sanitise_line(s: &str) -> Cow<'_, str> {
    sanitise_keeping(s, false)
}

fn sanitise_keeping(s: &str, newlines: bool) -> Cow<'_, str> {
    let safe = |c: char| (newlines && c == '\n') || !is_unsafe(c);
    // Printable ASCII needs no look at characters; most text is that.
    let ascii_safe = |b: u8| (0x20..0x7f).contains(&b) || (newlines && b == b'\n');
    if s.bytes().all(ascii_safe) || s.chars().all(safe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if safe(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// Displays text through [`sanitise_line`]: for file names and other
/// one-line values in messages, as in `eprintln!("wrote {}", shown(path))`.
pub struct Shown<'a>(Cow<'a, str>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&sanitise_line(&self.0))
    }
}

/// A path or text, ready to show on a terminal (see [`Shown`]).
pub fn shown(path: &(impl AsRef<std::ffi::OsStr> + ?Sized)) -> Shown<'_> {
    Shown(path.as_ref().to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_not_copied() {
        assert!(matches!(sanitise("Shared Service 26/40"), Cow::Borrowed(_)));
        assert!(matches!(sanitise("Café – naïve\nline"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_and_bidi_controls_become_visible() {
        assert_eq!(sanitise("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(sanitise("x\u{7}\u{9b}y"), "x\\u{7}\\u{9b}y");
        assert_eq!(
            sanitise("abc\u{202e}fed\u{2066}x\u{2069}"),
            "abc\\u{202e}fed\\u{2066}x\\u{2069}"
        );
        assert_eq!(sanitise("a\r\nb\tc"), "a\\u{d}\nb\\u{9}c");
        assert_eq!(sanitise_line("a\nb\u{2028}c"), "a\\u{a}b\\u{2028}c");
    }

    #[test]
    fn nothing_unsafe_survives() {
        for c in ('\0'..='\u{3000}').filter(|&c| is_unsafe(c)) {
            let s = format!("x{c}y");
            assert!(!sanitise_line(&s).chars().any(is_unsafe), "{c:?}");
        }
        assert_eq!(
            shown(std::path::Path::new("e\u{1b}[2Jvil.toml")).to_string(),
            "e\\u{1b}[2Jvil.toml"
        );
    }
}
