//! The office's own closing days (개청기념일, office-wide leave days), read from
//! `closing-days.toml` in the user's configuration directory beside `keymap.toml`, with exact
//! file:line errors; no store, app or terminal — only reading the file at the path it is given.
//! What it reads becomes a [`Calendar`] value that the rules below get handed.
//!
//! ```toml
//! [[closed]]
//! date = 2026-03-02          # or "2026-03-02"
//! name = "개청기념일"
//! name_en = "Office anniversary"   # optional
//! ```

use std::io::Read;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use toml::de::{DeTable, DeValue};

use crate::domain::holidays::{Calendar, OfficeDay};
use crate::i18n::{Lang, Localize};

/// The file's name in the configuration directory.
pub const FILE_NAME: &str = "closing-days.toml";

/// The largest file read (a few hundred days take a few kilobytes).
pub const MAX_BYTES: u64 = 64 * 1024;

/// The most days one file may list.
pub const MAX_DAYS: usize = 1000;

/// The longest name, in characters.
pub const MAX_NAME: usize = 40;

/// The years a closing day may fall in (a typo like 2206 is caught, not counted).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2199;

/// Why the closing-days file cannot be used: where (file, 1-based line, 0 when not on one line)
/// and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub struct ClosingDaysError {
    /// The file, as given.
    pub file: String,
    /// The 1-based line, or 0.
    pub line: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// Why a name cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Nothing but spaces or control characters.
    Empty,
    /// Longer than [`MAX_NAME`] characters.
    TooLong,
    /// A number, a date or a table, not a quoted text.
    NotText,
}

/// What is wrong with the closing-days file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It could not be read (the system's reason).
    Unreadable(String),
    /// It is a directory, a device or a pipe, not a regular file.
    NotAFile,
    /// It is larger than [`MAX_BYTES`].
    TooLarge,
    /// It is not UTF-8 text.
    NotUtf8,
    /// It is not valid TOML (the parser's reason).
    NotToml(String),
    /// A key casedesk does not know (at the top, or in a `[[closed]]` entry).
    UnknownKey(String),
    /// `closed` is not a list of `[[closed]]` entries.
    NotAList,
    /// An entry lacks `date` or `name`.
    Missing(&'static str),
    /// The date is not a date (what was written).
    BadDate(String),
    /// The date lies outside [`YEARS`].
    OutOfRange(NaiveDate),
    /// The name (or English name) is not usable.
    BadName(NameProblem),
    /// The same date is listed twice.
    Repeated {
        /// The date.
        date: NaiveDate,
        /// The line it was first listed on.
        first: usize,
    },
    /// More than [`MAX_DAYS`] days.
    TooMany,
}

