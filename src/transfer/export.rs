//! `casedesk export`: cases, actions or notes as CSV (UTF-8 with BOM, for Excel) or JSON; names
//! masked and restricted notes withheld unless asked. Reads the store; never the screens.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use super::TransferError;
use crate::domain::masking::mask_name;
use crate::domain::{Action, Case, Note, State};
use crate::i18n::Lang;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// Every case, closed ones too.
    Cases,
    /// Every action, done and dropped ones too.
    Actions,
    /// Every note of every case.
    Notes,
}

impl What {
    /// The name used on the command line and in the journal.
    pub fn name(self) -> &'static str {
        match self {
            What::Cases => "cases",
            What::Actions => "actions",
            What::Notes => "notes",
        }
    }
}

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV in UTF-8 with a BOM (Excel opens it with Hangul intact); headers in the UI language.
    Csv,
    /// A JSON array with stable English keys.
    Json,
}

impl Format {
    /// The name used on the command line and in the journal.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// An export, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Records in it.
    pub rows: usize,
}

/// Columns of each kind of record: JSON key, Korean and English CSV header. The values
/// functions below give one value per column, in this order.
type Columns = &'static [(&'static str, &'static str, &'static str)];

const CASE_COLUMNS: Columns = &[
    ("number", "번호", "number"),
    ("student", "학생 이름", "student"),
    ("school", "학교", "school"),
    ("grade", "학년", "grade"),
    ("birth_on", "생년월일", "birth date"),
    ("sex", "성별", "sex"),
    ("level", "위기", "level"),
    ("stage", "단계", "stage"),
    ("lead_team", "주관", "lead team"),
    ("lead_person", "담당자", "person"),
    ("co_teams", "협력", "cooperating teams"),
    ("domains", "어려움 영역", "domains"),
    ("concerns", "세부 항목", "sub-items"),
    ("referral_source", "의뢰자", "referrer"),
    ("referred_on", "의뢰일", "referred on"),
    ("opened_on", "접수일", "opened on"),
    ("closed_on", "종결일", "closed on"),
    ("review_on", "다음 점검일", "review on"),
    ("urgent", "긴급", "urgent"),
    ("safety", "안전", "safety"),
    ("summary", "요약", "summary"),
    ("background", "배경 항목", "background"),
    (
        "consent_collection_on",
        "수집·이용 동의일",
        "consent to collect on",
    ),
    (
        "consent_sharing",
        "제3자 제공 동의 기관",
        "consent to share with",
    ),
    ("merged_into", "병합 대상", "merged into"),
];

const ACTION_COLUMNS: Columns = &[
    ("id", "번호", "id"),
    ("case", "사례", "case"),
    ("title", "내용", "title"),
    ("team", "담당", "team"),
    ("person", "담당자", "person"),
    ("due", "기한", "due"),
    ("status", "상태", "status"),
    ("closed_on", "완료·취소일", "closed on"),
    ("result", "결과", "result"),
    ("created_on", "등록일", "created on"),
    ("conference", "사례회의", "conference"),
    ("closed_by", "완료·취소 기록자", "closed by"),
    ("progress", "최근 경과", "latest progress"),
    ("progress_on", "최근 경과일", "latest progress on"),
    (
        "without_consent",
        "동의 없는 제공 사유",
        "without consent because",
    ),
    ("referral_status", "의뢰 상태", "referral status"),
    ("referral_requested_on", "의뢰일", "referral requested on"),
    ("sessions", "회기", "sessions"),
    ("sessions_held", "진행 회기", "sessions held"),
    ("sessions_missed", "결석 회기", "sessions missed"),
];

/// How many sessions recurring work has, held and missed; nothing for one-off work.
fn session_values(action: &Action) -> [Value; 3] {
    if action.sessions.is_empty() {
        return [Value::Null, Value::Null, Value::Null];
    }
    let (held, missed, _) = action.session_counts();
    [json!(action.sessions.len()), json!(held), json!(missed)]
}

/// A referral's status and the day it was asked for; nothing for an internal team's action.
fn referral_values(action: &Action, external: bool, words: Option<Lang>) -> [Value; 2] {
    if !external {
        return [Value::Null, Value::Null];
    }
    let lang = words.unwrap_or(Lang::En);
    let status = action.referral_status();
    [
        word(status.code(), status.label(lang), words),
        date(Some(action.requested_on())),
    ]
}

