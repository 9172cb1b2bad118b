//! Building sled's files anew beside the old ones — from the journal (a rebuild) or from the
//! files as they are (a compaction) — written in key order in small batches so that the new
//! files are compact, synced, and only then put in place (`recover::install`). A rebuild never
//! drops what only sled holds without being told to. Knows sled and the journal, not screens.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::check::{self, Diff};
use super::codec::SCHEMA_VERSION;
use super::journal::{self, GENESIS, Journal};
use super::recover::{self, DB_DIR, NEW_DIR};
use super::{
    Applied, JOURNAL_FILE, META_APPLIED, Quarantined, StoreError, TreeId, cache, codec, open_sled,
    space,
};

/// Records per batch when writing new files: sled's leaves hold 16 items, and small batches
/// in key order leave them full and the log short.
const BATCH: usize = 1000;
/// Below this, sled's folder is never compacted (its fixed costs dominate).
const COMPACT_FLOOR: u64 = 16 << 20;
/// Written into a new database folder: the bytes of records it was built with.
const LIVE_FILE: &str = "casedesk.live";
/// Written beside the old files when a rebuild discards what only they held.
pub const NEWER_FILE: &str = "newer-than-journal.jsonl";

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rebuild {
    /// Journal entries the new files were built from.
    pub entries: u64,
    /// Where the old files went (kept), if there were any.
    pub aside: Option<PathBuf>,
    /// The journal's unconfirmed end, moved to a quarantine file.
    pub quarantined: Option<Quarantined>,
    /// Records the old files held that the journal lacks (discarded on request, saved in
    /// `NEWER_FILE` beside the old files).
    pub newer: Vec<Newer>,
}

/// A record only sled had (or had otherwise than the journal gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newer {
    /// The tree (`cases`, `actions`, …).
    pub tree: &'static str,
    /// The record's key, readable (`2026-0012`, `2026-0012/3`).
    pub key: String,
    /// Extra (only in sled) or different.
    pub how: Diff,
    /// The value sled held (JSON).
    value: Vec<u8>,
}

/// Rebuilds sled's files from the journal in `dir` (our lock is held). The journal is read and
/// replayed in memory, the new files written in `db.new`, the unconfirmed end of the journal
/// moved to quarantine, and only then are the new files put in place, the old ones kept aside.
/// Anything failing before that leaves the store as it was.
pub(crate) fn rebuild(
    dir: &Path,
    _lock: &super::Lock,
    discard_newer: bool,
) -> Result<Rebuild, StoreError> {
    let journal_path = dir.join(JOURNAL_FILE);
    let mut journal = Journal::open(&journal_path)
        .map_err(|e| super::access(dir, e, "open the journal", &journal_path))?;
    let tail = journal
        .read_from(0)
        .map_err(|e| StoreError::io("read the journal", &journal_path, e))?;
    let reading = journal::sort_out(tail, 0, GENESIS.to_string(), 0).map_err(|(_, found)| {
        StoreError::NewerSchema {
            dir: dir.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        }
    })?;
    if let Some(damage) = reading.damage {
        return Err(StoreError::Journal {
            path: journal_path,
            line: damage.line,
            error: damage.error,
        });
    }
    let replayed = check::replay(&reading.lines)
        .map_err(|(line, reason)| StoreError::Replay { line, reason })?;
    let last = reading
        .lines
        .last()
        .map(|l| Applied {
            seq: l.entry.seq,
            offset: l.end,
            hash: l.hash.clone(),
        })
        .unwrap_or_default();
    let expected = check::expected_trees(&replayed.state, &replayed.notes, &last).map_err(|e| {
        StoreError::Damaged {
            dir: dir.to_path_buf(),
            what: "record".into(),
            reason: e.to_string(),
        }
    })?;
    let newer = newer_in_sled(dir, &expected, &reading.lines, &last);
    if !newer.is_empty() && !discard_newer {
        return Err(StoreError::SledAhead {
            dir: dir.to_path_buf(),
            names: newer
                .iter()
                .map(|n| format!("{} {}", n.tree, n.key))
                .collect(),
        });
    }
    let live: u64 = expected
        .iter()
        .flat_map(|(_, records)| records.iter())
        .map(|(k, v)| (k.len() + v.len()) as u64)
        .sum();
    let needed = 2 * live + 4 * space::SEGMENT;
    if let Some(free) = space::free_bytes(dir)
        && free < needed
    {
        return Err(StoreError::DiskFull {
            dir: dir.to_path_buf(),
            free: Some(free),
            needed,
        });
    }
    write_new(dir, &expected, needed)?;
    let quarantined = match reading.unconfirmed {
        Some(end) => {
            let bytes = journal.len().saturating_sub(end.offset);
            match journal.quarantine(end.offset) {
                Ok(file) => Some(Quarantined {
                    line: end.line,
                    offset: end.offset,
                    bytes,
                    why: end.why,
                    file,
                }),
                Err(e) => {
                    recover::discard_build(dir);
                    return Err(super::access(
                        dir,
                        e,
                        "move the journal's unconfirmed end aside",
                        &journal_path,
                    ));
                }
            }
        }
        None => None,
    };
    let aside = dir.join(DB_DIR).exists().then(|| recover::aside_name(dir));
    cache::remove(dir);
    let _ = super::undo::remove(dir);
    recover::install(dir, aside.as_deref())
        .map_err(|e| StoreError::io("put the rebuilt database in place", dir.join(NEW_DIR), e))?;
    if let Some(aside) = &aside
        && !newer.is_empty()
    {
        let _ = save_newer(&aside.join(NEWER_FILE), &newer);
    }
    Ok(Rebuild {
        entries: last.seq,
        aside,
        quarantined,
        newer,
    })
}