impl Localize for ClosingDaysError {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        let reason = match &self.problem {
            Problem::Unreadable(why) => {
                if ko {
                    format!("읽을 수 없습니다 ({why}): 권한을 확인하세요")
                } else {
                    format!("cannot be read ({why}): check its permissions")
                }
            }
            Problem::NotAFile => lang
                .pick(
                    "일반 파일이 아닙니다: 디렉터리나 장치가 아닌 TOML 파일이어야 합니다",
                    "is not a regular file: it must be a TOML file, not a directory or device",
                )
                .to_string(),
            Problem::TooLarge => {
                if ko {
                    format!("{}KiB보다 큽니다: 휴무일만 적으세요", MAX_BYTES / 1024)
                } else {
                    format!(
                        "is larger than {} KiB: list only the closing days",
                        MAX_BYTES / 1024
                    )
                }
            }
            Problem::NotUtf8 => lang
                .pick(
                    "UTF-8 텍스트가 아닙니다: UTF-8로 저장하세요",
                    "is not UTF-8 text: save it as UTF-8",
                )
                .to_string(),
            Problem::NotToml(why) => {
                if ko {
                    format!("TOML 형식이 아닙니다: {why}")
                } else {
                    format!("not valid TOML: {why}")
                }
            }
            Problem::UnknownKey(key) => {
                if ko {
                    format!("모르는 항목 '{key}': [[closed]] 아래에 date, name, name_en만 쓰세요")
                } else {
                    format!(
                        "unknown key '{key}': write [[closed]] entries with date, name and name_en"
                    )
                }
            }
            Problem::NotAList => lang
                .pick(
                    "'closed'는 [[closed]] 항목들이어야 합니다",
                    "'closed' must be [[closed]] entries",
                )
                .to_string(),
            Problem::Missing(key) => {
                if ko {
                    format!("{key}가 없습니다: 항목마다 date와 name을 쓰세요")
                } else {
                    format!("no {key}: every entry needs a date and a name")
                }
            }
            Problem::BadDate(written) => {
                if ko {
                    format!("'{written}'은(는) 날짜가 아닙니다: date = 2026-03-02처럼 쓰세요")
                } else {
                    format!("'{written}' is not a date: write date = 2026-03-02")
                }
            }
            Problem::OutOfRange(date) => {
                let (first, last) = (YEARS.start(), YEARS.end());
                if ko {
                    format!("{date}: {first}~{last}년의 날짜만 쓸 수 있습니다")
                } else {
                    format!("{date}: only dates from {first} to {last} are taken")
                }
            }
            Problem::BadName(why) => {
                let why = match why {
                    NameProblem::Empty => lang.pick("비어 있습니다", "empty"),
                    NameProblem::TooLong => lang.pick("너무 깁니다", "too long"),
                    NameProblem::NotText => lang.pick("글이 아닙니다", "not text"),
                };
                if ko {
                    format!(
                        "이름이 {why}: \"개청기념일\"처럼 따옴표 안에 {MAX_NAME}자 이내로 쓰세요"
                    )
                } else {
                    format!(
                        "the name is {why}: write it in quotes, at most {MAX_NAME} characters, like \"Office anniversary\""
                    )
                }
            }
            Problem::Repeated { date, first } => {
                if ko {
                    format!("{date}이(가) {first}번째 줄에 이미 있습니다: 한 번만 쓰세요")
                } else {
                    format!("{date} is already listed on line {first}: list it once")
                }
            }
            Problem::TooMany => {
                if ko {
                    format!("휴무일이 {MAX_DAYS}일보다 많습니다: 지난 해의 날은 지우세요")
                } else {
                    format!("more than {MAX_DAYS} closing days: remove past years' days")
                }
            }
        };
        let reason = crate::domain::input::shown(&reason);
        format!("{}:{}: {reason}", self.file, self.line)
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text
        .as_bytes()
        .iter()
        .take(end)
        .filter(|b| **b == b'\n')
        .count()
}

/// Reads the closing-days file at `path` into a calendar with the public holidays: no file
/// means no office days. A file that is there must be a regular file of at most
/// [`MAX_BYTES`] that reads whole, or nothing is taken from it.
pub fn load(path: &Path) -> Result<Calendar, ClosingDaysError> {
    let file = path.display().to_string();
    let error = |line: usize, problem: Problem| ClosingDaysError {
        file: file.clone(),
        line,
        problem,
    };
    // Checked before opening: opening a pipe would wait for a writer.
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Calendar::national()),
        Err(e) => return Err(error(0, Problem::Unreadable(e.to_string()))),
    };
    if !meta.is_file() {
        return Err(error(0, Problem::NotAFile));
    }
    if meta.len() > MAX_BYTES {
        return Err(error(0, Problem::TooLarge));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| error(0, Problem::Unreadable(e.to_string())))?;
    // It may have grown since it was measured.
    if bytes.len() as u64 > MAX_BYTES {
        return Err(error(0, Problem::TooLarge));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e
            .as_bytes()
            .iter()
            .take(valid)
            .filter(|b| **b == b'\n')
            .count();
        error(line, Problem::NotUtf8)
    })?;
    let name = path
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    let days = parse(&name, &text).map_err(|e| ClosingDaysError {
        file: file.clone(),
        ..e
    })?;
    Ok(Calendar::with_office_days(days))
}

