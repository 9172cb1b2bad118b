//! Why the store could not do what was asked, said so a coordinator knows what to do next.

use std::path::PathBuf;

use crate::domain::DomainError;
use crate::i18n::{Lang, Localize};

use super::journal::LineError;

/// A failure of the store. Nothing half-done is left behind: a refused command changed nothing.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum StoreError {
    /// The rules refused the command.
    Domain(#[from] DomainError),
    /// There is no store in the directory.
    NotFound {
        /// The directory.
        dir: PathBuf,
    },
    /// A new store was asked for in a directory that holds other files.
    NotEmpty {
        /// The directory.
        dir: PathBuf,
    },
    /// Another casedesk has the store open.
    InUse {
        /// The directory.
        dir: PathBuf,
    },
    /// The store was written by a newer casedesk.
    NewerSchema {
        /// The directory.
        dir: PathBuf,
        /// The version found.
        found: u32,
        /// The newest this casedesk reads.
        supported: u32,
    },
    /// A file operation failed.
    Io {
        /// What was being done.
        what: String,
        /// The path involved.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// sled failed.
    Sled {
        /// The directory.
        dir: PathBuf,
        /// sled's reason.
        source: sled::Error,
    },
    /// A stored record could not be read.
    Damaged {
        /// The directory.
        dir: PathBuf,
        /// Which record.
        what: String,
        /// Why.
        reason: String,
    },
    /// A journal line is not what it should be.
    Journal {
        /// The journal file.
        path: PathBuf,
        /// Line number, from 1.
        line: u64,
        /// What is wrong.
        error: LineError,
    },
    /// The journal is shorter than what sled has applied: it was cut short or replaced, and
    /// sled holds changes the journal lacks.
    JournalBehind {
        /// The journal file.
        path: PathBuf,
        /// The last entry sled has applied.
        applied: u64,
    },
    /// The line sled applied last is not this journal's line there: the journal was replaced.
    JournalDiverged {
        /// The journal file.
        path: PathBuf,
        /// The entry sled applied last.
        applied: u64,
    },
    /// The store's files were written by an older casedesk (made again at open).
    OlderSchema {
        /// The directory.
        dir: PathBuf,
        /// The version found.
        found: u32,
    },
    /// sled's files could not be read (they are rebuilt from the journal when a store opens).
    SledUnreadable {
        /// The directory.
        dir: PathBuf,
        /// Why.
        why: String,
    },
    /// The store is there but this account may not read it.
    Unreadable {
        /// The directory.
        dir: PathBuf,
        /// The account (uid) that owns it, when known.
        owner: Option<u32>,
    },
    /// The disk has no room for the change; nothing was written.
    DiskFull {
        /// The store directory.
        dir: PathBuf,
        /// Bytes free, when known.
        free: Option<u64>,
        /// About how many bytes the change needs.
        needed: u64,
    },
    /// The journal is damaged in its middle: the store is open read-only.
    ReadOnly {
        /// The journal file.
        path: PathBuf,
        /// The damaged line.
        line: u64,
        /// What is wrong with it.
        error: LineError,
    },
    /// A rebuild would drop records that only sled holds.
    SledAhead {
        /// The directory.
        dir: PathBuf,
        /// The records (`cases 2026-0012`, …).
        names: Vec<String>,
    },
    /// A journal entry does not replay to what it recorded.
    Replay {
        /// Line number, from 1.
        line: u64,
        /// Why.
        reason: String,
    },
    /// An earlier failure left changes journaled but not applied; the store must be reopened.
    Poisoned {
        /// The directory.
        dir: PathBuf,
    },
}

impl StoreError {
    /// The failure's kind in a word (`disk_full`): what a diagnostic log may say of it, since
    /// it holds nothing a person typed.
    pub fn kind(&self) -> &'static str {
        match self {
            StoreError::Domain(_) => "refused",
            StoreError::NotFound { .. } => "not_found",
            StoreError::NotEmpty { .. } => "not_empty",
            StoreError::InUse { .. } => "in_use",
            StoreError::NewerSchema { .. } => "newer_schema",
            StoreError::Io { .. } => "io",
            StoreError::Sled { .. } => "sled",
            StoreError::Damaged { .. } => "damaged",
            StoreError::Journal { .. } => "journal",
            StoreError::JournalBehind { .. } => "journal_behind",
            StoreError::JournalDiverged { .. } => "journal_diverged",
            StoreError::OlderSchema { .. } => "older_schema",
            StoreError::SledUnreadable { .. } => "sled_unreadable",
            StoreError::Unreadable { .. } => "unreadable",
            StoreError::DiskFull { .. } => "disk_full",
            StoreError::ReadOnly { .. } => "read_only",
            StoreError::SledAhead { .. } => "sled_ahead",
            StoreError::Replay { .. } => "replay",
            StoreError::Poisoned { .. } => "poisoned",
        }
    }

    /// True when sled's files cannot be read at all (not a full disk, a lock or permissions):
    /// the store is rebuilt from the journal.
    pub fn sled_unreadable(&self) -> bool {
        match self {
            StoreError::SledUnreadable { .. } => true,
            StoreError::Sled { source, .. } => match source {
                sled::Error::Io(e) => {
                    !(super::space::is_full(e)
                        || matches!(
                            e.kind(),
                            std::io::ErrorKind::PermissionDenied
                                | std::io::ErrorKind::ReadOnlyFilesystem
                                | std::io::ErrorKind::Interrupted
                        )
                        || e.to_string().contains("could not acquire lock"))
                }
                sled::Error::CollectionNotFound(_) => false,
                _ => true,
            },
            _ => false,
        }
    }

    /// Why sled could not be read, in sled's words.
    pub fn sled_reason(&self) -> String {
        match self {
            StoreError::SledUnreadable { why, .. } => why.clone(),
            StoreError::Sled { source, .. } => source.to_string(),
            other => other.to_string(),
        }
    }

    /// Wraps an IO error with what was being done.
    pub fn io(what: &str, path: impl Into<PathBuf>, source: std::io::Error) -> StoreError {
        StoreError::Io {
            what: what.to_string(),
            path: path.into(),
            source,
        }
    }
}

