//! The durable store: each command is journaled and synced, then applied to sled in one
//! transaction with its indexes and flushed, and only then confirmed. Depends on `domain`, never
//! on the app or the terminal.

pub mod build;
pub mod cache;
pub mod check;
pub mod codec;
pub mod error;
pub mod journal;
pub mod recover;
mod space;

use std::fs::{DirBuilder, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::domain::model::Counters;
use crate::domain::{
    Action, ActionId, Case, CaseNumber, Changes, Command, Conference, Ctx, DomainError, Note,
    Office, Outcome, State, Team, TeamCode, User,
};
use codec::{SCHEMA_VERSION, decode, encode};
pub use error::StoreError;
use journal::{Entry, GENESIS, Journal};

/// The journal's file name in the store directory.
pub const JOURNAL_FILE: &str = "journal.jsonl";
const LOCK_FILE: &str = "casedesk.lock";
use recover::DB_DIR;
const META_SCHEMA: &[u8] = b"schema";
const META_OFFICE: &[u8] = b"office";
const META_COUNTERS: &[u8] = b"counters";
const META_APPLIED: &[u8] = b"applied";
// Large batches (demo data, imports) go to sled in transactions of about this many writes.
const OPS_PER_TRANSACTION: usize = 20_000;

/// The sled trees, in the order the transaction sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TreeId {
    Teams = 0,
    Cases = 1,
    Actions = 2,
    Notes = 3,
    Meta = 4,
    DueIndex = 5,
    TeamIndex = 6,
    Conferences = 7,
    Users = 8,
    OwnerIndex = 9,
}

impl TreeId {
    pub(crate) const ALL: [TreeId; 10] = [
        TreeId::Teams,
        TreeId::Cases,
        TreeId::Actions,
        TreeId::Notes,
        TreeId::Meta,
        TreeId::DueIndex,
        TreeId::TeamIndex,
        TreeId::Conferences,
        TreeId::Users,
        TreeId::OwnerIndex,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            TreeId::Teams => "teams",
            TreeId::Cases => "cases",
            TreeId::Actions => "actions",
            TreeId::Notes => "notes",
            TreeId::Meta => "meta",
            TreeId::DueIndex => "idx_due",
            TreeId::TeamIndex => "idx_team",
            TreeId::Conferences => "conferences",
            TreeId::Users => "users",
            TreeId::OwnerIndex => "idx_owner",
        }
    }
}

/// One write to sled: put `value` at `key`, or remove `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Op {
    pub(crate) tree: TreeId,
    pub(crate) key: Vec<u8>,
    pub(crate) value: Option<Vec<u8>>,
}

/// How far sled has applied the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Applied {
    pub(crate) seq: u64,
    pub(crate) offset: u64,
    pub(crate) hash: String,
}

impl Default for Applied {
    fn default() -> Self {
        Applied {
            seq: 0,
            offset: 0,
            hash: GENESIS.to_string(),
        }
    }
}

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

/// A test hook: makes the next sled transaction fail after this many writes, so tests can show
/// that a failed command leaves nothing behind.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct FailAfter(pub usize);

#[derive(Debug)]
struct Injected;

/// What opening the store had to repair after a crash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Bytes of a half-written last line that were moved to quarantine (never confirmed).
    pub torn_bytes: u64,
    /// Sequence numbers of an unfinished batch that was moved to quarantine (never confirmed).
    pub dropped_batch: Option<(u64, u64)>,
    /// Journal entries sled lacked and that were applied.
    pub applied: u64,
    /// The store's files were written by an older casedesk (this schema) and were made again
    /// from the journal; the old ones are kept in this directory.
    pub upgraded: Option<(u32, PathBuf)>,
    /// What a crash left that was cleaned up before sled opened.
    pub tidied: Vec<recover::Tidied>,
    /// The end of the journal that was never confirmed, moved to a quarantine file.
    pub quarantined: Option<Quarantined>,
    /// sled's files could not be read: they were moved aside and rebuilt from the journal.
    pub rebuilt: Option<Rebuilt>,
    /// The journal is damaged with confirmed lines after the damage: the store is open
    /// read-only.
    pub read_only: Option<journal::Break>,
}

impl Recovery {
    /// True when opening did something a person should be told about.
    pub fn worth_telling(&self) -> bool {
        self.upgraded.is_some()
            || !self.tidied.is_empty()
            || self.quarantined.is_some()
            || self.rebuilt.is_some()
            || self.read_only.is_some()
    }
}

/// The end of the journal that was never confirmed, and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    /// Number of its first line.
    pub line: u64,
    /// Byte offset in the journal where it started.
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
    /// Why it was never confirmed.
    pub why: journal::Unconfirmed,
    /// The quarantine file beside the journal.
    pub file: PathBuf,
}

/// An automatic rebuild of sled's files from the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Why sled could not be read (sled's words).
    pub reason: String,
    /// Where the old files were moved (kept), if there were any.
    pub aside: Option<PathBuf>,
    /// Journal entries the new files were built from.
    pub entries: u64,
    /// How long it took, in milliseconds.
    pub millis: u64,
}

static ANNOUNCE: std::sync::OnceLock<fn(&Path, &Recovery)> = std::sync::OnceLock::new();

/// Sets who tells a person what opening a store repaired (the command line prints it). Only
/// the first call counts.
pub fn on_recovery(tell: fn(&Path, &Recovery)) {
    let _ = ANNOUNCE.set(tell);
}

fn announce(dir: &Path, recovery: &Recovery) {
    if recovery.worth_telling()
        && let Some(tell) = ANNOUNCE.get()
    {
        tell(dir, recovery);
    }
}

/// Whether opening replays journal entries sled lacks (normal) or leaves them (for `check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    Yes,
    No,
}

/// The store's lock file, held open (and locked) for as long as the store is.
type Lock = std::sync::Arc<File>;

