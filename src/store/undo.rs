//! What `undo` offers each person, kept between processes: every account's own recent changes
//! with the commands that undo them, written beside the store when a handle that wrote closes
//! and read only at the very journal head it was written at (anything else, and the journal is
//! read instead). Knows the store's directory, not screens.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::Applied;
use super::codec::SCHEMA_VERSION;
use super::journal::Entry;
use crate::domain::Command;

/// The file's name in the store directory.
pub(crate) const UNDO_FILE: &str = "undo.cache";
/// Changes kept per account (older ones are found in the journal).
const KEPT: usize = 50;
/// The largest file read.
const MAX_FILE: u64 = 256 << 20;

/// One of a person's own changes, with the command that undoes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnChange {
    /// Its journal sequence number.
    pub seq: u64,
    /// When it was made.
    pub at: DateTime<FixedOffset>,
    /// Its kind as the journal names it.
    pub kind: String,
    /// The command that undoes it; `None` when it cannot be undone.
    pub undo: Option<Command>,
}

/// Each account's own changes since the kept list began, oldest first. Every change by an
/// account after its first kept one is in it (changes in a batch are never offered for undo).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct OwnChanges {
    by: BTreeMap<String, Vec<OwnChange>>,
}

impl OwnChanges {
    /// Takes in a single confirmed change and the command that undoes it: an undo takes its
    /// change out of the list, anything else goes at its end.
    pub(crate) fn follow(&mut self, entry: &Entry, undo: Option<&Command>) {
        let own = self.by.entry(entry.user.clone()).or_default();
        match &entry.cmd {
            Command::Revert { revert } => own.retain(|c| c.seq != revert.seq),
            cmd => {
                own.push(OwnChange {
                    seq: entry.seq,
                    at: entry.at,
                    kind: cmd.kind().to_string(),
                    undo: undo.cloned(),
                });
                if own.len() > KEPT {
                    own.remove(0);
                }
            }
        }
        if own.is_empty() {
            self.by.remove(&entry.user);
        }
    }

    /// The account's latest change still there to take back, when one is kept.
    pub(crate) fn latest(&self, account: &str) -> Option<&OwnChange> {
        self.by.get(account).and_then(|own| own.last())
    }

    fn is_empty(&self) -> bool {
        self.by.is_empty()
    }
}

/// What the file starts with: where the journal was when it was written.
#[derive(Serialize, Deserialize)]
struct Header {
    version: String,
    schema: u32,
    seq: u64,
    hash: String,
    checksum: [u8; 32],
}

/// The changes kept at `applied`, when a file written there exists and reads whole.
pub(crate) fn read(dir: &Path, applied: &Applied) -> OwnChanges {
    let Ok(bytes) = crate::fsio::read_bounded(&dir.join(UNDO_FILE), MAX_FILE) else {
        return OwnChanges::default();
    };
    let Some(split) = bytes.iter().position(|b| *b == b'\n') else {
        return OwnChanges::default();
    };
    let (head, body) = bytes.split_at(split);
    let body = body.get(1..).unwrap_or_default();
    let Ok(header) = serde_json::from_slice::<Header>(head) else {
        return OwnChanges::default();
    };
    if header.version != env!("CARGO_PKG_VERSION")
        || header.schema != SCHEMA_VERSION
        || header.seq != applied.seq
        || header.hash != applied.hash
        || header.checksum != super::cache::checksum(body)
    {
        return OwnChanges::default();
    }
    serde_json::from_slice(body).unwrap_or_default()
}

/// Writes the changes kept at `applied` (owner-only, replaced in one rename); removes the file
/// when nothing is kept. Not synced: lost, the journal is read instead.
pub(crate) fn write(dir: &Path, applied: &Applied, own: &OwnChanges) -> std::io::Result<()> {
    if own.is_empty() {
        return remove(dir);
    }
    let body = serde_json::to_vec(own).map_err(std::io::Error::other)?;
    let header = Header {
        version: env!("CARGO_PKG_VERSION").to_string(),
        schema: SCHEMA_VERSION,
        seq: applied.seq,
        hash: applied.hash.clone(),
        checksum: super::cache::checksum(&body),
    };
    let mut bytes = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    bytes.extend(body);
    crate::fsio::replace_private(&dir.join(UNDO_FILE), &bytes, false)
}

/// Removes the file (nothing kept, or the store rebuilt).
pub(crate) fn remove(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(dir.join(UNDO_FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
