//! `casedesk backup` and `restore`: a backup is the journal's confirmed lines, hash chain and all,
//! read straight from the file (without opening sled or taking the store's lock, so it works
//! while another casedesk has the store open); a restore verifies the chain and rebuilds the
//! records from it. Uses the store's journal format; knows nothing of the screens.

use std::io::Read;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use super::{TransferError, write_private};
use crate::store::journal::{self, GENESIS, Line, LineError};
use crate::store::{JOURNAL_FILE, Store, StoreError};

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// Journal lines (confirmed changes) in it.
    pub entries: u64,
    /// Its size in bytes.
    pub bytes: u64,
    /// The hash of its last line: the whole chain up to it is verified.
    pub last_hash: String,
    /// Journal bytes left out because they were not confirmed yet (a line or batch being written).
    pub left_out: u64,
}

/// Raw lines of `bytes` up to its last newline: `(end offset, line)`.
fn split_lines(bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push(((i + 1) as u64, bytes[start..i].to_vec()));
            start = i + 1;
        }
    }
    out
}

/// The verified chain, without a batch whose last line is missing (never confirmed).
fn confirmed(lines: Vec<Line>) -> Vec<Line> {
    let mut lines = lines;
    if let Some(mark) = lines.last().and_then(|l| l.entry.batch).filter(|m| !m.last)
        && let Some(at) = lines.iter().position(|l| l.entry.seq == mark.first)
    {
        lines.truncate(at);
    }
    lines
}

/// Copies the journal of the store in `store_dir` to `out` (owner-only, never overwriting):
/// every complete, confirmed line, with the chain verified first.
pub fn backup(store_dir: &Path, out: &Path) -> Result<BackupReport, TransferError> {
    let path = store_dir.join(JOURNAL_FILE);
    if !path.exists() {
        return Err(StoreError::NotFound {
            dir: store_dir.to_path_buf(),
        }
        .into());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| TransferError::io("read", &path, e))?;
    let lines =
        journal::verify(split_lines(&bytes), GENESIS.to_string(), 0).map_err(|(i, error)| {
            StoreError::Journal {
                path: path.clone(),
                line: i as u64 + 1,
                error,
            }
        })?;
    let lines = confirmed(lines);
    let Some(last) = lines.last() else {
        return Err(TransferError::EmptyBackup);
    };
    let end = usize::try_from(last.end)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    write_private(out, &bytes[..end], false)?;
    Ok(BackupReport {
        entries: lines.len() as u64,
        bytes: end as u64,
        last_hash: last.hash.clone(),
        left_out: (bytes.len() - end) as u64,
    })
}

/// What a restore rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Journal lines applied.
    pub entries: u64,
    /// Cases in the restored store.
    pub cases: usize,
    /// Open actions in it.
    pub open_actions: usize,
}

/// Verifies the backup `file` and rebuilds a store from it in `dir`, which must be new or
/// empty. On any failure nothing is left in `dir`.
pub fn restore(file: &Path, dir: &Path) -> Result<RestoreReport, TransferError> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| TransferError::io("read", file, e))?;
    verify_backup(&bytes)?;
    let created = !dir.exists();
    if !created {
        let mut entries = std::fs::read_dir(dir).map_err(|e| TransferError::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(TransferError::NotEmpty {
                dir: dir.to_path_buf(),
            });
        }
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| TransferError::io("create", dir, e))?;
    let result = rebuild(&bytes, dir);
    if result.is_err() {
        // Nothing half-restored stays behind.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let p = entry.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
        if created {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn rebuild(bytes: &[u8], dir: &Path) -> Result<RestoreReport, TransferError> {
    write_private(&dir.join(JOURNAL_FILE), bytes, false)?;
    // Opening a store whose sled files are missing applies every journal line to new ones.
    let mut store = Store::open(dir)?;
    let entries = store.seq();
    let state = store.state()?;
    Ok(RestoreReport {
        entries,
        cases: state.cases.len(),
        open_actions: state.actions.values().filter(|a| a.is_open()).count(),
    })
}

/// Checks that `bytes` is a whole backup: complete lines, an unbroken hash chain from the
/// first line, and no unfinished batch at the end.
pub fn verify_backup(bytes: &[u8]) -> Result<u64, TransferError> {
    if bytes.is_empty() {
        return Err(TransferError::EmptyBackup);
    }
    let lines = split_lines(bytes);
    if bytes.last() != Some(&b'\n') {
        return Err(TransferError::BadBackup {
            line: lines.len() as u64 + 1,
            error: LineError::Malformed("the file is cut short in the middle of a line".into()),
        });
    }
    let lines = journal::verify(lines, GENESIS.to_string(), 0).map_err(|(i, error)| {
        TransferError::BadBackup {
            line: i as u64 + 1,
            error,
        }
    })?;
    let count = lines.len() as u64;
    if confirmed(lines).len() as u64 != count {
        return Err(TransferError::BadBackup {
            line: count,
            error: LineError::Malformed("the file ends inside an unfinished batch".into()),
        });
    }
    Ok(count)
}
