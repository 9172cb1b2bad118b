//! Rules for text people type: NFC, no control characters, limits, and name masking (홍*동); pure.

use unicode_normalization::UnicodeNormalization;

use super::error::{DomainError, Field};

/// NFC-normalises `input`, turns tabs and (for one-line fields) newlines into spaces, drops every
/// other control character — escape sequences must never reach a terminal — and trims it.
pub fn clean(input: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.nfc() {
        match c {
            '\n' if multiline => out.push('\n'),
            '\r' => {}
            '\t' | '\n' => out.push(' '),
            c if c.is_control() => {}
            // Bidirectional overrides can make text display differently from what it says.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Text as typed, made safe to print inside a one-line message: NFC, with control characters
/// (escape sequences, newlines) and direction overrides shown as escapes instead of acting.
pub fn shown(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.nfc() {
        if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A required text: cleaned, not empty, at most `max` characters.
pub fn required(
    input: &str,
    field: Field,
    max: usize,
    multiline: bool,
) -> Result<String, DomainError> {
    let text = clean(input, multiline);
    if text.is_empty() {
        return Err(DomainError::Empty { field });
    }
    if text.chars().count() > max {
        return Err(DomainError::TooLong { field, max });
    }
    Ok(text)
}

/// An optional text: cleaned; empty becomes `None`; at most `max` characters.
pub fn optional(
    input: Option<&str>,
    field: Field,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match input.map(|t| clean(t, false)) {
        None => Ok(None),
        Some(t) if t.is_empty() => Ok(None),
        Some(t) if t.chars().count() > max => Err(DomainError::TooLong { field, max }),
        Some(t) => Ok(Some(t)),
    }
}

/// Masks a person's name for lists and projected screens: 홍길동 → 홍*동, 김철 → 김*,
/// 남궁민수 → 남**수; each word of a Latin name the same way (John Smith → J**n S***h).
pub fn mask_name(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let chars: Vec<char> = word.chars().collect();
            match chars.len() {
                0 => String::new(),
                1 => "*".to_string(),
                2 => format!("{}*", chars[0]),
                n => {
                    let mut out = String::new();
                    out.push(chars[0]);
                    out.extend(std::iter::repeat_n('*', n - 2));
                    out.push(chars[n - 1]);
                    out
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_in_the_middle() {
        assert_eq!(mask_name("홍길동"), "홍*동");
        assert_eq!(mask_name("김철"), "김*");
        assert_eq!(mask_name("남궁민수"), "남**수");
        assert_eq!(mask_name("이"), "*");
        assert_eq!(mask_name("John Smith"), "J**n S***h");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn shown_text_cannot_act_on_the_terminal() {
        assert_eq!(shown("a\x1b[2J\nb"), "a\\u{1b}[2J\\nb");
        assert_eq!(shown("홍길동"), "홍길동");
    }

    #[test]
    fn text_is_normalised_and_stripped_of_controls() {
        let decomposed: String = "홍길동".nfd().collect();
        assert_ne!(decomposed, "홍길동");
        assert_eq!(clean(&decomposed, false), "홍길동");
        assert_eq!(clean("  a\x1b[2Jb\tc\nd  ", false), "a[2Jb c d");
        assert_eq!(clean("line1\r\nline2", true), "line1\nline2");
    }
}
