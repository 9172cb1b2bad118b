//! Writing: one command, or a batch all or nothing — checked, journaled and synced, then
//! applied to sled in one transaction and flushed, and only then confirmed; refusals up front on
//! a full disk; sled settled and compacted as a session that wrote closes.

use std::path::Path;

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::codec::SCHEMA_VERSION;
use super::journal::{self, Entry};
use super::layout::applied_op;
use super::recover::{self, DB_DIR};
use super::*;
use crate::domain::{Changes, Command, Ctx, State};

#[cfg(any(test, feature = "test-hooks"))]
use super::fault::Injected;

/// Why a sled transaction was given up before it was committed.
#[derive(Debug)]
enum Abort {
    /// A test hook made it fail on purpose.
    #[cfg(any(test, feature = "test-hooks"))]
    Injected(Injected),
    /// A write named a tree the handle does not have open (never, as every tree is opened).
    NoTree,
}

impl Store {
    /// Checks, journals (synced), applies to sled (one transaction, flushed) and only then
    /// confirms one command. A refused or failed command changes nothing.
    pub fn execute(&mut self, cmd: Command, ctx: &Ctx) -> Result<Receipt, StoreError> {
        self.writable()?;
        self.load_state()?;
        let Some(mut state) = self.state.take() else {
            return Err(self.not_loaded());
        };
        let started = std::time::Instant::now();
        let kind = cmd.kind();
        let result = self.execute_on(&mut state, cmd, ctx);
        self.state = Some(state);
        let ms = crate::diagnostics::millis(started);
        match &result {
            Ok(receipt) if ms >= crate::diagnostics::SLOW_MILLIS => {
                tracing::warn!(command = kind, seq = receipt.seq, ms, "slow change");
            }
            Ok(_) | Err(StoreError::Domain(_)) => {}
            Err(e) => tracing::warn!(
                command = kind,
                error = e.kind(),
                stopped = self.poisoned,
                "change not saved"
            ),
        }
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
        self.own.follow(&entry, undo.as_ref());
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
        let started = std::time::Instant::now();
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
        tracing::info!(
            commands = receipts.len(),
            seq = self.applied.seq,
            ms = crate::diagnostics::millis(started),
            "batch applied"
        );
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

    pub(super) fn flush_sled(&self) -> Result<(), StoreError> {
        match &self.db {
            Some(db) => db.flush().map(|_| ()).map_err(self.sled_err()),
            None => Ok(()),
        }
    }

    /// After a session that wrote to sled: sled writes a snapshot of its page table the next
    /// time it opens, which would make the next open (a read, perhaps on a full disk, perhaps
    /// killed) write. So it is opened once more now, under our lock, to write it here. When
    /// sled's folder has outgrown the journal it is built from, it is compacted first.
    pub(super) fn settle(&mut self) {
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

    pub(super) fn render(&self, entry: &Entry) -> Result<(Vec<u8>, String), StoreError> {
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

    pub(super) fn unreadable(&self, why: &str) -> StoreError {
        StoreError::Damaged {
            dir: self.dir.clone(),
            what: "new journal line".into(),
            reason: format!("it would not read back ({why}); nothing was saved"),
        }
    }

    pub(super) fn write_ops(&mut self, ops: &[Op]) -> Result<(), StoreError> {
        #[cfg(any(test, feature = "test-hooks"))]
        let fail_at = self.fault.take().map(|f| f.0);
        let trees: Vec<&sled::Tree> = self.trees.iter().collect();
        let result: Result<(), TransactionError<Abort>> = trees.as_slice().transaction(|tx| {
            #[cfg_attr(not(any(test, feature = "test-hooks")), allow(unused_variables))]
            for (i, op) in ops.iter().enumerate() {
                #[cfg(any(test, feature = "test-hooks"))]
                if Some(i) == fail_at {
                    return Err(ConflictableTransactionError::Abort(Abort::Injected(
                        Injected,
                    )));
                }
                let Some(t) = tx.get(op.tree as usize) else {
                    return Err(ConflictableTransactionError::Abort(Abort::NoTree));
                };
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
            #[cfg(any(test, feature = "test-hooks"))]
            Err(TransactionError::Abort(Abort::Injected(_))) => Err(StoreError::Damaged {
                dir: self.dir.clone(),
                what: "transaction".into(),
                reason: "failed on purpose (test hook)".into(),
            }),
            Err(TransactionError::Abort(Abort::NoTree)) => Err(StoreError::Damaged {
                dir: self.dir.clone(),
                what: "transaction".into(),
                reason: "a write named a tree that is not open".into(),
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

/// sled splits a node that has grown too large (and finishes a merge) the next time anything
/// walks through it — a read included, which would then write. So the writer walks the paths
/// it just wrote, twice (a split leaf may leave its parent to split), before it flushes: what
/// it leaves behind needs no change from the next reader.
pub(super) fn settle_paths(trees: &[sled::Tree], ops: &[Op]) {
    for _ in 0..2 {
        for op in ops {
            if let Some(tree) = trees.get(op.tree as usize) {
                let _ = tree.get(op.key.as_slice());
            }
        }
    }
}

/// A sled failure on the store in `dir`: a full disk is told as such (never as damage).
pub(super) fn sled_error(dir: &Path, source: sled::Error) -> StoreError {
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