impl Localize for StoreError {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            StoreError::Domain(e) => e.localize(lang),
            StoreError::NotFound { dir } => {
                if ko {
                    format!(
                        "{}에 저장소가 없습니다: `casedesk init --office 이름`으로 만들거나 --db로 다른 위치를 지정하세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "there is no store at {}: create one with `casedesk init --office NAME`, or point --db elsewhere",
                        dir.display()
                    )
                }
            }
            StoreError::NotEmpty { dir } => {
                if ko {
                    format!(
                        "{}에는 다른 파일이 있습니다: 저장소는 새 디렉터리나 빈 디렉터리에만 만듭니다",
                        dir.display()
                    )
                } else {
                    format!(
                        "{} holds other files: a store goes only into a new or empty directory",
                        dir.display()
                    )
                }
            }
            StoreError::InUse { dir } => {
                if ko {
                    format!(
                        "{}의 저장소를 다른 casedesk가 사용 중입니다: 그 프로그램을 닫은 뒤 다시 실행하세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "the store at {} is in use by another casedesk: close that one, then try again",
                        dir.display()
                    )
                }
            }
            StoreError::NewerSchema {
                dir,
                found,
                supported,
            } => {
                if ko {
                    format!(
                        "{}의 저장소는 더 새로운 casedesk가 만든 것입니다 (스키마 {found}, 이 프로그램은 {supported}까지): casedesk를 업데이트하세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "the store at {} was written by a newer casedesk (schema {found}; this one reads up to {supported}): update casedesk",
                        dir.display()
                    )
                }
            }
            StoreError::Io { what, path, source } => {
                if ko {
                    format!("{what} 실패 ({}): {source}", path.display())
                } else {
                    format!("could not {what} ({}): {source}", path.display())
                }
            }
            StoreError::Sled { dir, source } => {
                if ko {
                    format!(
                        "{}의 저장소를 읽거나 쓸 수 없습니다: {source}. 저널이 온전하면 `casedesk check --rebuild`로 저널에서 다시 만드세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "the store at {} could not be read or written: {source}; if the journal is intact, `casedesk check --rebuild` rebuilds the store from it",
                        dir.display()
                    )
                }
            }
            StoreError::Damaged { dir, what, reason } => {
                if ko {
                    format!(
                        "{}의 저장소에서 {what}을(를) 읽을 수 없습니다 ({reason}): `casedesk check`로 점검하고, 저장소 파일이 손상되었으면 `casedesk check --rebuild`로 저널에서 다시 만드세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "the store at {} has a damaged {what} ({reason}): run `casedesk check`; if the store files are damaged, `casedesk check --rebuild` rebuilds them from the journal",
                        dir.display()
                    )
                }
            }
            StoreError::Journal { path, line, error } => {
                if ko {
                    format!(
                        "저널 {} {line}번째 줄이 손상되었습니다: {error}. 백업에서 복원하세요",
                        path.display()
                    )
                } else {
                    format!(
                        "journal {} line {line} is damaged: {error}; restore it from a backup",
                        path.display()
                    )
                }
            }
            StoreError::JournalBehind { path, applied } => {
                if ko {
                    format!(
                        "저널 {}이(가) 데이터베이스보다 짧습니다 (데이터베이스는 {applied}번까지 적용): 저널에 없는 변경이 데이터베이스에만 있습니다. `casedesk check`로 어떤 기록인지 보고, 백업에서 저널을 되살리거나 `casedesk check --rebuild --discard-newer`로 그 변경을 버리세요 (이전 파일은 남겨 둡니다)",
                        path.display()
                    )
                } else {
                    format!(
                        "the journal {} is shorter than the database (which has applied entries up to {applied}): the database holds changes the journal lacks; `casedesk check` names them; put the journal back from a backup, or drop those changes with `casedesk check --rebuild --discard-newer` (the old files are kept)",
                        path.display()
                    )
                }
            }
            StoreError::JournalDiverged { path, applied } => {
                if ko {
                    format!(
                        "저널 {}의 {applied}번 줄이 데이터베이스가 적용한 줄과 다릅니다 (저널이 바뀌었습니다): `casedesk check`로 점검하세요",
                        path.display()
                    )
                } else {
                    format!(
                        "line {applied} of the journal {} is not the one the database applied (the journal was replaced): run `casedesk check`",
                        path.display()
                    )
                }
            }
            StoreError::OlderSchema { dir, found } => {
                if ko {
                    format!(
                        "{}의 파일은 이전 casedesk(스키마 {found})가 쓴 것입니다: 열면 저널에서 다시 만들어집니다",
                        dir.display()
                    )
                } else {
                    format!(
                        "the files at {} were written by an older casedesk (schema {found}): opening the store makes them again from the journal",
                        dir.display()
                    )
                }
            }
            StoreError::SledUnreadable { dir, why } => {
                if ko {
                    format!(
                        "{}의 데이터베이스 파일을 읽을 수 없습니다 ({why}): `casedesk check --rebuild`로 저널에서 다시 만드세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "the database files of the store at {} cannot be read ({why}): `casedesk check --rebuild` rebuilds them from the journal",
                        dir.display()
                    )
                }
            }
            StoreError::Unreadable { dir, owner } => {
                let owner = owner.map(|uid| format!(" (uid {uid})")).unwrap_or_default();
                if ko {
                    format!(
                        "{}의 저장소를 이 계정으로 읽을 수 없습니다 (권한 없음): 저장소 주인{owner}의 계정으로 실행하거나 주인에게 권한을 받으세요",
                        dir.display()
                    )
                } else {
                    format!(
                        "the store at {} cannot be read by this account (permission denied): run casedesk as the account that owns it{owner}, or ask its owner for access",
                        dir.display()
                    )
                }
            }
            StoreError::DiskFull { dir, free, needed } => {
                let need = crate::fsio::thousands(needed.div_ceil(1024));
                let free = free.map(|f| crate::fsio::thousands(f / 1024));
                if ko {
                    let free = free
                        .map(|f| format!(", 남은 공간 {f} KB"))
                        .unwrap_or_default();
                    format!(
                        "디스크가 가득 찼습니다: {}의 저장소에 이 작업을 하려면 여유 공간이 약 {need} KB 필요합니다{free}. 공간을 비운 뒤 다시 하세요 (아무것도 바꾸지 않았습니다)",
                        dir.display()
                    )
                } else {
                    let free = free
                        .map(|f| format!(", and {f} KB is free"))
                        .unwrap_or_default();
                    format!(
                        "disk full: this needs about {need} KB of free space for the store at {}{free}; free some space, then try again (nothing was changed)",
                        dir.display()
                    )
                }
            }
            StoreError::ReadOnly { path, line, error } => {
                if ko {
                    format!(
                        "저널 {} {line}번째 줄이 손상되어 ({error}) 저장소를 읽기 전용으로 열었습니다: 변경은 저장하지 않습니다. `casedesk check`로 확인하고 백업에서 복원하세요",
                        path.display()
                    )
                } else {
                    format!(
                        "the journal {} is damaged at line {line} ({error}), so the store is open read-only and takes no changes: run `casedesk check`, then restore it from a backup",
                        path.display()
                    )
                }
            }
            StoreError::SledAhead { dir, names } => {
                let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
                let more = names.len().saturating_sub(shown.len());
                let more_ko = if more > 0 {
                    format!(" 외 {more}건")
                } else {
                    String::new()
                };
                let more_en = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                if ko {
                    format!(
                        "다시 만들지 않았습니다: {}의 데이터베이스에 저널에 없는 기록 {}건이 있습니다 ({}{more_ko}). 저널을 백업에서 되살리거나, 그 기록을 버리려면 `casedesk check --rebuild --discard-newer`를 쓰세요 (이전 파일과 그 기록은 따로 남겨 둡니다)",
                        dir.display(),
                        names.len(),
                        shown.join(", ")
                    )
                } else {
                    format!(
                        "not rebuilt: the database of the store at {} holds {} record(s) the journal lacks ({}{more_en}); put the journal back from a backup, or drop them with `casedesk check --rebuild --discard-newer` (the old files and those records are kept aside)",
                        dir.display(),
                        names.len(),
                        shown.join(", ")
                    )
                }
            }
            StoreError::Replay { line, reason } => {
                if ko {
                    format!(
                        "저널 {line}번째 줄을 다시 적용할 수 없습니다: {reason}. 백업에서 복원하세요"
                    )
                } else {
                    format!(
                        "journal line {line} does not replay: {reason}; restore the store from a backup"
                    )
                }
            }
            StoreError::Poisoned { dir } => {
                if ko {
                    format!(
                        "{}의 저장소에 앞서 쓰기 오류가 있었습니다: casedesk를 다시 열면 저널에서 복구합니다",
                        dir.display()
                    )
                } else {
                    format!(
                        "an earlier write to the store at {} failed: reopen casedesk and it recovers from the journal",
                        dir.display()
                    )
                }
            }
        }
    }
}
