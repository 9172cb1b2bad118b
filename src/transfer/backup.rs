//! `casedesk backup` and `restore`: a backup is the journal's confirmed lines, hash chain and all,
//! read straight from the file (without opening sled or taking the store's lock, so it works
//! while another casedesk has the store open); a restore verifies the chain and rebuilds the
//! records from it. Uses the store's journal format; knows nothing of the screens.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use super::{PrivateFile, TransferError};
use crate::store::journal::{self, GENESIS, LineError};
use crate::store::{JOURNAL_FILE, Store, StoreError};

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// What reading a journal found.
#[derive(Debug, Clone, Default)]
struct Scan {
    /// Lines passed on (whole batches only).
    entries: u64,
    /// Bytes passed on.
    bytes: u64,
    /// Hash of the last line passed on.
    last_hash: String,
    /// Bytes held back: a last line without its newline, or a batch without its last line.
    left_out: u64,
    /// True when the bytes held back include a line without its newline.
    torn: bool,
    /// Lines read and verified in all.
    lines: u64,
}

/// Reads journal lines from `reader`, checking each line's hash and the chain from the first,
/// and passes on to `emit` every line that is confirmed: a line outside a batch at once, a
/// batch's lines once its last line is read. A bad line stops it: `Err((line number, why))`.
/// Only one batch's lines are held in memory at a time.
fn scan<R: BufRead>(
    mut reader: R,
    mut emit: impl FnMut(&[u8]) -> Result<(), TransferError>,
) -> Result<Result<Scan, (u64, LineError)>, TransferError> {
    let mut found = Scan {
        last_hash: GENESIS.to_string(),
        ..Scan::default()
    };
    let mut prev = GENESIS.to_string();
    let mut held: Vec<u8> = Vec::new();
    let mut held_lines = 0u64;
    let mut held_hash;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| TransferError::io("read", Path::new("journal"), e))?;
        if n == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            found.torn = true;
            found.left_out += n as u64;
            break;
        }
        found.lines += 1;
        let number = found.lines;
        let body = line.get(..n - 1).unwrap_or_default();
        let (entry, hash) = match journal::parse(body) {
            Ok(parsed) => parsed,
            Err(e) => return Ok(Err((number, e))),
        };
        if entry.seq != number {
            return Ok(Err((
                number,
                LineError::BadSeq {
                    found: entry.seq,
                    expected: number,
                },
            )));
        }
        if entry.prev != prev {
            return Ok(Err((number, LineError::BrokenChain)));
        }
        prev = hash.clone();
        held.extend_from_slice(&line);
        held_lines += 1;
        held_hash = hash;
        if entry.batch.is_none_or(|mark| mark.last) {
            emit(&held)?;
            found.entries += held_lines;
            found.bytes += held.len() as u64;
            found.last_hash = std::mem::take(&mut held_hash);
            held.clear();
            held_lines = 0;
        }
    }
    found.left_out += held.len() as u64;
    Ok(Ok(found))
}

/// Copies the journal of the store in `store_dir` to `out` (owner-only, never overwriting):
/// every complete, confirmed line, the chain verified as it is copied. The journal is read as
/// long as it was when the backup started; lines appended since are left for the next one.
pub fn backup(store_dir: &Path, out: &Path) -> Result<BackupReport, TransferError> {
    let mut target = PrivateFile::create(out, false)?;
    let report = copy_journal(store_dir, &mut |bytes| {
        target
            .write(bytes)
            .map_err(|e| std::io::Error::other(e.to_string()))
    })?;
    target.finish()?;
    Ok(report)
}

/// Reads the journal of the store in `store_dir` as long as it is now and passes every
/// complete, confirmed line to `emit`, the chain verified as it goes (for a backup).
pub fn copy_journal(
    store_dir: &Path,
    emit: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<BackupReport, TransferError> {
    let path = store_dir.join(JOURNAL_FILE);
    if !path.exists() {
        return Err(StoreError::NotFound {
            dir: store_dir.to_path_buf(),
        }
        .into());
    }
    let (file, meta) =
        crate::fsio::open_regular(&path).map_err(|e| TransferError::unreadable(&path, e))?;
    let len = meta.len();
    let reader = BufReader::with_capacity(1 << 20, file.take(len));
    let found = scan(reader, |bytes| {
        emit(bytes).map_err(|e| TransferError::io("write", Path::new("backup"), e))
    })?
    .map_err(|(line, error)| StoreError::Journal {
        path: path.clone(),
        line,
        error,
    })?;
    if found.entries == 0 {
        return Err(TransferError::EmptyBackup);
    }
    Ok(BackupReport {
        entries: found.entries,
        bytes: found.bytes,
        last_hash: found.last_hash,
        left_out: found.left_out,
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
    let (source, _) =
        crate::fsio::open_regular(file).map_err(|e| TransferError::unreadable(file, e))?;
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
    let result = rebuild(source, dir);
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

fn rebuild(source: std::fs::File, dir: &Path) -> Result<RestoreReport, TransferError> {
    let mut journal = PrivateFile::create(&dir.join(JOURNAL_FILE), false)?;
    let reader = BufReader::with_capacity(1 << 20, source);
    let found = scan(reader, |bytes| journal.write(bytes))?
        .map_err(|(line, error)| TransferError::BadBackup { line, error })?;
    // A backup holds whole lines and whole batches; anything else is a damaged file.
    if found.torn {
        return Err(TransferError::BadBackup {
            line: found.lines + 1,
            error: LineError::Malformed("the file is cut short in the middle of a line".into()),
        });
    }
    if found.left_out > 0 {
        return Err(TransferError::BadBackup {
            line: found.lines,
            error: LineError::Malformed("the file ends inside an unfinished batch".into()),
        });
    }
    if found.entries == 0 {
        return Err(TransferError::EmptyBackup);
    }
    journal.finish()?;
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
