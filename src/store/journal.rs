//! The journal: one JSON line per confirmed command, each carrying the hash of the line before;
//! appended and synced before a change reaches sled. Knows files and hashing, not sled.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::{Command, Outcome};

/// The hash that comes before the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const HASH_PREFIX: &[u8] = b",\"hash\":\"";
const HASH_LEN: usize = 64;
// `,"hash":"` + 64 hex digits + `"}`
const SUFFIX_LEN: usize = 9 + HASH_LEN + 2;
/// The longest line looked for when reading the journal backwards.
const MAX_LINE: u64 = 64 << 20;

/// One journal line without its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Schema version of the line.
    pub v: u32,
    /// Sequence number, from 1, without gaps.
    pub seq: u64,
    /// When the command was decided.
    pub at: DateTime<FixedOffset>,
    /// Who gave it.
    pub user: String,
    /// Hash of the line before (`GENESIS` for the first).
    pub prev: String,
    /// The command.
    pub cmd: Command,
    /// What it assigned.
    pub out: Outcome,
    /// Set on every line of a multi-command batch (import, demo data): a batch whose last line
    /// is missing was never confirmed and is dropped as a whole when the store opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchMark>,
}

/// Membership of a journal line in a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchMark {
    /// Sequence number of the batch's first line.
    pub first: u64,
    /// True on the batch's last line.
    pub last: bool,
}

/// A line read back and its hash.
#[derive(Debug, Clone)]
pub struct Line {
    /// The entry.
    pub entry: Entry,
    /// The hash written at the end of the line (checked against its content).
    pub hash: String,
    /// Byte offset just past the line's newline.
    pub end: u64,
}

/// What is wrong with a journal line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// It is not a journal line at all.
    #[error("it is not a journal line ({0})")]
    Malformed(String),
    /// Its content does not match its hash: it was changed after it was written.
    #[error("its content does not match its hash: it was changed after it was written")]
    HashMismatch,
    /// Written by a newer casedesk.
    #[error("it was written by a newer casedesk (schema {0})")]
    Newer(u32),
    /// Its `prev` is not the hash of the line before.
    #[error(
        "it does not follow the line before (its prev hash differs): a line was changed, removed or inserted"
    )]
    BrokenChain,
    /// Its sequence number is not the next one.
    #[error("its sequence number is {found}, expected {expected}")]
    BadSeq {
        /// What the line says.
        found: u64,
        /// What it should say.
        expected: u64,
    },
}

/// Renders an entry as a line (with the newline) and returns the line and its hash.
pub fn render(entry: &Entry) -> Result<(Vec<u8>, String), serde_json::Error> {
    let mut body = serde_json::to_vec(entry)?;
    let hash = hex(&Sha256::digest(&body));
    // The hash goes last inside the same object, so every line is plain JSON and the hashed
    // bytes are exactly the line without it.
    body.pop();
    body.extend_from_slice(HASH_PREFIX);
    body.extend_from_slice(hash.as_bytes());
    body.extend_from_slice(b"\"}\n");
    Ok((body, hash))
}

/// Reads one line (without its newline), checking its hash against its content.
pub fn parse(line: &[u8]) -> Result<(Entry, String), LineError> {
    let malformed = |why: &str| LineError::Malformed(why.to_string());
    if line.len() <= SUFFIX_LEN || !line.ends_with(b"\"}") {
        return Err(malformed("no hash at the end"));
    }
    let cut = line.len() - SUFFIX_LEN;
    let (head, tail) = line.split_at(cut);
    let Some(hash) = tail
        .strip_prefix(HASH_PREFIX)
        .and_then(|h| h.strip_suffix(b"\"}"))
    else {
        return Err(malformed("no hash at the end"));
    };
    let hash = std::str::from_utf8(hash)
        .map_err(|_| malformed("the hash is not text"))?
        .to_string();
    let mut body = head.to_vec();
    body.push(b'}');
    let entry: Entry = match serde_json::from_slice(&body) {
        Ok(entry) => entry,
        Err(e) => {
            // A newer casedesk may write commands this one does not know: say so, rather
            // than call the line damaged.
            #[derive(Deserialize)]
            struct VersionOnly {
                v: u32,
            }
            return Err(match serde_json::from_slice::<VersionOnly>(&body) {
                Ok(only) if only.v > crate::store::codec::SCHEMA_VERSION => {
                    LineError::Newer(only.v)
                }
                _ => LineError::Malformed(e.to_string()),
            });
        }
    };
    if hex(&Sha256::digest(&body)) != hash {
        return Err(LineError::HashMismatch);
    }
    Ok((entry, hash))
}

