//! Replaying the journal into sled at open: lines sled lacks are applied, an end that was never
//! confirmed goes to a quarantine file, damage in the middle leaves the store read-only.

use super::codec::SCHEMA_VERSION;
use super::journal::{self};
use super::layout::{OPS_PER_TRANSACTION, applied_op};
use super::*;
use crate::domain::{Ctx, State};

impl Store {
    /// Applies journal lines that sled does not have yet (after a crash between the two), moves
    /// an end of the journal that was never confirmed to a quarantine file beside it, and
    /// leaves the store read-only past damage in the journal's middle.
    pub(super) fn replay_tail(&mut self) -> Result<(), StoreError> {
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
        let entries = lines.len() as u64;
        self.recovery.applied += entries;
        let started = std::time::Instant::now();
        self.load_state()?;
        let Some(mut state) = self.state.take() else {
            return Err(self.not_loaded());
        };
        let result = self.replay_lines(&mut state, lines);
        self.state = Some(state);
        match &result {
            Ok(()) => tracing::info!(
                entries,
                seq = self.applied.seq,
                ms = crate::diagnostics::millis(started),
                "journal replayed into the database"
            ),
            Err(e) => tracing::error!(entries, error = e.kind(), "journal replay failed"),
        }
        result
    }

    /// Moves the journal's unconfirmed end to a quarantine file beside it. When that cannot be
    /// done (a full disk), the journal stays as it is and the store is read-only until it can.
    pub(super) fn quarantine(&mut self, end: journal::UnconfirmedEnd) {
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
}