/// An open store. Only one process may have it open; the lock is released when it is dropped.
pub struct Store {
    dir: PathBuf,
    _lock: Lock,
    db: Option<sled::Db>,
    trees: Vec<sled::Tree>,
    journal: Journal,
    applied: Applied,
    state: Option<State>,
    fault: Option<FailAfter>,
    poisoned: bool,
    recovery: Recovery,
    /// The journal position the cache on disk was written at, when it is known to match.
    cached_at: Option<u64>,
    listeners: Vec<mpsc::Sender<u64>>,
    /// True once this handle has written to sled.
    wrote: bool,
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
    /// Opens the store in `dir`; it must exist. What a crash left is cleaned up, journal entries
    /// sled lacks are applied, an unconfirmed end of the journal is moved to a quarantine file,
    /// and sled's files, if they cannot be read, are moved aside and rebuilt from the journal.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        present(dir)?;
        let store = Store::open_inner(dir, Replay::Yes)?;
        announce(dir, &store.recovery);
        Ok(store)
    }

    /// Opens the store in `dir`, creating an empty one (owner-only) if there is none.
    pub fn open_or_create(dir: &Path) -> Result<Store, StoreError> {
        // A store goes into a new or empty directory, never among someone's other files.
        match present(dir) {
            Ok(()) => return Store::open(dir),
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        if let Ok(mut entries) = std::fs::read_dir(dir) {
            let ours = |name: &std::ffi::OsStr| name == LOCK_FILE || name == DB_DIR;
            if entries.any(|e| e.map(|e| !ours(&e.file_name())).unwrap_or(true)) {
                return Err(StoreError::NotEmpty {
                    dir: dir.to_path_buf(),
                });
            }
        }
        let existed = dir.exists();
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| StoreError::io("create the store directory", dir, e))?;
        if !existed {
            // The new directory's name must survive a crash too.
            let _ = crate::fsio::sync_dir(crate::fsio::parent_of(dir));
        }
        let store = Store::open_inner(dir, Replay::Yes)?;
        announce(dir, &store.recovery);
        Ok(store)
    }

    /// Opens without applying journal entries sled lacks, for `check` to look at first.
    pub(crate) fn open_for_check(dir: &Path) -> Result<Store, StoreError> {
        present(dir)?;
        Store::open_inner(dir, Replay::No)
    }

    fn open_inner(dir: &Path, replay: Replay) -> Result<Store, StoreError> {
        let lock = lock(dir)?;
        let mut recovery = Recovery {
            tidied: recover::tidy(dir)
                .map_err(|e| StoreError::io("clean up after an interrupted run", dir, e))?,
            ..Recovery::default()
        };
        match Store::open_locked(dir, lock.clone(), replay, recovery.clone()) {
            Err(StoreError::OlderSchema { found, .. }) => {
                let built = build::rebuild(dir, &lock, false)?;
                recovery.upgraded = Some((found, built.aside.unwrap_or_default()));
                if let Some(q) = built.quarantined {
                    recovery.quarantined = Some(q);
                }
                Store::open_locked(dir, lock, replay, recovery)
            }
            Err(e) if e.sled_unreadable() => {
                // The journal is the truth: build sled's files again from it, keeping the old
                // ones aside.
                let started = std::time::Instant::now();
                let reason = e.sled_reason();
                let built = build::rebuild(dir, &lock, false)?;
                recovery.rebuilt = Some(Rebuilt {
                    reason,
                    aside: built.aside,
                    entries: built.entries,
                    millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                });
                if let Some(q) = built.quarantined {
                    recovery.quarantined = Some(q);
                }
                Store::open_locked(dir, lock, replay, recovery)
            }
            other => other,
        }
    }

    /// Rebuilds the store from its journal, for `check --rebuild`: the new sled files are built
    /// beside the old ones and only then put in their place; the old ones are kept (named
    /// `db.damaged-…`). An end of the journal that was never confirmed is moved to a quarantine
    /// file first; damage in its middle is refused. When sled holds changes the journal lacks,
    /// the rebuild is refused unless `discard_newer`, and those records are named. A failed
    /// rebuild leaves the store as it was.
    pub fn rebuild(dir: &Path, discard_newer: bool) -> Result<(Store, build::Rebuild), StoreError> {
        present(dir)?;
        let lock = lock(dir)?;
        let recovery = Recovery {
            tidied: recover::tidy(dir)
                .map_err(|e| StoreError::io("clean up after an interrupted run", dir, e))?,
            ..Recovery::default()
        };
        let built = build::rebuild(dir, &lock, discard_newer)?;
        let store = Store::open_locked(dir, lock, Replay::Yes, recovery)?;
        Ok((store, built))
    }

    fn open_locked(
        dir: &Path,
        lock: Lock,
        replay: Replay,
        recovery: Recovery,
    ) -> Result<Store, StoreError> {
        let sled_err = |source| StoreError::Sled {
            dir: dir.to_path_buf(),
            source,
        };
        let db_path = dir.join(DB_DIR);
        let fresh = !db_path.join("conf").exists() || !db_path.join("db").exists();
        let db = open_sled(&db_path, dir)?;
        let trees = guarded(dir, || {
            TreeId::ALL
                .iter()
                .map(|t| db.open_tree(t.name()))
                .collect::<Result<Vec<_>, _>>()
        })?
        .map_err(sled_err)?;
        if fresh {
            // sled never syncs its folder or its settings file: a power cut must not leave a
            // new store's database without them.
            let _ = crate::fsio::sync_tree(&db_path);
            let _ = crate::fsio::sync_dir(dir);
        }
        restrict_permissions(dir);

        let meta = &trees[TreeId::Meta as usize];
        let unreadable = |what: &str, why: String| StoreError::SledUnreadable {
            dir: dir.to_path_buf(),
            why: format!("its {what} does not read: {why}"),
        };
        match guarded(dir, || meta.get(META_SCHEMA))?.map_err(sled_err)? {
            Some(v) => {
                let found: u32 = serde_json::from_slice(&v)
                    .map_err(|e| unreadable("schema version", e.to_string()))?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::NewerSchema {
                        dir: dir.to_path_buf(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                if found < SCHEMA_VERSION {
                    // Written by an older casedesk: everything in sled derives from the journal,
                    // so the files are made again from it, in this version's layout.
                    return Err(StoreError::OlderSchema {
                        dir: dir.to_path_buf(),
                        found,
                    });
                }
            }
            None => {
                meta.insert(META_SCHEMA, SCHEMA_VERSION.to_string().as_bytes())
                    .map_err(sled_err)?;
            }
        }
        let applied: Applied = match guarded(dir, || meta.get(META_APPLIED))?.map_err(sled_err)? {
            Some(v) => decode(&v).map_err(|e| unreadable("journal position", e.to_string()))?,
            None => Applied::default(),
        };
        let journal_path = dir.join(JOURNAL_FILE);
        let created = !journal_path.exists();
        let journal = Journal::open(&journal_path)
            .map_err(|e| access(dir, e, "open the journal", &journal_path))?;
        if created {
            // The new file's name must survive a crash too.
            let _ = crate::fsio::sync_dir(dir);
        }
        if replay == Replay::Yes {
            if journal.len() < applied.offset {
                return Err(StoreError::JournalBehind {
                    path: journal_path,
                    applied: applied.seq,
                });
            }
            if applied.seq > 0 {
                // The line sled says it applied last must be this journal's line there.
                let at = journal
                    .line_ending_at(applied.offset)
                    .map_err(|e| StoreError::io("read the journal", &journal_path, e))?;
                if at.as_ref().map(|(seq, hash)| (*seq, hash.as_str()))
                    != Some((applied.seq, applied.hash.as_str()))
                {
                    return Err(StoreError::JournalDiverged {
                        path: journal_path,
                        applied: applied.seq,
                    });
                }
            }
        }
        let mut store = Store {
            dir: dir.to_path_buf(),
            _lock: lock,
            db: Some(db),
            trees,
            journal,
            applied,
            state: None,
            fault: None,
            poisoned: false,
            recovery,
            cached_at: None,
            listeners: Vec::new(),
            wrote: false,
        };
        if replay == Replay::Yes {
            store.replay_tail()?;
        }
        Ok(store)
    }

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

    fn sled_err(&self) -> impl Fn(sled::Error) -> StoreError + '_ {
        move |source| sled_error(&self.dir, source)
    }

    fn tree(&self, t: TreeId) -> &sled::Tree {
        &self.trees[t as usize]
    }

    /// Applies journal lines that sled does not have yet (after a crash between the two), moves
    /// an end of the journal that was never confirmed to a quarantine file beside it, and
    /// leaves the store read-only past damage in the journal's middle.
    fn replay_tail(&mut self) -> Result<(), StoreError> {
        if self.journal.len() == self.applied.offset {
            return Ok(());
        }
        let tail = self
            .journal
            .read_from(self.applied.offset)
            .map_err(|e| StoreError::io("read the journal", self.journal.path(), e))?;
        let reading = journal::sort_out(
            tail,
            self.applied.offset,
            self.applied.hash.clone(),
            self.applied.seq,
        )
        .map_err(|(_, found)| StoreError::NewerSchema {
            dir: self.dir.clone(),
            found,
            supported: SCHEMA_VERSION,
        })?;
        if let Some(damage) = reading.damage {
            self.recovery.read_only = Some(damage);
        } else if let Some(end) = reading.unconfirmed {
            self.quarantine(end);
        }
        let lines = reading.lines;
        if lines.is_empty() {
            return Ok(());
        }
        self.recovery.applied += lines.len() as u64;
        self.load_state()?;
        let Some(mut state) = self.state.take() else {
            return Err(self.not_loaded());
        };
        let result = self.replay_lines(&mut state, lines);
        self.state = Some(state);
        result
    }

    /// Moves the journal's unconfirmed end to a quarantine file beside it. When that cannot be
    /// done (a full disk), the journal stays as it is and the store is read-only until it can.
    fn quarantine(&mut self, end: journal::UnconfirmedEnd) {
        let bytes = self.journal.len().saturating_sub(end.offset);
        match self.journal.quarantine(end.offset) {
            Ok(file) => {
                match &end.why {
                    journal::Unconfirmed::Torn => self.recovery.torn_bytes += bytes,
                    journal::Unconfirmed::UnfinishedBatch { first, last } => {
                        self.recovery.dropped_batch = Some((*first, *last));
                    }
                    journal::Unconfirmed::Damaged(_) => {}
                }
                self.recovery.quarantined = Some(Quarantined {
                    line: end.line,
                    offset: end.offset,
                    bytes,
                    why: end.why,
                    file,
                });
            }
            Err(e) => {
                self.recovery.read_only = Some(journal::Break {
                    line: end.line,
                    error: journal::LineError::Malformed(format!(
                        "its end was never confirmed and could not be moved aside: {e}"
                    )),
                });
            }
        }
    }

    fn replay_lines(
        &mut self,
        state: &mut State,
        lines: Vec<journal::Line>,
    ) -> Result<(), StoreError> {
        let mut pending: Vec<Op> = Vec::new();
        for line in lines {
            let entry = line.entry;
            if entry.v > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema {
                    dir: self.dir.clone(),
                    found: entry.v,
                    supported: SCHEMA_VERSION,
                });
            }
            let ctx = Ctx {
                at: entry.at,
                user: entry.user.clone(),
            };
            self.fault_in(state, &entry.cmd)?;
            let (outcome, changes) =
                state
                    .execute(&entry.cmd, &ctx)
                    .map_err(|e| StoreError::Replay {
                        line: entry.seq,
                        reason: e.to_string(),
                    })?;
            if outcome != entry.out {
                return Err(StoreError::Replay {
                    line: entry.seq,
                    reason: format!(
                        "it assigned {outcome:?} but the journal says {:?}",
                        entry.out
                    ),
                });
            }
            let applied = Applied {
                seq: entry.seq,
                offset: line.end,
                hash: line.hash,
            };
            pending.extend(self.ops_for(state, &changes)?);
            state.commit(changes);
            if pending.len() >= OPS_PER_TRANSACTION {
                pending.push(applied_op(&applied)?);
                self.write_ops(&pending)?;
                pending.clear();
            }
            self.applied = applied;
        }
        if !pending.is_empty() {
            pending.push(applied_op(&self.applied)?);
            self.write_ops(&pending)?;
        }
        self.wrote = true;
        self.flush_sled()?;
        Ok(())
    }

    // ---- reading ----

    /// Loads every record but the notes into memory (once); the screens and rules read it.
    pub fn load_state(&mut self) -> Result<(), StoreError> {
        if self.state.is_some() {
            return Ok(());
        }
        // Conferences and users are few and not in the cache: always read from sled.
        let conferences: Vec<Conference> = self.decode_tree(TreeId::Conferences)?;
        let users: Vec<User> = self.decode_tree(TreeId::Users)?;
        if let Some(mut state) = cache::read(&self.dir, &self.applied) {
            state.set_conferences(conferences);
            state.set_users(users);
            self.state = Some(state);
            self.cached_at = Some(self.applied.seq);
            return Ok(());
        }
        let office: Option<Office> = match self
            .tree(TreeId::Meta)
            .get(META_OFFICE)
            .map_err(self.sled_err())?
        {
            Some(v) => Some(self.decode_record("office", &v)?),
            None => None,
        };
        let counters: Option<Counters> = match self
            .tree(TreeId::Meta)
            .get(META_COUNTERS)
            .map_err(self.sled_err())?
        {
            Some(v) => Some(self.decode_record("counters", &v)?),
            None => None,
        };
        let teams: Vec<Team> = self.decode_tree(TreeId::Teams)?;
        // Decoding is the bulk of opening a large store: spread it over two threads. Only open
        // actions are kept in memory; done and dropped ones are read when needed.
        let this: &Store = self;
        let (cases, actions, owners) = std::thread::scope(|s| {
            let actions = s.spawn(|| {
                let open = this.open_actions_due(None)?;
                Ok((open, this.action_owners()?))
            });
            let mut first = this.raw_values(TreeId::Cases)?;
            let second = first.split_off(first.len() / 2);
            let later = s.spawn(move || this.decode_values::<Case>("case", &second));
            let mut cases = this.decode_values::<Case>("case", &first)?;
            cases.extend(joined(later, this)?);
            let (actions, owners) = joined(actions, this)?;
            Ok::<_, StoreError>((cases, actions, owners))
        })?;
        let mut state = State::from_records(office, counters, teams, cases, actions);
        state.set_action_teams(owners);
        state.set_conferences(conferences);
        state.set_users(users);
        self.state = Some(state);
        Ok(())
    }

    fn decode_record<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        bytes: &[u8],
    ) -> Result<T, StoreError> {
        decode(bytes).map_err(|e| match e {
            codec::DecodeError::Newer(found) => StoreError::NewerSchema {
                dir: self.dir.clone(),
                found,
                supported: SCHEMA_VERSION,
            },
            codec::DecodeError::Damaged(e) => StoreError::Damaged {
                dir: self.dir.clone(),
                what: what.to_string(),
                reason: e.to_string(),
            },
        })
    }

    fn raw_values(&self, t: TreeId) -> Result<Vec<sled::IVec>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(t).iter() {
            out.push(item.map_err(self.sled_err())?.1);
        }
        Ok(out)
    }

    fn decode_values<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        values: &[sled::IVec],
    ) -> Result<Vec<T>, StoreError> {
        values.iter().map(|v| self.decode_record(what, v)).collect()
    }

    fn decode_tree<T: serde::de::DeserializeOwned>(&self, t: TreeId) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(t).iter() {
            let (_, v) = item.map_err(self.sled_err())?;
            out.push(self.decode_record(t.name(), &v)?);
        }
        Ok(out)
    }

    /// Reads into `state` the records `cmd` needs that are not kept in memory (a done or
    /// dropped action), so that the rules see them and say "already done", not "unknown".
    fn fault_in(&self, state: &mut State, cmd: &Command) -> Result<(), StoreError> {
        if let Command::Revert { revert } = cmd {
            // Undoing a registration removes the case: nothing recorded on it since may be left
            // behind without it (the rules only see what is in memory; sled sees everything).
            for gone in revert.cases.iter().filter(|c| c.before.is_none()) {
                let number = gone.after.number;
                let actions = self.actions_of(number)?;
                let notes = self.notes_of(number)?;
                let kept_action = actions.iter().any(|a| {
                    !revert
                        .actions
                        .iter()
                        .any(|r| r.before.is_none() && r.after.id == a.id)
                });
                let kept_note = notes
                    .iter()
                    .any(|n| !revert.notes.iter().any(|r| r.case == n.case && r.n == n.n));
                if kept_action || kept_note {
                    return Err(DomainError::ChangedSince {
                        what: number.to_string(),
                    }
                    .into());
                }
            }
        }
        let ids: Vec<ActionId> = match cmd {
            Command::CompleteAction { action, .. }
            | Command::DropAction { action, .. }
            | Command::UpdateAction { action, .. } => vec![*action],
            Command::Revert { revert } => revert.actions.iter().map(|a| a.after.id).collect(),
            _ => Vec::new(),
        };
        for id in ids {
            if state.actions.contains_key(&id) {
                continue;
            }
            if let Some(v) = self
                .tree(TreeId::Actions)
                .get(codec::action_key(id))
                .map_err(self.sled_err())?
            {
                let record: Action = self.decode_record("action", &v)?;
                state.actions.insert(record.id, record);
            }
        }
        Ok(())
    }

    /// The owner team of every action, finished ones too, read through the owner index.
    fn action_owners(&self) -> Result<Vec<(ActionId, TeamCode)>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::OwnerIndex).iter() {
            let (key, value) = item.map_err(self.sled_err())?;
            let id = codec::action_from_key(&key);
            let team = std::str::from_utf8(&value).ok().and_then(TeamCode::new);
            match (id, team) {
                (Some(id), Some(team)) => out.push((id, team)),
                _ => {
                    return Err(StoreError::Damaged {
                        dir: self.dir.clone(),
                        what: "owner index".into(),
                        reason: "bad entry".into(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Every action, done and dropped ones too, read from the store.
    pub fn all_actions(&self) -> Result<Vec<Action>, StoreError> {
        self.decode_tree(TreeId::Actions)
    }

    /// Every case and every open action (and any other record looked at since), loaded on
    /// first use; notes and finished actions are read from the store when needed.
    pub fn state(&mut self) -> Result<&State, StoreError> {
        self.load_state()?;
        match &self.state {
            Some(state) => Ok(state),
            None => Err(self.not_loaded()),
        }
    }

    /// The office, straight from the store.
    pub fn office(&self) -> Result<Option<Office>, StoreError> {
        match self
            .tree(TreeId::Meta)
            .get(META_OFFICE)
            .map_err(self.sled_err())?
        {
            Some(v) => Ok(Some(self.decode_record("office", &v)?)),
            None => Ok(None),
        }
    }

    /// The teams, straight from the store.
    pub fn teams(&self) -> Result<Vec<Team>, StoreError> {
        self.decode_tree(TreeId::Teams)
    }

    /// One case, straight from the store.
    pub fn case(&self, number: CaseNumber) -> Result<Option<Case>, StoreError> {
        match self
            .tree(TreeId::Cases)
            .get(codec::case_key(number))
            .map_err(self.sled_err())?
        {
            Some(v) => Ok(Some(self.decode_record("case", &v)?)),
            None => Ok(None),
        }
    }

    /// A case's actions, in order, straight from the store.
    pub fn actions_of(&self, number: CaseNumber) -> Result<Vec<Action>, StoreError> {
        self.scan_prefix(TreeId::Actions, &codec::case_key(number), "action")
    }

    /// A case's notes, oldest first.
    pub fn notes_of(&self, number: CaseNumber) -> Result<Vec<Note>, StoreError> {
        self.scan_prefix(TreeId::Notes, &codec::case_key(number), "note")
    }

    fn scan_prefix<T: serde::de::DeserializeOwned>(
        &self,
        t: TreeId,
        prefix: &[u8],
        what: &str,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(t).scan_prefix(prefix) {
            let (_, v) = item.map_err(self.sled_err())?;
            out.push(self.decode_record(what, &v)?);
        }
        Ok(out)
    }

    /// Open actions due on or before `last` (all open actions when `None`), earliest first,
    /// read through the due-date index without loading every record.
    pub fn open_actions_due(&self, last: Option<NaiveDate>) -> Result<Vec<Action>, StoreError> {
        let index = self.tree(TreeId::DueIndex);
        let iter = match last.and_then(|d| d.succ_opt()) {
            Some(end) => index.range(..codec::day_key(end).to_vec()),
            None => index.range::<Vec<u8>, _>(..),
        };
        let actions = self.tree(TreeId::Actions);
        let mut out = Vec::new();
        for item in iter {
            let (key, _) = item.map_err(self.sled_err())?;
            let id = codec::due_index_action(&key).ok_or_else(|| StoreError::Damaged {
                dir: self.dir.clone(),
                what: "due-date index".into(),
                reason: "bad key".into(),
            })?;
            match actions
                .get(codec::action_key(id))
                .map_err(self.sled_err())?
            {
                Some(v) => out.push(self.decode_record("action", &v)?),
                None => {
                    return Err(StoreError::Damaged {
                        dir: self.dir.clone(),
                        what: "due-date index".into(),
                        reason: format!("it lists {id}, which does not exist"),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Tells `sender` the journal sequence number after every confirmed change.
    pub fn subscribe(&mut self) -> mpsc::Receiver<u64> {
        let (tx, rx) = mpsc::channel();
        self.listeners.push(tx);
        rx
    }

    #[doc(hidden)]
    pub fn inject_fault(&mut self, fault: FailAfter) {
        self.fault = Some(fault);
    }

    // ---- writing ----

    /// Checks, journals (synced), applies to sled (one transaction, flushed) and only then
    /// confirms one command. A refused or failed command changes nothing.
    pub fn execute(&mut self, cmd: Command, ctx: &Ctx) -> Result<Receipt, StoreError> {
        self.writable()?;
        self.load_state()?;
        let Some(mut state) = self.state.take() else {
            return Err(self.not_loaded());
        };
        let result = self.execute_on(&mut state, cmd, ctx);
        self.state = Some(state);
        let receipt = result?;
        self.notify();
        Ok(receipt)
    }

    fn execute_on(
        &mut self,
        state: &mut State,
        cmd: Command,
        ctx: &Ctx,
    ) -> Result<Receipt, StoreError> {
        self.fault_in(state, &cmd)?;
        let (outcome, changes) = state.execute(&cmd, ctx)?;
        let entry = Entry {
            v: SCHEMA_VERSION,
            seq: self.applied.seq + 1,
            at: ctx.at,
            user: ctx.user.clone(),
            prev: self.applied.hash.clone(),
            cmd,
            out: outcome.clone(),
            batch: None,
        };
        let (line, hash) = self.render(&entry)?;
        self.reads_back(&line, &entry)?;
        let before = self.journal.len();
        let applied = Applied {
            seq: entry.seq,
            offset: before + line.len() as u64,
            hash,
        };
        let mut ops = self.ops_for(state, &changes)?;
        ops.push(applied_op(&applied)?);
        // An undo is not itself undone (there is no redo).
        let undo = match entry.cmd {
            Command::Revert { .. } => None,
            _ => state.undo_for(&changes, entry.seq),
        };
        let previous = state.previous_of(&changes);
        let records: usize = ops
            .iter()
            .map(|op| op.key.len() + op.value.as_ref().map_or(0, Vec::len))
            .sum();
        let needed = space::needed_for(line.len() as u64, records as u64);
        self.room_for(needed)?;
        if let Err(e) = self.journal.append(&line) {
            // If the half-written line could not be taken back, the journal's length is no
            // longer known: stop writing until the store is reopened.
            self.poisoned |= self.journal.is_broken();
            return Err(self.write_failed(e, needed));
        }
        self.wrote = true;
        if let Err(e) = self.write_ops(&ops) {
            // sled refused it: take the line back so that nothing of the command remains.
            if self.journal.truncate(before).is_err()
                || matches!(e, StoreError::Sled { .. } | StoreError::DiskFull { .. })
            {
                self.poisoned = true;
            }
            return Err(self.sled_failed(e, needed));
        }
        state.commit(changes.clone());
        self.applied = applied;
        if self.flush_sled().is_err() {
            // The change is confirmed: it is synced in the journal. sled's files lag behind,
            // and the next open brings them up to date from the journal; until then no more
            // writes go through this handle.
            self.poisoned = true;
        }
        Ok(Receipt {
            seq: entry.seq,
            outcome,
            undo,
            changes,
            previous,
        })
    }

    /// Several commands, all or nothing (demo data, imports): if any is refused, none is
    /// applied. Each is checked against the records as the ones before it left them. The batch
    /// is journaled and synced as a whole, then applied to sled the way a crash recovery would;
    /// if the process dies before the batch's last line is on disk, the next open drops it.
    pub fn execute_all<I>(&mut self, cmds: I) -> Result<Vec<Receipt>, StoreError>
    where
        I: IntoIterator<Item = (Command, Ctx)>,
    {
        self.writable()?;
        self.load_state()?;
        let Some(state) = self.state.as_ref() else {
            return Err(self.not_loaded());
        };
        let mut work = state.clone();
        let start = self.journal.len();
        let first = self.applied.seq + 1;
        let mut seq = self.applied.seq;
        let mut prev = self.applied.hash.clone();
        let mut receipts = Vec::new();
        let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
        let mut cmds = cmds.into_iter().peekable();
        let mut written: Result<(), StoreError> = Ok(());
        while let Some((cmd, ctx)) = cmds.next() {
            if let Err(e) = self.fault_in(&mut work, &cmd) {
                written = Err(e);
                break;
            }
            let (outcome, changes) = match work.execute(&cmd, &ctx) {
                Ok(done) => done,
                Err(e) => {
                    written = Err(e.into());
                    break;
                }
            };
            work.commit(changes);
            seq += 1;
            let entry = Entry {
                v: SCHEMA_VERSION,
                seq,
                at: ctx.at,
                user: ctx.user,
                prev: std::mem::take(&mut prev),
                cmd,
                out: outcome.clone(),
                batch: Some(journal::BatchMark {
                    first,
                    last: cmds.peek().is_none(),
                }),
            };
            let (line, hash) = match self.render(&entry) {
                Ok(rendered) => rendered,
                Err(e) => {
                    written = Err(e);
                    break;
                }
            };
            if let Err(e) = self.reads_back(&line, &entry) {
                written = Err(e);
                break;
            }
            prev = hash;
            buf.extend_from_slice(&line);
            receipts.push(Receipt {
                seq,
                outcome,
                undo: None,
                changes: Changes::default(),
                previous: Changes::default(),
            });
            if buf.len() >= 1 << 20 {
                let needed = space::needed_for(buf.len() as u64, 4 * buf.len() as u64);
                written = self.room_for(needed).and_then(|()| {
                    self.journal
                        .write_unsynced(&buf)
                        .map_err(|e| self.write_failed(e, needed))
                });
                buf.clear();
                if written.is_err() {
                    break;
                }
            }
        }
        drop(work);
        if written.is_ok() {
            let needed = space::needed_for(buf.len() as u64, 4 * buf.len() as u64);
            written = self.room_for(needed).and_then(|()| {
                self.journal
                    .write_unsynced(&buf)
                    .and_then(|()| self.journal.sync())
                    .map_err(|e| self.write_failed(e, needed))
            });
        }
        if let Err(e) = written {
            // Nothing of the batch was confirmed or applied: take its lines back.
            if self.journal.truncate(start).is_err() {
                self.poisoned = true;
            }
            return Err(e);
        }
        if receipts.is_empty() {
            return Ok(receipts);
        }
        self.wrote = true;
        if let Err(e) = self.replay_tail() {
            // The whole batch is in the journal; the next open finishes applying it.
            self.poisoned = true;
            return Err(e);
        }
        self.notify();
        Ok(receipts)
    }

    /// Refuses a write when this handle cannot take one: an earlier failure, or a journal
    /// damaged in its middle.
    fn writable(&self) -> Result<(), StoreError> {
        if self.poisoned {
            return Err(StoreError::Poisoned {
                dir: self.dir.clone(),
            });
        }
        if let Some(damage) = &self.recovery.read_only {
            return Err(StoreError::ReadOnly {
                path: self.journal.path().to_path_buf(),
                line: damage.line,
                error: damage.error.clone(),
            });
        }
        Ok(())
    }

    /// Refuses a write up front when the disk has less free space than it needs.
    fn room_for(&self, needed: u64) -> Result<(), StoreError> {
        match space::free_bytes(&self.dir) {
            Some(free) if free < needed => Err(StoreError::DiskFull {
                dir: self.dir.clone(),
                free: Some(free),
                needed,
            }),
            _ => Ok(()),
        }
    }

    /// A failed journal write, told as a full disk when it is one.
    fn write_failed(&self, e: std::io::Error, needed: u64) -> StoreError {
        if space::is_full(&e) {
            StoreError::DiskFull {
                dir: self.dir.clone(),
                free: space::free_bytes(&self.dir),
                needed,
            }
        } else {
            StoreError::io("write the journal", self.journal.path(), e)
        }
    }

    /// A failed sled write, told as a full disk when it is one.
    fn sled_failed(&self, e: StoreError, needed: u64) -> StoreError {
        match e {
            StoreError::Sled { source, .. } if space::sled_full(&source) => StoreError::DiskFull {
                dir: self.dir.clone(),
                free: space::free_bytes(&self.dir),
                needed,
            },
            e => e,
        }
    }

    fn flush_sled(&self) -> Result<(), StoreError> {
        match &self.db {
            Some(db) => db.flush().map(|_| ()).map_err(self.sled_err()),
            None => Ok(()),
        }
    }

    /// After a session that wrote to sled: sled writes a snapshot of its page table the next
    /// time it opens, which would make the next open (a read, perhaps on a full disk, perhaps
    /// killed) write. So it is opened once more now, under our lock, to write it here. When
    /// sled's folder has outgrown the journal it is built from, it is compacted first.
    fn settle(&mut self) {
        let Some(db) = self.db.take() else {
            return;
        };
        let _ = db.flush();
        let db_path = self.dir.join(DB_DIR);
        let compacted = if build::worth_compacting(&self.dir, self.journal.len()) {
            build::compact(&db, &self.dir).is_ok()
        } else {
            false
        };
        self.trees.clear();
        drop(db);
        if compacted && recover::install(&self.dir, None).is_err() {
            // The next open finishes or undoes it (`recover::tidy`).
            return;
        }
        if !compacted {
            recover::discard_build(&self.dir);
        }
        if let Ok(db) = open_sled(&db_path, &self.dir) {
            drop(db);
            let _ = crate::fsio::sync_dir(&db_path);
        }
    }

    fn render(&self, entry: &Entry) -> Result<(Vec<u8>, String), StoreError> {
        journal::render(entry).map_err(|e| StoreError::Damaged {
            dir: self.dir.clone(),
            what: "journal line".into(),
            reason: e.to_string(),
        })
    }

    /// Refuses to write a journal line that would not read back as the same entry: a line the
    /// journal cannot read would make the whole store unreadable.
    fn reads_back(&self, line: &[u8], entry: &Entry) -> Result<(), StoreError> {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        match journal::parse(body) {
            Ok((back, _)) if back == *entry => Ok(()),
            Ok(_) => Err(self.unreadable("it reads back differently")),
            Err(e) => Err(self.unreadable(&e.to_string())),
        }
    }

    fn unreadable(&self, why: &str) -> StoreError {
        StoreError::Damaged {
            dir: self.dir.clone(),
            what: "new journal line".into(),
            reason: format!("it would not read back ({why}); nothing was saved"),
        }
    }

    fn not_loaded(&self) -> StoreError {
        StoreError::Damaged {
            dir: self.dir.clone(),
            what: "state".into(),
            reason: "not loaded".into(),
        }
    }

    fn notify(&mut self) {
        let seq = self.applied.seq;
        self.listeners.retain(|l| l.send(seq).is_ok());
    }

    fn write_ops(&mut self, ops: &[Op]) -> Result<(), StoreError> {
        let fail_at = self.fault.take().map(|f| f.0);
        let trees: Vec<&sled::Tree> = self.trees.iter().collect();
        let result: Result<(), TransactionError<Injected>> = trees[..].transaction(|tx| {
            for (i, op) in ops.iter().enumerate() {
                if Some(i) == fail_at {
                    return Err(ConflictableTransactionError::Abort(Injected));
                }
                let t = &tx[op.tree as usize];
                match &op.value {
                    Some(v) => {
                        t.insert(op.key.as_slice(), v.as_slice())?;
                    }
                    None => {
                        t.remove(op.key.as_slice())?;
                    }
                }
            }
            Ok(())
        });
        if result.is_ok() {
            settle_paths(&self.trees, ops);
        }
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(Injected)) => Err(StoreError::Damaged {
                dir: self.dir.clone(),
                what: "transaction".into(),
                reason: "failed on purpose (test hook)".into(),
            }),
            Err(TransactionError::Storage(source)) => Err(sled_error(&self.dir, source)),
        }
    }

    /// The sled writes for `changes`, including index entries, against `state` as it was.
    pub(crate) fn ops_for(&self, state: &State, changes: &Changes) -> Result<Vec<Op>, StoreError> {
        ops_for(state, changes).map_err(|e| StoreError::Damaged {
            dir: self.dir.clone(),
            what: "record".into(),
            reason: e.to_string(),
        })
    }
}

/// Removes a store that was just created in `dir` and failed to be set up: casedesk's files
/// only, and the directory itself when `remove_dir` (it was created for it). Nothing else in
/// the directory is touched.
pub fn discard_new(dir: &Path, remove_dir: bool) {
    for name in [
        JOURNAL_FILE,
        cache::CACHE_FILE,
        &format!("{}.tmp", cache::CACHE_FILE),
        LOCK_FILE,
    ] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    for name in [DB_DIR, recover::NEW_DIR, recover::OLD_DIR] {
        let _ = std::fs::remove_dir_all(dir.join(name));
    }
    if remove_dir {
        let _ = std::fs::remove_dir(dir);
    }
}

/// sled splits a node that has grown too large (and finishes a merge) the next time anything
/// walks through it — a read included, which would then write. So the writer walks the paths
/// it just wrote, twice (a split leaf may leave its parent to split), before it flushes: what
/// it leaves behind needs no change from the next reader.
fn settle_paths(trees: &[sled::Tree], ops: &[Op]) {
    for _ in 0..2 {
        for op in ops {
            if let Some(tree) = trees.get(op.tree as usize) {
                let _ = tree.get(op.key.as_slice());
            }
        }
    }
}

/// Takes the store's lock, or says another casedesk has it.
fn lock(dir: &Path) -> Result<Lock, StoreError> {
    let lock_path = dir.join(LOCK_FILE);
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&lock_path)
        .map_err(|e| access(dir, e, "open the lock file", &lock_path))?;
    // A process that forks (to start another program) holds a copy of every open file until
    // the new program starts, and with it the lock: a lock held only that long is worth a
    // moment's wait. Another casedesk holds it for good, and is reported at once after that.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(300);
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(std::sync::Arc::new(lock)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::InUse {
                    dir: dir.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(StoreError::io("lock the store", &lock_path, e));
            }
        }
    }
}

/// The result of a loading thread; a thread that panicked reads as a damaged store.
fn joined<T>(
    handle: std::thread::ScopedJoinHandle<'_, Result<T, StoreError>>,
    store: &Store,
) -> Result<T, StoreError> {
    handle.join().unwrap_or_else(|_| {
        Err(StoreError::Damaged {
            dir: store.dir.clone(),
            what: "records".into(),
            reason: "a reader thread failed".into(),
        })
    })
}

/// How casedesk runs sled: no background flushing thread (every change is flushed before it is
/// confirmed, and nothing should write behind a reader's back), and a modest page cache (the
/// records people look at are kept in casedesk's own memory).
pub(crate) fn sled_config(path: &Path) -> sled::Config {
    sled::Config::new()
        .path(path)
        .flush_every_ms(None)
        .cache_capacity(128 << 20)
}

/// Opens sled's folder `db_path` of the store in `dir`. Our own lock is held, so no other
/// casedesk has the store; if sled's lock is still taken, it is by a `Store` this process
/// dropped a moment ago whose background threads are finishing. Wait for them briefly rather
/// than fail. A panic inside sled (it has some on damaged files) is an unreadable store.
pub(crate) fn open_sled(db_path: &Path, dir: &Path) -> Result<sled::Db, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match guarded(dir, || sled_config(db_path).open())? {
            Ok(db) => return Ok(db),
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                if std::time::Instant::now() >= deadline {
                    return Err(StoreError::InUse {
                        dir: dir.to_path_buf(),
                    });
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(sled::Error::Io(e)) => return Err(access(dir, e, "open the database", db_path)),
            Err(source) => {
                return Err(StoreError::Sled {
                    dir: dir.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// A sled failure on the store in `dir`: a full disk is told as such (never as damage).
fn sled_error(dir: &Path, source: sled::Error) -> StoreError {
    if space::sled_full(&source) {
        StoreError::DiskFull {
            dir: dir.to_path_buf(),
            free: space::free_bytes(dir),
            needed: space::needed_for(0, 0),
        }
    } else {
        StoreError::Sled {
            dir: dir.to_path_buf(),
            source,
        }
    }
}

/// Runs `f` (a call into sled), turning a panic into an unreadable store.
pub(crate) fn guarded<T>(dir: &Path, f: impl FnOnce() -> T) -> Result<T, StoreError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
            .unwrap_or_else(|| "an internal error".into());
        StoreError::SledUnreadable {
            dir: dir.to_path_buf(),
            why: format!("sled stopped: {why}"),
        }
    })
}

/// An IO failure on the store's own files: "permission denied" is a store this account cannot
/// read, a full disk is a full disk.
pub(crate) fn access(dir: &Path, e: std::io::Error, what: &str, path: &Path) -> StoreError {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        StoreError::Unreadable {
            dir: dir.to_path_buf(),
            owner: owner_of(dir),
        }
    } else if space::is_full(&e) {
        StoreError::DiskFull {
            dir: dir.to_path_buf(),
            free: space::free_bytes(dir),
            needed: space::needed_for(0, 0),
        }
    } else {
        StoreError::io(what, path, e)
    }
}

fn owner_of(dir: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| m.uid())
}

/// Says whether there is a store in `dir`: "no store" only when there is none, and a store this
/// account may not read as such.
fn present(dir: &Path) -> Result<(), StoreError> {
    let journal = dir.join(JOURNAL_FILE);
    match std::fs::metadata(&journal) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(StoreError::io(
            "open the journal",
            &journal,
            std::io::Error::other("it is not a regular file"),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(StoreError::Unreadable {
            dir: dir.to_path_buf(),
            owner: owner_of(dir),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::read_dir(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                Err(StoreError::Unreadable {
                    dir: dir.to_path_buf(),
                    owner: owner_of(dir),
                })
            }
            _ => Err(StoreError::NotFound {
                dir: dir.to_path_buf(),
            }),
        },
        Err(e) => Err(StoreError::io("open the journal", &journal, e)),
    }
}

fn applied_op(applied: &Applied) -> Result<Op, StoreError> {
    let value = encode(applied).map_err(|e| StoreError::Damaged {
        dir: PathBuf::new(),
        what: "journal position".into(),
        reason: e.to_string(),
    })?;
    Ok(Op {
        tree: TreeId::Meta,
        key: META_APPLIED.to_vec(),
        value: Some(value),
    })
}

/// The sled writes for `changes` made against `state` (which still holds the old records).
pub(crate) fn ops_for(state: &State, changes: &Changes) -> Result<Vec<Op>, serde_json::Error> {
    let mut ops = Vec::new();
    let put = |tree, key: &[u8], value: Vec<u8>| Op {
        tree,
        key: key.to_vec(),
        value: Some(value),
    };
    if let Some(office) = &changes.office {
        ops.push(put(TreeId::Meta, META_OFFICE, encode(office)?));
    }
    if let Some(counters) = &changes.counters {
        ops.push(put(TreeId::Meta, META_COUNTERS, encode(counters)?));
    }
    for team in &changes.teams {
        ops.push(put(
            TreeId::Teams,
            team.code.as_str().as_bytes(),
            encode(team)?,
        ));
    }
    for case in &changes.cases {
        ops.push(put(
            TreeId::Cases,
            &codec::case_key(case.number),
            encode(case)?,
        ));
        let old = state.cases.get(&case.number);
        let entries = |c: &Case| -> Vec<(Vec<u8>, &'static [u8])> {
            std::iter::once((
                codec::team_index_key(&c.lead_team, c.number),
                codec::team_role(true),
            ))
            .chain(
                c.co_teams
                    .iter()
                    .map(|t| (codec::team_index_key(t, c.number), codec::team_role(false))),
            )
            .collect()
        };
        let new_entries = entries(case);
        if let Some(old) = old {
            for (key, _) in entries(old) {
                if !new_entries.iter().any(|(k, _)| *k == key) {
                    ops.push(Op {
                        tree: TreeId::TeamIndex,
                        key,
                        value: None,
                    });
                }
            }
        }
        for (key, role) in new_entries {
            ops.push(Op {
                tree: TreeId::TeamIndex,
                key,
                value: Some(role.to_vec()),
            });
        }
    }
    for action in &changes.actions {
        ops.push(put(
            TreeId::Actions,
            &codec::action_key(action.id),
            encode(action)?,
        ));
        if let Some(old) = state.actions.get(&action.id).filter(|a| a.is_open()) {
            ops.push(Op {
                tree: TreeId::DueIndex,
                key: codec::due_index_key(old.due_on, old.id),
                value: None,
            });
        }
        if action.is_open() {
            ops.push(put(
                TreeId::DueIndex,
                &codec::due_index_key(action.due_on, action.id),
                Vec::new(),
            ));
        }
        ops.push(put(
            TreeId::OwnerIndex,
            &codec::action_key(action.id),
            action.team.as_str().as_bytes().to_vec(),
        ));
    }
    for note in &changes.notes {
        ops.push(put(
            TreeId::Notes,
            &codec::note_key(note.case, note.n),
            encode(note)?,
        ));
    }
    for number in &changes.removed_cases {
        ops.push(Op {
            tree: TreeId::Cases,
            key: codec::case_key(*number).to_vec(),
            value: None,
        });
        if let Some(old) = state.cases.get(number) {
            for team in std::iter::once(&old.lead_team).chain(&old.co_teams) {
                ops.push(Op {
                    tree: TreeId::TeamIndex,
                    key: codec::team_index_key(team, *number),
                    value: None,
                });
            }
        }
    }
    for id in &changes.removed_actions {
        ops.push(Op {
            tree: TreeId::Actions,
            key: codec::action_key(*id).to_vec(),
            value: None,
        });
        ops.push(Op {
            tree: TreeId::OwnerIndex,
            key: codec::action_key(*id).to_vec(),
            value: None,
        });
        if let Some(old) = state.actions.get(id).filter(|a| a.is_open()) {
            ops.push(Op {
                tree: TreeId::DueIndex,
                key: codec::due_index_key(old.due_on, old.id),
                value: None,
            });
        }
    }
    for (case, n) in &changes.removed_notes {
        ops.push(Op {
            tree: TreeId::Notes,
            key: codec::note_key(*case, *n).to_vec(),
            value: None,
        });
    }
    for conference in &changes.conferences {
        ops.push(put(
            TreeId::Conferences,
            &codec::conference_key(conference.id),
            encode(conference)?,
        ));
    }
    for id in &changes.removed_conferences {
        ops.push(Op {
            tree: TreeId::Conferences,
            key: codec::conference_key(*id).to_vec(),
            value: None,
        });
    }
    for user in &changes.users {
        ops.push(put(TreeId::Users, user.account.as_bytes(), encode(user)?));
    }
    for account in &changes.removed_users {
        ops.push(Op {
            tree: TreeId::Users,
            key: account.as_bytes().to_vec(),
            value: None,
        });
    }
    Ok(ops)
}

/// Makes the store directory and casedesk's files in it owner-only (sled creates its files with
/// the default mask). Touches nothing else in the directory.
fn restrict_permissions(dir: &Path) {
    fn walk(path: &Path) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        if meta.is_dir() {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700));
            if let Ok(entries) = std::fs::read_dir(path) {
                for entry in entries.flatten() {
                    walk(&entry.path());
                }
            }
        } else if meta.is_file() {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
    }
    // An office that shares the store through a server gives the directory to a group with
    // search permission only (0710), so that the group reaches the socket and nothing else.
    let group_search = std::fs::metadata(dir).map_or(0, |m| m.permissions().mode() & 0o010);
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700 | group_search));
    for name in [DB_DIR, JOURNAL_FILE, LOCK_FILE, cache::CACHE_FILE] {
        walk(&dir.join(name));
    }
}

/// The index entries the records in `state` call for; `check` compares them with sled's.
pub(crate) fn expected_index_ops(state: &State) -> Vec<Op> {
    let mut ops = Vec::new();
    for case in state.cases.values() {
        ops.push(Op {
            tree: TreeId::TeamIndex,
            key: codec::team_index_key(&case.lead_team, case.number),
            value: Some(codec::team_role(true).to_vec()),
        });
        for t in &case.co_teams {
            ops.push(Op {
                tree: TreeId::TeamIndex,
                key: codec::team_index_key(t, case.number),
                value: Some(codec::team_role(false).to_vec()),
            });
        }
    }
    for action in state.actions.values().filter(|a| a.is_open()) {
        ops.push(Op {
            tree: TreeId::DueIndex,
            key: codec::due_index_key(action.due_on, action.id),
            value: Some(Vec::new()),
        });
    }
    for (id, team) in &state.action_teams {
        ops.push(Op {
            tree: TreeId::OwnerIndex,
            key: codec::action_key(*id).to_vec(),
            value: Some(team.as_str().as_bytes().to_vec()),
        });
    }
    ops
}