/// The records sled's current files hold that the journal lacks, when sled has applied more of
/// the journal than there is, or another journal than this one. Empty when sled is behind or
/// level with the journal (any difference then is damage, which the rebuild repairs) or cannot
/// be read at all (its files are kept aside all the same).
fn newer_in_sled(
    dir: &Path,
    expected: &check::Expected,
    lines: &[journal::Line],
    last: &Applied,
) -> Vec<Newer> {
    let db_path = dir.join(DB_DIR);
    if !db_path.join("db").exists() {
        return Vec::new();
    }
    let Ok(db) = open_sled(&db_path, dir) else {
        return Vec::new();
    };
    let read = super::guarded(dir, || -> Option<Vec<Newer>> {
        let meta = db.open_tree(TreeId::Meta.name()).ok()?;
        let applied: Applied = codec::decode(&meta.get(META_APPLIED).ok()??).ok()?;
        let same_history = applied.seq <= last.seq
            && match applied.seq {
                0 => true,
                n => lines
                    .get(usize::try_from(n - 1).ok()?)
                    .is_some_and(|l| l.hash == applied.hash),
            };
        if same_history {
            return Some(Vec::new());
        }
        let mut newer = Vec::new();
        for (t, want) in expected {
            let tree = db.open_tree(t.name()).ok()?;
            for item in tree.iter() {
                let (k, v) = item.ok()?;
                let how = match want.get(k.as_ref()) {
                    None => Diff::Extra,
                    Some(w) if w.as_slice() != v.as_ref() => Diff::Different,
                    Some(_) => continue,
                };
                if *t == TreeId::Meta && k.as_ref() == META_APPLIED {
                    continue;
                }
                newer.push(Newer {
                    tree: t.name(),
                    key: check::readable_key(*t, &k),
                    how,
                    value: v.to_vec(),
                });
            }
        }
        Some(newer)
    });
    read.ok().flatten().unwrap_or_default()
}

/// Writes the records only sled had as JSON lines (owner-only), for a person to look at.
fn save_newer(path: &Path, newer: &[Newer]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    for n in newer {
        let value: serde_json::Value = serde_json::from_slice(&n.value).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&n.value).into())
        });
        let line = serde_json::json!({
            "tree": n.tree,
            "key": n.key,
            "how": match n.how { Diff::Extra => "only_in_database", Diff::Different => "differs", Diff::Missing => "missing" },
            "value": value,
        });
        writeln!(file, "{line}")?;
    }
    file.sync_all()
}

/// Writes `expected` (every tree, in key order) as a new sled database in `db.new`, synced and
/// sealed. On failure nothing of it is left.
fn write_new(dir: &Path, expected: &check::Expected, needed: u64) -> Result<(), StoreError> {
    recover::discard_build(dir);
    let new = dir.join(NEW_DIR);
    let result = (|| {
        let db = open_sled(&new, dir)?;
        let mut live = 0u64;
        for (t, records) in expected {
            let tree = db.open_tree(t.name()).map_err(sled(dir))?;
            live += write_sorted(
                &tree,
                records.iter().map(|(k, v)| (k.as_slice(), v.as_slice())),
            )
            .map_err(sled(dir))?;
        }
        finish(db, dir, &new, live)
    })();
    if let Err(e) = result {
        recover::discard_build(dir);
        return Err(full_or(e, dir, needed));
    }
    Ok(())
}

