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
    /// The journal is shorter than what sled has applied: it was truncated or replaced.
    JournalBehind {
        /// The journal file.
        path: PathBuf,
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
            StoreError::JournalBehind { path } => {
                if ko {
                    format!(
                        "저널 {}이(가) 저장소보다 짧습니다 (잘렸거나 바뀌었습니다): 백업에서 복원하세요",
                        path.display()
                    )
                } else {
                    format!(
                        "the journal {} is shorter than the store expects (truncated or replaced): restore it from a backup",
                        path.display()
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
