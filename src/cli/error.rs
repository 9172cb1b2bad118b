//! Every way a command-line run can fail, each said in one line: what failed, why, what to do.

use crate::domain::DomainError;
use crate::domain::dates::DateError;
use crate::i18n::{Lang, Localize};
use crate::store::StoreError;

/// A failed run; the binary prints it as one line and exits with status 1.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum CliError {
    /// The store failed or refused.
    Store(#[from] StoreError),
    /// The store or the server failed or refused.
    Backend(#[from] crate::backend::BackendError),
    /// The role rules refused.
    Denied(#[from] crate::domain::access::Denied),
    /// Something that needs the store to itself while a server has it open.
    ServerRunning {
        /// The store directory.
        dir: std::path::PathBuf,
        /// What was asked.
        what: &'static str,
    },
    /// `--no-server` while a server has the store.
    NoServerRefused {
        /// The store directory.
        dir: std::path::PathBuf,
    },
    /// No server runs on the store (for `serve --status` and `--stop`).
    NotServed {
        /// The store directory.
        dir: std::path::PathBuf,
    },
    /// The rules refused.
    Domain(#[from] DomainError),
    /// A date could not be read.
    Date(#[from] DateError),
    /// The keymap file is wrong (file, line and reason).
    Keymap(#[from] crate::keymap::KeymapError),
    /// The office's closing-days file is wrong (file, line and reason).
    ClosingDays(#[from] crate::closing_days::ClosingDaysError),
    /// `--every` is not a weekday.
    BadWeekday {
        /// What was typed.
        text: String,
    },
    /// A session mark that is neither held nor missed.
    BadSessionMark {
        /// What was typed.
        text: String,
    },
    /// The referrals file is bad.
    Referrals {
        /// The file.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// `holidays YEAR` outside the years casedesk works out.
    BadYear {
        /// What was given.
        year: i32,
    },
    /// `CASEDESK_NOW` could not be read.
    BadClock {
        /// Its value.
        text: String,
    },
    /// No home directory to put the store in.
    NoDataDir,
    /// `case set` or `action set` with nothing to set.
    NothingToSet {
        /// The options that would set something.
        options: &'static str,
    },
    /// `undo`: the person's last change cannot be taken back.
    CannotUndo {
        /// What it was (`close_conference`).
        kind: String,
        /// Its journal sequence number.
        seq: u64,
    },
    /// `undo` without `--yes` when there is no terminal to ask on.
    UndoNeedsYes,
    /// `undo`: the person answered no.
    UndoDeclined,
    /// `case merge` without `--yes` and no terminal to ask on.
    MergeNeedsYes,
    /// `case merge`: the person answered no.
    MergeDeclined,
    /// An option that takes yes or no got something else.
    NotYesNo {
        /// The option.
        option: &'static str,
        /// What it got.
        value: String,
    },
    /// `demo --cases` out of range.
    DemoSize {
        /// What was asked.
        cases: usize,
    },
    /// Output could not be written or built.
    Output(String),
    /// A file could not be written.
    WriteFile {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        reason: String,
    },
    /// An import, backup, restore or export failed.
    Transfer(#[from] crate::transfer::TransferError),
    /// `report --month` could not be read.
    BadMonth {
        /// What was given.
        text: String,
    },
    /// An option was given an empty value.
    EmptyValue {
        /// The option.
        option: &'static str,
    },
    /// `check --anchor` was given something that is not `SEQ:HASH`.
    BadAnchor {
        /// What was given.
        text: String,
    },
    /// `check` found problems (already printed).
    CheckFailed {
        /// How many.
        problems: usize,
    },
}

impl Localize for CliError {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            CliError::Store(e) => e.localize(lang),
            CliError::Backend(e) => e.localize(lang),
            CliError::Denied(e) => e.localize(lang),
            CliError::ServerRunning { dir, what } => {
                if ko {
                    format!(
                        "{}에서 casedesk 서버가 실행 중이라 `{what}`을(를) 할 수 없습니다: `casedesk serve --stop`으로 서버를 멈춘 뒤 `casedesk {what} --no-server`로 하세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "a casedesk server has the store at {} open, so `{what}` cannot run: stop it with `casedesk serve --stop`, then run `casedesk {what} --no-server`",
                        dir.display()
                    )
                }
            }
            CliError::NoServerRefused { dir } => {
                if ko {
                    format!(
                        "{}에서 casedesk 서버가 실행 중입니다: --no-server 없이 실행해 서버를 통해 쓰거나, 먼저 `casedesk serve --stop`으로 서버를 멈추세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "a casedesk server is running on the store at {}: run without --no-server to work through it, or stop it first with `casedesk serve --stop`",
                        dir.display()
                    )
                }
            }
            CliError::NotServed { dir } => {
                if ko {
                    format!("{}에서 실행 중인 casedesk 서버가 없습니다", dir.display())
                } else {
                    format!(
                        "no casedesk server is running on the store at {}",
                        dir.display()
                    )
                }
            }
            CliError::Domain(e) => e.localize(lang),
            CliError::Date(e) => e.localize(lang),
            CliError::Transfer(e) => e.localize(lang),
            CliError::BadMonth { text } => {
                if ko {
                    format!("'{text}'은(는) 달이 아닙니다: --month 2026-11처럼 쓰세요")
                } else {
                    format!("'{text}' is not a month: write --month 2026-11")
                }
            }
            CliError::Keymap(e) => match lang {
                Lang::Ko => format!("키맵 오류 {e}"),
                Lang::En => format!("keymap error at {e}"),
            },
            CliError::ClosingDays(e) => match lang {
                Lang::Ko => format!("기관 휴무일 파일 오류 {}", e.localize(lang)),
                Lang::En => format!("closing-days file error at {}", e.localize(lang)),
            },
            CliError::BadWeekday { text } => match lang {
                Lang::Ko => {
                    format!("'{text}'은(는) 요일이 아닙니다: 월, 화, … 또는 mon, tue, … 로 주세요")
                }
                Lang::En => format!("'{text}' is not a weekday: give mon, tue, … or 월, 화, …"),
            },
            CliError::BadSessionMark { text } => match lang {
                Lang::Ko => {
                    format!("'{text}'은(는) 회기 기록이 아닙니다: held(진행) 또는 missed(결석)")
                }
                Lang::En => format!("'{text}' is not a session mark: held or missed"),
            },
            CliError::Referrals { file, problem } => match lang {
                Lang::Ko => format!("의뢰 설정 파일 오류 {file}: {problem} (예: answer_days = 5)"),
                Lang::En => format!(
                    "referrals file error at {file}: {problem} (for example answer_days = 5)"
                ),
            },
            CliError::BadYear { year } => {
                let (first, last) = (crate::domain::holidays::FIRST_YEAR, 9999);
                if ko {
                    format!("{year}년의 휴일은 계산하지 않습니다: {first}~{last}년 중에서 주세요")
                } else {
                    format!(
                        "casedesk does not work out the days off of {year}: give a year from {first} to {last}"
                    )
                }
            }
            CliError::BadClock { text } => {
                if ko {
                    format!(
                        "CASEDESK_NOW 값 '{text}'을(를) 읽을 수 없습니다: 2026-11-28T09:00:00+09:00 또는 2026-11-28 형식으로 쓰거나 지우세요"
                    )
                } else {
                    format!(
                        "cannot read CASEDESK_NOW '{text}': use 2026-11-28T09:00:00+09:00 or 2026-11-28, or unset it"
                    )
                }
            }
            CliError::NoDataDir => {
                if ko {
                    "저장소 위치를 정할 수 없습니다 (홈 디렉터리 없음): --db 디렉터리 또는 CASEDESK_DB를 지정하세요".into()
                } else {
                    "cannot tell where to keep the store (no home directory): give --db DIR or set CASEDESK_DB".into()
                }
            }
            CliError::NotYesNo { option, value } => {
                if ko {
                    format!("{option}에는 yes(예) 또는 no(아니오)를 주세요: '{value}'")
                } else {
                    format!("{option} takes yes or no, not '{value}'")
                }
            }
            CliError::NothingToSet { options } => {
                if ko {
                    format!("바꿀 항목이 없습니다: {options} 중 하나 이상을 주세요")
                } else {
                    format!("nothing to change: give at least one of {options}")
                }
            }
            CliError::CannotUndo { kind, seq } => {
                if ko {
                    format!(
                        "마지막 변경(#{seq}, {kind})은 되돌릴 수 없습니다: 팀·사용자 변경과 끝난 회의는 되돌리지 않습니다 — 바로잡는 명령을 새로 내리세요"
                    )
                } else {
                    format!(
                        "your last change (#{seq}, {kind}) cannot be undone: changes to teams or users and closed conferences are not taken back — give the command that sets it right"
                    )
                }
            }
            CliError::UndoNeedsYes => {
                if ko {
                    "되돌리기는 먼저 묻는데, 물어볼 터미널이 없습니다: 확인했다면 --yes를 붙이세요"
                        .to_string()
                } else {
                    "undo asks first and there is no terminal to ask on: add --yes once you have checked what it undoes"
                        .to_string()
                }
            }
            CliError::MergeNeedsYes => {
                if ko {
                    "병합은 먼저 묻는데, 물어볼 터미널이 없습니다: 두 사례를 확인했다면 --yes를 붙이세요"
                        .to_string()
                } else {
                    "merge asks first and there is no terminal to ask on: add --yes once you have checked both cases"
                        .to_string()
                }
            }
            CliError::MergeDeclined => {
                if ko {
                    "병합하지 않았습니다".to_string()
                } else {
                    "nothing was merged".to_string()
                }
            }
            CliError::UndoDeclined => {
                if ko {
                    "되돌리지 않았습니다".to_string()
                } else {
                    "nothing was undone".to_string()
                }
            }
            CliError::DemoSize { cases } => {
                if ko {
                    format!("데모 사례 수 {cases}은(는) 쓸 수 없습니다: 1~200000 사이로 주세요")
                } else {
                    format!("cannot make {cases} demo cases: give a number from 1 to 200000")
                }
            }
            CliError::Output(why) => {
                if ko {
                    format!("출력을 쓸 수 없습니다: {why}")
                } else {
                    format!("could not write the output: {why}")
                }
            }
            CliError::WriteFile { path, reason } => {
                if ko {
                    format!(
                        "{}에 쓸 수 없습니다: {reason}. 디렉터리가 있는지, 쓰기 권한이 있는지 확인하세요",
                        path.display()
                    )
                } else {
                    format!(
                        "could not write {}: {reason}; check that the directory exists and that you may write there",
                        path.display()
                    )
                }
            }
            CliError::EmptyValue { option } => {
                if ko {
                    format!(
                        "{option}의 값이 비어 있습니다: 값을 주거나, 지우려면 {option} 없음 (또는 none)이라고 쓰세요 (아무것도 바꾸지 않았습니다)"
                    )
                } else {
                    format!(
                        "{option} was given an empty value: give a value, or {option} none to clear it (nothing was changed)"
                    )
                }
            }
            CliError::BadAnchor { text } => {
                if ko {
                    format!(
                        "기준점 '{text}'을(를) 읽을 수 없습니다: 회의록이나 백업에 찍힌 대로 번호:해시 (예: 1520:3fa4…, 해시는 16자리 이상)로 쓰세요"
                    )
                } else {
                    format!(
                        "cannot read the anchor '{text}': write it as printed on minutes or a backup, SEQ:HASH (e.g. 1520:3fa4…, at least 16 hex digits of the hash)"
                    )
                }
            }
            CliError::CheckFailed { problems } => {
                if ko {
                    format!(
                        "점검 실패: 문제 {problems}건 (위 목록 참고). 백업에서 복원하거나 담당자에게 알리세요"
                    )
                } else {
                    format!(
                        "check failed: {problems} problem(s), listed above; restore from a backup or tell your administrator"
                    )
                }
            }
        }
    }
}