/// Reads the text of a closing-days file; `origin` names it in errors and in each day's
/// `origin` (`closing-days.toml:4`).
pub fn parse(origin: &str, text: &str) -> Result<Vec<OfficeDay>, ClosingDaysError> {
    let error = |offset: usize, problem: Problem| ClosingDaysError {
        file: origin.to_string(),
        line: line_of(text, offset),
        problem,
    };
    let document = DeTable::parse(text).map_err(|e| {
        let message = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        ClosingDaysError {
            file: origin.to_string(),
            line: e.span().map_or(0, |s| line_of(text, s.start)),
            problem: Problem::NotToml(message),
        }
    })?;
    let mut days: Vec<(OfficeDay, usize)> = Vec::new();
    for (key, value) in by_position(document.get_ref()) {
        if key.get_ref().as_ref() != "closed" {
            return Err(error(
                key.span().start,
                Problem::UnknownKey(key.get_ref().to_string()),
            ));
        }
        let DeValue::Array(entries) = value.get_ref() else {
            return Err(error(key.span().start, Problem::NotAList));
        };
        for entry in entries.iter() {
            let DeValue::Table(table) = entry.get_ref() else {
                return Err(error(entry.span().start, Problem::NotAList));
            };
            let mut date: Option<(NaiveDate, usize)> = None;
            let mut name: Option<String> = None;
            let mut name_en: Option<String> = None;
            for (field, value) in by_position(table) {
                let at = field.span().start;
                let text_value = |value: &DeValue<'_>| match value {
                    DeValue::String(s) => {
                        let cleaned = crate::domain::input::clean(s, false);
                        if cleaned.is_empty() {
                            Err(error(at, Problem::BadName(NameProblem::Empty)))
                        } else if cleaned.chars().count() > MAX_NAME {
                            Err(error(at, Problem::BadName(NameProblem::TooLong)))
                        } else {
                            Ok(cleaned)
                        }
                    }
                    _ => Err(error(at, Problem::BadName(NameProblem::NotText))),
                };
                match field.get_ref().as_ref() {
                    "date" => {
                        date = Some((
                            read_date(value.get_ref()).map_err(|p| error(at, p))?,
                            line_of(text, at),
                        ))
                    }
                    "name" => name = Some(text_value(value.get_ref())?),
                    "name_en" => name_en = Some(text_value(value.get_ref())?),
                    other => return Err(error(at, Problem::UnknownKey(other.to_string()))),
                }
            }
            let at = entry.span().start;
            let Some((date, line)) = date else {
                return Err(error(at, Problem::Missing("date")));
            };
            let Some(name) = name else {
                return Err(error(at, Problem::Missing("name")));
            };
            if !YEARS.contains(&date.year()) {
                return Err(ClosingDaysError {
                    file: origin.to_string(),
                    line,
                    problem: Problem::OutOfRange(date),
                });
            }
            if let Some((_, first)) = days.iter().find(|(d, _)| d.date == date) {
                return Err(ClosingDaysError {
                    file: origin.to_string(),
                    line,
                    problem: Problem::Repeated {
                        date,
                        first: *first,
                    },
                });
            }
            if days.len() >= MAX_DAYS {
                return Err(ClosingDaysError {
                    file: origin.to_string(),
                    line,
                    problem: Problem::TooMany,
                });
            }
            days.push((
                OfficeDay {
                    date,
                    name,
                    name_en,
                    origin: format!("{origin}:{line}"),
                },
                line,
            ));
        }
    }
    Ok(days.into_iter().map(|(day, _)| day).collect())
}

/// A table's keys and values in the order they were written (so the first problem is reported).
fn by_position<'a, 'i>(
    table: &'a DeTable<'i>,
) -> Vec<(
    &'a toml::Spanned<std::borrow::Cow<'i, str>>,
    &'a toml::Spanned<DeValue<'i>>,
)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// A TOML local date (`2026-03-02`) or a string holding one (`"2026-03-02"`).
fn read_date(value: &DeValue<'_>) -> Result<NaiveDate, Problem> {
    let written = match value {
        DeValue::Datetime(dt) => {
            if let (Some(date), None, None) = (dt.date, dt.time, dt.offset) {
                return NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                )
                .ok_or_else(|| Problem::BadDate(dt.to_string()));
            }
            dt.to_string()
        }
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Array(_) | DeValue::Table(_) => String::from("…"),
    };
    NaiveDate::parse_from_str(written.trim(), "%Y-%m-%d").map_err(|_| Problem::BadDate(written))
}
