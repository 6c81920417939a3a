//! Ids, one-line names and free text: the rules every piece of text in an
//! appraisal keeps.

use std::fmt;

use super::error::{MAX_ID_LEN, ModelError};
use crate::numbers::shorten;

/// A validated identifier: lowercase ASCII letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    /// Checks `s` against the id rules and wraps it.
    pub fn new(s: &str) -> Result<Id, ModelError> {
        let ok = !s.is_empty()
            && s.len() <= MAX_ID_LEN
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Id(s.to_owned()))
        } else {
            Err(ModelError::InvalidId(shorten(s)))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id-shaped form of any text: lowercase ASCII letters and digits, with
/// every run of anything else turned into one `-` ("Shared Service (2)" ->
/// "shared-service-2"); empty when the text holds no ASCII letter or digit.
///
/// Ids suggested in messages, ids made from names on the scoring screen and
/// the member part of a scoresheet's file name all come from here.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Lowercase first, as Unicode does it: the Kelvin sign becomes `k`.
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Checks a one-line name: not blank, free of control characters, of
/// Unicode line and paragraph separators and of bidi embeddings, overrides
/// and isolates.
pub fn check_name(name: &str) -> Result<(), ModelError> {
    if name.trim().is_empty() {
        return Err(ModelError::BlankName);
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(ModelError::ControlCharacter(c as u32));
    }
    // Invisible in most editors, yet a line break in Word, browsers and JSON readers.
    if let Some(c) = name.chars().find(|c| matches!(c, '\u{2028}' | '\u{2029}')) {
        return Err(ModelError::LineSeparator(c as u32));
    }
    // The "Trojan source" characters: a name is compared, sorted and shown
    // beside others, and must read as what it holds.
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    {
        return Err(ModelError::BidiControl(c as u32));
    }
    Ok(())
}

/// Checks free text (descriptions, notes): newlines and tabs are fine, other
/// control characters are not, since they can rewrite a terminal or break an export.
pub fn check_text(text: &str) -> Result<(), ModelError> {
    // Most text is printable ASCII; checking bytes first keeps large files fast.
    // Whole chunks without an early exit, so the compiler checks 32 bytes at once.
    let plain = |b: u8| (0x20..0x7f).contains(&b) || b == b'\n';
    if text
        .as_bytes()
        .chunks(32)
        .all(|chunk| chunk.iter().fold(true, |all, &b| all & plain(b)))
    {
        return Ok(());
    }
    match text
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        Some(c) => Err(ModelError::ControlCharacter(c as u32)),
        None => Ok(()),
    }
}

/// The rule for a note on a score: free text ([`check_text`]), where blank
/// text is no note. Every reader of notes (the appraisal file, large files,
/// scoresheets) applies this.
pub fn check_note(text: &str) -> Result<Option<&str>, ModelError> {
    check_text(text)?;
    Ok((!text.trim().is_empty()).then_some(text))
}
