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
