//! The store in this process, for one person (a laptop, `--no-server`, the tests): the same
//! engine and role rules a server uses, without a socket. Nobody else can have the store open.

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::engine::Engine;
use super::{Backend, BackendError, CheckSummary, Receipt, Remote, Scope, Session, Waker};
use crate::domain::access::Access;
use crate::domain::revision::Expect;
use crate::domain::{Action, CaseNumber, Command, Note, State, User};
use crate::store::Store;

/// The store, opened in this process for one account.
pub struct Embedded {
    engine: Engine,
    access: Access,
    /// What a person who may not see everything sees, and the journal position it was cut at.
    cut: Option<(u64, State)>,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedded")
            .field("account", &self.access.account)
            .finish()
    }
}

impl Embedded {
    /// Opens the store in `dir` for `account`, who owns its files (and so is an admin).
    pub fn open(dir: &Path, account: &str) -> Result<Embedded, BackendError> {
        let store = Store::open(dir)?;
        Embedded::new(store, account, Some(account))
    }

    /// Serves an open store to `account`; `owner` is the account that owns its files.
    pub fn new(store: Store, account: &str, owner: Option<&str>) -> Result<Embedded, BackendError> {
        let mut engine = Engine::new(store, owner.map(str::to_string));
        let access = engine.access(account)?;
        Ok(Embedded {
            engine,
            access,
            cut: None,
        })
    }

    /// The store underneath (for tests and maintenance).
    pub fn store(&mut self) -> &mut Store {
        self.engine.store()
    }

    /// Closes the backend and hands the store back.
    pub fn into_store(self) -> Store {
        self.engine.into_store()
    }
}

impl Backend for Embedded {
    fn access(&self) -> &Access {
        &self.access
    }

    fn notices(&self, lang: crate::i18n::Lang) -> (Vec<String>, bool) {
        let recovery = self.engine.recovery();
        (recovery.notices(lang), recovery.read_only.is_some())
    }

    fn snapshot(&mut self) -> Result<&State, BackendError> {
        let seq = self.engine.store().seq();
        if self.access.sees_all() && !self.access.masked_only() {
            return self.engine.state();
        }
        if self.cut.as_ref().is_none_or(|(at, _)| *at != seq) {
            let state = self.engine.state()?;
            let cut = self.access.filter(state).unwrap_or_else(|| state.clone());
            self.cut = Some((seq, cut));
        }
        match &self.cut {
            Some((_, state)) => Ok(state),
            None => self.engine.state(),
        }
    }

    fn view(&mut self, scope: &Scope) -> Result<State, BackendError> {
        self.engine.view(&self.access, scope)
    }

    fn apply(
        &mut self,
        cmd: Command,
        at: DateTime<FixedOffset>,
        expect: &[Expect],
    ) -> Result<Receipt, BackendError> {
        let confirmed = self.engine.apply(&self.access, cmd, at, expect)?;
        if !confirmed.changes.users.is_empty() || !confirmed.changes.removed_users.is_empty() {
            // A change of one's own role or teams counts from the next command on.
            if let Ok(access) = self.engine.access(&self.access.account) {
                self.access = access;
            }
        }
        Ok(confirmed.receipt)
    }

    fn apply_all(
        &mut self,
        cmds: Vec<Command>,
        at: DateTime<FixedOffset>,
    ) -> Result<Vec<Receipt>, BackendError> {
        self.engine.apply_all(&self.access, cmds, at)
    }

    fn notes_of(&mut self, case: CaseNumber) -> Result<Vec<Note>, BackendError> {
        self.engine.notes_of(&self.access, case)
    }

    fn last_own_change(&mut self) -> Result<Option<super::OwnChange>, BackendError> {
        self.engine.last_own_change(&self.access)
    }

    fn case_actions(&mut self, case: CaseNumber) -> Result<Vec<Action>, BackendError> {
        self.engine.case_actions(&self.access, case)
    }

    fn all_actions(&mut self) -> Result<Vec<Action>, BackendError> {
        self.engine.all_actions(&self.access)
    }

    fn finished_since(&mut self, since: NaiveDate) -> Result<Vec<Action>, BackendError> {
        self.engine.finished_since(&self.access, since)
    }

    fn open_actions_due(&mut self, last: Option<NaiveDate>) -> Result<Vec<Action>, BackendError> {
        self.engine.open_actions_due(&self.access, last)
    }

    fn users(&mut self) -> Result<Vec<User>, BackendError> {
        self.engine.users(&self.access)
    }

    fn who(&mut self) -> Result<Vec<Session>, BackendError> {
        // With the store in this process, nobody else can have it open.
        Ok(Vec::new())
    }

    fn poll(&mut self) -> Vec<Remote> {
        Vec::new()
    }

    fn set_waker(&mut self, _waker: Waker) {}

    fn check(&mut self, anchor: Option<&str>) -> Result<CheckSummary, BackendError> {
        self.engine.check(&self.access, anchor)
    }

    fn propose(
        &mut self,
        date: NaiveDate,
        kind: crate::domain::vocab::ConferenceKind,
        title: Option<String>,
        facilitator: String,
        lang: crate::i18n::Lang,
        length_minutes: u16,
    ) -> Result<crate::domain::NewConference, BackendError> {
        self.engine.propose(
            &self.access,
            date,
            kind,
            title,
            facilitator,
            lang,
            length_minutes,
        )
    }

    fn head(&mut self) -> Result<(u64, String), BackendError> {
        Ok(self.engine.store().head())
    }

    fn backup(
        &mut self,
        out: &mut dyn std::io::Write,
    ) -> Result<crate::transfer::backup::BackupReport, BackendError> {
        self.engine
            .backup(&self.access, &mut |bytes| out.write_all(bytes))
    }

    fn demo(
        &mut self,
        cases: usize,
        seed: u64,
        at: DateTime<FixedOffset>,
    ) -> Result<(usize, usize), BackendError> {
        self.engine.demo(&self.access, cases, seed, at)
    }
}