/// Copies every tree of the open database `db` into a new one in `db.new`, synced and sealed.
pub(crate) fn compact(db: &sled::Db, dir: &Path) -> Result<(), StoreError> {
    recover::discard_build(dir);
    let new = dir.join(NEW_DIR);
    let result = (|| {
        let out = open_sled(&new, dir)?;
        let mut live = 0u64;
        for name in db.tree_names() {
            let from = db.open_tree(&name).map_err(sled(dir))?;
            let to = out.open_tree(&name).map_err(sled(dir))?;
            let mut records = Vec::with_capacity(BATCH);
            let mut iter = from.iter();
            loop {
                records.clear();
                for item in iter.by_ref().take(BATCH) {
                    records.push(item.map_err(sled(dir))?);
                }
                if records.is_empty() {
                    break;
                }
                live += write_sorted(&to, records.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
                    .map_err(sled(dir))?;
            }
        }
        finish(out, dir, &new, live)
    })();
    if result.is_err() {
        recover::discard_build(dir);
    }
    result
}

/// True when sled's folder has grown larger than the journal it is built from (and than twice
/// the records it held when it was last built), and the disk has room for a compact copy.
pub(crate) fn worth_compacting(dir: &Path, journal_len: u64) -> bool {
    let db = dir.join(DB_DIR);
    let size = recover::size_of(&db);
    if size <= journal_len.max(COMPACT_FLOOR) {
        return false;
    }
    let live = std::fs::read_to_string(db.join(LIVE_FILE))
        .ok()
        .and_then(|t| t.trim().parse::<u64>().ok());
    if live.is_some_and(|live| size <= 2 * live) {
        return false;
    }
    space::free_bytes(dir).is_none_or(|free| free > size + 4 * space::SEGMENT)
}

/// Writes records (in key order) in batches; returns their bytes.
fn write_sorted<'a>(
    tree: &sled::Tree,
    records: impl Iterator<Item = (&'a [u8], &'a [u8])>,
) -> Result<u64, sled::Error> {
    let mut live = 0u64;
    let mut batch = sled::Batch::default();
    let mut n = 0;
    for (k, v) in records {
        live += (k.len() + v.len()) as u64;
        batch.insert(k, v);
        n += 1;
        if n == BATCH {
            tree.apply_batch(std::mem::take(&mut batch))?;
            n = 0;
        }
    }
    if n > 0 {
        tree.apply_batch(batch)?;
    }
    Ok(live)
}

/// Flushes and closes a new database, opens it once more so that sled writes its snapshot now
/// rather than at the next open, records its size of records and seals it.
fn finish(db: sled::Db, dir: &Path, new: &Path, live: u64) -> Result<(), StoreError> {
    // Walk every tree twice so that sled makes the splits it owes now, not when a reader
    // first passes (see `settle_paths`).
    for _ in 0..2 {
        for name in db.tree_names() {
            let tree = db.open_tree(&name).map_err(sled(dir))?;
            for item in tree.iter() {
                item.map_err(sled(dir))?;
            }
        }
    }
    db.flush().map_err(sled(dir))?;
    drop(db);
    drop(open_sled(new, dir)?);
    std::fs::write(new.join(LIVE_FILE), live.to_string())
        .map_err(|e| super::access(dir, e, "write the new database", new))?;
    recover::seal(new).map_err(|e| super::access(dir, e, "write the new database", new))
}

fn sled(dir: &Path) -> impl Fn(sled::Error) -> StoreError + '_ {
    move |source| StoreError::Sled {
        dir: dir.to_path_buf(),
        source,
    }
}

/// A failure while building, told as a full disk when it is one.
fn full_or(e: StoreError, dir: &Path, needed: u64) -> StoreError {
    match e {
        StoreError::Sled { source, .. } if space::sled_full(&source) => StoreError::DiskFull {
            dir: dir.to_path_buf(),
            free: space::free_bytes(dir),
            needed,
        },
        e => e,
    }
}

/// The records sled held that were discarded, as saved beside the old files.
pub fn newer_file(aside: &Path) -> PathBuf {
    aside.join(NEWER_FILE)
}

impl Newer {
    /// The record as sled held it (JSON).
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}