/// Lower-case hexadecimal, as the hashes are written.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n)).copied().unwrap_or(b'0'));
    for b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0xf));
    }
    out
}

/// The open journal file.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    len: u64,
    broken: bool,
}

impl Journal {
    /// Opens (creating, owner-only) the journal at `path`.
    pub fn open(path: &Path) -> std::io::Result<Journal> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .mode(0o600)
            .open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(std::io::Error::other("it is not a regular file"));
        }
        let len = meta.len();
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            len,
            broken: false,
        })
    }

    /// True when a failed write could not be taken back: the file's end is no longer known.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when nothing was ever journaled.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends whole lines and waits until they are on disk.
    pub fn append(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let before = self.len;
        let result = self
            .file
            .write_all(bytes)
            .and_then(|()| self.file.sync_data());
        match result {
            Ok(()) => {
                self.len = before + bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                // A partial line must not stay: put the file back as it was.
                if self.truncate(before).is_err() {
                    self.broken = true;
                }
                Err(e)
            }
        }
    }

    /// Appends lines without waiting for the disk; `sync` must follow before anything relies
    /// on them.
    pub fn write_unsynced(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let before = self.len;
        match self.file.write_all(bytes) {
            Ok(()) => {
                self.len = before + bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                if self.truncate(before).is_err() {
                    self.broken = true;
                }
                Err(e)
            }
        }
    }

    /// Waits until everything written is on disk.
    pub fn sync(&mut self) -> std::io::Result<()> {
        self.file.sync_data()
    }

    /// Cuts the journal back to `len` bytes (to undo an append sled refused, or drop a torn
    /// last line that was never confirmed) and syncs.
    pub fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.file.set_len(len)?;
        self.file.sync_data()?;
        self.len = len;
        Ok(())
    }

    /// The sequence number and hash of the line that ends at byte `end` (just past its
    /// newline), if a journal line ends there.
    pub fn line_ending_at(&self, end: u64) -> std::io::Result<Option<(u64, String)>> {
        if end == 0 || end > self.len {
            return Ok(None);
        }
        let mut file = File::open(&self.path)?;
        let mut window: u64 = 64 * 1024;
        loop {
            let start = end.saturating_sub(window);
            file.seek(SeekFrom::Start(start))?;
            let mut buf = vec![0u8; usize::try_from(end - start).unwrap_or(0)];
            file.read_exact(&mut buf)?;
            if buf.last() != Some(&b'\n') {
                return Ok(None);
            }
            let body = buf.strip_suffix(b"\n").unwrap_or_default();
            match body.iter().rposition(|b| *b == b'\n') {
                Some(at) => {
                    let last = body.get(at + 1..).unwrap_or_default();
                    return Ok(parse(last).ok().map(|(e, h)| (e.seq, h)));
                }
                None if start == 0 => return Ok(parse(body).ok().map(|(e, h)| (e.seq, h))),
                None if window >= MAX_LINE => return Ok(None),
                None => window *= 4,
            }
        }
    }

    /// Moves the bytes from `offset` to the end into a new file beside the journal (owner-only,
    /// synced with its directory), then cuts the journal there. Nothing is cut unless the copy
    /// is safely on disk. Returns the new file.
    pub fn quarantine(&mut self, offset: u64) -> std::io::Result<PathBuf> {
        let dir = crate::fsio::parent_of(&self.path).to_path_buf();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "journal.jsonl".into());
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let target = dir.join(format!("{name}.quarantined-{stamp}"));
        let copy = || -> std::io::Result<()> {
            let mut out = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&target)?;
            let mut source = File::open(&self.path)?;
            source.seek(SeekFrom::Start(offset))?;
            std::io::copy(&mut source.take(self.len.saturating_sub(offset)), &mut out)?;
            out.sync_all()?;
            crate::fsio::sync_dir(&dir)
        };
        if let Err(e) = copy() {
            let _ = std::fs::remove_file(&target);
            return Err(e);
        }
        self.truncate(offset)?;
        Ok(target)
    }

    /// Reads the lines from byte `from` to the end. A last line without its newline was never
    /// confirmed (the writer died while writing it); it is reported as `torn_at`.
    pub fn read_from(&self, from: u64) -> std::io::Result<Tail> {
        let mut file = File::open(&self.path)?;
        file.seek(SeekFrom::Start(from))?;
        let mut reader =
            BufReader::with_capacity(1 << 20, file.take(self.len.saturating_sub(from)));
        let mut lines = Vec::new();
        let mut pos = from;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let n = reader.read_until(b'\n', &mut buf)?;
            if n == 0 {
                return Ok(Tail {
                    lines,
                    torn_at: None,
                });
            }
            if buf.last() != Some(&b'\n') {
                return Ok(Tail {
                    lines,
                    torn_at: Some(pos),
                });
            }
            pos += n as u64;
            buf.pop();
            lines.push((pos, std::mem::take(&mut buf)));
        }
    }
}

