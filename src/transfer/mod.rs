//! Data in and out of the store, and the files casedesk writes: importing school applications
//! from spreadsheets, backups and restores of the journal, exports, a conference's minutes,
//! synthetic demo data, and spreadsheet-safe cells. Uses `domain`, `store` and `backend`;
//! never the app, the screens or the command line.

pub mod backup;
pub mod demo;
pub mod export;
pub mod import;
pub mod minutes;
pub mod sheet;

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::domain::DomainError;
use crate::domain::application::{CellProblem, Column, HeaderProblem};
use crate::i18n::{Lang, Localize};
use crate::store::StoreError;
use crate::store::journal::LineError;

/// The largest file `import` reads (about 100,000 application rows); larger ones are refused
/// before they are read.
pub const MAX_IMPORT_BYTES: u64 = 32 * 1024 * 1024;

/// Problems listed in full; past this many the report gives only their number.
pub const MAX_LISTED_PROBLEMS: usize = 1000;

/// One thing wrong in an import file, with its spreadsheet row (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// Row as a spreadsheet numbers it (header = 1).
    pub row: usize,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// What is wrong with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The header.
    Header(HeaderProblem),
    /// One cell.
    Cell(Column, CellProblem),
    /// The row has a different number of cells from the header.
    Cells {
        /// Cells in the row.
        found: usize,
        /// Cells in the header.
        expected: usize,
    },
    /// The CSV itself cannot be read there.
    Csv(String),
}

impl Localize for ImportProblem {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        let row = if ko {
            format!("{}행", self.row)
        } else {
            format!("row {}", self.row)
        };
        match &self.kind {
            ProblemKind::Header(p) => format!("{row}: {}", p.describe(lang)),
            ProblemKind::Cell(column, p) => {
                format!(
                    "{row}, {}: {}",
                    quoted(column.label(lang)),
                    p.describe(lang)
                )
            }
            ProblemKind::Cells { found, expected } => {
                if ko {
                    format!(
                        "{row}: 칸이 {found}개인데 머리글은 {expected}개입니다 (파일이 잘렸거나 따옴표가 맞지 않습니다)"
                    )
                } else {
                    format!(
                        "{row}: has {found} cells but the header has {expected} (the file is cut short or a quote is unbalanced)"
                    )
                }
            }
            ProblemKind::Csv(why) => {
                if ko {
                    format!("{row}: CSV를 읽을 수 없습니다 ({why})")
                } else {
                    format!("{row}: not readable as CSV ({why})")
                }
            }
        }
    }
}

fn quoted(s: &str) -> String {
    format!("'{s}'")
}