const NOTE_COLUMNS: Columns = &[
    ("case", "사례", "case"),
    ("n", "번호", "n"),
    ("at", "일시", "at"),
    ("author", "작성자", "author"),
    ("kind", "종류", "kind"),
    ("restricted", "제한", "restricted"),
    ("text", "내용", "text"),
];

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn codes<T>(items: &[T], code: impl Fn(&T) -> String) -> Value {
    Value::Array(items.iter().map(|i| Value::String(code(i))).collect())
}

/// A vocabulary value: its stable code (JSON) or its label in the output language (CSV, which
/// people read in a spreadsheet).
fn word(code: &str, label: &str, words: Option<Lang>) -> Value {
    match words {
        Some(_) => json!(label),
        None => json!(code),
    }
}

/// Free text with the student's name masked in it unless names may be shown.
fn free(text: &str, name: Option<&str>, unmasked: bool) -> Value {
    match name {
        Some(name) if !unmasked => json!(crate::domain::masking::mask_in(text, name)),
        _ => json!(text),
    }
}

fn case_values(case: &Case, unmasked: bool, words: Option<Lang>) -> Vec<Value> {
    let lang = words.unwrap_or(Lang::En);
    let student = if unmasked {
        case.student.name.clone()
    } else {
        mask_name(&case.student.name)
    };
    // A birth date with a name is identifying: masked exports keep only the year.
    let birth = match case.student.birth_on {
        Some(d) if unmasked => json!(d.to_string()),
        Some(d) => json!(d.format("%Y").to_string()),
        None => Value::Null,
    };
    vec![
        json!(case.number.to_string()),
        json!(student),
        json!(case.school),
        json!(case.grade.to_string()),
        birth,
        case.student
            .sex
            .map_or(Value::Null, |s| word(s.code(), s.label(lang), words)),
        word(case.level.code(), case.level.label(lang), words),
        word(case.stage.code(), case.stage.label(lang), words),
        json!(case.lead_team.to_string()),
        json!(case.lead_person),
        codes(&case.co_teams, ToString::to_string),
        codes(&case.domains, |d| match words {
            Some(_) => d.label(lang).to_string(),
            None => d.code().to_string(),
        }),
        codes(&case.concerns, |c| match words {
            Some(_) => c.label(lang).to_string(),
            None => c.code().to_string(),
        }),
        json!(case.referral_source),
        json!(case.referred_on.to_string()),
        json!(case.opened_at.date_naive().to_string()),
        date(case.closed_on),
        date(case.review_on),
        json!(case.urgent),
        json!(case.safety),
        free(&case.summary, Some(&case.student.name), unmasked),
        codes(&case.background, Clone::clone),
        date(case.consent.standing_collection_on()),
        codes(&case.consent.standing_agencies(), ToString::to_string),
        case.merged_into
            .map_or(Value::Null, |n| Value::String(n.to_string())),
    ]
}

fn action_values(
    action: &Action,
    name: Option<&str>,
    unmasked: bool,
    words: Option<Lang>,
) -> Vec<Value> {
    let lang = words.unwrap_or(Lang::En);
    vec![
        json!(action.id.to_string()),
        json!(action.id.case.to_string()),
        free(&action.title, name, unmasked),
        json!(action.team.to_string()),
        json!(action.person),
        json!(action.due_on.to_string()),
        word(action.status.code(), action.status.label(lang), words),
        date(action.closed_on),
        action
            .result
            .as_deref()
            .map_or(Value::Null, |r| free(r, name, unmasked)),
        json!(action.created_at.date_naive().to_string()),
        json!(action.conference),
        json!(action.closed_by),
        action
            .latest_progress()
            .map_or(Value::Null, |p| free(&p.text, name, unmasked)),
        date(action.latest_progress().map(|p| p.at.date_naive())),
        action
            .without_consent
            .as_deref()
            .map_or(Value::Null, |r| free(r, name, unmasked)),
    ]
}

fn note_values(note: &Note, name: Option<&str>, unmasked: bool, words: Option<Lang>) -> Vec<Value> {
    let lang = words.unwrap_or(Lang::En);
    let text = if note.restricted && !unmasked {
        Value::Null
    } else {
        free(&note.text, name, unmasked)
    };
    vec![
        json!(note.case.to_string()),
        json!(note.n),
        json!(note.at.to_rfc3339()),
        json!(note.author),
        word(note.kind.code(), note.kind.label(lang), words),
        json!(note.restricted),
        text,
    ]
}

