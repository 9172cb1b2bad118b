//! Reading records: the records kept in memory, loaded once (from the record cache or sled, on
//! two threads), and what stays on disk until needed — notes, finished actions, index scans.

use chrono::NaiveDate;

use super::codec::{self, SCHEMA_VERSION, decode};
use super::*;
use crate::domain::model::Counters;
use crate::domain::{
    Action, ActionId, Case, CaseNumber, Command, Conference, DomainError, Note, Office, State,
    Team, TeamCode, User,
};

impl Store {
    /// Loads every record but the notes into memory (once); the screens and rules read it.
    pub fn load_state(&mut self) -> Result<(), StoreError> {
        if self.state.is_some() {
            return Ok(());
        }
        // Conferences and users are few and not in the cache: always read from sled.
        let conferences: Vec<Conference> = self.decode_tree(TreeId::Conferences)?;
        let users: Vec<User> = self.decode_tree(TreeId::Users)?;
        let started = std::time::Instant::now();
        if let Some(mut state) = cache::read(&self.dir, &self.applied) {
            state.set_conferences(conferences);
            state.set_users(users);
            tracing::info!(
                cases = state.cases.len(),
                open_actions = state.actions.len(),
                ms = crate::diagnostics::millis(started),
                "records loaded from the cache"
            );
            self.state = Some(state);
            self.cached_at = Some(self.applied.seq);
            return Ok(());
        }
        let office: Option<Office> = match self
            .tree(TreeId::Meta)?
            .get(META_OFFICE)
            .map_err(self.sled_err())?
        {
            Some(v) => Some(self.decode_record("office", &v)?),
            None => None,
        };
        let counters: Option<Counters> = match self
            .tree(TreeId::Meta)?
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
        tracing::info!(
            cases = state.cases.len(),
            open_actions = state.actions.len(),
            ms = crate::diagnostics::millis(started),
            "records loaded from the database"
        );
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
        for item in self.tree(t)?.iter() {
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
        for item in self.tree(t)?.iter() {
            let (_, v) = item.map_err(self.sled_err())?;
            out.push(self.decode_record(t.name(), &v)?);
        }
        Ok(out)
    }

    /// Reads into `state` the records `cmd` needs that are not kept in memory (a done or
    /// dropped action), so that the rules see them and say "already done", not "unknown".
    pub(super) fn fault_in(&self, state: &mut State, cmd: &Command) -> Result<(), StoreError> {
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
        if let Command::MergeCases { other, .. } = cmd {
            // Every action of the merged case moves, finished ones too. (During a replay sled may
            // lag behind the records in memory: only what the owners list still knows is taken,
            // and what is in memory is newer.)
            for action in self.actions_of(*other)? {
                if state.action_teams.contains_key(&action.id) {
                    state.actions.entry(action.id).or_insert(action);
                }
            }
        }
        let ids: Vec<ActionId> = match cmd {
            Command::CompleteAction { action, .. }
            | Command::DropAction { action, .. }
            | Command::NoteAction { action, .. }
            | Command::MarkSession { action, .. }
            | Command::SetReferral { action, .. }
            | Command::UpdateAction { action, .. } => vec![*action],
            Command::Revert { revert } => revert.actions.iter().map(|a| a.after.id).collect(),
            _ => Vec::new(),
        };
        for id in ids {
            if state.actions.contains_key(&id) {
                continue;
            }
            if let Some(v) = self
                .tree(TreeId::Actions)?
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
        for item in self.tree(TreeId::OwnerIndex)?.iter() {
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
            .tree(TreeId::Meta)?
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
            .tree(TreeId::Cases)?
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

    /// The latest change `account` made that is still there to take back — not an undo itself,
    /// not part of an import, not undone since — with the command that undoes it (`None` in
    /// its place when that change cannot be undone: a team, a user, a closed conference). Found
    /// from the changes kept since the journal's head (see [`super::undo`]), or else by reading
    /// the journal and replaying it up to that change.
    pub fn last_change_of(
        &self,
        account: &str,
    ) -> Result<Option<super::undo::OwnChange>, StoreError> {
        if let Some(kept) = self.own.latest(account) {
            return Ok(Some(kept.clone()));
        }
        let tail = self
            .journal
            .read_from(0)
            .map_err(|e| StoreError::io("read the journal", self.journal.path(), e))?;
        let entries: Vec<crate::store::journal::Entry> = tail
            .lines
            .iter()
            .filter_map(|(_, line)| crate::store::journal::parse(line).ok())
            .map(|(entry, _)| entry)
            .collect();
        let undone: std::collections::HashSet<u64> = entries
            .iter()
            .filter_map(|e| match &e.cmd {
                Command::Revert { revert } => Some(revert.seq),
                _ => None,
            })
            .collect();
        let Some(at) = entries.iter().rposition(|e| {
            e.user == account
                && e.batch.is_none()
                && !matches!(e.cmd, Command::Revert { .. })
                && !undone.contains(&e.seq)
        }) else {
            return Ok(None);
        };
        let mut state = crate::domain::State::default();
        for entry in entries.iter().take(at) {
            let ctx = crate::domain::Ctx {
                at: entry.at,
                user: entry.user.clone(),
            };
            if let Ok((_, changes)) = state.execute(&entry.cmd, &ctx) {
                state.commit(changes);
            }
        }
        let Some(entry) = entries.into_iter().nth(at) else {
            return Ok(None);
        };
        let ctx = crate::domain::Ctx {
            at: entry.at,
            user: entry.user.clone(),
        };
        let undo = state
            .execute(&entry.cmd, &ctx)
            .ok()
            .and_then(|(_, changes)| state.undo_for(&changes, entry.seq));
        Ok(Some(super::undo::OwnChange {
            seq: entry.seq,
            at: entry.at,
            kind: entry.cmd.kind().to_string(),
            undo,
        }))
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
        for item in self.tree(t)?.scan_prefix(prefix) {
            let (_, v) = item.map_err(self.sled_err())?;
            out.push(self.decode_record(what, &v)?);
        }
        Ok(out)
    }

    /// Open actions due on or before `last` (all open actions when `None`), earliest first,
    /// read through the due-date index without loading every record.
    pub fn open_actions_due(&self, last: Option<NaiveDate>) -> Result<Vec<Action>, StoreError> {
        let index = self.tree(TreeId::DueIndex)?;
        let iter = match last.and_then(|d| d.succ_opt()) {
            Some(end) => index.range(..codec::day_key(end).to_vec()),
            None => index.range::<Vec<u8>, _>(..),
        };
        let actions = self.tree(TreeId::Actions)?;
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
}

/// The result of a loading thread; a thread that panicked reads as a damaged store.
pub(super) fn joined<T>(
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
