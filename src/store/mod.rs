//! The durable store: each command is journaled and synced, then applied to sled in one
//! transaction with its indexes and flushed, and only then confirmed. Its rooms: `open` (the
//! lock, finding and opening the store), `replay` (the journal into sled), `read`, `write`,
//! `layout` (trees, keys and index entries), `codec`, `journal`, `cache`, `recover` (what a crash
//! leaves), `build` (rebuilding and compacting sled), `check`. Depends on `domain`, never on the
//! app or the terminal.

pub mod build;
pub mod cache;
pub mod check;
pub mod codec;
pub mod error;
#[cfg(any(test, feature = "test-hooks"))]
mod fault;
pub mod journal;
mod layout;
mod open;
mod read;
pub mod recover;
mod replay;
mod space;
pub mod undo;
mod write;

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use crate::domain::{Changes, Command, Outcome, State};
pub use error::StoreError;
#[doc(hidden)]
#[cfg(any(test, feature = "test-hooks"))]
pub use fault::FailAfter;
use journal::Journal;
pub(crate) use layout::{
    Applied, META_APPLIED, META_COUNTERS, META_OFFICE, META_SCHEMA, Op, TreeId, expected_index_ops,
    ops_for,
};
pub use open::{Holder, HolderKind, discard_new, holder, on_recovery};
pub(crate) use open::{Lock, access, guarded, open_sled};
pub use recover::{Quarantined, Rebuilt, Recovery};
use write::sled_error;

/// The journal's file name in the store directory.
pub const JOURNAL_FILE: &str = "journal.jsonl";
/// The lock file a casedesk holds while it has the store open.
const LOCK_FILE: &str = "casedesk.lock";

/// What a confirmed command got: its journal sequence number and what it assigned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Journal sequence number.
    pub seq: u64,
    /// Numbers assigned.
    pub outcome: Outcome,
    /// The command that would undo this change, when it can be undone (single commands only).
    pub undo: Option<Command>,
    /// The records it wrote, in their new form (empty for a batch).
    pub changes: Changes,
    /// The cases, actions and conferences it changed, as they were before (empty for a batch).
    pub previous: Changes,
}

/// An open store. Only one process may have it open; the lock is released when it is dropped.
pub struct Store {
    dir: PathBuf,
    _lock: Lock,
    db: Option<sled::Db>,
    trees: Vec<sled::Tree>,
    journal: Journal,
    applied: Applied,
    state: Option<State>,
    /// A test hook's pending failure.
    #[cfg(any(test, feature = "test-hooks"))]
    fault: Option<fault::FailAfter>,
    poisoned: bool,
    recovery: Recovery,
    /// The journal position the cache on disk was written at, when it is known to match.
    cached_at: Option<u64>,
    listeners: Vec<mpsc::Sender<u64>>,
    /// True once this handle has written to sled.
    wrote: bool,
    /// Each person's own recent changes, for `undo`.
    own: undo::OwnChanges,
}

impl Drop for Store {
    fn drop(&mut self) {
        // Leave a cache of the records for the next open, when the one on disk is out of date.
        if let Some(state) = &self.state
            && !self.poisoned
            && self.cached_at != Some(self.applied.seq)
        {
            let _ = cache::write(&self.dir, &self.applied, state);
        }
        if self.wrote && !self.poisoned {
            let _ = undo::write(&self.dir, &self.applied, &self.own);
            self.settle();
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("applied", &self.applied.seq)
            .finish()
    }
}

impl Store {
    /// The directory the store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The journal file.
    pub fn journal_path(&self) -> &Path {
        self.journal.path()
    }

    /// What opening had to repair after a crash (nothing, usually).
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// The number of confirmed commands.
    pub fn seq(&self) -> u64 {
        self.applied.seq
    }

    /// The journal's head: the sequence number of its last line and that line's hash, an anchor
    /// for `check --anchor`.
    pub fn head(&self) -> (u64, String) {
        (self.applied.seq, self.applied.hash.clone())
    }

    pub(crate) fn sled_err(&self) -> impl Fn(sled::Error) -> StoreError + '_ {
        move |source| sled_error(&self.dir, source)
    }

    /// Tree `t`; every tree is opened with the store, so a missing one is a damaged handle.
    pub(crate) fn tree(&self, t: TreeId) -> Result<&sled::Tree, StoreError> {
        self.trees
            .get(t as usize)
            .ok_or_else(|| StoreError::Damaged {
                dir: self.dir.clone(),
                what: "database".into(),
                reason: format!("its tree {} is not open", t.name()),
            })
    }

    /// Tells `sender` the journal sequence number after every confirmed change.
    pub fn subscribe(&mut self) -> mpsc::Receiver<u64> {
        let (tx, rx) = mpsc::channel();
        self.listeners.push(tx);
        rx
    }

    pub(crate) fn not_loaded(&self) -> StoreError {
        StoreError::Damaged {
            dir: self.dir.clone(),
            what: "state".into(),
            reason: "not loaded".into(),
        }
    }

    pub(crate) fn notify(&mut self) {
        let seq = self.applied.seq;
        self.listeners.retain(|l| l.send(seq).is_ok());
    }
}
