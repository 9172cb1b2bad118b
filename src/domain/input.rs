//! Rules for text people type — NFC, no control characters, length limits — and typed text made
//! safe to quote in a one-line message; pure.

use unicode_normalization::UnicodeNormalization;

use super::error::{DomainError, Field};

/// NFC-normalises `input`, turns tabs and (for one-line fields) newlines into spaces, drops every
/// other control character — escape sequences must never reach a terminal — and trims it.
pub fn clean(input: &str, multiline: bool) -> String {
    let mut out = String::with_capacity(input.len());
    // Most text is already NFC (and replaying a journal re-cleans text cleaned once): the quick
    // check saves normalising it again.
    let already = unicode_normalization::is_nfc_quick(input.chars())
        == unicode_normalization::IsNormalized::Yes;
    let chars: Box<dyn Iterator<Item = char>> = if already {
        Box::new(input.chars())
    } else {
        Box::new(input.nfc())
    };
    for c in chars {
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

/// The longest quoted value an error line shows whole.
const MAX_QUOTED: usize = 40;
/// How much of a longer one it shows.
const QUOTED_PREFIX: usize = 32;

/// An error line with every quoted value (`'…'`) longer than a few dozen characters cut to a
/// short prefix and a count of the rest: `'AAAA…(128,000 more characters)'`. A line quotes
/// back what was typed, and a script can type a lot.
pub fn shorten_quotes(line: &str, lang: crate::i18n::Lang) -> String {
    let mut out = String::with_capacity(line.len().min(4096));
    let mut rest = line;
    while let Some((before, after)) = rest.split_once('\'') {
        out.push_str(before);
        out.push('\'');
        let (quoted, closed, tail) = match after.split_once('\'') {
            Some((quoted, tail)) => (quoted, true, tail),
            None => (after, false, ""),
        };
        let count = quoted.chars().count();
        if count > MAX_QUOTED {
            out.extend(quoted.chars().take(QUOTED_PREFIX));
            let more = thousands((count - QUOTED_PREFIX) as u64);
            out.push_str(&match lang {
                crate::i18n::Lang::Ko => format!("…({more}자 더)"),
                crate::i18n::Lang::En => format!("…({more} more characters)"),
            });
        } else {
            out.push_str(quoted);
        }
        if closed {
            out.push('\'');
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
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

#[cfg(test)]
mod tests {
    use super::*;

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