/// Raw lines read from the journal: each with the offset just past it.
#[derive(Debug)]
pub struct Tail {
    /// `(end offset, line bytes without newline)`.
    pub lines: Vec<(u64, Vec<u8>)>,
    /// Where a torn last line starts, if there is one.
    pub torn_at: Option<u64>,
}

/// Checks a run of raw lines as a chain that continues from `prev` at sequence `seq`.
/// Stops at the first bad line and says which (counting lines from `first_line_no`).
pub fn verify(
    lines: Vec<(u64, Vec<u8>)>,
    mut prev: String,
    mut seq: u64,
) -> Result<Vec<Line>, (usize, LineError)> {
    let mut out = Vec::with_capacity(lines.len());
    for (i, (end, raw)) in lines.into_iter().enumerate() {
        let (entry, hash) = parse(&raw).map_err(|e| (i, e))?;
        if entry.seq != seq + 1 {
            return Err((
                i,
                LineError::BadSeq {
                    found: entry.seq,
                    expected: seq + 1,
                },
            ));
        }
        if entry.prev != prev {
            return Err((i, LineError::BrokenChain));
        }
        seq = entry.seq;
        prev = hash.clone();
        out.push(Line { entry, hash, end });
    }
    Ok(out)
}

/// Why the end of a journal was never a confirmed change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unconfirmed {
    /// The last line has no newline: the writer died while writing it.
    Torn,
    /// A batch (demo data, an import) whose last line never reached the disk.
    UnfinishedBatch {
        /// Sequence number of its first line.
        first: u64,
        /// Sequence number of its last line written.
        last: u64,
    },
    /// Lines that are not journal lines, or that do not continue the chain (a blank line, a
    /// CRLF, garbage, a duplicated line, a line of NUL bytes left by a power cut).
    Damaged(LineError),
}

/// The end of a journal that was never confirmed: from `offset` to the end of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnconfirmedEnd {
    /// Byte offset where it starts.
    pub offset: u64,
    /// Number of the first line in it (sequence numbers count lines from 1).
    pub line: u64,
    /// Why it was never confirmed.
    pub why: Unconfirmed,
}

/// A damaged line followed by confirmed history: the journal cannot be trusted past it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// Number of the damaged line.
    pub line: u64,
    /// What is wrong with it.
    pub error: LineError,
}

/// A journal read from some line on: the good lines, and what follows them.
#[derive(Debug)]
pub struct Reading {
    /// The lines that continue the chain.
    pub lines: Vec<Line>,
    /// An end that was never confirmed, to be moved aside.
    pub unconfirmed: Option<UnconfirmedEnd>,
    /// Damage with confirmed lines after it.
    pub damage: Option<Break>,
}