/// A value as a CSV cell: lists joined with commas, nothing for null.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => crate::transfer::sheet::spreadsheet_safe(s),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Builds the export from the store: every record of the kind, in number order.
pub fn export(
    store: &mut dyn crate::backend::Backend,
    what: What,
    format: Format,
    unmasked: bool,
    lang: Lang,
) -> Result<Export, TransferError> {
    let words = match format {
        Format::Csv => Some(lang),
        Format::Json => None,
    };
    let names: std::collections::BTreeMap<crate::domain::CaseNumber, String> = store
        .snapshot()?
        .cases
        .values()
        .map(|c| (c.number, c.student.name.clone()))
        .collect();
    let name = |case| names.get(&case).map(String::as_str);
    let external: std::collections::BTreeSet<crate::domain::TeamCode> = store
        .snapshot()?
        .teams
        .values()
        .filter(|t| t.kind == crate::domain::vocab::TeamKind::External)
        .map(|t| t.code.clone())
        .collect();
    let (columns, records): (Columns, Vec<Vec<Value>>) = match what {
        What::Cases => {
            let state: &State = store.snapshot()?;
            let cases = state
                .cases
                .values()
                .map(|c| case_values(c, unmasked, words));
            (CASE_COLUMNS, cases.collect())
        }
        What::Actions => (
            ACTION_COLUMNS,
            store
                .all_actions()?
                .iter()
                .map(|a| {
                    let mut values = action_values(a, name(a.id.case), unmasked, words);
                    values.extend(referral_values(a, external.contains(&a.team), words));
                    values.extend(session_values(a));
                    values
                })
                .collect(),
        ),
        What::Notes => {
            let numbers: Vec<_> = names.keys().copied().collect();
            let mut out = Vec::new();
            for number in numbers {
                for note in store.notes_of(number)? {
                    out.push(note_values(&note, name(number), unmasked, words));
                }
            }
            (NOTE_COLUMNS, out)
        }
    };
    let rows = records.len();
    let bytes = match format {
        Format::Json => {
            let values: Vec<Value> = records
                .into_iter()
                .map(|values| {
                    let keys = columns.iter().map(|(key, _, _)| key.to_string());
                    Value::Object(keys.zip(values).collect::<Map<_, _>>())
                })
                .collect();
            let mut text = serde_json::to_vec_pretty(&values).map_err(output_error)?;
            text.push(b'\n');
            text
        }
        Format::Csv => {
            // The BOM tells Excel the file is UTF-8, so Hangul opens intact.
            let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            let header = columns.iter().map(|(_, ko, en)| lang.pick(ko, en));
            writer.write_record(header).map_err(output_error)?;
            for values in &records {
                writer
                    .write_record(values.iter().map(cell))
                    .map_err(output_error)?;
            }
            writer
                .into_inner()
                .map_err(|e| output_error(e.into_error()))?
        }
    };
    Ok(Export { bytes, rows })
}

fn output_error(e: impl std::fmt::Display) -> TransferError {
    TransferError::io(
        "build the export",
        std::path::Path::new("-"),
        std::io::Error::other(e.to_string()),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn every_column_has_a_value() {
        let s = crate::domain::CaseNumber { year: 2026, seq: 1 };
        let at = chrono::DateTime::UNIX_EPOCH.fixed_offset();
        let note = Note {
            case: s,
            n: 1,
            at,
            author: "kim".into(),
            kind: crate::domain::vocab::NoteKind::Note,
            text: "x".into(),
            restricted: true,
        };
        assert_eq!(
            note_values(&note, None, false, None).len(),
            NOTE_COLUMNS.len()
        );
        assert_eq!(note_values(&note, None, false, None)[6], Value::Null);
        let action = Action {
            id: crate::domain::ActionId { case: s, n: 1 },
            title: "t".into(),
            team: crate::domain::TeamCode::new("WEE").unwrap_or_else(|| panic!("code")),
            person: None,
            due_on: at.date_naive(),
            status: crate::domain::vocab::ActionStatus::Open,
            closed_on: None,
            result: None,
            created_at: at,
            created_by: "kim".into(),
            closed_by: None,
            conference: None,
            progress: Vec::new(),
            referral: Vec::new(),
            sessions: Vec::new(),
            without_consent: None,
        };
        assert_eq!(
            action_values(&action, None, false, None).len()
                + referral_values(&action, true, None).len()
                + session_values(&action).len(),
            ACTION_COLUMNS.len()
        );
        assert_eq!(cell(&json!(["A", "B"])), "A, B");
    }
}
