//! Where a command's result goes: text and pretty JSON written to the output.

use std::io::Write;

use super::error::CliError;

/// Where a command writes its result.
pub(super) type Out<'a> = &'a mut dyn Write;

/// Writes `text` as it is.
pub(super) fn put(out: Out, text: &str) -> Result<(), CliError> {
    out.write_all(text.as_bytes())
        .map_err(|e| CliError::Output(e.to_string()))
}

/// Writes `value` as pretty JSON and a newline.
pub(super) fn put_json(out: Out, value: &serde_json::Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Output(e.to_string()))?;
    put(out, &format!("{text}\n"))
}

/// How wide a table may be: `None` (every cell whole) with `--wide` or when the output is not a
/// terminal and `COLUMNS` is not set; else `COLUMNS`, or the terminal's width.
pub(super) fn table_width(wide: bool) -> Option<usize> {
    if wide {
        return None;
    }
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(columns);
    }
    let stdout = std::io::stdout();
    if !std::io::IsTerminal::is_terminal(&stdout) {
        return None;
    }
    rustix::termios::tcgetwinsize(&stdout)
        .ok()
        .map(|size| usize::from(size.ws_col))
        .filter(|c| *c > 0)
}

/// What an empty list says instead of a bare header.
pub(super) fn nothing(what_ko: &str, what_en: &str, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Ko => format!("{what_ko}\n"),
        crate::i18n::Lang::En => format!("{what_en}\n"),
    }
}