/// Why an import, backup, restore or export failed. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum TransferError {
    /// The store failed or refused.
    Store(#[from] StoreError),
    /// The store or the server failed or refused.
    Backend(#[from] crate::backend::BackendError),
    /// The rules refused.
    Domain(#[from] DomainError),
    /// A file to read is not a regular file (a FIFO, a device, a directory).
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        why: crate::fsio::ReadError,
    },
    /// A file could not be read or written.
    Io {
        /// What was being done (in English).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The import file is larger than [`MAX_IMPORT_BYTES`].
    TooBig {
        /// Its size in bytes.
        size: u64,
    },
    /// The file holds binary data, not text.
    Binary,
    /// The file is UTF-16 (Excel's "Unicode text").
    Utf16,
    /// The text is neither UTF-8 nor CP949 (or not the encoding asked for).
    Encoding {
        /// The encoding tried (`UTF-8`, `CP949`, or `UTF-8 or CP949`).
        tried: &'static str,
        /// First byte offset that could not be read, when known.
        at: Option<usize>,
    },
    /// The file has no header row.
    Empty,
    /// The file has problems; every one is listed.
    Refused {
        /// The problems, in row order.
        problems: Vec<ImportProblem>,
    },
    /// A backup's journal lines are damaged or out of order.
    BadBackup {
        /// Line number, from 1.
        line: u64,
        /// What is wrong.
        error: LineError,
    },
    /// A backup file with no journal lines.
    EmptyBackup,
    /// The target directory for a restore is not empty.
    NotEmpty {
        /// The directory.
        dir: PathBuf,
    },
    /// The output file exists already.
    Exists {
        /// The file.
        path: PathBuf,
    },
}

impl TransferError {
    /// A file that could not be opened for reading: not there, not a regular file, or refused.
    pub(crate) fn unreadable(path: &Path, e: crate::fsio::ReadError) -> TransferError {
        match e {
            crate::fsio::ReadError::Io(source) => TransferError::io("open", path, source),
            crate::fsio::ReadError::NotFound => TransferError::io(
                "open",
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ),
            why => TransferError::NotRegular {
                path: path.to_path_buf(),
                why,
            },
        }
    }

    pub(crate) fn io(what: &'static str, path: &Path, source: std::io::Error) -> TransferError {
        TransferError::Io {
            what,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl Localize for TransferError {
    fn localize(&self, lang: Lang) -> String {
        let ko = lang == Lang::Ko;
        match self {
            TransferError::Store(e) => e.localize(lang),
            TransferError::Backend(e) => e.localize(lang),
            TransferError::Domain(e) => e.localize(lang),
            TransferError::NotRegular { path, why } => {
                if ko {
                    format!("{}을(를) 읽지 않았습니다: {}", path.display(), why.localize(lang))
                } else {
                    format!("did not read {}: {}", path.display(), why.localize(lang))
                }
            }
            TransferError::Io { what, path, source } => {
                if ko {
                    format!(
                        "{}: 파일 작업({what})에 실패했습니다 ({source}). 경로와 권한을 확인하세요",
                        path.display()
                    )
                } else {
                    format!(
                        "could not {what} {}: {source}; check the path and its permissions",
                        path.display()
                    )
                }
            }
            TransferError::TooBig { size } => {
                let mb = |b: u64| b / (1024 * 1024);
                if ko {
                    format!(
                        "파일이 너무 큽니다 ({} MB, 한도 {} MB): 여러 파일로 나누어 가져오세요",
                        mb(*size),
                        mb(MAX_IMPORT_BYTES)
                    )
                } else {
                    format!(
                        "the file is too large ({} MB, the limit is {} MB): split it into several files",
                        mb(*size),
                        mb(MAX_IMPORT_BYTES)
                    )
                }
            }
            TransferError::Binary => lang
                .pick(
                    "CSV 텍스트 파일이 아닙니다 (이진 데이터): 엑셀에서 'CSV UTF-8' 또는 'CSV'로 저장하세요",
                    "this is not a CSV text file (binary data): save it from Excel as 'CSV UTF-8' or 'CSV'",
                )
                .to_string(),
            TransferError::Utf16 => lang
                .pick(
                    "UTF-16(유니코드 텍스트) 파일은 읽지 않습니다: 엑셀에서 'CSV UTF-8'로 저장하세요",
                    "UTF-16 ('Unicode text') files are not read: save it from Excel as 'CSV UTF-8'",
                )
                .to_string(),
            TransferError::Encoding { tried, at } => {
                let at = at
                    .map(|b| {
                        if ko {
                            format!(" ({b}바이트째)")
                        } else {
                            format!(" (at byte {b})")
                        }
                    })
                    .unwrap_or_default();
                if ko {
                    format!(
                        "글자를 {tried}(으)로 읽을 수 없습니다{at}: --encoding auto|utf-8|cp949 중 맞는 것을 주거나 'CSV UTF-8'로 다시 저장하세요"
                    )
                } else {
                    format!(
                        "the text is not {tried}{at}: give the right --encoding (auto, utf-8, cp949) or save it again as 'CSV UTF-8'"
                    )
                }
            }
            TransferError::Empty => lang
                .pick(
                    "파일이 비어 있습니다: 첫 행에 머리글(학생 이름, 학교, 학년, …)이 있어야 합니다",
                    "the file is empty: its first row must be a header (student, school, grade, …)",
                )
                .to_string(),
            TransferError::Refused { problems } => {
                if ko {
                    format!(
                        "가져오기 거부: 문제 {}건 (위 목록). 아무것도 가져오지 않았습니다. 파일을 고친 뒤 다시 실행하세요",
                        problems.len()
                    )
                } else {
                    format!(
                        "import refused: {} problem(s), listed above; nothing was imported. Fix the file and run it again",
                        problems.len()
                    )
                }
            }
            TransferError::BadBackup { line, error } => {
                if ko {
                    format!(
                        "백업의 {line}번째 줄이 잘못되었습니다: {error}. 다른 백업을 쓰세요 (복원하지 않았습니다)"
                    )
                } else {
                    format!(
                        "line {line} of the backup is bad: {error}; use another backup (nothing was restored)"
                    )
                }
            }
            TransferError::EmptyBackup => lang
                .pick(
                    "백업에 저널 줄이 없습니다: casedesk backup으로 만든 파일을 주세요",
                    "the backup holds no journal lines: give a file made by `casedesk backup`",
                )
                .to_string(),
            TransferError::NotEmpty { dir } => {
                if ko {
                    format!(
                        "{}이(가) 비어 있지 않습니다: 복원은 새 디렉터리나 빈 디렉터리에만 합니다",
                        dir.display()
                    )
                } else {
                    format!(
                        "{} is not empty: a restore goes only into a new or empty directory",
                        dir.display()
                    )
                }
            }
            TransferError::Exists { path } => {
                if ko {
                    format!(
                        "{}이(가) 이미 있습니다: 다른 이름을 주세요 (덮어쓰지 않습니다)",
                        path.display()
                    )
                } else {
                    format!(
                        "{} exists already: give another name (it is not overwritten)",
                        path.display()
                    )
                }
            }
        }
    }
}

/// Writes `bytes` to `path` owner-only (0600), all or nothing: into a temporary file beside it,
/// synced, then renamed over. With `replace` false an existing file is refused.
pub fn write_private(path: &Path, bytes: &[u8], replace: bool) -> Result<(), TransferError> {
    let mut file = PrivateFile::create(path, replace)?;
    file.write(bytes)?;
    file.finish()
}

/// A file being written owner-only beside its final name; it appears there only on `finish`,
/// and is removed if dropped before.
pub struct PrivateFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    replace: bool,
}

struct PrivateWriter<'a>(&'a mut PrivateFile);

impl std::io::Write for PrivateWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.0.file {
            Some(f) => f.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.0.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl PrivateFile {
    /// Starts writing `path`.
    pub fn create(path: &Path, replace: bool) -> Result<PrivateFile, TransferError> {
        if !replace && path.exists() {
            return Err(TransferError::Exists {
                path: path.to_path_buf(),
            });
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| TransferError::io("create", path, e))?;
        Ok(PrivateFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
            replace,
        })
    }

    /// The file as an `io::Write` (for a backup streamed from a server).
    pub fn writer(&mut self) -> impl std::io::Write + '_ {
        PrivateWriter(self)
    }

    /// Appends bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), TransferError> {
        match &mut self.file {
            Some(f) => f
                .write_all(bytes)
                .map_err(|e| TransferError::io("write", &self.tmp, e)),
            None => Ok(()),
        }
    }

    /// Syncs the file and puts it in place.
    pub fn finish(mut self) -> Result<(), TransferError> {
        let Some(writer) = self.file.take() else {
            return Ok(());
        };
        let file = writer
            .into_inner()
            .map_err(|e| TransferError::io("write", &self.tmp, e.into_error()))?;
        file.sync_all()
            .map_err(|e| TransferError::io("write", &self.tmp, e))?;
        if !self.replace && self.path.exists() {
            return Err(TransferError::Exists {
                path: self.path.clone(),
            });
        }
        std::fs::rename(&self.tmp, &self.path)
            .map_err(|e| TransferError::io("write", &self.path, e))?;
        if let Some(dir) = self.path.parent().and_then(|d| std::fs::File::open(d).ok()) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Drop for PrivateFile {
    fn drop(&mut self) {
        if self.file.is_some() || self.tmp.exists() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