/// Reads the raw lines of `tail` (starting at byte `from`) as a chain continuing from `prev`
/// at sequence `seq`, and sorts out what follows the last good line. An end that is only
/// unparsable lines, lines that do not continue the chain, a torn line or an unfinished batch
/// was never confirmed; a damaged line after which the journal goes on (a later line with a
/// higher sequence number) is damage in the middle. A line from a newer casedesk is neither:
/// `Err((line number, schema))`.
pub fn sort_out(
    tail: Tail,
    from: u64,
    mut prev: String,
    mut seq: u64,
) -> Result<Reading, (u64, u32)> {
    let mut lines: Vec<Line> = Vec::with_capacity(tail.lines.len());
    let mut start = from;
    let mut first_bad: Option<(usize, LineError)> = None;
    for (i, (end, raw)) in tail.lines.iter().enumerate() {
        match parse(raw) {
            Ok((entry, hash)) if entry.seq == seq + 1 && entry.prev == prev => {
                seq = entry.seq;
                prev = hash.clone();
                start = *end;
                lines.push(Line {
                    entry,
                    hash,
                    end: *end,
                });
            }
            Ok((entry, _)) => {
                let error = if entry.seq == seq + 1 {
                    LineError::BrokenChain
                } else {
                    LineError::BadSeq {
                        found: entry.seq,
                        expected: seq + 1,
                    }
                };
                first_bad = Some((i, error));
                break;
            }
            Err(LineError::Newer(v)) => return Err((seq + 1, v)),
            Err(error) => {
                first_bad = Some((i, error));
                break;
            }
        }
    }
    let mut reading = Reading {
        lines,
        unconfirmed: None,
        damage: None,
    };
    if let Some((i, error)) = first_bad {
        // History goes on after the bad line: it was not a torn write but damage.
        let goes_on = tail.lines.iter().skip(i).any(|(_, raw)| match parse(raw) {
            Ok((entry, _)) => entry.seq > seq + 1,
            Err(LineError::Newer(_)) => true,
            Err(_) => false,
        });
        if goes_on {
            reading.damage = Some(Break {
                line: seq + 1,
                error,
            });
            return Ok(reading);
        }
        reading.unconfirmed = Some(UnconfirmedEnd {
            offset: start,
            line: seq + 1,
            why: Unconfirmed::Damaged(error),
        });
    } else if let Some(torn) = tail.torn_at {
        reading.unconfirmed = Some(UnconfirmedEnd {
            offset: torn,
            line: seq + 1,
            why: Unconfirmed::Torn,
        });
    }
    // A batch whose last line never reached the disk was never confirmed: it goes whole.
    if let Some(mark) = reading
        .lines
        .last()
        .and_then(|l| l.entry.batch)
        .filter(|m| !m.last)
    {
        let Some(at) = reading.lines.iter().position(|l| l.entry.seq == mark.first) else {
            // The batch began among lines already applied: its end was lost after it was
            // confirmed, which no crash does.
            reading.damage = Some(Break {
                line: seq + 1,
                error: LineError::Malformed(
                    "the batch before it has no last line, though part of it was applied".into(),
                ),
            });
            reading.unconfirmed = None;
            return Ok(reading);
        };
        let last = reading.lines.last().map_or(mark.first, |l| l.entry.seq);
        let offset = match at.checked_sub(1).and_then(|i| reading.lines.get(i)) {
            Some(before) => before.end,
            None => from,
        };
        reading.lines.truncate(at);
        reading.unconfirmed = Some(UnconfirmedEnd {
            offset,
            line: mark.first,
            why: Unconfirmed::UnfinishedBatch {
                first: mark.first,
                last,
            },
        });
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;
    use crate::domain::Outcome;

    fn entry(seq: u64, prev: &str) -> Entry {
        Entry {
            v: 1,
            seq,
            at: DateTime::parse_from_rfc3339("2026-11-28T09:00:00+09:00").unwrap_or_default(),
            user: "kim".into(),
            prev: prev.into(),
            cmd: Command::AddNote {
                case: "2026-0001"
                    .parse()
                    .unwrap_or(crate::domain::CaseNumber { year: 2026, seq: 1 }),
                kind: crate::domain::vocab::NoteKind::Note,
                text: "전화 상담 \"완료\"".into(),
                restricted: false,
            },
            out: Outcome::Done,
            batch: None,
        }
    }

    #[test]
    fn a_rendered_line_parses_back_and_any_change_is_caught() {
        let (line, hash) = render(&entry(1, GENESIS)).unwrap_or_default();
        let raw = &line[..line.len() - 1];
        let (back, back_hash) = parse(raw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, entry(1, GENESIS));
        assert_eq!(back_hash, hash);
        let tampered = String::from_utf8_lossy(raw).replace("kim", "lee");
        assert_eq!(
            parse(tampered.as_bytes()).err(),
            Some(LineError::HashMismatch)
        );
    }
}
